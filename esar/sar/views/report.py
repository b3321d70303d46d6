"""One report's overview, with what is still missing; sending it; starting from last year's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.core.errors import Conflict, Invalid
from esar.core.thaidate import format_datetime
from esar.sar import content as sar_content
from esar.sar import selectors
from esar.sar.forms import VersionForm
from esar.sar.models import Sar, SarStatus
from esar.sar.presentation import reading
from esar.sar.rules import can_write
from esar.sar.services import drafts, revisions
from esar.sar.views.common import _403_unless, _frame


def _detail(
    request: AuthenticatedRequest, sar: Sar, *, status: int = 200, **extra: Any
) -> HttpResponse:
    content = sar_content.parse(sar.content)
    reasons = reading.open_reasons(sar)
    standards = reading.standards_of(selectors.sar_set_ids(sar), content, reasons=reasons)
    item_standard = {iv.item.pk: s.standard.pk for s in standards for iv in s.items}
    checklist = []
    if sar.is_editable:
        for missing in drafts.missing_before_submission(sar):
            checklist.append(
                {"message": missing.message, "url": _part_url(sar, missing, item_standard)}
            )
    document, evidence = selectors.draft_files(sar)
    context = _frame(
        request,
        sar,
        "overview",
        content=content,
        standards=standards,
        checklist=checklist,
        students=sum(content.basic_data.students.values()),
        staff=sum(content.basic_data.staff.values()),
        document=document,
        evidence=evidence,
        revisions=selectors.revisions_of(sar),
        submit_form=VersionForm(initial={"version": sar.version}),
        can_start_previous=(
            sar.status == SarStatus.DRAFT
            and can_write(request.user, sar.institution_id)
            and selectors.has_earlier_sar(sar)
        ),
    )
    context.update(extra)
    return render(request, "sar/detail.html", context, status=status)


def _part_url(sar: Sar, missing: sar_content.Missing, item_standard: dict[int, int]) -> str:
    if missing.section == "item" and missing.item_id in item_standard:
        url = reverse("sar:standard", args=[sar.pk, item_standard[missing.item_id]])
        return f"{url}#item-{missing.item_id}"
    if missing.section == "standard" and missing.standard_id is not None:
        url = reverse("sar:standard", args=[sar.pk, missing.standard_id])
        return f"{url}#standard-as-a-whole"
    name = {"basic_data": "sar:basic", "summary": "sar:summary", "document": "sar:files"}.get(
        missing.section, "sar:detail"
    )
    return reverse(name, args=[sar.pk])


@login_required
@require_GET
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.sar_for(request.user, pk))


@login_required
@require_POST
def submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    _403_unless(can_write(request.user, sar.institution_id))
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _detail(
            request, sar, status=Invalid.status, submit_error=_("Reload the page and try again.")
        )
    try:
        revision = revisions.submit(
            sar=sar,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            ip=client_ip(request),
        )
    except drafts.Incomplete as exc:
        return _detail(
            request, sar, status=exc.status, submit_error=exc.message, submit_details=exc.details
        )
    except (Conflict, Invalid) as exc:
        sar.refresh_from_db()
        return _detail(request, sar, status=exc.status, submit_error=exc.message)
    messages.success(
        request,
        _("Revision %(number)s was sent to your LAO on %(when)s.")
        % {"number": revision.number, "when": format_datetime(revision.submitted_at)},
    )
    return redirect("sar:detail", pk=sar.pk)


@login_required
@require_http_methods(["GET", "POST"])
def start_previous(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Fill the draft with last year's report, after the person has confirmed."""
    sar = selectors.sar_for(request.user, pk)
    _403_unless(can_write(request.user, sar.institution_id))
    if request.method == "POST":
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                drafts.start_from_previous(
                    sar=sar,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    ip=client_ip(request),
                )
            except (Conflict, Invalid) as exc:
                messages.error(request, exc.message)
                return redirect("sar:detail", pk=sar.pk)
            messages.success(
                request,
                _("The draft now holds last year's report. Check every part and update it."),
            )
            return redirect("sar:detail", pk=sar.pk)
    form = VersionForm(initial={"version": sar.version})
    return render(
        request,
        "sar/start_previous.html",
        _frame(
            request,
            sar,
            "overview",
            form=form,
            has_earlier=selectors.has_earlier_sar(sar),
        ),
    )
