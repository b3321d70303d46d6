"""The synthesis figures equal a direct count of the generated reports, in random worlds."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esar.assessments.models import ExternalAssessment
from esar.organizations.models import Institution, InstitutionKind, LaoType, LocalAuthority
from esar.sar.models import (
    Attachment,
    AttachmentKind,
    Revision,
    RevisionRating,
    RevisionStandardRating,
    RevisionStatus,
    Sar,
    SarStatus,
)
from esar.standards.models import QualityLevel, Standard, StandardItem, StandardSet
from esar.synthesis.figures import compute
from esar.testing.years import make_year

# What happened to one institution's report this year.
STORIES = ["none", "draft", "waiting", "returned", "accepted", "accepted_after_return"]
ASSESSED = ["never", "recently", "long_ago"]


@pytest.fixture
def year(db):
    return make_year(2569)


def _revision(sar, number, status, ranks, items, levels, user, standard_ranks, standards):
    now = timezone.now()
    document = Attachment.objects.create(
        sar=sar,
        kind=AttachmentKind.DOCUMENT,
        file=f"sar/test/{sar.pk}-{number}.pdf",
        original_name="SAR.pdf",
        size=1,
        sha256=f"{sar.pk:032d}{number:032d}",
        uploaded_by=user,
    )
    reviewed = status != RevisionStatus.PENDING
    revision = Revision.objects.create(
        sar=sar,
        number=number,
        content={},
        content_sha256="0" * 64,
        document=document,
        submitted_at=now,
        submitted_by=user,
        status=status,
        reviewed_at=now if reviewed else None,
        reviewed_by=user if reviewed else None,
    )
    RevisionRating.objects.bulk_create(
        RevisionRating(revision=revision, item=item, level_id=levels[rank])
        for item, rank in zip(items, ranks, strict=True)
    )
    RevisionStandardRating.objects.bulk_create(
        RevisionStandardRating(revision=revision, standard=standard, level_id=levels[rank])
        for standard, rank in zip(standards, standard_ranks, strict=True)
    )
    return revision


def _build(world, year, index, spec, lao, items, standards, levels):
    story, assessed, ranks, old_ranks, standard_ranks, old_standard_ranks = spec
    institution = Institution.objects.create(
        code=f"30509{index:05d}",
        name_th=f"โรงเรียนทดสอบ {index}",
        kind=InstitutionKind.SCHOOL,
        lao=lao,
        teaches_basic=True,
    )
    if assessed == "recently":
        ExternalAssessment.objects.create(institution=institution, assessed_on=dt.date(2024, 1, 5))
    elif assessed == "long_ago":
        ExternalAssessment.objects.create(institution=institution, assessed_on=dt.date(2019, 1, 5))
    if story == "none":
        return institution
    user = world.dla_admin
    sar = Sar.objects.create(institution=institution, year=year)
    if story == "draft":
        return institution
    if story == "accepted_after_return":
        _revision(
            sar, 1, RevisionStatus.RETURNED, old_ranks, items, levels, user,
            old_standard_ranks, standards,
        )  # fmt: skip
        last = _revision(
            sar, 2, RevisionStatus.ACCEPTED, ranks, items, levels, user, standard_ranks, standards
        )
        status = SarStatus.ACCEPTED
    else:
        outcome = {
            "waiting": (RevisionStatus.PENDING, SarStatus.SUBMITTED),
            "returned": (RevisionStatus.RETURNED, SarStatus.RETURNED),
            "accepted": (RevisionStatus.ACCEPTED, SarStatus.ACCEPTED),
        }[story]
        last = _revision(sar, 1, outcome[0], ranks, items, levels, user, standard_ranks, standards)
        status = outcome[1]
    Sar.objects.filter(pk=sar.pk).update(status=status, current_revision=last)
    return institution


rank_lists = st.lists(st.integers(1, 5), min_size=21, max_size=21)
standard_rank_lists = st.lists(st.integers(1, 5), min_size=3, max_size=3)
worlds = st.lists(
    st.tuples(
        st.sampled_from(STORIES),
        st.sampled_from(ASSESSED),
        rank_lists,
        rank_lists,
        standard_rank_lists,
        standard_rank_lists,
    ),
    min_size=0,
    max_size=6,
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world_spec=worlds)
def test_the_figures_equal_a_direct_count_of_the_reports(world, year, world_spec):
    basic = StandardSet.objects.get(code="basic-2561")
    items = list(
        StandardItem.objects.filter(standard__standard_set=basic).order_by(
            "standard__order", "order"
        )
    )
    standards = list(Standard.objects.filter(standard_set=basic).order_by("order"))
    levels = dict(QualityLevel.objects.filter(standard_set=basic).values_list("rank", "pk"))
    with transaction.atomic():
        lao = LocalAuthority.objects.create(
            code="6509999",
            name_th="เทศบาลตำบลทดสอบ",
            lao_type=LaoType.SUBDISTRICT_MUNICIPALITY,
            province=world.chiang_mai,
        )
        institutions = [
            _build(world, year, index, spec, lao, items, standards, levels)
            for index, spec in enumerate(world_spec)
        ]

        figures = compute(lao, year)

        n = len(world_spec)
        accepted = [spec for spec in world_spec if spec[0].startswith("accepted")]
        accepted_at = [
            institution
            for institution, spec in zip(institutions, world_spec, strict=True)
            if spec[0].startswith("accepted")
        ]
        assert figures.institutions == n
        assert figures.target_group == sum(1 for spec in world_spec if spec[1] != "recently")
        assert figures.sent == sum(1 for spec in world_spec if spec[0] not in ("none", "draft"))
        assert figures.accepted == len(accepted)
        assert figures.missing == n - len(accepted)
        # Levels come from the accepted revision only, never from a returned earlier one.
        expected: dict[int, Counter] = {}
        for _story, _assessed, ranks, _old, _sranks, _old_sranks in accepted:
            for item, rank in zip(items, ranks, strict=True):
                expected.setdefault(item.pk, Counter())[rank] += 1
        assert figures.levels == {item: dict(counter) for item, counter in expected.items()}
        # The same for each standard as a whole, and who is below good (3) on which standard.
        per_standard: dict[int, Counter] = {}
        below: dict[int, list[int]] = {}
        for institution, spec in zip(accepted_at, accepted, strict=True):
            for standard, rank in zip(standards, spec[4], strict=True):
                per_standard.setdefault(standard.pk, Counter())[rank] += 1
                if rank < 3:
                    below.setdefault(institution.pk, []).append(standard.pk)
        assert figures.standards == {pk: dict(counter) for pk, counter in per_standard.items()}
        assert figures.below_good == {pk: sorted(ids) for pk, ids in below.items()}
        # What a completed version freezes reads back the same.
        assert type(figures).from_json(figures.as_json()) == figures
        transaction.set_rollback(True)


def test_the_figures_cost_the_same_queries_for_any_number_of_institutions(world, year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from esar.sar.scale import seed_submitted_sars

    with CaptureQueriesContext(connection) as small:
        compute(world.cm_city, year)
    for index in range(8):
        Institution.objects.create(
            code=f"30508{index:05d}",
            name_th=f"ศูนย์ทดสอบ {index}",
            kind=InstitutionKind.CHILD_CENTRE,
            lao=world.cm_city,
            teaches_early_childhood=True,
        )
    seed_submitted_sars(year)
    Sar.objects.filter(institution__lao=world.cm_city).update(status=SarStatus.ACCEPTED)
    with CaptureQueriesContext(connection) as large:
        figures = compute(world.cm_city, year)
    assert figures.accepted == 9
    assert len(large) == len(small) == 5
