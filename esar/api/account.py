"""The caller's own side of the API: getting and revoking a token, and who they are."""

import math
from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from esar.accounts import lockout, onetime, secondfactor, tokens
from esar.accounts.forms import PasswordChangeForm
from esar.accounts.models import ApiToken, Membership, User
from esar.accounts.roles import ROLE_ORGANIZATION_FIELD, Role
from esar.accounts.services import check_second_factor, password_chosen
from esar.accounts.types import AuthenticatedRequest
from esar.api.errors import field_errors_body
from esar.api.schemas import ErrorOut, MeOut, TokenIn, TokenOut, ValidationErrorOut
from esar.core.audit import client_ip

router = Router(tags=["account"])


# The flag django-axes sets on a request it locked out (not an attribute the stubs know).
_AXES_LOCKED_OUT = "axes_locked_out"


class TokenRequest(AuthenticatedRequest):
    """A request that `esar.api.auth.TokenAuth` let in: `user` is the token's owner and `auth`
    the token itself (django-ninja sets it to what the authenticator returned)."""

    auth: ApiToken


def _membership(user: User) -> Membership | None:
    return getattr(user, "membership", None)


def _locked_out(request: HttpRequest, response: HttpResponse) -> Status[dict[str, str]]:
    # Answered here in JSON; left set, the flag makes AxesMiddleware send its HTML page instead.
    setattr(request, _AXES_LOCKED_OUT, False)
    cooloff = get_cool_off(request) or timedelta(0)
    minutes = max(1, math.ceil(cooloff.total_seconds() / 60))
    response["Retry-After"] = str(minutes * 60)
    message = _(
        "This account is locked after too many failed sign-in attempts. "
        "Try again in %(minutes)d minutes or ask an administrator to unlock it."
    )
    return Status(429, {"detail": message % {"minutes": minutes}})


def _second_factor(
    request: HttpRequest, response: HttpResponse, user: User, credentials: TokenIn
) -> Status[dict[str, str]] | None:
    """None when the code is right; otherwise the answer refusing the token."""
    device = secondfactor.confirmed_device(user)
    if device is None:
        return Status(
            403,
            {
                "detail": _(
                    "Your role needs a second factor: log in on the e-SAR website once to set up "
                    "your authenticator app, then send its code in the field 'totp'."
                )
            },
        )
    if not credentials.totp:
        return Status(
            401,
            {
                "detail": _(
                    "Your role needs a second factor: send the six-digit code of your "
                    "authenticator app in the field 'totp'."
                )
            },
        )
    if check_second_factor(
        user=user, device=device, token=credentials.totp, ip=client_ip(request), channel="api"
    ):
        return None
    # A wrong code is a failed sign-in: django-axes counts it towards the lock-out.
    user_login_failed.send(
        sender=__name__, credentials={"username": credentials.username}, request=request
    )
    if getattr(request, "axes_locked_out", False):
        return _locked_out(request, response)
    return Status(401, {"detail": _("The code is wrong or has expired. Send the current one.")})


# The answers of both password operations: 204 done; refusals as the token request's.
PASSWORD_ANSWERS: dict[int, Any] = {
    204: None,
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}


def _sign_in(
    request: HttpRequest,
    response: HttpResponse,
    credentials: Any,
    *,
    choosing_password: bool = False,
) -> tuple[Any, Any]:
    """(the account, None) for good credentials, or (None, the refusal to answer): 429 locked
    out, 403 one-time password, 401 wrong password, or the second factor's refusal."""
    # The device key counts this script's failures apart from the address's (never a cookie).
    setattr(request, lockout.REQUEST_KEYS_ATTR, [credentials.device] if credentials.device else [])
    # Through django.contrib.auth so that django-axes counts failures and locks the account out.
    user = authenticate(
        request,
        username=credentials.username,
        password=credentials.password,
        for_api=True,
        choosing_password=choosing_password,
    )
    if user is None:
        if getattr(request, "axes_locked_out", False):
            return None, _locked_out(request, response)
        refusal = getattr(request, onetime.REFUSAL_ATTR, None)
        if refusal is not None:
            return None, Status(403, {"detail": onetime.refusal_message(refusal)})
        wrong = _("Wrong username or password, or the account is disabled.")
        return None, Status(401, {"detail": wrong})
    if secondfactor.required_for(user, request):
        refused = _second_factor(request, response, user, credentials)
        if refused is not None:
            return None, refused
    return user, None


@router.post(
    "/auth/token",
    auth=None,
    response={
        200: TokenOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ValidationErrorOut,
        429: ErrorOut,
    },
    summary="Exchange a username and password for a bearer token",
    description=(
        "An account that still has a one-time password (issued or reset by an office) gets 403: "
        "it chooses its own password first with POST /auth/password (or on the website). When DLA requires a second factor, "
        "DLA administrators, DLA analysts and province supervisors also send `totp`, the current "
        "code of their authenticator app (401 when missing or wrong; 403 when no app is set up "
        "yet). Wrong codes count as failed sign-ins towards the lock-out. Failures are counted per "
        "username and address (429 once locked), except for a request carrying the `device` key "
        "an earlier answer gave: its failures are counted on that key."
    ),
)
def token_create(request: HttpRequest, response: HttpResponse, credentials: TokenIn) -> Any:
    user, refused = _sign_in(request, response, credentials)
    if refused is not None:
        return refused
    # A token is a sign-in: axes clears the failures, last_login and the audit log are updated.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    issued = tokens.issue_token(user=user, ip_address=client_ip(request))
    membership = _membership(user)
    return {
        "token": issued.token,
        "expires_at": issued.record.expires_at,
        "username": user.get_username(),
        "role": membership.role if membership else None,
        "organization_code": membership.organization_code if membership else "",
        "device": lockout.remember(request, user),
    }


