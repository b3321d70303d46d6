import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from esar.core.errors import ServiceError


class PermissionsPolicyMiddleware:
    """Switch off browser features the system never uses."""

    header = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class ThaiFirstLocaleMiddleware:
    """Pages are in Thai unless the user chose English with the switch.

    Many office computers in Thailand run English browsers; the browser's Accept-Language must not
    turn a Thai government system into an English one. The API, spoken by programs, follows HTTP
    negotiation (Accept-Language), still Thai by default.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response


NUL = "\x00"


def _nul_fields(request: HttpRequest) -> list[tuple[str, str]]:
    """Where a request carries a NUL character: (location, field) pairs.

    Only what Django has already parsed or can parse cheaply is read: the query string, an
    urlencoded form and a JSON body. Multipart bodies are left to the upload handlers (a PDF's
    bytes contain NULs; their text fields go through Django forms, whose fields refuse NUL).
    """
    found = [
        ("query", key)
        for key, values in request.GET.lists()
        if NUL in key or NUL in "".join(values)
    ]
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return found
    content_type = request.content_type or ""  # None only on a request built by hand
    if content_type == "application/x-www-form-urlencoded":
        found += [
            ("form", key)
            for key, values in request.POST.lists()
            if NUL in key or NUL in "".join(values)
        ]
    elif content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        if b"\x00" in body or b"\\u0000" in body.lower():
            try:
                document = json.loads(body)
            except ValueError:
                # An unreadable body is answered by the view as such.
                return found + ([("body", "")] if b"\x00" in body else [])
            found += [("body", path) for path in _nul_paths(document, "")]
    return found


def _nul_paths(value: Any, path: str) -> list[str]:
    if isinstance(value, str):
        return [path] if NUL in value else []
    if isinstance(value, dict):
        paths = []
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            paths += [child] if NUL in str(key) else _nul_paths(item, child)
        return paths
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _nul_paths(item, f"{path}.{index}")]
    return []


class RefuseNulMiddleware:
    """A NUL character in any input is refused here, once for every page and API operation.

    PostgreSQL cannot store or compare text containing NUL (psycopg raises on it), so such a value
    would otherwise end as a server error wherever it reaches a query. No real value contains one.
    A path with a NUL names nothing (404); a query, form or JSON value with one is bad input: 422,
    with the API's error body naming the field or as a Thai page; nothing is changed either way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path_info.startswith("/api/")
        if NUL in request.path_info:
            if is_api:
                return JsonResponse({"detail": _("Not found.")}, status=404)
            raise Http404
        fields = _nul_fields(request)
        if not fields:
            return self.get_response(request)
        message = _("Contains characters that are not allowed.")
        if is_api:
            body = {
                "detail": _("The request has invalid values; see errors."),
                "errors": [
                    {"location": location, "field": field, "message": message}
                    for location, field in fields
                ],
            }
            return JsonResponse(body, status=422)
        return render(request, "core/bad_request.html", {"message": message}, status=422)


class ServiceRefusalMiddleware:
    """A service's refusal that a page did not answer itself, the same way on every page: a
    Thai page with the reason, 403 when the role may not act on what it sees, 409 for a conflict,
    422 for refused values (esar.core.errors). Nothing was changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ServiceError) or request.path.startswith("/api/"):
            return None
        return render(request, "core/refused.html", {"refusal": exception}, status=exception.status)
