"""Helpers of the supervision tests: visits recorded through the real services, pages in English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from esar.supervision import services
from esar.supervision.models import Visit


@pytest.fixture(autouse=True)
def _in_english(settings):
    """Messages are read in English: the pages through the language cookie (see `as_user`), the
    services through the active language."""
    with translation.override("en"):
        yield


@pytest.fixture
def as_user(settings) -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        return client

    return make


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def record(world: Any, *, actor: Any = None, follow_ups: Any = (), **values: Any) -> Visit:
    """A visit of the Chiang Mai supervisor to the Doi Kham city municipality, 10 days ago."""
    fields: dict[str, Any] = {
        "lao": world.cm_city,
        "visit_date": days_ago(10),
        "visitors": "นางสมศรี ใจดี ศึกษานิเทศก์\nนายสมชาย รักงาน นักวิชาการศึกษา",
        "findings": "การประกันคุณภาพภายในดำเนินการครบทุกขั้นตอน",
        "recommendations": "ควรจัดทำแผนพัฒนาการอ่าน",
    }
    fields.update(values)
    return services.record_visit(
        actor=actor or world.cm_supervisor,
        follow_ups=[services.FollowUpInput(*item) for item in follow_ups],
        **fields,
    )
