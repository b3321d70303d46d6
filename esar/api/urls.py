"""The API at /api/v1/: routers, bearer authentication and error bodies of the form {"detail"}.

The OpenAPI document is at /api/v1/openapi.json. There is no Swagger page: it loads from a CDN,
which the content security policy and offline sites block.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from esar.api import (
    account,
    circulars,
    compare,
    cycles,
    delivery,
    helpdesk,
    issuance,
    jobs,
    monitoring,
    registry,
    reminders,
    sar,
    synthesis,
    visits,
)
from esar.api.auth import bearer
from esar.api.errors import service_error
from esar.core.errors import ServiceError
from esar.core.validation import validation_error_body

api = NinjaAPI(
    title="e-SAR API",
    version="1",
    description=(
        "The e-SAR registry and the SAR cycle, scoped to the caller's place in the hierarchy. "
        "Get a token with POST /auth/token and send it as 'Authorization: Bearer <token>'. "
        "No text value (query, path or JSON) may contain the NUL character: such a request is "
        "refused with 422 (404 in a path) before it reaches any operation."
    ),
    urls_namespace="api",
    docs_url=None,
    auth=bearer,
)
api.add_router("", account.router)
api.add_router("", registry.router)
api.add_router("", sar.router)
api.add_router("", compare.router)
api.add_router("", cycles.router)
api.add_router("", synthesis.router)
api.add_router("", delivery.router)
api.add_router("", monitoring.router)
api.add_router("", visits.router)
api.add_router("", circulars.router)
api.add_router("", jobs.router)
api.add_router("", issuance.router)
api.add_router("", reminders.router)
api.add_router("", helpdesk.router)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same body for "missing" and "not yours".
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=exc.status_code)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, validation_error_body(exc.errors), status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = exc.message
    if exc.status_code == 400:
        # django-ninja's only 400 is an unreadable body; say so in the caller's language.
        message = _("The request body could not be read; send JSON.")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(BadRequest)
@api.exception_handler(MultiPartParserError)
def _bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("The request body could not be read; send JSON.")}, status=400
    )


@api.exception_handler(ServiceError)
def _refused(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    # A service's refusal that an operation did not answer itself: the one mapping of them all.
    refusal = service_error(exc)
    return api.create_response(request, refusal.value, status=refusal.status_code)
