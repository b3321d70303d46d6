"""scripts/verify_delivery.py against a running e-SAR: what an ONESQA integrator runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from esar.delivery import accounts as esar_accounts
from esar.delivery import services
from esar.delivery.tests.conftest import complete_synthesis, send_and_accept
from esar.testing.world import PASSWORD
from esar.testing.years import make_year

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "verify_delivery.py"


@pytest.fixture
def delivered(transactional_world, live_server):
    world = transactional_world
    year = make_year(2569)
    send_and_accept(world, year)
    complete_synthesis(world, year)
    account = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin).account
    return services.deliver(lao=world.cm_city, year=year, actor=account.user)


def run(live_server, username: str, *args: str, password: str = PASSWORD):
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--url", live_server.url, "--username", username, *args],
        env={**os.environ, "ESAR_PASSWORD": password},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_onesqa_verifies_and_saves_every_file_of_a_delivery(
    delivered, live_server, transactional_world, tmp_path
):
    out = tmp_path / "received"
    done = run(live_server, transactional_world.onesqa_reviewer.username, "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{delivered.receipt_number}: verified" in done.stdout
    files = len(delivered.manifest["files"])
    assert f"1 of 1 deliveries verified ({files} files checked)" in done.stdout
    folder = out / delivered.receipt_number
    saved = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert saved == sorted(entry["path"] for entry in delivered.manifest["files"])


def test_a_changed_file_is_reported_and_fails_the_run(delivered, live_server, transactional_world):
    revision = delivered.revisions.get().revision
    with open(revision.document.file.path, "r+b") as stored:
        stored.seek(10)
        stored.write(b"X")
    done = run(live_server, transactional_world.onesqa_reviewer.username)
    assert done.returncode == 1
    assert f"{delivered.receipt_number}: NOT VERIFIED" in done.stdout
    assert "document.pdf: 409" in done.stdout


def test_a_wrong_password_or_someone_elses_delivery_is_refused(
    delivered, live_server, transactional_world
):
    wrong = run(live_server, transactional_world.onesqa_reviewer.username, password="not-it-2569")
    assert wrong.returncode == 2 and "401" in wrong.stderr
    other = run(
        live_server, transactional_world.kk_supervisor.username, "--delivery", str(delivered.pk)
    )
    assert other.returncode == 2 and "404" in other.stderr
