"""The draft's files (the SAR document and evidence, PDFs) and the download of any stored PDF."""

from __future__ import annotations

from typing import Any

from csp.constants import SELF
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.core.errors import Conflict, Invalid
from esar.sar import selectors
from esar.sar.files import UploadRefused, refuse_by_declared_length
from esar.sar.forms import UploadForm
from esar.sar.models import AttachmentKind, Sar
from esar.sar.rules import can_write
from esar.sar.services import drafts
from esar.sar.views.common import _403_unless, _frame


def _files_page(
    request: AuthenticatedRequest, sar: Sar, *, status: int = 200, **extra: Any
) -> HttpResponse:
    document, evidence = selectors.draft_files(sar)
    context = _frame(
        request,
        sar,
        "files",
        document=document,
        evidence=evidence,
        document_form=UploadForm(initial={"kind": AttachmentKind.DOCUMENT}),
        evidence_form=UploadForm(initial={"kind": AttachmentKind.EVIDENCE}),
        limit_mb=sar.year.upload_limit_mb,
    )
    context.update(extra)
    return render(request, "sar/files.html", context, status=status)


@login_required
@require_GET
def files(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _files_page(request, selectors.sar_for(request.user, pk))


def _not_exempt(_request: HttpRequest) -> HttpResponse:
    """A view the CSRF middleware checks (it is not `csrf_exempt`), for `_csrf_failure`."""
    return HttpResponse()


def _csrf_failure(request: AuthenticatedRequest) -> HttpResponse | None:
    """The CSRF check the middleware skipped, so that the body is not read before the size."""
    return CsrfViewMiddleware(_not_exempt).process_view(request, _not_exempt, (), {})


@csrf_exempt  # checked by hand below, after the declared size
@login_required
@require_POST
def upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    _403_unless(can_write(request.user, sar.institution_id))
    try:
        # Before anything reads the body: a file over the year's limit is refused unread.
        refuse_by_declared_length(request.META.get("CONTENT_LENGTH"), sar.year.upload_limit_mb)
    except UploadRefused as exc:
        return _files_page(request, sar, status=413, upload_error=exc.message)
    refused = _csrf_failure(request)
    if refused is not None:
        return refused
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _files_page(
            request, sar, status=Invalid.status, upload_error=_("Choose a PDF file to upload.")
        )
    kind = form.cleaned_data["kind"]
    try:
        attachment = drafts.attach_file(
            sar=sar,
            actor=request.user,
            upload=form.cleaned_data["file"],
            kind=kind,
            ip=client_ip(request),
        )
    except UploadRefused as exc:
        return _files_page(request, sar, status=Invalid.status, upload_error=exc.message)
    except (Conflict, Invalid) as exc:
        return _files_page(request, sar, status=exc.status, upload_error=exc.message)
    messages.success(
        request,
        _("%(name)s was stored (%(pages)s pages).")
        % {"name": attachment.original_name, "pages": attachment.page_count},
    )
    return redirect("sar:files", pk=sar.pk)


@login_required
@require_POST
def remove_evidence(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    _403_unless(can_write(request.user, sar.institution_id))
    try:
        drafts.remove_evidence(
            sar=sar, actor=request.user, attachment_id=attachment_pk, ip=client_ip(request)
        )
    except (Conflict, Invalid) as exc:
        return _files_page(request, sar, status=exc.status, upload_error=exc.message)
    messages.success(request, _("The file was taken out of the draft."))
    return redirect("sar:files", pk=sar.pk)


@login_required
@require_GET
@xframe_options_sameorigin
def download(request: AuthenticatedRequest, attachment_pk: int) -> FileResponse:
    """A stored PDF, to whoever may see its SAR; `?inline=1` shows it in the browser."""
    attachment = selectors.attachment_for(request.user, attachment_pk)
    inline = request.GET.get("inline") == "1"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, max-age=3600"
    # Our own review page embeds the PDF: allow framing by this site only (CSP and X-Frame-Options).
    response._csp_replace = {  # type: ignore[attr-defined]
        "frame-ancestors": [SELF],
        # Browsers show a PDF through their own viewer, which `object-src 'none'` may block.
        "object-src": [SELF],
    }
    return response
