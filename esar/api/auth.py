"""Bearer-token authentication of API requests."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from esar.accounts import onetime
from esar.accounts.models import ApiToken
from esar.accounts.tokens import authenticate_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; sets request.user to the token's owner."""

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        header = request.headers.get(self.header, "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise AuthenticationError(
                message=_(
                    "Authentication required: send the header 'Authorization: Bearer <token>' "
                    "with a token from POST /api/v1/auth/token."
                )
            )
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        record = authenticate_token(token)
        if record is None:
            raise AuthenticationError(
                message=_(
                    "The token is invalid, expired or revoked. "
                    "Request a new one with POST /api/v1/auth/token."
                )
            )
        if onetime.has_pending(record.user, loaded=True):
            # Tokens end when a password is reset or issued; this holds for any made meanwhile.
            raise AuthenticationError(message=onetime.refusal_message(onetime.Refusal.CHANGE_FIRST))
        request.user = record.user
        return record


bearer = TokenAuth()
