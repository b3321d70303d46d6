"""Delivery pages: the LAO delivers into e-SAR, DLA issues e-SAR accounts, ONESQA receives.

Views stay thin: they read through `esar.delivery.selectors` (outside the person's part of the
hierarchy → 404), act through `esar.delivery.services` and show what came back. Every flow is a
plain form. The files they serve are answered by `esar.delivery.downloads`, shared with the API.

Longer than 400 lines on purpose for now: the page groups (the deliveries, one delivery and what
it holds, DLA's e-SAR accounts and issuances) stay in one module while their permission checks
are reworked in the same change (issue 13); split it by page group after that.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import Level, scope_for
from esar.core.audit import client_ip
from esar.cycles import selectors as cycles
from esar.cycles.models import AcademicYear
from esar.delivery import (
    account_selectors,
    distribution,
    downloads,
    issuance,
    selectors,
    services,
)
from esar.delivery import accounts as esar_accounts
from esar.delivery.forms import DeliverForm, DeliveryFilterForm, NoteForm
from esar.delivery.models import Delivery, DeliveryStatus
from esar.delivery.package import FileMismatch, manifest_bytes
from esar.organizations import selectors as registry
from esar.organizations.models import Province
from esar.sar import content as sar_content
from esar.sar import selectors as sar_selectors
from esar.sar.presentation import reading as sar_reading
from esar.sar.services.drafts import levels_of

PAGE_SIZE = 50


def _404_unless(condition: bool) -> None:
    if not condition:
        raise Http404


def _403_unless(condition: bool) -> None:
    """For what the person sees: their role may not do this to it (esar.core.errors)."""
    if not condition:
        raise PermissionDenied


def _chosen_year(request: HttpRequest) -> tuple[list[AcademicYear], AcademicYear | None]:
    years = list(cycles.all_years())
    wanted = request.GET.get("year") or request.POST.get("year") or ""
    chosen = next((y for y in years if str(y.year) == wanted), None)
    return years, chosen or cycles.current_of(years) or (years[0] if years else None)


# --- The LAO's page and the lists of deliveries --------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The LAO officer's delivery page; for provinces and DLA, the deliveries of their part."""
    user = request.user
    if not has_perm(user, Perm.DELIVERY_VIEW):
        _404_unless(has_perm(user, Perm.ONESQA_INBOX))
        return redirect("delivery:inbox")
    scope = scope_for(user)
    if scope.level is Level.LAO:
        lao = registry.laos_for(user).first()
        _404_unless(lao is not None)
        return _lao_page(request, lao)
    return _list(request, "delivery/list.html", "delivery")


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """ONESQA's inbox: every delivery that reached e-SAR, filterable, newest first."""
    _404_unless(has_perm(request.user, Perm.ONESQA_INBOX))
    return _list(request, "delivery/inbox.html", "delivery")


def _list(request: HttpRequest, template: str, section: str) -> HttpResponse:
    years = list(cycles.all_years())
    form = DeliveryFilterForm(
        request.GET, years=years, provinces=registry.provinces_for(request.user)
    )
    deliveries = selectors.filter_deliveries(
        selectors.deliveries_for(request.user), **form.filters()
    ).order_by("-created_at", "-pk")
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "nav_section": section,
        },
    )


@login_required
@require_GET
def lao_page(request: HttpRequest, code: str) -> HttpResponse:
    return _lao_page(request, selectors.lao_for(request.user, code))


def _lao_page(
    request: HttpRequest, lao: Any, *, status: int = 200, error: str | None = None
) -> HttpResponse:
    years, year = _chosen_year(request)
    page = selectors.lao_deliveries(request.user, lao, year) if year is not None else None
    return render(
        request,
        "delivery/lao.html",
        {
            "lao": lao,
            "years": years,
            "year": year,
            "page": page,
            "error": error,
            "form": DeliverForm(initial={"expected": page.pending.key}) if page else None,
            "nav_section": "delivery",
        },
        status=status,
    )


@login_required
@require_POST
def deliver(request: HttpRequest, code: str) -> HttpResponse:
    lao = selectors.lao_for(request.user, code)
    _years, year = _chosen_year(request)
    _404_unless(year is not None and request.POST.get("year") == str(year.year))
    form = DeliverForm(request.POST)
    if not form.is_valid():
        return _lao_page(request, lao, status=400, error=_("Reload the page and deliver again."))
    try:
        delivery = services.deliver(
            lao=lao,
            year=year,
            actor=request.user,
            expected=form.cleaned_data["expected"],
            ip=client_ip(request),
        )
    except services.SarError as exc:
        status = 403 if isinstance(exc, services.NotAllowed) else 409
        return _lao_page(request, lao, status=status, error=exc.message)
    if delivery is None:
        messages.info(
            request,
            _(
                "Nothing new to deliver: every accepted SAR and the synthesis are already delivered."
            ),
        )
        return redirect(f"{_lao_url(lao)}?year={year.year}")
    if delivery.status == DeliveryStatus.DELIVERED:
        messages.success(
            request,
            _("Delivered into e-SAR. Receipt number %(receipt)s.")
            % {"receipt": delivery.receipt_number},
        )
    else:
        messages.info(
            request,
            _("Delivery %(receipt)s is being sent to e-SAR; this page shows when it arrives.")
            % {"receipt": delivery.receipt_number},
        )
    return redirect("delivery:detail", pk=delivery.pk)


