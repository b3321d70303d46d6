import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.test import override_settings

from esar.core import health

REAL_BROKER = "redis://127.0.0.1:6379/15"
CLOSED_PORT = "redis://:s3cret-pass@127.0.0.1:6390/0"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@override_settings(CELERY_BROKER_URL="")
def test_it_is_ok_on_the_embedded_default(client, db, tmp_path):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["storage"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "not configured"
    assert body["checks"]["broker"]["mode"] == "in-process"
    # The probe file is gone.
    assert default_storage.listdir("healthz") == ([], [])


def test_it_needs_no_login_and_is_never_cached(client, db):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    assert client.head("/healthz").status_code == response.status_code
    assert client.post("/healthz").status_code == 405


@pytest.mark.broker
@override_settings(CELERY_BROKER_URL=REAL_BROKER)
def test_it_checks_a_configured_broker(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["status"] == "ok"


@override_settings(CELERY_BROKER_URL=CLOSED_PORT)
def test_an_unreachable_broker_is_a_503_without_secrets(client, db):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    assert "s3cret-pass" not in response.content.decode()
    assert "6390" not in response.content.decode()


def test_a_failing_storage_is_a_503(client, db, settings, tmp_path):
    not_a_directory = tmp_path / "media"
    not_a_directory.write_text("")
    settings.MEDIA_ROOT = not_a_directory

    response = client.get("/healthz")

    assert response.status_code == 503
    storage = response.json()["checks"]["storage"]
    assert storage["status"] == "error"
    assert set(storage) == {"status", "error", "ms"}


def test_a_failing_database_is_a_503(client, db, monkeypatch):
    def broken():
        raise OperationalError("server closed the connection")

    monkeypatch.setitem(health.CHECKS, "database", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "error"
