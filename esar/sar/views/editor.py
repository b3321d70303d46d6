"""Editing the draft, part by part: the basic data, one standard's items, the summary.

Every part saves through `esar.sar.services.drafts.save_draft`; with htmx the forms also save
as the person types, and a refused save keeps what they typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.core.errors import Conflict, Invalid
from esar.core.thaidate import format_datetime
from esar.sar import content as sar_content
from esar.sar import selectors
from esar.sar.forms import (
    BasicDataForm,
    ItemsForm,
    SummaryForm,
    TestResultForm,
    TestResultFormSet,
    tests_of,
)
from esar.sar.models import Sar
from esar.sar.presentation import reading
from esar.sar.rules import can_write
from esar.sar.services import drafts
from esar.sar.views.common import _403_unless, _errors_of, _frame, _summary_fields


class HtmxRequest(AuthenticatedRequest):
    """A request behind sign-in that django-htmx's middleware has seen: it sets `htmx`."""

    htmx: HtmxDetails


def _save(
    request: HtmxRequest,
    sar: Sar,
    forms_valid: bool,
    save: Any,
    render_page: Any,
    invalid_details: list[str] | None = None,
) -> HttpResponse:
    """Save through the service and answer: a status fragment for htmx, a page otherwise.

    A refused save keeps what the person typed in the form (the page is drawn again from the
    posted values) and says why; nothing is lost and nothing of anyone else's is overwritten.
    """
    error = details = None
    status = 200
    if not forms_valid:
        error = _("Some values are not valid; nothing was saved.")
        details = invalid_details or []
        status = Invalid.status
    else:
        try:
            sar = save()
        except (Conflict, Invalid) as exc:
            error, details, status = exc.message, exc.details, exc.status
    if request.htmx:
        # htmx swaps only 2xx answers: the outcome is in the fragment.
        return render(
            request,
            "sar/includes/save_status.html",
            {"sar": sar, "saved": error is None, "error": error, "details": details},
        )
    if error is None:
        messages.success(
            request, _("Saved at %(when)s.") % {"when": format_datetime(sar.updated_at)}
        )
        return redirect(request.get_full_path())
    return render_page(error=error, details=details, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def basic(request: HtmxRequest, pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    content = sar_content.parse(sar.content)
    levels = drafts.levels_of(sar)
    if request.method == "POST":
        _403_unless(can_write(request.user, sar.institution_id))
        form = BasicDataForm(request.POST, levels=levels)
        tests = TestResultFormSet(request.POST, prefix="tests")
        valid = form.is_valid() & tests.is_valid()

        def save() -> Sar:
            return drafts.save_draft(
                sar=sar,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                basic_data=form.basic_data(tests_of(tests)),
                ip=client_ip(request),
            )

        def page(**kwargs: Any) -> HttpResponse:
            return _basic_page(request, sar, content, form, tests, **kwargs)

        return _save(request, sar, valid, save, page, _errors_of(form, tests))
    form = BasicDataForm(
        initial=BasicDataForm.initial_from(content.basic_data, sar.version), levels=levels
    )
    tests = TestResultFormSet(
        prefix="tests",
        initial=[TestResultForm.initial_from(test) for test in content.basic_data.tests],
    )
    return _basic_page(request, sar, content, form, tests)


def _basic_page(
    request: HtmxRequest,
    sar: Sar,
    content: sar_content.Content,
    form: BasicDataForm,
    tests: Any,
    *,
    error: str | None = None,
    details: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _frame(
        request,
        sar,
        "basic",
        form=form,
        tests=tests,
        content=content,
        basic_rows=reading.basic_rows(content.basic_data, drafts.levels_of(sar)),
        error=error,
        details=details,
    )
    return render(request, "sar/basic.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def standard(request: HtmxRequest, pk: int, standard_pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    the_standard = selectors.standard_of(sar, standard_pk)
    content = sar_content.parse(sar.content)
    reasons = reading.open_reasons(sar)
    (view,) = reading.standards_of(
        selectors.sar_set_ids(sar), content, reasons=reasons, only_standard=the_standard.pk
    )
    items = [row.item for row in view.items]
    if request.method == "POST":
        _403_unless(can_write(request.user, sar.institution_id))
        form = ItemsForm(request.POST, items=items, levels=view.levels, standard=the_standard)
        valid = form.is_valid()

        def save() -> Sar:
            return drafts.save_draft(
                sar=sar,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                items=form.items_data(),
                standards=form.standard_data(),
                ip=client_ip(request),
            )

        def page(**kwargs: Any) -> HttpResponse:
            return _standard_page(request, sar, view, form, **kwargs)

        return _save(request, sar, valid, save, page, _errors_of(form))
    form = ItemsForm(
        initial=ItemsForm.initial_from(items, content, sar.version, the_standard),
        items=items,
        levels=view.levels,
        standard=the_standard,
    )
    return _standard_page(request, sar, view, form)


def _standard_page(
    request: HtmxRequest,
    sar: Sar,
    view: reading.StandardView,
    form: ItemsForm,
    *,
    error: str | None = None,
    details: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    previous, following = reading.neighbours(sar, view.standard)
    rows = [(row, form.fields_of(row.item)) for row in view.items]
    context = _frame(
        request,
        sar,
        "standard",
        current_standard=view.standard,
        view=view,
        rows=rows,
        form=form,
        standard_fields=form.standard_fields(),
        previous=previous,
        following=following,
        error=error,
        details=details,
    )
    return render(request, "sar/standard.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def summary(request: HtmxRequest, pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    content = sar_content.parse(sar.content)
    if request.method == "POST":
        _403_unless(can_write(request.user, sar.institution_id))
        form = SummaryForm(request.POST)
        valid = form.is_valid()

        def save() -> Sar:
            return drafts.save_draft(
                sar=sar,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                summary=form.summary(),
                ip=client_ip(request),
            )

        def page(**kwargs: Any) -> HttpResponse:
            return _summary_page(request, sar, content, form, **kwargs)

        return _save(request, sar, valid, save, page, _errors_of(form))
    form = SummaryForm(initial=SummaryForm.initial_from(content.summary, sar.version))
    return _summary_page(request, sar, content, form)


def _summary_page(
    request: HtmxRequest,
    sar: Sar,
    content: sar_content.Content,
    form: SummaryForm,
    *,
    error: str | None = None,
    details: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _frame(
        request,
        sar,
        "summary",
        form=form,
        content=content,
        summary_fields=_summary_fields(content),
        error=error,
        details=details,
    )
    return render(request, "sar/summary.html", context, status=status)
