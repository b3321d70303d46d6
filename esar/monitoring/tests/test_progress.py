"""Progress rows, kept by the services as people act, equal a direct recount of the reports."""

from __future__ import annotations

import contextlib
import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.delivery import accounts as esar_accounts
from esar.delivery import services as delivery
from esar.delivery.models import DeliveredRevision, DeliveryStatus
from esar.monitoring import progress
from esar.monitoring.models import InstitutionProgress, LaoProgress, ProvinceProgress
from esar.organizations.models import Institution, InstitutionKind
from esar.sar.models import Sar, SarStatus
from esar.sar.services import drafts as sar_drafts
from esar.sar.services import revisions as sar_revisions
from esar.sar.services.drafts import SarError
from esar.synthesis import services as synthesis_services
from esar.synthesis.models import Synthesis, SynthesisStatus
from esar.testing.sar import fill_complete, make_year

# "advance" moves the report one hop on (opened and sent, or accepted); the others go back.
INSTITUTION_ACTIONS = ["open", "advance", "advance", "advance", "return", "return_accepted"]
LAO_ACTIONS = ["complete", "reopen", "deliver", "acknowledge"]


@pytest.fixture
def people(world):
    """The world's three institutions plus two more centres of the city, each with an officer."""
    year = make_year(2569)
    officers = {
        world.cm_school.pk: world.cm_school_officer,
        world.kk_school.pk: world.kk_school_officer,
    }
    extra = [world.cm_centre]
    for index in range(2):
        extra.append(
            Institution.objects.create(
                code=f"30501{index:05d}",
                name_th=f"ศูนย์พัฒนาเด็กเล็กทดสอบ {index}",
                kind=InstitutionKind.CHILD_CENTRE,
                lao=world.cm_city,
                teaches_early_childhood=True,
            )
        )
    for index, institution in enumerate(extra):
        officers[institution.pk] = create_account(
            username=f"centre.officer{index}",
            password=None,
            role=Role.SCHOOL_OFFICER,
            organization=institution,
        )
    lao_officers = {
        world.cm_city.pk: world.cm_city_officer,
        world.cm_sao.pk: world.cm_sao_officer,
        world.kk_town.pk: world.kk_town_officer,
    }
    esar_users = {
        lao_id: esar_accounts.issue_account(
            lao=officer.membership.lao, actor=world.dla_admin
        ).account.user
        for lao_id, officer in lao_officers.items()
    }
    institutions = list(Institution.objects.filter(pk__in=officers).order_by("pk"))
    return year, institutions, officers, lao_officers, esar_users


def _act_on_institution(action, institution, year, officer, lao_officer):
    sar = Sar.objects.filter(institution=institution, year=year).first()
    if action == "open":
        sar_drafts.open_sar(institution=institution, year=year, actor=officer)
    elif action == "advance" and sar is not None and sar.status == SarStatus.SUBMITTED:
        sar_revisions.accept(revision=sar.current_revision, actor=lao_officer)
    elif action == "advance" and (sar is None or sar.is_editable):
        sar = sar or sar_drafts.open_sar(institution=institution, year=year, actor=officer)
        if sar.document_id is None:
            sar = fill_complete(sar, officer)
        sar_revisions.submit(sar=sar, actor=officer, expected_version=sar.version)
    elif action in {"return", "return_accepted"} and sar is not None:
        revision = sar.current_revision
        reasons = [sar_revisions.ReasonInput("general", "แก้ไขบทสรุป")]
        if action == "return" and sar.status == SarStatus.SUBMITTED:
            sar_revisions.return_for_revision(revision=revision, actor=lao_officer, reasons=reasons)
        elif action == "return_accepted" and sar.status == SarStatus.ACCEPTED:
            sar_revisions.return_for_revision(
                revision=revision, actor=lao_officer, reasons=reasons, after_acceptance=True
            )


def _act_on_lao(action, lao, year, lao_officer, esar_user, reviewer):
    synthesis = Synthesis.objects.filter(lao=lao, year=year).first()
    if action == "deliver" and (synthesis is None or synthesis.status == SynthesisStatus.DRAFT):
        _act_on_lao("complete", lao, year, lao_officer, esar_user, reviewer)
    if action == "complete":
        synthesis = synthesis or synthesis_services.open_synthesis(
            lao=lao, year=year, actor=lao_officer
        )
        if synthesis.status == SynthesisStatus.DRAFT:
            synthesis_services.complete(
                synthesis=synthesis, actor=lao_officer, expected_version=synthesis.version
            )
    elif action == "reopen" and synthesis and synthesis.status == SynthesisStatus.COMPLETE:
        synthesis_services.reopen(
            synthesis=synthesis,
            actor=lao_officer,
            expected_version=synthesis.version,
            reason="เพิ่มประเด็น",
        )
    elif action == "deliver":
        # Refused while the synthesis is not complete; nothing changes then.
        with contextlib.suppress(SarError):
            delivery.deliver(lao=lao, year=year, actor=esar_user)
    elif action == "acknowledge":
        latest = lao.deliveries.filter(year=year, acknowledged_at__isnull=True).first()
        if latest is not None:
            delivery.acknowledge(delivery=latest, actor=reviewer)


