import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from esar.accounts.models import ApiToken
from esar.api.tests.conftest import API
from esar.core.models import AuditEvent
from esar.testing.world import PASSWORD

AUTHENTICATED = [
    ("get", "/me"),
    ("get", "/provinces"),
    ("get", "/provinces/50"),
    ("get", "/laos"),
    ("get", "/laos/2500101"),
    ("get", "/institutions"),
    ("get", "/institutions/3050000001"),
    ("delete", "/auth/token"),
]


def _call(api, method: str, path: str, token: str | None):
    return getattr(api, method)(path, token)


def test_it_issues_a_token_for_the_right_password(api, world):
    response = api.post_token("cm.city", PASSWORD)

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "cm.city"
    assert body["role"] == "lao_officer"
    assert body["organization_code"] == "2500101"
    assert body["token"].startswith("esar_")
    record = ApiToken.objects.get(user=world.cm_city_officer)
    assert record.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {record.key_prefix, record.token_hash}
    expected_expiry = timezone.now() + timedelta(days=30)
    assert abs(record.expires_at - expected_expiry) < timedelta(minutes=1)
    assert AuditEvent.objects.filter(
        action="api.token_issued", actor=world.cm_city_officer
    ).exists()
    assert api.get("/me", body["token"]).json()["username"] == "cm.city"


def test_it_refuses_a_wrong_password_with_401(api, world):
    response = api.post_token("cm.city", "not-the-password")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Wrong username or password" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_it_refuses_an_unknown_user_like_a_wrong_password(api, world):
    unknown = api.post_token("no.such.user", PASSWORD)
    wrong = api.post_token("cm.city", "not-the-password")

    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_it_refuses_an_inactive_user(api, world):
    world.cm_city_officer.is_active = False
    world.cm_city_officer.save(update_fields=["is_active"])

    response = api.post_token("cm.city", PASSWORD)

    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_it_locks_the_account_after_five_failures_even_for_the_right_password(api, world):
    statuses = [api.post_token("cm.city", f"wrong-{n}").status_code for n in range(5)]
    assert statuses[:4] == [401, 401, 401, 401]
    # The fifth failure reaches the limit and already answers "locked".
    assert statuses[4] == 429

    response = api.post_token("cm.city", PASSWORD)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "locked" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert not ApiToken.objects.exists()


def test_a_lockout_of_one_account_leaves_another_alone(api, world):
    for n in range(5):
        api.post_token("cm.city", f"wrong-{n}")

    assert api.post_token("cm.sao", PASSWORD).status_code == 200


def test_a_success_clears_earlier_failures(api, world):
    for n in range(4):
        api.post_token("cm.city", f"wrong-{n}")
    assert api.post_token("cm.city", PASSWORD).status_code == 200

    for n in range(4):
        assert api.post_token("cm.city", f"wrong-again-{n}").status_code == 401
    assert api.post_token("cm.city", PASSWORD).status_code == 200


def test_it_rejects_a_malformed_request_with_422(api, world):
    response = api.client.post(
        f"{API}/auth/token", {"username": "cm.city"}, content_type="application/json"
    )

    assert response.status_code == 422


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
def test_every_endpoint_needs_a_token(api, world, method, path):
    response = _call(api, method, path, None)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
@pytest.mark.parametrize(
    "bad_token",
    ["nonsense", "esar_", "esar_000000000000_", "esar_000000000000_secret", "Bearer"],
)
def test_every_endpoint_rejects_a_bad_token(api, world, token_for, method, path, bad_token):
    response = _call(api, method, path, bad_token)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("The token is invalid, expired or revoked")


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
def test_every_endpoint_rejects_a_forged_secret_of_a_real_prefix(
    api, world, token_for, method, path
):
    token = token_for(world.dla_admin)
    forged = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")

    assert _call(api, method, path, forged).status_code == 401


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
def test_every_endpoint_rejects_an_expired_token(api, world, token_for, method, path):
    token = token_for(world.dla_admin)
    ApiToken.objects.update(
        created_at=timezone.now() - timedelta(days=31),
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    assert _call(api, method, path, token).status_code == 401


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
def test_every_endpoint_rejects_a_revoked_token(api, world, token_for, method, path):
    token = token_for(world.dla_admin)
    ApiToken.objects.update(revoked_at=timezone.now())

    assert _call(api, method, path, token).status_code == 401


def test_a_token_stops_working_when_its_user_is_deactivated(api, world, token_for):
    token = token_for(world.dla_admin)
    world.dla_admin.is_active = False
    world.dla_admin.save(update_fields=["is_active"])

    assert api.get("/me", token).status_code == 401


def test_a_session_cookie_is_not_enough(api, world):
    api.client.force_login(world.dla_admin)

    assert api.get("/me").status_code == 401


def test_delete_revokes_the_token_used(api, world, token_for):
    token = token_for(world.cm_city_officer)
    other = token_for(world.cm_city_officer)

    response = api.delete("/auth/token", token)

    assert response.status_code == 204
    assert api.get("/me", token).status_code == 401
    assert api.get("/me", other).status_code == 200
    record = ApiToken.objects.get(revoked_at__isnull=False)
    event = AuditEvent.objects.get(action="api.token_revoked")
    assert event.actor == world.cm_city_officer
    assert event.object_id == str(record.pk)


def test_use_is_recorded_on_the_token(api, world, token_for):
    token = token_for(world.cm_city_officer)

    api.get("/me", token)

    assert ApiToken.objects.get().last_used_at is not None


def test_me_describes_the_caller(api, world, token_for):
    body = api.get("/me", token_for(world.cm_supervisor)).json()

    assert body["username"] == "cm.supervisor"
    assert body["display_name"] == "Ekachai Supervisor"
    assert body["role"] == "province_supervisor"
    assert body["role_label"] == "Province supervisor"
    assert body["organization"]["type"] == "province_office"
    assert body["organization"]["code"] == "50"

    school = api.get("/me", token_for(world.cm_school_officer)).json()
    assert school["organization"] == {
        "type": "institution",
        "code": "3050000001",
        "name_th": "โรงเรียนเทศบาลดอยคำวิทยา",
        "name_en": "",
    }


def test_me_of_an_account_without_membership(api, world, token_for):
    body = api.get("/me", token_for(world.nobody)).json()

    assert body["role"] is None
    assert body["organization"] is None


def test_api_messages_are_thai_unless_the_program_asks_for_english(client, world):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    thai = response.json()["detail"]
    assert thai.startswith("ต้องยืนยันตัวตน")
    english = client.get("/api/v1/me", headers={"Accept-Language": "en"}).json()["detail"]
    assert english.startswith("Authentication required")
    assert thai != english
