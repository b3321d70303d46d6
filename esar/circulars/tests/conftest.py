from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from esar.accounts.tokens import issue_token
from esar.api.tests.conftest import ApiClient
from esar.circulars import services
from esar.circulars.models import Circular

_counter = iter(range(1, 1_000_000))


@pytest.fixture
def publish(world) -> Callable[..., Circular]:
    """A published circular made through the services by DLA's administrator."""

    def make(
        *,
        provinces: tuple[str, ...] = (),
        roles: tuple[str, ...] = (),
        issued_on: dt.date = dt.date(2026, 5, 1),
        title: str | None = None,
        draft: bool = False,
        **extra: Any,
    ) -> Circular:
        n = next(_counter)
        circular = services.create_draft(
            actor=world.dla_admin,
            number=f"มท 0816.4/ว {n}",
            title=title or f"หนังสือเวียนทดสอบ {n}",
            issued_on=issued_on,
            body=extra.get("body", "บรรทัดแรก\nบรรทัดที่สอง"),
            provinces=provinces,
            roles=roles,
        )
        if not draft:
            circular = services.publish(circular=circular, actor=world.dla_admin)
        return circular

    return make


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def office_file(kind: str) -> bytes:
    """A minimal but real .docx or .xlsx package."""
    main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main, "<document/>")
    return buffer.getvalue()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def api() -> ApiClient:
    return ApiClient(Client(enforce_csrf_checks=True))


@pytest.fixture
def token_for(db) -> Callable[[Any], str]:
    def make(user: Any) -> str:
        return issue_token(user=user).token

    return make
