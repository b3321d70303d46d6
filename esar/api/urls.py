"""The API at /api/v1/: routers, bearer authentication and error bodies of the form {"detail"}.

The OpenAPI document is at /api/v1/openapi.json. There is no Swagger page: it loads from a CDN,
which the content security policy and offline sites block.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from esar.api import account, registry
from esar.api.auth import bearer

api = NinjaAPI(
    title="e-SAR API",
    version="1",
    description=(
        "Read access to the e-SAR registry, scoped to the caller's place in the hierarchy. "
        "Get a token with POST /auth/token and send it as 'Authorization: Bearer <token>'."
    ),
    urls_namespace="api",
    docs_url=None,
    auth=bearer,
)
api.add_router("", account.router)
api.add_router("", registry.router)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same body for "missing" and "not yours".
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=exc.status_code)
    response["WWW-Authenticate"] = "Bearer"
    return response
