"""One delivery: its page, manifest, retry and acknowledgement, and what it holds (the SARs, their notes, the synthesis, the files)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.delivery import (
    downloads,
    selectors,
    services,
)
from esar.delivery.forms import NoteForm
from esar.delivery.models import Delivery, DeliveryStatus
from esar.delivery.package import FileMismatch, manifest_bytes
from esar.delivery.views.common import _403_unless
from esar.sar import content as sar_content
from esar.sar import selectors as sar_selectors
from esar.sar.presentation import reading as sar_reading
from esar.sar.services.drafts import levels_of

# --- One delivery ------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_for(request.user, pk)
    return _detail(request, delivery)


def _detail(
    request: AuthenticatedRequest,
    delivery: Delivery,
    *,
    status: int = 200,
    error: str | None = None,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "delivery/detail.html",
        {
            "delivery": delivery,
            "sars": selectors.delivered_sars(delivery),
            "synthesis_version": selectors.delivered_synthesis(delivery),
            "files": delivery.manifest.get("files", []),
            "is_onesqa": selectors.is_onesqa(user),
            "can_retry": delivery.status == DeliveryStatus.FAILED
            and services.can_deliver(user, delivery.lao),
            "error": error,
            "nav_section": "delivery",
        },
        status=status,
    )


@login_required
@require_GET
def manifest(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The manifest, byte for byte what its SHA-256 (also in X-Manifest-SHA256) was taken of."""
    delivery = selectors.delivery_for(request.user, pk)
    response = HttpResponse(
        manifest_bytes(delivery.manifest), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{delivery.receipt_number}.json"'
    response["X-Manifest-SHA256"] = delivery.manifest_sha256
    return response


@login_required
@require_POST
def retry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_for(request.user, pk)
    try:
        services.retry(delivery=delivery, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        return _detail(request, delivery, status=exc.status, error=exc.message)
    messages.info(request, _("The delivery is being sent again."))
    return redirect("delivery:detail", pk=delivery.pk)


@login_required
@require_POST
def acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_for(request.user, pk)
    try:
        services.acknowledge(delivery=delivery, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        return _detail(request, delivery, status=exc.status, error=exc.message)
    messages.success(request, _("Receipt acknowledged. The LAO sees it on its delivery page."))
    return redirect("delivery:detail", pk=delivery.pk)


# --- What a delivery holds -----------------------------------------------------------------------


def _revision_page(
    request: AuthenticatedRequest,
    delivery: Delivery,
    revision_pk: int,
    *,
    form: NoteForm | None = None,
    status: int = 200,
    error: str | None = None,
) -> HttpResponse:
    delivered = selectors.delivered_revision_for(request.user, delivery, revision_pk)
    revision = delivered.revision
    sar = revision.sar
    content = sar_content.parse(revision.content)
    set_ids = sar_selectors.revision_set_ids(revision)
    notes = selectors.notes_for(request.user, delivered)
    evidence = sar_selectors.revision_evidence(revision)
    hashes = {
        entry.get("attachment_id"): entry["sha256"] for entry in delivery.manifest.get("files", [])
    }
    return render(
        request,
        "delivery/revision.html",
        {
            "delivery": delivery,
            "delivered": delivered,
            "revision": revision,
            "sar": sar,
            "basic_rows": sar_reading.basic_rows(content.basic_data, levels_of(sar)),
            "tests": content.basic_data.tests,
            "standards": sar_reading.standards_of(set_ids, content),
            "summary_fields": [
                (name, label, getattr(content.summary, name))
                for name, label in sar_content.SUMMARY_FIELDS.items()
            ],
            "files": [
                (attachment, hashes.get(attachment.pk, attachment.sha256))
                for attachment in [revision.document, *evidence]
            ],
            "others": selectors.earlier_versions(delivered),
            "notes": notes,
            "note_form": form or (NoteForm() if notes is not None else None),
            "error": error,
            "nav_section": "delivery",
        },
        status=status,
    )


@login_required
@require_GET
def revision(request: AuthenticatedRequest, pk: int, revision_pk: int) -> HttpResponse:
    """A delivered SAR revision, read-only, as ONESQA received it."""
    delivery = selectors.delivery_for(request.user, pk)
    return _revision_page(request, delivery, revision_pk)


@login_required
@require_POST
def note(request: AuthenticatedRequest, pk: int, revision_pk: int) -> HttpResponse:
    delivery = selectors.delivery_for(request.user, pk)
    delivered = selectors.delivered_revision_for(request.user, delivery, revision_pk)
    _403_unless(selectors.is_onesqa(request.user))
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _revision_page(
            request, delivery, revision_pk, form=form, status=services.Invalid.status
        )
    try:
        services.add_note(
            delivered_revision=delivered,
            actor=request.user,
            text=form.cleaned_data["text"],
            ip=client_ip(request),
        )
    except services.SarError as exc:
        return _revision_page(
            request, delivery, revision_pk, form=form, status=exc.status, error=exc.message
        )
    messages.success(request, _("Note saved. Only ONESQA reviewers see it."))
    return redirect("delivery:revision", pk=delivery.pk, revision_pk=revision_pk)


@login_required
@require_GET
def synthesis(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The delivered synthesis version, read-only."""
    delivery = selectors.delivery_for(request.user, pk)
    version = selectors.delivered_synthesis(delivery)
    if version is None:
        raise Http404
    return render(
        request,
        "delivery/synthesis.html",
        {
            "delivery": delivery,
            "version": version,
            "figures": version.figures if isinstance(version.figures, dict) else {},
            "issues": selectors.issues_for_reading(version),
            "nav_section": "delivery",
        },
    )


@login_required
@require_GET
def download(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    """A delivered PDF by its stored file's id (the address of earlier pages)."""
    delivery = selectors.delivery_for(request.user, pk)
    entry = selectors.manifest_entry(delivery, attachment_pk)
    return _serve(request, delivery, entry["path"])


@login_required
@require_GET
def package_file(request: AuthenticatedRequest, pk: int, path: str) -> HttpResponseBase:
    """Any file the manifest lists, by its path: the PDFs, revision.json, the synthesis JSON."""
    delivery = selectors.delivery_for(request.user, pk)
    return _serve(request, delivery, path)


def _serve(request: AuthenticatedRequest, delivery: Delivery, path: str) -> HttpResponseBase:
    # The manifest is the authority: only the files it lists, checked against its hashes first
    # (in chunks): a changed file is refused, never half-sent.
    try:
        found = services.verified_file(
            delivery=delivery, path=path, actor=request.user, ip=client_ip(request)
        )
    except FileMismatch as exc:
        return render(
            request,
            "delivery/file_mismatch.html",
            {"delivery": delivery, "entry": exc.entry, "message": exc.message},
            status=409,
        )
    if found is None:
        raise Http404
    return downloads.file_response(found)
