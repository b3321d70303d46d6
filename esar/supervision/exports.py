"""The follow-up actions as an Excel workbook (Sarabun, B.E. dates), for the province office's
meetings. It uses the shared workbook helpers (`esar.core.xlsx`), like the other exports."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from esar.core import xlsx
from esar.core.thaidate import format_date
from esar.supervision.models import FollowUp

CHUNK = 2000


def follow_ups_xlsx(rows: QuerySet[FollowUp], out: IO[bytes] | str, *, today: dt.date) -> int:
    """Write `rows` (as `selectors.follow_ups_for` gives them) to `out`; return how many."""
    book = xlsx.workbook(out)
    formats = xlsx.formats(book)
    sheet = xlsx.Sheet(
        book,
        formats,
        _("Follow-up actions"),
        _("Follow-up actions of supervision visits, as of %(date)s") % {"date": format_date(today)},
        [
            (_("Province"), 16),
            (_("LAO code"), 11),
            (_("Local authority"), 30),
            (_("Institution"), 30),
            (_("Date of the visit"), 14),
            (_("Action"), 50),
            (_("Responsible"), 24),
            (_("Due date"), 14),
            (_("Status"), 12),
            (_("Overdue"), 10),
            (_("Closed"), 14),
            (_("Closing note"), 40),
        ],
    )
    count = 0
    for follow_up in rows.iterator(chunk_size=CHUNK):
        visit = follow_up.visit
        institution = visit.target_institution
        sheet.write(
            [
                visit.province.name,
                visit.lao.code,
                visit.lao.name,
                f"{institution.name} ({institution.code})" if institution else "",
                format_date(visit.visit_date),
                follow_up.action,
                follow_up.responsible,
                format_date(follow_up.due_date),
                follow_up.get_status_display(),
                bool(getattr(follow_up, "overdue", follow_up.is_overdue(today))),
                format_date(follow_up.closed_at) if follow_up.closed_at else "",
                follow_up.closing_note,
            ]
        )
        count += 1
    sheet.filter()
    if count == 0:
        sheet.note(_("No follow-up action matches the search."))
    book.close()
    return count
