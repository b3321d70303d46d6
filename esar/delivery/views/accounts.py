"""DLA's e-SAR accounts: one LAO's account, the accounts of a province or the country, bulk issuances and their files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from esar.accounts.scoping import Level, scope_for
from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.delivery import (
    account_selectors,
    distribution,
    downloads,
    issuance,
    services,
)
from esar.delivery import accounts as esar_accounts
from esar.delivery.views.common import PAGE_SIZE, _403_unless, _404_unless
from esar.organizations.models import Province

# --- DLA: the LAO's e-SAR account ----------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def accounts(request: AuthenticatedRequest, lao_pk: int) -> HttpResponse:
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
            error, status = exc.message, exc.status
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


def _province_param(request: AuthenticatedRequest) -> Province | None:
    code = request.GET.get("province") or request.POST.get("province") or ""
    if not code:
        return None
    province = Province.objects.filter(pk=code[:2]).first()
    _404_unless(province is not None)
    return province


@login_required
@require_GET
def accounts_index(request: AuthenticatedRequest) -> HttpResponse:
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
def accounts_issue(request: AuthenticatedRequest) -> HttpResponse:
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
def issuance_batches(request: AuthenticatedRequest) -> HttpResponse:
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
def issuance_batch(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
def issuance_file(request: AuthenticatedRequest, pk: int, province: str, kind: str) -> FileResponse:
    """A province's letters (PDF) or list (Excel): the one-time passwords in clear."""
    batch = account_selectors.batch_for(request.user, pk)
    return downloads.issuance_file_download(request, batch, province, kind)


@login_required
@require_GET
def issuance_zip(request: AuthenticatedRequest, pk: int) -> FileResponse:
    return downloads.issuance_zip_download(request, account_selectors.batch_for(request.user, pk))


@login_required
@require_POST
def issuance_delete_files(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
