"""The caller's own side of the API: getting and revoking a token, and who they are."""

import math
from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from esar.accounts import lockout, onetime, secondfactor
from esar.accounts.models import Membership
from esar.accounts.roles import ROLE_ORGANIZATION_FIELD, Role
from esar.accounts.services import check_second_factor
from esar.api import tokens
from esar.api.schemas import ErrorOut, MeOut, TokenIn, TokenOut, ValidationErrorOut
from esar.core.audit import client_ip

router = Router(tags=["account"])


def _membership(user: Any) -> Membership | None:
    return getattr(user, "membership", None)


def _locked_out(request: HttpRequest, response: HttpResponse) -> Status[dict[str, str]]:
    # Answered here in JSON; left set, the flag makes AxesMiddleware send its HTML page instead.
    request.axes_locked_out = False
    cooloff = get_cool_off(request) or timedelta(0)
    minutes = max(1, math.ceil(cooloff.total_seconds() / 60))
    response["Retry-After"] = str(minutes * 60)
    message = _(
        "This account is locked after too many failed sign-in attempts. "
        "Try again in %(minutes)d minutes or ask an administrator to unlock it."
    )
    return Status(429, {"detail": message % {"minutes": minutes}})


def _second_factor(
    request: HttpRequest, response: HttpResponse, user: Any, credentials: TokenIn
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
        "log in on the website and choose a password first. When DLA requires a second factor, "
        "DLA administrators, DLA analysts and province supervisors also send `totp`, the current "
        "code of their authenticator app (401 when missing or wrong; 403 when no app is set up "
        "yet). Wrong codes count as failed sign-ins towards the lock-out. Failures are counted per "
        "username and address (429 once locked), except for a request carrying the `device` key "
        "an earlier answer gave: its failures are counted on that key."
    ),
)
def token_create(request: HttpRequest, response: HttpResponse, credentials: TokenIn) -> Any:
    # The device key counts this script's failures apart from the address's (never a cookie).
    setattr(request, lockout.REQUEST_KEYS_ATTR, [credentials.device] if credentials.device else [])
    # Through django.contrib.auth so that django-axes counts failures and locks the account out.
    user = authenticate(
        request, username=credentials.username, password=credentials.password, for_api=True
    )
    if user is None:
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, response)
        refusal = getattr(request, onetime.REFUSAL_ATTR, None)
        if refusal is not None:
            return Status(403, {"detail": onetime.refusal_message(refusal)})
        return Status(401, {"detail": _("Wrong username or password, or the account is disabled.")})
    if secondfactor.required_for(user, request):
        refused = _second_factor(request, response, user, credentials)
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
def token_delete(request: HttpRequest) -> Status[None]:
    tokens.revoke_token(record=request.auth, actor=request.user, ip_address=client_ip(request))
    return Status(204, None)


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    summary="The caller's account, role and organisation",
)
def me(request: HttpRequest) -> dict[str, Any]:
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
