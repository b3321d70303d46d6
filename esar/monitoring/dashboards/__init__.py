"""The figures of the province and national dashboards and of an LAO's page, read from the
progress rows only.

Every page, Excel export and API answer about progress is built here, from `LaoProgress`,
`ProvinceProgress` and `InstitutionProgress` (plus registry names and the standards' metadata),
never by counting reports, so they all show the same numbers. Every function costs a fixed number
of queries whatever the number of LAOs or institutions.

- `access`: who reads which dashboard and which rows (anything else is a 404), and the year shown;
- `counts`: the shared building blocks (hops, labels, states, counts summed from the LAO rows);
- `levels`: the quality-level tables per standard set;
- `province`, `lao`, `national`: one module per page (and its export and API answer).
"""
