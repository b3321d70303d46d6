"""SAR pages: the school writes and sends its report, the LAO reviews it, everyone above reads it.

Views stay thin: they fetch through `esar.sar.selectors` (outside the person's part of the
hierarchy → 404), shape through `esar.sar.presentation`, call `esar.sar.services` and show what
came back. Every flow works with plain forms; with htmx the edit forms also save as the person
types. One module per group of pages: `lists`, `report` (one report's overview and sending),
`editor` (the draft's parts), `attachments` (files), `review` (revisions and the LAO's review);
`common` holds what they share. Nothing is re-exported here: `esar.sar.urls` names the modules.
"""
