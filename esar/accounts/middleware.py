"""Pages wait until the account is in order: second factor verified, own password chosen.

After a log-in, a user the policy asks a second factor of is led to enter their code (or to set up
their authenticator app); a user who logged in with a one-time password is led to choose their own
password. Until then every page redirects there, except the few that make it possible (log-out,
those pages themselves, static files, the language switch). The API has its own authentication.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from esar.accounts import onetime, secondfactor


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def _always_open(self) -> tuple[str, ...]:
        return (
            "/" + settings.STATIC_URL.lstrip("/"),
            "/api/",
            reverse("set_language"),
            reverse("healthz"),
            reverse("accounts:logout"),
            reverse("accounts:login"),
            reverse("accounts:password_reset"),
        )

    @cached_property
    def _second_factor_pages(self) -> tuple[str, ...]:
        return (reverse("accounts:second_factor"), reverse("accounts:second_factor_setup"))

    @cached_property
    def _password_pages(self) -> tuple[str, ...]:
        return (reverse("accounts:password_change"), reverse("accounts:password_changed"))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        target = self._gate(request)
        if target is not None:
            return self._redirect(request, target)
        return self.get_response(request)

    def _gate(self, request: HttpRequest) -> str | None:
        path = request.path_info
        if path.startswith(self._always_open):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if path.startswith(self._second_factor_pages):
            return None
        if secondfactor.required_for(user, request) and not user.is_verified():
            return self._with_next(reverse("accounts:second_factor"), request)
        if request.session.get(onetime.MUST_CHANGE_SESSION_KEY) and not path.startswith(
            self._password_pages
        ):
            return reverse("accounts:password_change")
        return None

    @staticmethod
    def _with_next(url: str, request: HttpRequest) -> str:
        if request.method != "GET":
            return url
        return f"{url}?{urlencode({'next': request.get_full_path()})}"

    @staticmethod
    def _redirect(request: HttpRequest, url: str) -> HttpResponse:
        if request.headers.get("HX-Request"):
            # htmx would swap the target page into a fragment: ask it to load the whole page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


IDLE_KEY = "esar_last_seen"


class IdleTimeoutMiddleware:
    """A signed-in browser session ends after ESAR_SESSION_IDLE_MINUTES without a request.

    Beside the absolute lifetime (SESSION_COOKIE_AGE): an office computer left open is signed out
    soon. The time seen is written at most once a minute, so that a busy page does not write the
    session on every request (the log-in starts the clock, esar.accounts.signals). API tokens
    have their own lifetime and are not touched.
    """

    # Seconds: an active user's session is written at most this often, so the effective idle
    # limit lies between ESAR_SESSION_IDLE_SECONDS minus this and ESAR_SESSION_IDLE_SECONDS.
    write_interval = 120

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path_info.startswith("/api/"):
            now = int(time.time())
            last_seen = request.session.get(IDLE_KEY)
            if isinstance(last_seen, int) and now - last_seen > settings.ESAR_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after a time without activity. Please log in again."),
                )
                return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
            if not isinstance(last_seen, int) or now - last_seen >= self.write_interval:
                request.session[IDLE_KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Answers meant for one person are never kept by browsers or shared caches.

    Every API answer (tokens, one's data) and every page of a signed-in user gets
    `Cache-Control: no-store` unless the view set its own caching; static files never get here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response.headers:
            return response
        user = getattr(request, "user", None)
        personal = user is not None and user.is_authenticated
        if personal or request.path_info.startswith(("/api/", "/accounts/")):
            patch_cache_control(response, no_store=True, private=True)
        return response
