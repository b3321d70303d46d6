"""Every change to a SAR, in two modules: `drafts` (open, save, files) and `revisions` (submit,
accept, return). Import from the module that holds the name; nothing is re-exported here."""
