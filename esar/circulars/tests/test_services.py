"""Writing and publishing circulars: only DLA's administrator, every change audited, no race lost
silently, numbers unique within a year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from esar.circulars import selectors, services
from esar.circulars.models import Circular, CircularStatus
from esar.circulars.tests.conftest import as_user
from esar.core.models import AuditEvent, Notice

pytestmark = pytest.mark.django_db


def draft_of(world, **values) -> Circular:
    fields = {
        "number": "มท 0816.4/ว 100",
        "title": "ปฏิทินการจัดทำ SAR ปีการศึกษา 2569",
        "issued_on": dt.date(2026, 5, 20),
        "body": "เรียน ผู้ว่าราชการจังหวัด\nตามที่…",
    }
    fields.update(values)
    return services.create_draft(actor=world.dla_admin, **fields)


@pytest.mark.parametrize(
    "persona",
    [
        "dla_analyst",
        "cm_supervisor",
        "cm_city_officer",
        "cm_school_officer",
        "onesqa_reviewer",
        "helpdesk",
        "nobody",
    ],
)
def test_only_the_dla_administrator_writes_and_publishes(world, persona):
    user = getattr(world, persona)
    with pytest.raises(services.NotAllowed):
        services.create_draft(
            actor=user, number="ว 1", title="ทดสอบ", issued_on=dt.date(2026, 5, 1)
        )
    draft = draft_of(world)
    with pytest.raises(services.NotAllowed):
        services.publish(circular=draft, actor=user)
    draft.refresh_from_db()
    assert draft.status == CircularStatus.DRAFT and draft.published_at is None
    assert Circular.objects.count() == 1


def test_publishing_through_the_page_by_others_is_refused_and_changes_nothing(world):
    """The analyst sees DLA's drafts but may not act on them: 403; a province supervisor does
    not see a draft (404) and reads circulars but may not write one (403)."""
    draft = draft_of(world)
    for user, on_draft in ((world.dla_analyst, 403), (world.cm_supervisor, 404)):
        response = as_user(user).post(reverse("circulars:publish", args=[draft.pk]))
        assert response.status_code == on_draft
        assert as_user(user).get(reverse("circulars:new")).status_code == 403
        assert as_user(user).get(reverse("circulars:edit", args=[draft.pk])).status_code == on_draft
    draft.refresh_from_db()
    assert draft.status == CircularStatus.DRAFT


def test_dla_writes_a_draft_on_the_page_edits_it_and_publishes_it(world):
    dla = as_user(world.dla_admin)
    response = dla.post(
        reverse("circulars:new"),
        {
            "number": " มท 0816.4/ว 1234 ",
            "issued_on": "20/5/2569",
            "title": "การใช้บัญชีผู้ใช้ e-SAR",
            "body": "ข้อ 1 <b>ตัวหนา</b>\nข้อ 2",
            "provinces": ["50", "40"],
            "roles": ["lao_officer"],
        },
    )
    circular = Circular.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("circulars:detail", args=[circular.pk])
    assert circular.number == "มท 0816.4/ว 1234"
    assert circular.issued_on == dt.date(2026, 5, 20) and circular.year == 2569
    assert sorted(circular.provinces.values_list("pk", flat=True)) == ["40", "50"]
    # Not visible to its audience while a draft.
    assert circular.pk not in {c.pk for c in selectors.circulars_for(world.cm_city_officer)}

    page = dla.get(reverse("circulars:detail", args=[circular.pk])).content.decode()
    assert "20 พฤษภาคม 2569" in page
    assert "&lt;b&gt;ตัวหนา&lt;/b&gt;<br>ข้อ 2" in page  # escaped, line breaks kept

    form = dla.get(reverse("circulars:edit", args=[circular.pk]))
    assert 'value="20/5/2569"' in form.content.decode()
    response = dla.post(
        reverse("circulars:edit", args=[circular.pk]),
        {
            "number": "มท 0816.4/ว 1234",
            "issued_on": "21/5/2569",
            "title": "การใช้บัญชีผู้ใช้ e-SAR (แก้ไข)",
            "body": "ข้อ 1",
            "provinces": [],
            "roles": [],
            "version": str(circular.version),
        },
    )
    assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.title.endswith("(แก้ไข)") and not circular.provinces.exists()
    assert not circular.audience_roles.exists()

    response = dla.post(
        reverse("circulars:publish", args=[circular.pk]), {"version": str(circular.version)}
    )
    assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.status == CircularStatus.PUBLISHED
    assert circular.published_by == world.dla_admin and circular.published_at is not None
    assert circular.pk in {c.pk for c in selectors.circulars_for(world.kk_town_officer)}
    actions = list(
        AuditEvent.objects.filter(object_id=str(circular.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["circular.created", "circular.updated", "circular.published"]
    updated = AuditEvent.objects.get(action="circular.updated")
    assert updated.data["provinces"] == {"from": ["40", "50"], "to": []}
    # Publishing notifies nobody: the home pages show it (see the module's docstring).
    assert not Notice.objects.exists()

    # A published circular no longer changes.
    assert dla.get(reverse("circulars:edit", args=[circular.pk])).status_code == 302
    with pytest.raises(services.Conflict):
        services.update_draft(
            circular=circular,
            actor=world.dla_admin,
            expected_version=circular.version,
            number="x",
            title="y",
            issued_on=dt.date(2026, 5, 1),
        )


def test_a_stale_edit_or_a_second_publish_is_refused(world):
    draft = draft_of(world)
    version = draft.version
    services.update_draft(
        circular=draft,
        actor=world.dla_admin,
        expected_version=version,
        number=draft.number,
        title="ฉบับของคนแรก",
        issued_on=draft.issued_on,
    )
    with pytest.raises(services.Conflict):
        services.update_draft(
            circular=draft,
            actor=world.dla_admin,
            expected_version=version,
            number=draft.number,
            title="ฉบับของคนที่สอง",
            issued_on=draft.issued_on,
        )
    with pytest.raises(services.Conflict):
        services.publish(circular=draft, actor=world.dla_admin, expected_version=version)
    draft.refresh_from_db()
    assert draft.title == "ฉบับของคนแรก" and draft.status == CircularStatus.DRAFT
    services.publish(circular=draft, actor=world.dla_admin)
    with pytest.raises(services.Conflict):
        services.publish(circular=draft, actor=world.dla_admin)
    assert AuditEvent.objects.filter(action="circular.published").count() == 1


def test_numbers_are_unique_within_a_buddhist_year_only(world):
    draft_of(world, number="ว 1", issued_on=dt.date(2026, 1, 1))
    with pytest.raises(services.InvalidField) as refused:
        draft_of(world, number="ว  1", issued_on=dt.date(2026, 12, 31))
    assert refused.value.field == "number"
    draft_of(world, number="ว 1", issued_on=dt.date(2025, 12, 31))  # B.E. 2568
    assert Circular.objects.count() == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"number": "  "}, "number"),
        ({"title": "\x00"}, "title"),
        ({"provinces": ["99"]}, "provinces"),
        ({"roles": ["king"]}, "roles"),
        ({"issued_on": dt.date(1900, 1, 1)}, "issued_on"),
    ],
)
def test_bad_input_is_refused_before_anything_is_saved(world, values, field):
    with pytest.raises(services.InvalidField) as refused:
        draft_of(world, **values)
    assert refused.value.field == field
    assert not Circular.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="circular.").exists()


def test_a_withdrawn_circular_leaves_its_audience(world, publish):
    circular = publish()
    assert circular.pk in {c.pk for c in selectors.circulars_for(world.cm_school_officer)}
    response = as_user(world.dla_admin).post(reverse("circulars:withdraw", args=[circular.pk]))
    assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.status == CircularStatus.WITHDRAWN and circular.withdrawn_by == world.dla_admin
    assert circular.pk not in {c.pk for c in selectors.circulars_for(world.cm_school_officer)}
    assert AuditEvent.objects.filter(action="circular.withdrawn").count() == 1


def test_reading_is_recorded_for_published_circulars_only(world, publish):
    draft = publish(draft=True)
    assert services.mark_read(circular=draft, user=world.dla_admin) is False
    circular = publish()
    assert services.mark_read(circular=circular, user=world.cm_city_officer) is True
    assert services.mark_read(circular=circular, user=world.cm_city_officer) is False
