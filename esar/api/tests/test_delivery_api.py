"""Deliveries through /api/v1/: the LAO's e-SAR account delivers, ONESQA acknowledges."""

from __future__ import annotations

import pytest

from esar.accounts.services import password_chosen
from esar.api.tests.conftest import API
from esar.delivery import accounts as esar_accounts
from esar.delivery import services
from esar.delivery.models import Delivery
from esar.delivery.tests.conftest import complete_synthesis, send_and_accept
from esar.testing.years import make_year


@pytest.fixture
def year(db):
    return make_year(2569)


# The API refuses an account still on its one-time password: the LAO first chooses its own.
OWN_PASSWORD = "esar-doi-kham-2569"


def issue_and_choose_password(world):
    issued = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin)
    user = issued.account.user
    user.set_password(OWN_PASSWORD)
    user.save(update_fields=["password"])
    password_chosen(user=user)
    return issued


@pytest.fixture
def ready(world, year):
    """Doi Kham's school SAR accepted and its synthesis complete; its e-SAR account issued and
    its own password chosen."""
    revision = send_and_accept(world, year)
    complete_synthesis(world, year)
    return issue_and_choose_password(world), revision


class Caller:
    def __init__(self, client, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    def get(self, path: str, **params):
        return self.client.get(f"{API}{path}", params, headers=self.headers)

    def post(self, path: str, body=None):
        return self.client.post(
            f"{API}{path}", body or {}, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def as_user(client, token_for):
    def make(user) -> Caller:
        return Caller(client, token_for(user))

    return make


def test_the_esar_account_delivers_through_the_api_and_a_repeat_is_409(
    world, year, ready, as_user, client
):
    issued, revision = ready
    token = client.post(
        f"{API}/auth/token",
        {"username": issued.username, "password": OWN_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    esar = Caller(client, token)

    pending = esar.get("/deliveries/pending", lao="2500101", year=2569).json()
    assert pending["revisions"] == 1
    assert pending["synthesis_version"] == 1

    created = esar.post(
        "/deliveries", {"lao": "2500101", "year": 2569, "expected": pending["pending"]}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    delivery = Delivery.objects.get()
    assert body["receipt_number"] == delivery.receipt_number
    assert body["status"] == "delivered"
    assert body["account"] == "esar2500101"
    assert body["sar_count"] == 1
    assert body["synthesis_version"] == 1
    assert body["sars"][0]["institution_code"] == "3050000001"
    document = next(f for f in body["files"] if f["kind"] == "document")
    assert document["sha256"] == revision.document.sha256

    again = esar.post("/deliveries", {"lao": "2500101", "year": 2569})
    assert again.status_code == 409
    assert "Nothing new to deliver" in again.json()["detail"]
    assert Delivery.objects.count() == 1

    manifest = esar.get(f"/deliveries/{delivery.pk}/manifest").json()
    assert manifest["receipt_number"] == delivery.receipt_number
    assert manifest["manifest_sha256"] == delivery.manifest_sha256
    assert manifest["manifest"] == delivery.manifest


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("cm_city_officer", 403),  # the LAO's officer, but not its e-SAR account
        ("cm_supervisor", 403),
        ("dla_admin", 403),
        ("kk_town_officer", 404),  # another LAO: not even visible
        ("kk_supervisor", 404),
    ],
)
def test_only_the_esar_account_delivers_through_the_api(
    world, year, ready, as_user, persona, status
):
    response = as_user(getattr(world, persona)).post(
        "/deliveries", {"lao": "2500101", "year": 2569}
    )
    assert response.status_code == status, response.content
    assert not Delivery.objects.exists()


def test_deliveries_are_scoped_and_onesqa_acknowledges(world, year, ready, as_user):
    issued, _revision = ready
    delivery = services.deliver(lao=world.cm_city, year=year, actor=issued.account.user)

    for persona in ("kk_town_officer", "kk_supervisor", "helpdesk", "cm_school_officer"):
        caller = as_user(getattr(world, persona))
        assert caller.get("/deliveries").json()["items"] == []
        assert caller.get(f"/deliveries/{delivery.pk}").status_code == 404
        assert caller.get(f"/deliveries/{delivery.pk}/manifest").status_code == 404
        assert caller.post(f"/deliveries/{delivery.pk}/acknowledge").status_code == 404

    for persona in ("cm_city_officer", "cm_supervisor", "dla_analyst", "onesqa_reviewer"):
        listed = as_user(getattr(world, persona)).get("/deliveries", year=2569, province="50")
        assert [d["receipt_number"] for d in listed.json()["items"]] == [delivery.receipt_number]

    lao = as_user(world.cm_city_officer)
    assert lao.post(f"/deliveries/{delivery.pk}/acknowledge").status_code == 403

    onesqa = as_user(world.onesqa_reviewer)
    acknowledged = onesqa.post(f"/deliveries/{delivery.pk}/acknowledge")
    assert acknowledged.status_code == 200
    assert acknowledged.json()["acknowledged_at"] is not None
    assert onesqa.post(f"/deliveries/{delivery.pk}/acknowledge").status_code == 409
    seen = lao.get(f"/deliveries/{delivery.pk}").json()
    assert seen["acknowledged_at"] == acknowledged.json()["acknowledged_at"]


def test_delivering_before_the_synthesis_is_complete_is_422(world, year, as_user):
    send_and_accept(world, year)
    issued = issue_and_choose_password(world)
    response = as_user(issued.account.user).post("/deliveries", {"lao": "2500101", "year": 2569})
    assert response.status_code == 422
    assert "Complete the synthesis" in response.json()["detail"]


def test_the_target_group_filter_needs_a_year(world, year, ready, as_user):
    issued, _revision = ready
    services.deliver(lao=world.cm_city, year=year, actor=issued.account.user)
    onesqa = as_user(world.onesqa_reviewer)
    assert onesqa.get("/deliveries", target_group="true").json()["items"] == []
    assert len(onesqa.get("/deliveries", target_group="true", year=2569).json()["items"]) == 1
    assert onesqa.get("/deliveries", target_group="false", year=2569).json()["items"] == []