@router.delete(
    "/auth/token",
    response={204: None, 401: ErrorOut},
    summary="Revoke the token used for this request",
)
def token_delete(request: TokenRequest) -> Status[None]:
    tokens.revoke_token(record=request.auth, actor=request.user, ip_address=client_ip(request))
    return Status(204, None)


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    summary="The caller's account, role and organisation",
)
def me(request: TokenRequest) -> dict[str, Any]:
    user = request.user
    membership = (
        Membership.objects.select_related("agency", "province_office", "lao", "institution")
        .filter(user=user)
        .first()
    )
    organization = None
    if membership is not None:
        org = getattr(membership, ROLE_ORGANIZATION_FIELD[Role(membership.role)])
        organization = {
            "type": ROLE_ORGANIZATION_FIELD[Role(membership.role)],
            "code": membership.organization_code,
            "name_th": org.name_th,
            "name_en": org.name_en,
        }
    return {
        "username": user.get_username(),
        "display_name": user.display_name,
        "email": user.email,
        "role": membership.role if membership else None,
        "role_label": str(membership.get_role_display()) if membership else "",
        "organization": organization,
        "token_expires_at": request.auth.expires_at,
    }


# --- Choosing one's password ---------------------------------------------------------------------

_CHOICE_RULES = (
    "The new password follows the rules of the website's password page: at least 12 characters, "
    "unlike the username and the account's names, not a common password, not only digits, and "
    "not the current one (422 naming the field otherwise)."
)


class PasswordChoiceIn(TokenIn):
    new_password: str = Field(
        ...,
        min_length=1,
        max_length=4096,
        pattern=r"^[^\x00]+$",
        description="The password the owner chooses.",
    )


class OwnPasswordIn(Schema):
    password: str = Field(
        ..., min_length=1, max_length=4096, pattern=r"^[^\x00]+$", description="The current one."
    )
    new_password: str = Field(..., min_length=1, max_length=4096, pattern=r"^[^\x00]+$")


# The page's form field names, as the API calls them.
_PASSWORD_FIELDS = {
    "old_password": "password",
    "new_password1": "new_password",
    "new_password2": "new_password",
}


def _set_password(request: HttpRequest, user: User, current: str, new: str) -> Any:
    """The page's password change (its form's rules, its service); the 422 answer if refused."""
    form = PasswordChangeForm(
        user, data={"old_password": current, "new_password1": new, "new_password2": new}
    )
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return Status(
            422,
            field_errors_body(
                errors,
                detail=_("The new password was not accepted; see errors."),
                rename=_PASSWORD_FIELDS,
            ),
        )
    with transaction.atomic():
        form.save()
        # Ends a pending one-time password; audited as the page's change is.
        password_chosen(user=user, ip=client_ip(request), channel="api")
    return None


@router.post(
    "/auth/password",
    auth=None,
    response=PASSWORD_ANSWERS,
    summary="Choose one's own password (first of all after a one-time password)",
    description=(
        "For an account whose password was issued or reset by an office: send the one-time "
        "password as `password` and the chosen one as `new_password`; the one-time password "
        "ends and POST /auth/token then works with the new one. Any account may change its "
        "password this way with its current one. A one-time password that has expired, or that "
        "was already used to log in on the website, is refused (403): ask the office for a new "
        "one. Wrong passwords and codes count towards the lock-out as on POST /auth/token (the "
        "same `device` key; 429 once locked), and the same roles send `totp` when DLA requires a "
        "second factor. " + _CHOICE_RULES + " Nothing is changed unless the answer is 204."
    ),
)
def password_choose(request: HttpRequest, response: HttpResponse, body: PasswordChoiceIn) -> Any:
    user, refused = _sign_in(request, response, body, choosing_password=True)
    if refused is not None:
        return refused
    refused = _set_password(request, user, body.password, body.new_password)
    if refused is not None:
        return refused
    return Status(204, None)


@router.post(
    "/me/password",
    response=PASSWORD_ANSWERS,
    summary="Change the caller's own password (the current one and the new one)",
    description=(
        "The password change of the website for the token's owner. A wrong current password is "
        "403 and counts towards the lock-out like a failed sign-in (429 once locked). "
        + _CHOICE_RULES
        + " The token used stays valid."
    ),
)
def password_change(request: TokenRequest, response: HttpResponse, body: OwnPasswordIn) -> Any:
    user = request.user
    setattr(request, lockout.REQUEST_KEYS_ATTR, [])
    # Through django.contrib.auth: a wrong password is a failed sign-in that django-axes counts.
    checked = authenticate(
        request, username=user.get_username(), password=body.password, for_api=True
    )
    if checked is None:
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, response)
        return Status(403, {"detail": str(PasswordChangeForm.error_messages["password_incorrect"])})
    refused = _set_password(request, user, body.password, body.new_password)
    if refused is not None:
        return refused
    return Status(204, None)
