"""Comparing two revisions of a SAR through the API: what the revision page shows, in JSON."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from esar.api.tests.conftest import API
from esar.sar import content as sar_content
from esar.sar.models import Sar
from esar.sar.services import drafts, revisions
from esar.testing.sar import fill_complete, make_year, pdf_bytes, upload


@pytest.fixture
def two_revisions(world):
    """Revision 1 returned by the LAO; revision 2 with a changed item, summary and document."""
    year = make_year(2569)
    sar = drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    sar = fill_complete(sar, world.cm_school_officer)
    first = revisions.submit(sar=sar, actor=world.cm_school_officer, expected_version=sar.version)
    revisions.return_for_revision(
        revision=first,
        actor=world.cm_city_officer,
        reasons=[revisions.ReasonInput("general", "โปรดเพิ่มรายละเอียด")],
    )
    sar = Sar.objects.get(pk=sar.pk)
    item = sar_content.items_of(sar)[0]
    entry = sar_content.parse(sar.content).items[str(item.id)].model_dump(mode="json")
    summary = sar_content.parse(sar.content).summary.model_dump(mode="json")
    sar = drafts.save_draft(
        sar=sar,
        actor=world.cm_school_officer,
        expected_version=sar.version,
        items={str(item.id): {**entry, "level": 2, "how": entry["how"] + " และอบรมครู"}},
        summary={**summary, "plan": "โครงการรักการอ่าน ทุกภาคเรียน"},
    )
    drafts.attach_file(
        sar=sar, actor=world.cm_school_officer, upload=upload(pdf_bytes(4)), kind="document"
    )
    sar = Sar.objects.get(pk=sar.pk)
    revisions.submit(sar=sar, actor=world.cm_school_officer, expected_version=sar.version)
    return sar, item


def get(token: str, path: str, **params):
    return Client().get(
        f"{API}{path}",
        params,
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )


def test_it_answers_what_changed_between_the_two_revisions(world, token_for, two_revisions):
    sar, item = two_revisions

    response = get(
        token_for(world.cm_city_officer), f"/sars/{sar.pk}/revisions/2/compare", **{"with": 1}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["old"], body["new"], body["is_empty"]) == (1, 2, False)
    assert body["basic_data"] == []
    [changed] = body["items"]
    assert changed["item_id"] == item.id
    assert changed["number"] == item.number
    assert changed["level"]["old"] == 4
    assert changed["level"]["new"] == 2
    assert changed["level"]["old_name"] and changed["level"]["new_name"]
    assert changed["target"] is None
    [how] = changed["texts"]
    assert how["field"] == "how"
    assert how["label"] == "How it was done"
    assert {"op": "insert", "text": " และอบรมครู"} in how["segments"]
    [plan] = body["summary"]
    assert plan["field"] == "plan"
    assert plan["new"] == "โครงการรักการอ่าน ทุกภาคเรียน"
    assert "".join(s["text"] for s in plan["segments"] if s["op"] != "delete") == plan["new"]
    assert [f["kind"] for f in body["files_added"]] == ["document"]
    assert [f["kind"] for f in body["files_removed"]] == ["document"]
    added = body["files_added"][0]
    assert added["sha256"] == sar.revisions.get(number=2).document.sha256
    assert get(token_for(world.cm_city_officer), added["url"].removeprefix(API)).status_code == 200


def test_the_order_in_the_path_does_not_matter(world, token_for, two_revisions):
    sar, _item = two_revisions
    token = token_for(world.cm_school_officer)

    forward = get(token, f"/sars/{sar.pk}/revisions/2/compare", **{"with": 1}).json()
    backward = get(token, f"/sars/{sar.pk}/revisions/1/compare", **{"with": 2}).json()

    assert forward == backward


def test_it_is_the_comparison_the_revision_page_shows(
    client, settings, world, token_for, two_revisions
):
    sar, _item = two_revisions
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.cm_supervisor)
    page = client.get(reverse("sar:revision", args=[sar.pk, 2]), {"compare": "1"})
    shown = page.context["comparison"]

    body = get(
        token_for(world.cm_supervisor), f"/sars/{sar.pk}/revisions/2/compare", **{"with": 1}
    ).json()

    assert [i["item_id"] for i in body["items"]] == [view.item.pk for view in shown.items]
    assert [s["new"] for s in body["summary"]] == [view.new for view in shown.summary]
    assert [i["level"]["new_name"] for i in body["items"]] == [
        view.level.new for view in shown.items
    ]


@pytest.mark.parametrize(
    "persona",
    ["kk_supervisor", "kk_town_officer", "cm_sao_officer", "kk_school_officer", "onesqa_reviewer"],
)
def test_callers_outside_the_sars_part_of_the_hierarchy_get_404(
    world, token_for, two_revisions, persona
):
    sar, _item = two_revisions

    response = get(
        token_for(getattr(world, persona)), f"/sars/{sar.pk}/revisions/2/compare", **{"with": 1}
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_revision_the_sar_does_not_have_is_404(world, token_for, two_revisions):
    sar, _item = two_revisions
    token = token_for(world.cm_city_officer)

    assert get(token, f"/sars/{sar.pk}/revisions/2/compare", **{"with": 3}).status_code == 404
    assert get(token, f"/sars/{sar.pk}/revisions/9/compare", **{"with": 1}).status_code == 404


def test_comparing_a_revision_with_itself_or_without_another_is_422(
    world, token_for, two_revisions
):
    sar, _item = two_revisions
    token = token_for(world.cm_city_officer)

    itself = get(token, f"/sars/{sar.pk}/revisions/2/compare", **{"with": 2})
    missing = get(token, f"/sars/{sar.pk}/revisions/2/compare")

    assert itself.status_code == missing.status_code == 422
    assert itself.json()["errors"][0]["field"] == "with"
    assert missing.json()["errors"][0]["field"] == "with"


def test_it_needs_a_token(world, two_revisions):
    sar, _item = two_revisions

    response = Client().get(f"{API}/sars/{sar.pk}/revisions/2/compare", {"with": 1})

    assert response.status_code == 401
