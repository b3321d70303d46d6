"""The access matrix: every route, as every role, near and far, against one reviewed table.

The routes are read from the code, not listed by hand: every pattern of the URL resolver
(config/urls.py, parameterised ones filled with the objects of one small world) and every
operation of the OpenAPI document. Each is requested as every role, and the status is compared
with `esar/core/tests/access_matrix.py`. A route without a row there fails
`test_every_route_has_a_reviewed_row`, naming it.

The world's objects (a year of real work, from test_thai_everywhere's `build_data`) all belong to
the Doi Kham city municipality (Chiang Mai). The distance between a person and an object is what
scoping decides, so instead of one set of objects per place the people stand at each distance:
for the school, LAO and e-SAR delivery roles, the persona of Doi Kham ("own"), of another LAO of
Chiang Mai ("province": the Ban Pa Sak SAO and its child centre) and of Khon Kaen ("other"); for
the province supervisor, Chiang Mai's and Khon Kaen's; the national roles see the whole country.

A page is requested with GET; one that only takes POST (405) is then posted empty. An API
operation is called with its own method, unsafe ones with an empty JSON body. Every request runs
in a savepoint that is rolled back, so nothing one makes is left for the next.

To write the table anew from the current behaviour (then review every row against the rules in
access_matrix.py before committing it):
    ESAR_ACCESS_MATRIX_WRITE=/tmp/observed.py .venv/bin/pytest -p no:xdist \
        esar/core/tests/test_access_matrix.py
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from esar.accounts.models import OneTimePassword, User
from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.accounts.tokens import issue_token
from esar.api.urls import api
from esar.core.tests import access_matrix
from esar.core.tests.test_thai_everywhere import KWARGS, Data, build_data
from esar.delivery import accounts as esar_accounts
from esar.testing.world import PASSWORD, build_world

API_PREFIX = "/api/v1"
# Resolver patterns of the API that are not operations of its document.
API_PAGES = {"api:openapi-json", "api:api-root"}
UNSAFE = {"post", "put", "patch", "delete"}
# Requested after every other route of a test: they remove files from storage, which no rollback
# restores (each test starts again from the world's files, see AccessMatrixTests.setUp).
LAST = {"delivery:issuance_delete_files", "DELETE /issuances/{batch_id}/files"}


def _last_ones_last(names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: name in LAST)


def _fast_pdf(*_args: Any, **_kwargs: Any) -> bytes:
    return b"%PDF-1.7 access matrix"


# --- The routes, from the code ------------------------------------------------------------------


def _patterns(
    resolver: URLResolver, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner, route)
        else:
            yield (f"{namespace}{entry.name}" if entry.name else route), route, entry


def page_routes() -> dict[str, str]:
    """Every page pattern: its row name (the URL name, or the route if it has none) → route."""
    routes = {}
    for name, route, _pattern in _patterns(get_resolver()):
        if name.startswith("api:") and name not in API_PAGES:
            continue  # an operation: the OpenAPI document names it
        if route.startswith("admin/"):
            name = access_matrix.ADMIN_ROW
        routes.setdefault(name, route)
    return routes


def api_operations() -> dict[str, tuple[str, str]]:
    """Every operation of the OpenAPI document: "METHOD /path" → (method, path template)."""
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path.removeprefix(API_PREFIX)}": (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", *UNSAFE}
    }


def test_every_route_has_a_reviewed_row():
    rows = set(access_matrix.PAGES) | set(access_matrix.API)
    routes = set(page_routes()) | set(api_operations())
    assert sorted(routes - rows) == [], "routes without a row in access_matrix.py"
    assert sorted(rows - routes) == [], "rows of access_matrix.py for no route"


def test_every_api_pattern_is_an_operation_of_the_document():
    """The API is walked through its document: a pattern outside it would be missed."""
    paths = {re.sub(r"\{(\w+)(?::\w+)?\}", r"<\1>", p) for _m, p in api_operations().values()}
    for name, route, _pattern in _patterns(get_resolver()):
        if name.startswith("api:") and name not in API_PAGES:
            assert "/" + route.replace("<path:path>", "<path>") in paths, name


# --- The people ---------------------------------------------------------------------------------


@dataclass
class People:
    """Role → the personas at each distance from the Doi Kham objects (own, province, other)."""

    by_role: dict[str, tuple[User | None, ...]]


def _people(data: Data) -> People:
    world = data.world
    centre_officer = create_account(
        username="cm.centre",
        password=PASSWORD,
        role=Role.SCHOOL_OFFICER,
        organization=world.cm_centre,
        first_name="Lamai",
        last_name="Teacher",
        email="cm.centre@example.com",
    )
    sao_esar = esar_accounts.issue_account(lao=world.cm_sao, actor=world.dla_admin).account.user
    kk_esar = esar_accounts.issue_account(lao=world.kk_town, actor=world.dla_admin).account.user
    # Their one-time passwords are used, as data.esar_user's (else every page asks for a new one).
    OneTimePassword.objects.filter(user__in=[sao_esar, kk_esar]).update(replaced_at=timezone.now())
    return People(
        {
            "school": (world.cm_school_officer, centre_officer, world.kk_school_officer),
            "lao": (world.cm_city_officer, world.cm_sao_officer, world.kk_town_officer),
            "esar": (data.esar_user, sao_esar, kk_esar),
            "province": (world.cm_supervisor, world.kk_supervisor),
            "analyst": (world.dla_analyst,),
            "admin": (world.dla_admin,),
            "onesqa": (world.onesqa_reviewer,),
            "helpdesk": (world.helpdesk,),
            "anonymous": (None,),
        }
    )


# --- The parameters of each route ---------------------------------------------------------------


def _package_path(data: Data) -> str:
    return next(f["path"] for f in data.delivery.manifest["files"] if f["kind"] == "revision")


PAGE_KWARGS: dict[str, Callable[[Data], dict[str, Any]]] = {
    **KWARGS,
    "accounts:password_reset_confirm": lambda d: {"uidb64": "MQ", "token": "set-password"},
    "delivery:issuance_file": lambda d: {"pk": d.batch.pk, "province": "50", "kind": "pdf"},
}

# The admin site decides once, for all its pages (EsarAdminSite.has_permission): its row is
# checked on its index, one list and one object.
ADMIN_SAMPLES: list[tuple[str, Callable[[Data], dict[str, Any]]]] = [
    ("admin:index", lambda d: {}),
    ("admin:accounts_user_changelist", lambda d: {}),
    ("admin:accounts_user_change", lambda d: {"object_id": d.world.cm_school_officer.pk}),
]

API_PARAMS: dict[str, Callable[[Data], Any]] = {
    "sar_id": lambda d: d.sar.pk,
    "attachment_id": lambda d: d.attachment.pk,
    "number": lambda d: d.revision.number,
    "lao": lambda d: d.world.cm_city.code,
    "year": lambda d: d.year.year,
    "delivery_id": lambda d: d.delivery.pk,
    "institution_code": lambda d: d.world.cm_school.code,
    "path": _package_path,
    "visit_id": lambda d: d.visit.pk,
    "follow_up_id": lambda d: d.follow_up.pk,
    "circular_id": lambda d: d.circular.pk,
    "file_id": lambda d: d.circular_file.pk,
    "job_id": lambda d: d.job.pk,
    "kind": lambda d: "registry",
    "batch_id": lambda d: d.batch.pk,
    "province": lambda d: "50",
    "reference": lambda d: d.report.reference,
}
# Where a parameter's name does not say which object it is.
API_PATH_PARAMS: dict[str, dict[str, Callable[[Data], Any]]] = {
    "/provinces/{code}": {"code": lambda d: d.world.chiang_mai.code},
    "/laos/{code}": {"code": lambda d: d.world.cm_city.code},
    "/institutions/{code}": {"code": lambda d: d.world.cm_school.code},
    "/standard-sets/{code}": {"code": lambda d: d.standard_set.code},
    "/dashboards/province/{code}": {"code": lambda d: d.world.chiang_mai.code},
    "/issuances/{batch_id}/files/{province}.{kind}": {"kind": lambda d: "pdf"},
    "/jobs/{job_id}/file": {"job_id": lambda d: d.export_job.pk},
}


def _api_url(data: Data, path: str) -> str:
    short = path.removeprefix(API_PREFIX)
    values = {**API_PARAMS, **API_PATH_PARAMS.get(short, {})}
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(values[m.group(1)](data)), path)


# --- Requests -----------------------------------------------------------------------------------


class Requester:
    def __init__(self, people: People) -> None:
        self.people = people
        self.client = Client()
        self.cookies: dict[int | None, SimpleCookie] = {None: SimpleCookie()}
        self.tokens = {
            user.pk: issue_token(user=user).token
            for row in people.by_role.values()
            for user in row
            if user is not None
        }

    def _in_savepoint(self, call: Callable[[], Any]) -> int:
        with transaction.atomic():
            response = call()
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
        return response.status_code

    def page(self, user: User | None, url: str) -> int:
        key = None if user is None else user.pk
        if key not in self.cookies:
            self.client.cookies = SimpleCookie()  # a new session, not the last one cycled
            self.client.force_login(user)
            self.cookies[key] = SimpleCookie(self.client.cookies)

        def call() -> Any:
            # The session made once, outside the savepoints (a log-out page is rolled back too).
            self.client.cookies = SimpleCookie(self.cookies[key])
            response = self.client.get(url)
            if response.status_code == 405:
                response = self.client.post(url, {})
            return response

        return self._in_savepoint(call)

    def operation(self, user: User | None, method: str, url: str) -> int:
        headers = {"Accept-Language": "en"}
        if user is not None:
            headers["Authorization"] = f"Bearer {self.tokens[user.pk]}"

        def call() -> Any:
            self.client.cookies = SimpleCookie()
            if method in UNSAFE:
                return getattr(self.client, method)(
                    url, "{}", content_type="application/json", headers=headers
                )
            return self.client.get(url, headers=headers)

        return self._in_savepoint(call)

    def row(self, ask: Callable[[User | None], int]) -> dict[str, str]:
        return {
            role: access_matrix.cell([ask(user) for user in row])
            for role, row in self.people.by_role.items()
        }


def _page_urls(data: Data) -> dict[str, list[str]]:
    urls: dict[str, list[str]] = {}
    for name, route in page_routes().items():
        if name == access_matrix.ADMIN_ROW:
            urls[name] = [reverse(n, kwargs=kwargs(data)) for n, kwargs in ADMIN_SAMPLES]
        elif "<" not in route:
            urls[name] = ["/" + route] if name == route else [reverse(name)]
        else:
            assert name in PAGE_KWARGS, f"say which object {name} shows (PAGE_KWARGS)"
            urls[name] = [reverse(name, kwargs=PAGE_KWARGS[name](data))]
    return urls


def _write(path: str, pages: dict[str, dict[str, str]], apis: dict[str, dict[str, str]]) -> None:
    def block(rows: dict[str, dict[str, str]]) -> str:
        lines = []
        for name in sorted(rows):
            cells = " ".join(f"{role}={value}" for role, value in rows[name].items())
            lines.append(f'    "{name}": "{cells}",')
        return "\n".join(lines)

    with open(path, "w") as out:
        out.write(f"PAGES = {{\n{block(pages)}\n}}\n\nAPI = {{\n{block(apis)}\n}}\n")


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory() -> None:
    """The files of the world are made once for the class, in its own directory (setUpClass)."""


@pytest.mark.xdist_group("access_matrix")
@override_settings(ESAR_JOBS_IN_BACKGROUND=False)
class AccessMatrixTests(TestCase):
    """The world is built once for the class; each request is rolled back after it."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix="esar-matrix-")
        cls._media = override_settings(
            MEDIA_ROOT=cls.media,
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        )
        cls._media.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._media.disable()
        shutil.rmtree(cls.media, ignore_errors=True)
        shutil.rmtree(cls.media_made, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        with translation.override("th"):
            cls.data = build_data(build_world())
            cls.people = _people(cls.data)
        # The files as the world made them: each test starts from them, whatever ran before.
        cls.media_made = f"{cls.media}-made"
        shutil.copytree(cls.media, cls.media_made)

    def setUp(self) -> None:
        shutil.rmtree(self.media)
        shutil.copytree(self.media_made, self.media)

    def _compare(self, observed: dict[str, dict[str, str]], table: dict[str, str]) -> None:
        differences = []
        for name, cells in sorted(observed.items()):
            expected = access_matrix.parse(table[name])
            for role, value in cells.items():
                if expected.get(role) != value:
                    differences.append(f"{name} {role}: expected {expected.get(role)}, got {value}")
        assert differences == [], "\n".join(differences)

    def test_every_page_answers_every_role_as_reviewed(self) -> None:
        requester = Requester(self.people)
        # The document is the same for everyone and slow to build: built once, not per request.
        schema = api.get_openapi_schema()
        urls = _page_urls(self.data)
        with (
            mock.patch.object(api, "get_openapi_schema", return_value=schema),
            # Who may have the synthesis PDF is decided before it is drawn (seconds each).
            mock.patch("esar.synthesis.exports.synthesis_pdf", _fast_pdf),
        ):
            observed = {
                name: requester.row(lambda user, urls=urls[name]: _worst(requester, user, urls))
                for name in _last_ones_last(list(urls))
            }
        if path := os.environ.get("ESAR_ACCESS_MATRIX_WRITE"):
            _write(path + ".pages", observed, {})
        self._compare(observed, access_matrix.PAGES)

    def test_every_api_operation_answers_every_role_as_reviewed(self) -> None:
        requester = Requester(self.people)
        operations = api_operations()
        observed = {}
        for name in _last_ones_last(list(operations)):
            method, path = operations[name]
            url = _api_url(self.data, path)
            observed[name] = requester.row(
                lambda user, m=method, u=url: requester.operation(user, m, u)
            )
        if path := os.environ.get("ESAR_ACCESS_MATRIX_WRITE"):
            _write(path + ".api", {}, observed)
        self._compare(observed, access_matrix.API)


def _worst(requester: Requester, user: User | None, urls: list[str]) -> int:
    """The admin row's samples must agree; any other row has one URL."""
    statuses = {requester.page(user, url) for url in urls}
    assert len(statuses) == 1, (urls, statuses)
    return statuses.pop()
