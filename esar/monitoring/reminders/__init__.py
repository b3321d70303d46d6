"""Daily reminders that respect people: one digest per person per day, only of what they owe.

Who owes what is read from the progress rows only (`InstitutionProgress`, `LaoProgress`) and the
memberships, with a fixed number of set-based queries whatever the size of the country:

- a school officer owes "send the SAR" while the institution's SAR is not started, a draft, or
  returned for revision (then: send it again), against the year's SAR deadline;
- an LAO officer owes "review" while SARs await the LAO's review, "synthesis" until the LAO's
  synthesis is complete, and "delivery" until the LAO has delivered into e-SAR (once the
  synthesis is complete or its deadline has come). The LAO's e-SAR account (an active
  `EsarAccount`) is reminded of the delivery only.

A hop's reminder goes out N days before its deadline (N set by DLA), on the deadline, on the day
after it (overdue, by the one rule of `esar.monitoring.status`) and then every few days while it
is overdue. On such a day each person who owes the hop gets ONE notice listing everything they
still owe that is due within N days or overdue. Province supervisors get one notice listing their
LAOs that are overdue on a hop, on the days an overdue reminder goes out.

The planner (`planner`: who owes what, when) is apart from the digests (`digests`: composing,
claiming and sending them); DLA's settings and their audited change are in `configuration`.

Each digest is claimed first in `ReminderDigest` (unique per person and day) with
`bulk_create(ignore_conflicts=True)` under the run; the run then re-reads its own claims, so a
second run the same day (or one running at the same time) reminds nobody twice. Notices are
written in bulk and their e-mails queued per batch (`esar.core.notices.send_notice_emails`).
"""