def _lao_url(lao: Any) -> str:
    return reverse("delivery:lao", args=[lao.code])


# --- One delivery ------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_for(request.user, pk)
    return _detail(request, delivery)


def _detail(
    request: HttpRequest, delivery: Delivery, *, status: int = 200, error: str | None = None
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
def manifest(request: HttpRequest, pk: int) -> HttpResponse:
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
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_for(request.user, pk)
    try:
        services.retry(delivery=delivery, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        status = 403 if isinstance(exc, services.NotAllowed) else 409
        return _detail(request, delivery, status=status, error=exc.message)
    messages.info(request, _("The delivery is being sent again."))
    return redirect("delivery:detail", pk=delivery.pk)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_for(request.user, pk)
    try:
        services.acknowledge(delivery=delivery, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        status = 403 if isinstance(exc, services.NotAllowed) else 409
        return _detail(request, delivery, status=status, error=exc.message)
    messages.success(request, _("Receipt acknowledged. The LAO sees it on its delivery page."))
    return redirect("delivery:detail", pk=delivery.pk)


# --- What a delivery holds -----------------------------------------------------------------------


def _revision_page(
    request: HttpRequest,
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
def revision(request: HttpRequest, pk: int, revision_pk: int) -> HttpResponse:
    """A delivered SAR revision, read-only, as ONESQA received it."""
    delivery = selectors.delivery_for(request.user, pk)
    return _revision_page(request, delivery, revision_pk)


@login_required
@require_POST
def note(request: HttpRequest, pk: int, revision_pk: int) -> HttpResponse:
    delivery = selectors.delivery_for(request.user, pk)
    delivered = selectors.delivered_revision_for(request.user, delivery, revision_pk)
    _403_unless(selectors.is_onesqa(request.user))
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _revision_page(request, delivery, revision_pk, form=form, status=400)
    try:
        services.add_note(
            delivered_revision=delivered,
            actor=request.user,
            text=form.cleaned_data["text"],
            ip=client_ip(request),
        )
    except services.SarError as exc:
        return _revision_page(
            request, delivery, revision_pk, form=form, status=400, error=exc.message
        )
    messages.success(request, _("Note saved. Only ONESQA reviewers see it."))
    return redirect("delivery:revision", pk=delivery.pk, revision_pk=revision_pk)


@login_required
@require_GET
def synthesis(request: HttpRequest, pk: int) -> HttpResponse:
    """The delivered synthesis version, read-only."""
    delivery = selectors.delivery_for(request.user, pk)
    version = selectors.delivered_synthesis(delivery)
    _404_unless(version is not None)
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
def download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A delivered PDF by its stored file's id (the address of earlier pages)."""
    delivery = selectors.delivery_for(request.user, pk)
    entry = selectors.manifest_entry(delivery, attachment_pk)
    return _serve(request, delivery, entry["path"])


@login_required
@require_GET
def package_file(request: HttpRequest, pk: int, path: str) -> HttpResponse:
    """Any file the manifest lists, by its path: the PDFs, revision.json, the synthesis JSON."""
    delivery = selectors.delivery_for(request.user, pk)
    return _serve(request, delivery, path)


def _serve(request: HttpRequest, delivery: Delivery, path: str) -> HttpResponse:
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
    _404_unless(found is not None)
    return downloads.file_response(found)


# --- DLA: the LAO's e-SAR account ----------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def accounts(request: HttpRequest, lao_pk: int) -> HttpResponse:
    """The LAO's e-SAR account: issue (the password is shown once, here), re-issue, revoke."""
    lao = account_selectors.lao_for_accounts(request.user, lao_pk)
    issued = None
    error = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "issue":
                issued = esar_accounts.issue_account(
                    lao=lao, actor=request.user, ip=client_ip(request)
                )
            elif action == "revoke":
                esar_accounts.revoke_account(lao=lao, actor=request.user, ip=client_ip(request))
                messages.success(request, _("The e-SAR account was revoked."))
                return redirect("delivery:accounts", lao_pk=lao.pk)
            else:
                raise Http404
        except services.SarError as exc:
            error, status = exc.message, 409
    response = render(
        request,
        "delivery/accounts.html",
        {
            "lao": lao,
            "active": esar_accounts.active_account(lao),
            "history": account_selectors.accounts_of(lao),
            "issued": issued,
            "error": error,
            "nav_section": "registry",
        },
        status=status,
    )
    return response


# --- DLA: e-SAR accounts for a province or the whole country -------------------------------------


def _province_param(request: HttpRequest) -> Province | None:
    code = request.GET.get("province") or request.POST.get("province") or ""
    if not code:
        return None
    province = Province.objects.filter(pk=code[:2]).first()
    _404_unless(province is not None)
    return province


@login_required
@require_GET
def accounts_index(request: HttpRequest) -> HttpResponse:
    """e-SAR accounts: DLA issues per province or nationally; a province sees its LAOs' states."""
    user = request.user
    _404_unless(account_selectors.can_see_account_states(user))
    is_issuer = esar_accounts.can_issue_accounts(user)
    scope = scope_for(user)
    province = _province_param(request)
    if province is None and scope.level is Level.PROVINCE:
        province = account_selectors.province_for_account_states(user, str(scope.key))
    elif province is not None:
        province = account_selectors.province_for_account_states(user, province.pk)
    context: dict[str, Any] = {
        "is_issuer": is_issuer,
        "province": province,
        "nav_section": "esar_accounts",
    }
    if province is not None:
        rows = account_selectors.account_rows(province)
        context["rows"] = rows
        context["state_counts"] = _state_counts(rows)
    if is_issuer:
        context["plan"] = issuance.plan(actor=user, province=province)
        context["batches"] = list(account_selectors.batches_for(user)[:10])
    return render(request, "delivery/accounts_index.html", context)


def _state_counts(rows: list[account_selectors.AccountRow]) -> list[tuple[str, int]]:
    counts: dict[account_selectors.AccountState, int] = dict.fromkeys(
        account_selectors.AccountState, 0
    )
    for row in rows:
        counts[row.state] += 1
    return [(str(account_selectors.ACCOUNT_STATE_LABELS[state]), n) for state, n in counts.items()]


@login_required
@require_http_methods(["GET", "POST"])
def accounts_issue(request: HttpRequest) -> HttpResponse:
    """Confirm, then start, the issuance for one province (?province=) or the whole country."""
    user = request.user
    _404_unless(account_selectors.can_see_account_states(user))
    _403_unless(esar_accounts.can_issue_accounts(user))
    province = _province_param(request)
    if request.method == "POST":
        batch = issuance.start(actor=user, province=province, ip=client_ip(request))
        if batch.job_id is None:  # pragma: no cover - a batch always has its job
            return redirect("delivery:issuance_batch", pk=batch.pk)
        return redirect("core:job_detail", pk=batch.job_id)
    return render(
        request,
        "delivery/accounts_issue.html",
        {
            "province": province,
            "plan": issuance.plan(actor=user, province=province),
            "nav_section": "esar_accounts",
        },
    )


@login_required
@require_GET
def issuance_batches(request: HttpRequest) -> HttpResponse:
    batches = account_selectors.batches_for(request.user)
    _404_unless(account_selectors.can_see_account_states(request.user))
    _403_unless(esar_accounts.can_issue_accounts(request.user))
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "delivery/issuance_batches.html",
        {"page": page, "nav_section": "esar_accounts"},
    )


@login_required
@never_cache
@require_GET
def issuance_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = account_selectors.batch_for(request.user, pk)
    return render(
        request,
        "delivery/issuance_batch.html",
        {
            "batch": batch,
            "parts": list(batch.provinces.select_related("province")),
            "nav_section": "esar_accounts",
        },
    )


@login_required
@require_GET
def issuance_file(request: HttpRequest, pk: int, province: str, kind: str) -> FileResponse:
    """A province's letters (PDF) or list (Excel): the one-time passwords in clear."""
    batch = account_selectors.batch_for(request.user, pk)
    return downloads.issuance_file_download(request, batch, province, kind)


@login_required
@require_GET
def issuance_zip(request: HttpRequest, pk: int) -> FileResponse:
    return downloads.issuance_zip_download(request, account_selectors.batch_for(request.user, pk))


@login_required
@require_POST
def issuance_delete_files(request: HttpRequest, pk: int) -> HttpResponse:
    batch = account_selectors.batch_for(request.user, pk)
    try:
        distribution.delete_files(batch=batch, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The letters and lists of this issuance were deleted for good.")
        )
    return redirect("delivery:issuance_batch", pk=batch.pk)
