"""Stable vocabularies in the API: enums in the OpenAPI document, machine-readable `missing`
codes beside the words, the standard set's `good_rank`."""

from __future__ import annotations

from typing import Any

import pytest

from esar.api.tests.conftest import API
from esar.api.tests.test_sar_api import Caller
from esar.sar.content import MissingCode, StaffType
from esar.sar.models import Sar
from esar.sar.services.drafts import levels_of
from esar.standards.models import Standard, StandardItem, StandardSet
from esar.testing.sar import complete_content, make_year


@pytest.fixture
def year(db):
    return make_year(2569)


@pytest.fixture
def school(client, token_for, world) -> Caller:
    return Caller(client, token_for(world.cm_school_officer))


@pytest.fixture
def document(api) -> dict[str, Any]:
    return api.client.get(f"{API}/openapi.json").json()


def _schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]


def _enum(document: dict[str, Any], ref: dict[str, Any]) -> list[str]:
    if "$ref" in ref:
        return _schema(document, ref["$ref"].rsplit("/", 1)[-1])["enum"]
    return ref["enum"]


def test_the_document_names_every_vocabulary(document):
    basic = _schema(document, "BasicData")["properties"]
    assert _enum(document, basic["staff"]["propertyNames"]) == [t.value for t in StaffType]
    assert _enum(document, basic["students"]["propertyNames"]) == [
        "early_childhood",
        "basic",
        "vocational",
    ]
    revision = _schema(document, "RevisionOut")["properties"]["status"]
    assert _enum(document, revision) == ["pending", "accepted", "returned"]
    missing = _schema(document, "MissingOut")["properties"]["code"]
    assert _enum(document, missing) == [code.value for code in MissingCode]
    assert "good_rank" in _schema(document, "StandardSetDetailOut")["required"]


def test_the_checklist_carries_codes_beside_the_words(school, world, year):
    opened = school.post("/sars", {"institution": world.cm_school.code, "year": 2569}).json()
    missing = opened["missing"]
    codes = {entry["code"] for entry in missing}
    assert codes == {code.value for code in MissingCode}
    for entry in missing:
        assert entry["message"]
    sar = Sar.objects.get(pk=opened["id"])
    students = [e for e in missing if e["code"] == "basic_data.students"]
    assert [e["education_level"] for e in students] == [lvl for lvl, _label in levels_of(sar)]
    assert len(students) == 2
    items = StandardItem.objects.filter(standard__standard_set__in=sar.standard_sets.all())
    item_entries = [e for e in missing if e["code"] == "item"]
    assert {e["item_id"] for e in item_entries} == set(items.values_list("pk", flat=True))
    assert all(e["fields"] == ["level", "target", "how", "results"] for e in item_entries)
    summary = [e for e in missing if e["code"] == "summary"]
    assert [e["fields"] for e in summary] == [["strengths"], ["improvements"], ["plan"]]

    # Fill all but one item's results and the staff: exactly those remain, with their codes.
    content = complete_content(sar)
    item_id = str(items.order_by("pk").first().pk)
    content["items"][item_id]["results"] = ""
    content["basic_data"]["staff"] = {}
    saved = school.patch(f"/sars/{opened['id']}", {"version": opened["version"], **content})
    assert saved.status_code == 200, saved.content
    left = school.get(f"/sars/{opened['id']}").json()["missing"]
    assert [(e["code"], e["item_id"], e["fields"]) for e in left] == [
        ("basic_data.staff", None, []),
        ("item", int(item_id), ["results"]),
        ("document", None, []),
    ]
    refused = school.post(f"/sars/{opened['id']}/submit", {"version": saved.json()["version"]})
    assert refused.status_code == 422
    assert [e["code"] for e in refused.json()["missing"]] == [e["code"] for e in left]
    assert refused.json()["details"] == [e["message"] for e in left]


def test_an_unknown_staff_key_or_level_is_refused_and_changes_nothing(school, world, year):
    opened = school.post("/sars", {"institution": world.cm_school.code, "year": 2569}).json()
    for basic in ({"staff": {"janitors": 2}}, {"students": {"primary": 30}}):
        refused = school.patch(
            f"/sars/{opened['id']}", {"version": opened["version"], "basic_data": basic}
        )
        assert refused.status_code == 422, refused.content
        assert any("basic_data" in error["field"] for error in refused.json()["errors"])
    sar = Sar.objects.get(pk=opened["id"])
    assert sar.version == opened["version"]
    assert not sar.content.get("basic_data", {}).get("staff")


def test_a_standard_set_says_which_level_counts_as_good(school, world, year):
    standard_set = StandardSet.objects.get(code="basic-2561")
    body = school.get(f"/standard-sets/{standard_set.code}").json()
    assert body["good_rank"] == standard_set.good_rank
    StandardSet.objects.filter(pk=standard_set.pk).update(good_rank=4)
    assert school.get(f"/standard-sets/{standard_set.code}").json()["good_rank"] == 4
    assert Standard.objects.filter(standard_set=standard_set).exists()
