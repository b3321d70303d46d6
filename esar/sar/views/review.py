"""The revisions of a report (each as it was sent, compared with another) and the LAO's review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.core.errors import Conflict, Invalid
from esar.sar import content as sar_content
from esar.sar import selectors
from esar.sar.forms import AcceptForm, ReturnForm
from esar.sar.models import Sar, SarStatus
from esar.sar.presentation import changes, reading
from esar.sar.rules import can_review
from esar.sar.services import drafts, revisions
from esar.sar.views.common import _403_unless, _errors_of, _frame, _summary_fields
from esar.standards.models import StandardItem


def _revision_view(
    sar: Sar,
    revision: Any,
    reasons: reading.Reasons,
    comparison: changes.ComparisonView | None = None,
) -> dict[str, Any]:
    content = sar_content.parse(revision.content)
    return {
        "revision": revision,
        "rcontent": content,
        "rbasic_rows": reading.basic_rows(content.basic_data, drafts.levels_of(sar)),
        "rsummary_fields": _summary_fields(content),
        "rstandards": reading.standards_of(
            selectors.revision_set_ids(revision),
            content,
            reasons=reasons,
            comparison=comparison.comparison if comparison else None,
        ),
        "revidence": selectors.revision_evidence(revision),
        "rreasons": reasons,
    }


@login_required
@require_GET
def revision(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    shown = selectors.revision_for(sar, number)
    comparison = None
    other_number = request.GET.get("compare", "")
    compare_number = int(other_number) if other_number.isdigit() else None
    if compare_number is not None and compare_number != shown.number:
        other = selectors.revision_for(sar, compare_number)
        comparison = changes.compare_revisions(sar, other, shown)
    context = _frame(
        request,
        sar,
        "revisions",
        revisions=selectors.revisions_of(sar),
        comparison=comparison,
        compare_number=compare_number,
        **_revision_view(sar, shown, reading.reasons_of(shown)),
    )
    return render(request, "sar/revision.html", context)


def _decide(request: AuthenticatedRequest, sar: Sar, items_of: Any) -> tuple[Any, Any, Any]:
    """Carry out the posted decision; (response, forms, error) — a response when it was done."""
    action = request.POST.get("action")
    if action not in ("accept", "return"):
        raise Http404
    number = request.POST.get("revision", "")
    target = selectors.revision_for(sar, int(number) if number.isdigit() else 0)
    if action == "accept":
        form: Any = AcceptForm(request.POST)
    else:
        form = ReturnForm(request.POST, items=items_of(target))
    if not form.is_valid():
        error = (
            _("Some values are not valid; nothing was saved."),
            _errors_of(form),
            Invalid.status,
        )
        return None, form, error
    try:
        if action == "accept":
            revisions.accept(
                revision=target,
                actor=request.user,
                note=form.cleaned_data["note"],
                ip=client_ip(request),
            )
            done = _("Revision %(number)s of %(institution)s was accepted.")
        else:
            revisions.return_for_revision(
                revision=target,
                actor=request.user,
                reasons=form.reasons(),
                ip=client_ip(request),
                after_acceptance=request.POST.get("after_acceptance") == "1",
            )
            done = _("Revision %(number)s of %(institution)s was returned to the school.")
    except (Conflict, Invalid) as exc:
        return None, form, (exc.message, exc.details, exc.status)
    messages.success(request, done % {"number": target.number, "institution": sar.institution.name})
    return redirect("sar:queue"), form, None


def _typed(form: Any) -> list[tuple[Any, str]]:
    """What an officer typed into a decision that could not be saved, to copy from."""
    if form is None or not form.is_bound:
        return []
    return [
        (form.fields[name].label, value.strip())
        for name, value in form.data.items()
        if name in form.fields and name != "revision" and isinstance(value, str) and value.strip()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The LAO officer reads the pending revision (and what changed) and accepts or returns it.

    If another officer decided first, the service refuses and says who and when; the page then
    shows the report as it now stands, with what this officer typed, and overwrites nothing.
    """
    sar = selectors.sar_for(request.user, pk)
    _403_unless(can_review(request.user, sar.institution.lao_id))

    def items_of(revision: Any) -> list[Any]:
        return list(
            StandardItem.objects.filter(standard__standard_set__in=revision.standard_sets.all())
            .select_related("standard__standard_set")
            .order_by("standard__standard_set__education_level", "standard__order", "order")
        )

    posted = error = None
    if request.method == "POST":
        response, posted, error = _decide(request, sar, items_of)
        if response is not None:
            return response
        sar = selectors.sar_for(request.user, pk)
    message, details, status = error if error else (None, None, 200)
    pending = sar.current_revision if sar.status == SarStatus.SUBMITTED else None
    if pending is None:
        accepted = sar.current_revision if sar.status == SarStatus.ACCEPTED else None
        context = _frame(
            request,
            sar,
            "review",
            pending=None,
            accepted=accepted,
            reopen_form=ReturnForm(initial={"revision": accepted.number}, items=[])
            if accepted
            else None,
            error=message,
            details=details,
            unsaved=_typed(posted),
        )
        return render(request, "sar/review.html", context, status=status)
    previous = selectors.previous_returned(pending)
    comparison = changes.compare_revisions(sar, previous, pending) if previous else None
    shown = _revision_view(sar, pending, reading.Reasons(), comparison)
    items = [row.item for view in shown["rstandards"] for row in view.items]
    same = posted is not None and str(posted.data.get("revision")) == str(pending.number)
    accept_form = (
        posted
        if same and isinstance(posted, AcceptForm)
        else AcceptForm(initial={"revision": pending.number})
    )
    return_form = (
        posted
        if same and isinstance(posted, ReturnForm)
        else ReturnForm(initial={"revision": pending.number}, items=items)
    )
    item_rows = [
        (view, [(row, return_form.item_field(row.item)) for row in view.items])
        for view in shown["rstandards"]
    ]
    context = _frame(
        request,
        sar,
        "review",
        pending=pending,
        previous=previous,
        previous_reasons=reading.reasons_of(previous),
        comparison=comparison,
        accept_form=accept_form,
        return_form=return_form,
        item_rows=item_rows,
        error=message,
        details=details,
        unsaved=[] if same else _typed(posted),
        **shown,
    )
    return render(request, "sar/review.html", context, status=status)
