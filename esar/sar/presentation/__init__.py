"""SARs shaped for the pages and exports, in two modules: `reading` (a report's standards, items,
reasons, menu, deadline, basic data) and `changes` (what changed between two revisions).
Import from the module that holds the name; nothing is re-exported here."""
