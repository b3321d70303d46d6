"""Circulars pages: the list, one circular (printable, with its QR code), and DLA's editor.

Reads go through `esar.circulars.selectors` (a circular not meant for the person is a 404, as is a
file of it), writes through `esar.circulars.services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from esar.accounts.roles import Role
from esar.accounts.types import AuthenticatedRequest
from esar.circulars import qr, selectors, services
from esar.circulars.files import limit_mb
from esar.circulars.forms import CircularForm, ListFilterForm, UploadForm
from esar.circulars.models import Circular
from esar.core.audit import client_ip
from esar.sar.files import UploadRefused, refuse_by_declared_length

PAGE_SIZE = 30


def _404_unless(condition: bool) -> None:
    if not condition:
        raise Http404


def _403_unless(condition: bool) -> None:
    """For what the person sees: their role may not do this to it (esar.core.errors)."""
    if not condition:
        raise PermissionDenied


def _add_error(form: CircularForm, exc: services.SarError) -> None:
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
@require_GET
def circular_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    _404_unless(selectors.reads_circulars(user))
    sees_all = selectors.sees_all(user)
    form = ListFilterForm(request.GET or None, show_status=sees_all)
    rows = selectors.filter_circulars(selectors.visible_to(user), **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "circulars/list.html",
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "sees_all": sees_all,
            "can_manage": services.can_manage(user),
            "nav_section": "circulars",
        },
    )


@login_required
def circular_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    _404_unless(selectors.reads_circulars(user))
    _403_unless(services.can_manage(user))
    form = CircularForm(request.POST or None)
    status = services.Invalid.status if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            circular = services.create_draft(
                actor=user, ip=client_ip(request), **form.service_kwargs()
            )
        except services.SarError as exc:
            _add_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("The draft was saved. Attach its files, then publish it."))
            return redirect("circulars:detail", pk=circular.pk)
    return render(
        request,
        "circulars/form.html",
        {"form": form, "circular": None, "nav_section": "circulars"},
        status=status,
    )


def _initial(circular: Circular) -> dict:
    return {
        "number": circular.number,
        "issued_on": circular.issued_on,
        "title": circular.title,
        "body": circular.body,
        "provinces": list(circular.provinces.all()),
        "roles": list(circular.audience_roles.values_list("role", flat=True)),
        "version": circular.version,
    }


@login_required
def circular_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    circular = selectors.circular_or_404(user, pk)
    _403_unless(services.can_manage(user))
    if not circular.is_draft:
        messages.info(request, _("A published circular no longer changes."))
        return redirect("circulars:detail", pk=circular.pk)
    status = 200
    if request.method == "POST":
        form = CircularForm(request.POST)
        status = services.Invalid.status
        if form.is_valid():
            try:
                services.update_draft(
                    circular=circular,
                    actor=user,
                    expected_version=form.cleaned_data["version"] or 0,
                    ip=client_ip(request),
                    **form.service_kwargs(),
                )
            except services.Conflict as exc:
                messages.error(request, exc.message)
                return redirect("circulars:detail", pk=circular.pk)
            except services.SarError as exc:
                _add_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("circulars:detail", pk=circular.pk)
    else:
        form = CircularForm(initial=_initial(circular))
    return render(
        request,
        "circulars/form.html",
        {"form": form, "circular": circular, "nav_section": "circulars"},
        status=status,
    )


def _detail_context(request: AuthenticatedRequest, circular: Circular) -> dict:
    return {
        "circular": circular,
        "provinces": list(circular.provinces.order_by("name_th")),
        "roles": [
            Role(value).label
            for value in sorted(circular.audience_roles.values_list("role", flat=True))
        ],
        "attachments": list(circular.attachments.all()),
        "page_url": qr.page_url(circular.pk),
        "can_manage": services.can_manage(request.user),
        "upload_form": UploadForm(),
        "limit_mb": limit_mb(),
        "nav_section": "circulars",
    }


@login_required
@require_GET
def circular_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circular = selectors.circular_or_404(request.user, pk)
    services.mark_read(circular=circular, user=request.user)
    return render(request, "circulars/detail.html", _detail_context(request, circular))


@login_required
@require_GET
def circular_qr(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circular = selectors.circular_or_404(request.user, pk)
    url = qr.page_url(circular.pk)
    response = HttpResponse(qr.svg(url, title=url), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _manager_action(request: AuthenticatedRequest, pk: int) -> Circular:
    circular = selectors.circular_or_404(request.user, pk)
    _403_unless(services.can_manage(request.user))
    return circular


@login_required
@require_POST
def circular_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circular = _manager_action(request, pk)
    version = request.POST.get("version", "")
    try:
        services.publish(
            circular=circular,
            actor=request.user,
            expected_version=int(version) if version.isdigit() else None,
            ip=client_ip(request),
        )
    except services.SarError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The circular is published to its audience."))
    return redirect("circulars:detail", pk=circular.pk)


@login_required
@require_POST
def circular_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circular = _manager_action(request, pk)
    try:
        services.withdraw(circular=circular, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The circular was withdrawn: its audience no longer sees it."))
    return redirect("circulars:detail", pk=circular.pk)


@login_required
@require_POST
def attachment_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circular = selectors.circular_or_404(request.user, pk)
    _403_unless(services.can_manage(request.user))
    try:
        # Before touching request.FILES, so that an oversized body is never read.
        refuse_by_declared_length(request.META.get("CONTENT_LENGTH"), limit_mb())
    except UploadRefused as exc:
        messages.error(request, exc.message)
        return redirect("circulars:detail", pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return redirect("circulars:detail", pk=circular.pk)
    try:
        attachment = services.attach_file(
            circular=circular,
            actor=request.user,
            upload=form.cleaned_data["file"],
            ip=client_ip(request),
        )
    except UploadRefused as exc:
        messages.error(request, exc.message)
    except services.SarError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.original_name})
    return redirect("circulars:detail", pk=circular.pk)


@login_required
@require_POST
def attachment_remove(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> HttpResponse:
    circular = _manager_action(request, pk)
    try:
        services.remove_file(
            circular=circular,
            actor=request.user,
            attachment_id=attachment_pk,
            ip=client_ip(request),
        )
    except services.SarError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file was removed."))
    return redirect("circulars:detail", pk=circular.pk)


@login_required
@require_GET
def attachment_download(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = selectors.attachment_or_404(request.user, pk, attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
