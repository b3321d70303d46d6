from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from esar.accounts.models import User
from esar.accounts.tokens import issue_token

API = "/api/v1"


class ApiClient:
    """A test client that speaks to /api/v1 with a bearer token, in English."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, path: str, token: str | None = None, **params: Any):
        headers = {"Accept-Language": "en"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.get(f"{API}{path}", params, headers=headers)

    def delete(self, path: str, token: str | None = None):
        headers = {"Accept-Language": "en"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.delete(f"{API}{path}", headers=headers)

    def post_token(self, username: str, password: str):
        return self.client.post(
            f"{API}/auth/token",
            {"username": username, "password": password},
            content_type="application/json",
            headers={"Accept-Language": "en"},
        )


@pytest.fixture
def api() -> ApiClient:
    return ApiClient(Client(enforce_csrf_checks=True))


@pytest.fixture
def token_for(db) -> Callable[[User], str]:
    def make(user: User) -> str:
        return issue_token(user=user).token

    return make


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(item["code"] for item in response.json()["items"])