def _direct_counts(year, lao):
    """Count the LAO's hops straight from its institutions' SARs and deliveries."""
    institutions = list(Institution.objects.filter(lao=lao, is_active=True))
    sars = {sar.institution_id: sar for sar in Sar.objects.filter(year=year, institution__lao=lao)}
    counts = dict.fromkeys(
        ["institutions", "submitted", "awaiting_review", "returned", "accepted", "delivered"], 0
    )
    for institution in institutions:
        counts["institutions"] += 1
        sar = sars.get(institution.pk)
        if sar is None:
            continue
        counts["submitted"] += sar.revisions.exists()
        counts["awaiting_review"] += sar.status == SarStatus.SUBMITTED
        counts["returned"] += sar.status == SarStatus.RETURNED
        counts["accepted"] += sar.status == SarStatus.ACCEPTED
        counts["delivered"] += (
            sar.status == SarStatus.ACCEPTED
            and DeliveredRevision.objects.filter(
                revision=sar.current_revision, delivery__status=DeliveryStatus.DELIVERED
            ).exists()
        )
    return counts


def _stored(year, lao):
    row = LaoProgress.objects.get(year=year, lao=lao)
    return {
        name: getattr(row, name)
        for name in [
            "institutions",
            "submitted",
            "awaiting_review",
            "returned",
            "accepted",
            "delivered",
        ]
    }


def _value(value):
    return json.dumps(value, sort_keys=True, default=str)


def _as_dicts(rows, fields):
    return sorted(tuple(_value(getattr(row, field)) for field in fields) for row in rows)


steps = st.lists(
    st.one_of(
        st.tuples(st.just("institution"), st.integers(0, 4), st.sampled_from(INSTITUTION_ACTIONS)),
        st.tuples(st.just("lao"), st.integers(0, 2), st.sampled_from(LAO_ACTIONS)),
    ),
    min_size=1,
    max_size=24,
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_progress_rows_equal_a_direct_recount_after_any_sequence_of_actions(world, people, steps):
    year, institutions, officers, lao_officers, esar_users = people
    laos = [world.cm_city, world.cm_sao, world.kk_town]
    with transaction.atomic():
        for kind, index, action in steps:
            if kind == "institution":
                institution = institutions[index]
                _act_on_institution(
                    action,
                    institution,
                    year,
                    officers[institution.pk],
                    lao_officers[institution.lao_id],
                )
            else:
                lao = laos[index]
                _act_on_lao(
                    action,
                    lao,
                    year,
                    lao_officers[lao.pk],
                    esar_users[lao.pk],
                    world.onesqa_reviewer,
                )
        event(f"accepted: {LaoProgress.objects.filter(year=year, accepted__gt=0).count()}")
        event(f"delivered: {LaoProgress.objects.filter(year=year, delivered__gt=0).count()}")
        for lao in laos:
            if LaoProgress.objects.filter(year=year, lao=lao).exists():
                assert _stored(year, lao) == _direct_counts(year, lao)
        expected = progress.recount(year)
        institution_fields = ["institution_id", *progress.INSTITUTION_FIELDS[:-1]]
        touched = {row.lao_id for row in LaoProgress.objects.filter(year=year)}
        assert _as_dicts(
            InstitutionProgress.objects.filter(year=year), institution_fields
        ) == _as_dicts(
            [row for row in expected.institutions if row.lao_id in touched], institution_fields
        )
        lao_fields = ["lao_id", *progress.LAO_FIELDS[:-1]]
        assert _as_dicts(LaoProgress.objects.filter(year=year), lao_fields) == _as_dicts(
            [row for row in expected.laos if row.lao_id in touched], lao_fields
        )
        provinces = {row.province_id for row in LaoProgress.objects.filter(year=year)}
        assert _as_dicts(
            ProvinceProgress.objects.filter(year=year), ["province_id", "levels"]
        ) == _as_dicts(
            [row for row in expected.provinces if row.province_id in provinces],
            ["province_id", "levels"],
        )
        transaction.set_rollback(True)
