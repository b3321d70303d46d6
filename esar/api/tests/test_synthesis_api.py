"""Syntheses through /api/v1/: the LAO writes, completes and reopens; readers see figures."""

from __future__ import annotations

import pytest

from esar.api.tests.conftest import API
from esar.api.tests.test_sar_api import Caller
from esar.standards.models import Standard
from esar.synthesis.models import Synthesis, SynthesisStatus
from esar.testing.sar import accepted_revision, make_year


@pytest.fixture
def year(db):
    return make_year(2569)


@pytest.fixture
def accepted(world, year):
    return accepted_revision(
        world.cm_school, year, world.cm_school_officer, world.cm_city_officer, standard_level=2
    )


class Writer(Caller):
    def put(self, path: str, body):
        return self.client.put(
            f"{API}{path}", body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def caller(client, token_for, world):
    def make(persona: str) -> Writer:
        return Writer(client, token_for(getattr(world, persona)))

    return make


def test_the_lao_writes_completes_and_reopens_through_the_api(caller, world, year, accepted):
    lao = caller("cm_city_officer")
    path = f"/syntheses/{world.cm_city.code}/2569"
    shown = lao.get(path).json()
    assert shown["status"] == "none"
    assert shown["figures"]["accepted"] == 1
    # Institutions are named by their MOE code, as everywhere else in the API.
    school = world.cm_school.code
    assert shown["figures"]["below_good"] == {
        school: sorted(shown["figures"]["below_good"][school])
    }
    assert len(shown["figures"]["below_good"][school]) == 6
    standard = Standard.objects.filter(standard_set__code="basic-2561").first()
    for foreign in (world.kk_school.code, "9999999999"):
        wrong = {"text": "ขอให้ประเมิน", "standards": [standard.pk], "institutions": [foreign]}
        refused = lao.put(path, {"version": 1, "summary": "ภาพรวม", "issues": [wrong]})
        assert refused.status_code == 422, refused.content
        assert "not one of this LAO's" in refused.json()["detail"]
    issue = {"text": "ขอให้ประเมินการอ่าน", "standards": [standard.pk], "institutions": [school]}
    saved = lao.put(path, {"version": 1, "summary": "ภาพรวม", "issues": [issue]})
    assert saved.status_code == 200, saved.content
    assert saved.json()["issues"][0]["text"] == "ขอให้ประเมินการอ่าน"
    assert saved.json()["issues"][0]["institutions"] == [school]
    stale = lao.put(path, {"version": 1, "summary": "เก่า", "issues": []})
    assert stale.status_code == 409
    done = lao.post(f"{path}/complete", {"version": saved.json()["version"]})
    assert done.status_code == 200, done.content
    assert done.json()["number"] == 1 and done.json()["is_late"] is False
    frozen = lao.get(f"{path}/versions/1").json()
    assert frozen["summary"] == "ภาพรวม"
    assert frozen["source_revisions"] == [{"institution_code": school, "revision": 1}]
    assert frozen["issues"][0]["institutions"] == [school]
    assert list(frozen["figures"]["below_good"]) == [school]
    current = lao.get(path).json()
    no_reason = lao.post(f"{path}/reopen", {"version": current["version"], "reason": ""})
    assert no_reason.status_code == 422
    reopened = lao.post(f"{path}/reopen", {"version": current["version"], "reason": "เพิ่ม"})
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"] == "draft"
    assert reopened.json()["versions"][0]["reopen_reason"] == "เพิ่ม"


def test_readers_read_writers_write_and_outsiders_get_404(caller, world, year, accepted):
    path = f"/syntheses/{world.cm_city.code}/2569"
    caller("cm_city_officer").put(path, {"version": 1, "summary": "ภาพรวม", "issues": []})
    supervisor = caller("cm_supervisor")
    assert supervisor.get(path).json()["summary"] == "ภาพรวม"
    refused = supervisor.put(path, {"version": 2, "summary": "แก้", "issues": []})
    assert refused.status_code == 403
    rows = supervisor.get("/syntheses", year=2569).json()["items"]
    assert {row["lao"] for row in rows} == {world.cm_city.code, world.cm_sao.code}
    assert {r["status"] for r in rows if r["lao"] == world.cm_city.code} == {"draft"}
    for outsider in ("kk_supervisor", "kk_town_officer", "cm_school_officer", "onesqa_reviewer"):
        other = caller(outsider)
        assert other.get(path).status_code == 404, outsider
        assert other.put(path, {"version": 2, "summary": "x", "issues": []}).status_code == 404
        assert other.post(f"{path}/complete", {"version": 2}).status_code == 404
    synthesis = Synthesis.objects.get()
    assert synthesis.summary == "ภาพรวม" and synthesis.status == SynthesisStatus.DRAFT
