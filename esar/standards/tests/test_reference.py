"""The Ministry's 2561 sets, loaded by migration; which set is in force in a year."""

from __future__ import annotations

import io

import pytest
from django.apps import apps

from esar.standards import reference
from esar.standards.importing import read_standards_file
from esar.standards.models import QualityLevel, Standard, StandardItem, StandardSet
from esar.standards.services import create_standard_set
from esar.standards.tests.files import ROWS, xlsx

EXPECTED = {"basic-2561": 21, "early-childhood-2561": 14, "vocational-2561": 9}
LEVELS_TH = ["กำลังพัฒนา", "ปานกลาง", "ดี", "ดีเลิศ", "ยอดเยี่ยม"]


def counts() -> dict[str, tuple[int, int, int]]:
    return {
        s.code: (
            Standard.objects.filter(standard_set=s).count(),
            StandardItem.objects.filter(standard__standard_set=s).count(),
            QualityLevel.objects.filter(standard_set=s).count(),
        )
        for s in StandardSet.objects.all()
    }


def test_the_migration_loaded_the_three_sets_of_2561(db):
    assert counts() == {code: (3, items, 5) for code, items in EXPECTED.items()}
    for standard_set in StandardSet.objects.all():
        assert standard_set.version == 2561
        assert standard_set.effective_from_year == 2561
        assert standard_set.is_active
        assert standard_set.source_th.startswith("ประกาศกระทรวงศึกษาธิการ")
        assert [
            level.name_th for level in standard_set.quality_levels.order_by("rank")
        ] == LEVELS_TH
        assert [s.number for s in standard_set.standards.order_by("order")] == ["1", "2", "3"]
    assert {s.education_level for s in StandardSet.objects.all()} == {
        "basic",
        "early_childhood",
        "vocational",
    }


def test_basic_education_items_are_numbered_and_grouped(db):
    basic = StandardSet.objects.get(code="basic-2561")
    items = list(
        StandardItem.objects.filter(standard__standard_set=basic).order_by(
            "standard__order", "order"
        )
    )
    numbers = [item.number for item in items]
    assert numbers[:10] == [f"1.1.{n}" for n in range(1, 7)] + [f"1.2.{n}" for n in range(1, 5)]
    assert numbers[10:] == [f"2.{n}" for n in range(1, 7)] + [f"3.{n}" for n in range(1, 6)]
    assert {item.group_th for item in items[:6]} == {"1.1 ผลสัมฤทธิ์ทางวิชาการของผู้เรียน"}
    assert {item.group_th for item in items[6:10]} == {"1.2 คุณลักษณะที่พึงประสงค์ของผู้เรียน"}
    assert all(item.group_th == "" for item in items[10:])
    assert all(item.name_th and item.name_en for item in items)
    assert basic.standards.get(number="3").name_th == ("กระบวนการจัดการเรียนการสอนที่เน้นผู้เรียนเป็นสำคัญ")


def test_every_name_of_the_reference_data_is_clean_text(db):
    from esar.core.text import normalize_text

    for model in (StandardSet, Standard, StandardItem, QualityLevel):
        for obj in model.objects.all():
            for name in ("name_th", "name_en"):
                value = getattr(obj, name)
                assert value and value == normalize_text(value), (model, obj.pk, name)


def test_the_shipped_data_is_a_file_the_upload_accepts(db):
    for spec in reference.read_sets()["sets"]:
        with (reference.DATA / spec["items"]).open("rb") as handle:
            parsed = read_standards_file(handle, spec["items"])
        assert not parsed.errors, [e.message for e in parsed.errors.items]
        assert parsed.item_count == EXPECTED[spec["code"]]


def test_loading_again_changes_nothing(db):
    before = counts()
    ids = set(StandardItem.objects.values_list("pk", flat=True))
    reference.load(apps)
    assert counts() == before
    assert set(StandardItem.objects.values_list("pk", flat=True)) == ids


def test_loading_restores_what_a_flush_removed(db):
    StandardSet.objects.all().delete()
    reference.load(apps)
    assert counts() == {code: (3, items, 5) for code, items in EXPECTED.items()}


def test_loading_never_rewrites_a_set_in_use(db):
    item = StandardItem.objects.get(standard__standard_set__code="basic-2561", number="2.1")
    item.name_th = "ถ้อยคำที่รายงานใช้อยู่"
    item.save()
    reference.load(apps)
    item.refresh_from_db()
    assert item.name_th == "ถ้อยคำที่รายงานใช้อยู่"


def _new_basic_set(world, *, version: int, effective_from_year: int) -> StandardSet:
    parsed = read_standards_file(io.BytesIO(xlsx(ROWS)), "s.xlsx")
    return create_standard_set(
        actor=world.dla_admin,
        education_level="basic",
        version=version,
        effective_from_year=effective_from_year,
        name_th=f"มาตรฐานการศึกษาขั้นพื้นฐาน พ.ศ. {version}",
        standards=parsed.standards,
    )


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2560, None), (2561, "basic-2561"), (2567, "basic-2561"), (2568, "basic-2561")],
)
def test_in_force_picks_the_newest_set_already_in_force(db, year, expected):
    found = StandardSet.objects.in_force("basic", year)
    assert (found.code if found else None) == expected


def test_a_new_set_applies_from_its_year_and_leaves_earlier_years_alone(world):
    new = _new_basic_set(world, version=2568, effective_from_year=2569)
    assert StandardSet.objects.in_force("basic", 2567).code == "basic-2561"
    assert StandardSet.objects.in_force("basic", 2568).code == "basic-2561"
    assert StandardSet.objects.in_force("basic", 2569) == new
    assert StandardSet.objects.in_force("basic", 2575) == new
    # Other levels are untouched.
    assert StandardSet.objects.in_force("early_childhood", 2569).code == "early-childhood-2561"


def test_an_inactive_set_is_not_in_force(world):
    new = _new_basic_set(world, version=2568, effective_from_year=2568)
    assert StandardSet.objects.in_force("basic", 2568) == new
    new.is_active = False
    new.save()
    assert StandardSet.objects.in_force("basic", 2568).code == "basic-2561"


def test_tests_that_commit_find_the_sets_again(transactional_world):
    # A transactional test empties every table; the root conftest loads the sets again.
    assert counts() == {code: (3, items, 5) for code, items in EXPECTED.items()}
