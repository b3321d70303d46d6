"""Account pages: password change and reset, the accounts one looks after, the account policy and
the second factor. Writes go through `esar.accounts.services`; an account outside one's care is a
404, as everywhere in e-SAR."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, NoReturn

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.middleware import is_verified

from esar.accounts import lockout, onetime, secondfactor, selectors, services
from esar.accounts.forms import (
    AccountSearchForm,
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    PolicyForm,
)
from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.core.forms import RefusedFormStatus

PAGE_SIZE = 50


class LoginView(RefusedFormStatus, auth_views.LoginView):
    """The log-in page. A success also remembers this browser for the account (a device key in a
    cookie), so that wrong passwords typed by someone else at the same address do not lock it
    out here (`esar.accounts.lockout`)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        lockout.set_cookie(self.request, response, lockout.remember(self.request, form.get_user()))
        return response


class PasswordChangeView(RefusedFormStatus, auth_views.PasswordChangeView):
    request: AuthenticatedRequest  # Django's PasswordChangeView is behind login_required
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["forced"] = bool(self.request.session.get(onetime.MUST_CHANGE_SESSION_KEY))
        return context

    def form_valid(self, form: auth_forms.PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        services.password_chosen(user=self.request.user, ip=client_ip(self.request))
        self.request.session.pop(onetime.MUST_CHANGE_SESSION_KEY, None)
        return response


# --- Self-service reset by e-mail ----------------------------------------------------------------


class PasswordResetView(RefusedFormStatus, auth_views.PasswordResetView):
    """Always answers "if the address is known, a link was sent": it never tells who has an
    account. Links point to ESAR_SITE_URL, never to the Host header of the request."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_extra_email_context(self) -> dict[str, str]:
        return {"site_url": settings.ESAR_SITE_URL.rstrip("/")}

    def dispatch(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.extra_email_context = self.get_extra_email_context()
        return super().dispatch(*args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(RefusedFormStatus, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        # The owner chose a password: a pending one-time password is over, and tokens made with
        # the forgotten one end too.
        services.password_chosen(
            user=form.user, ip=client_ip(self.request), channel="email", revoke_tokens=True
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Accounts one looks after: resets, authenticators -------------------------------------------


@login_required
def account_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not selectors.looks_after_accounts(user):
        raise Http404
    form = AccountSearchForm(request.GET or None)
    accounts = selectors.managed_accounts(user, **form.filters())
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    shown = [account.pk for account in page]
    resettable = set(
        selectors.resettable_accounts(user).filter(pk__in=shown).values_list("pk", flat=True)
    )
    removable = set(
        selectors.device_accounts(user).filter(pk__in=shown).values_list("pk", flat=True)
    )
    return render(
        request,
        "accounts/account_list.html",
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "resettable": resettable,
            "removable": removable,
            "nav_section": "accounts",
        },
    )


def _account_or_404(pk: int) -> User:
    return get_object_or_404(User.objects.select_related("membership"), pk=pk)


def _refuse(user: User, account: User, exc: Exception) -> NoReturn:
    """An account on the user's accounts page whose credential this action may not touch is 403;
    any other account is out of their scope, 404 (esar.core.errors)."""
    if selectors.managed_accounts(user).filter(pk=account.pk).exists():
        raise PermissionDenied from exc
    raise Http404 from exc


@never_cache
@login_required
@require_POST
def account_reset(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Reset and show the new one-time password, once: it is never stored in clear, and this
    answer is neither cached nor reachable again."""
    account = _account_or_404(pk)
    try:
        result = services.reset_password(actor=request.user, user=account, ip=client_ip(request))
    except services.NotAllowed as exc:
        _refuse(request.user, account, exc)
    return render(
        request,
        "accounts/reset_done.html",
        {"result": result, "account": account, "nav_section": "accounts"},
    )


@login_required
@require_POST
def second_factor_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = _account_or_404(pk)
    try:
        services.remove_second_factor(actor=request.user, user=account, ip=client_ip(request))
    except services.NotAllowed as exc:
        _refuse(request.user, account, exc)
    messages.success(
        request,
        _(
            "The authenticator of %(username)s was removed: they set up a new one at their next "
            "log-in."
        )
        % {"username": account.get_username()},
    )
    return redirect("accounts:account_list")


@login_required
def policy(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not has_perm(user, Perm.ACCOUNT_POLICY_EDIT):
        raise Http404
    current = secondfactor.policy_for(request)
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST)
        status = services.Invalid.status
        if form.is_valid():
            try:
                services.update_policy(actor=user, ip=client_ip(request), **form.cleaned_data)
            except services.Invalid as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The account policy was saved."))
                return redirect("accounts:policy")
    else:
        form = PolicyForm(
            initial={
                "initial_password_days": current.initial_password_days,
                "require_second_factor": current.require_second_factor,
            }
        )
    return render(
        request,
        "accounts/policy.html",
        {"form": form, "policy": current, "nav_section": "account_policy"},
        status=status,
    )


# --- Second factor at log-in -------------------------------------------------------------------


def _next_url(request: AuthenticatedRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("front:home")


@never_cache
@login_required
def second_factor(request: AuthenticatedRequest) -> HttpResponse:
    """Enter the code of one's authenticator (asked once per session when DLA requires it)."""
    user = request.user
    # django-otp's middleware gives request.user an is_verified() that is this function.
    if not secondfactor.required_for(user, request) or is_verified(user):
        return redirect(_next_url(request))
    device = secondfactor.confirmed_device(user)
    if device is None:
        setup = reverse("accounts:second_factor_setup")
        return redirect(f"{setup}?{request.GET.urlencode()}" if request.GET else setup)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = services.Invalid.status
        if secondfactor.is_throttled(device):
            form.add_error(None, _("Too many wrong codes. Wait a minute, then try again."))
            status = HTTPStatus.TOO_MANY_REQUESTS
        elif form.is_valid():
            if services.check_second_factor(
                user=user, device=device, token=form.cleaned_data["token"], ip=client_ip(request)
            ):
                otp_login(request, device)
                return redirect(_next_url(request))
            form.add_error("token", _("This code is wrong or has expired. Enter the current one."))
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@never_cache
@login_required
def second_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if not secondfactor.required_for(user, request):
        return redirect(_next_url(request))
    if secondfactor.confirmed_device(user) is not None:
        return redirect("accounts:second_factor")
    device = secondfactor.enrolment_device(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = services.Invalid.status
        if secondfactor.is_throttled(device):
            form.add_error(None, _("Too many wrong codes. Wait a minute, then try again."))
            status = HTTPStatus.TOO_MANY_REQUESTS
        elif form.is_valid():
            if services.confirm_second_factor(
                user=user, device=device, token=form.cleaned_data["token"], ip=client_ip(request)
            ):
                otp_login(request, device)
                messages.success(request, _("Your authenticator app is set up."))
                return redirect(_next_url(request))
            form.add_error(
                "token", _("This code is wrong. Check the time on your phone and try again.")
            )
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "qr_svg": secondfactor.qr_svg(device),
            "manual_key": secondfactor.manual_key(device),
            "next": _next_url(request),
        },
        status=status,
    )
