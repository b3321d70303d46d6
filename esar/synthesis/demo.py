"""Demo syntheses, made through the real services (idempotent).

Academic year 2568: every demo LAO completed its synthesis before the deadline, with a summary
and an issue for ONESQA. Academic year 2569: the first LAO is writing its synthesis.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from esar.accounts.models import Membership, User
from esar.accounts.roles import Role
from esar.cycles.models import AcademicYear
from esar.sar.models import RevisionStandardRating, Sar, SarStatus
from esar.synthesis import services
from esar.synthesis.models import Synthesis, SynthesisVersion

PAST_YEAR, CURRENT_YEAR = 2568, 2569
SUMMARY = (
    "สถานศึกษาในสังกัดส่วนใหญ่มีคุณภาพอยู่ในระดับดีขึ้นไป จุดเด่นร่วมคือความร่วมมือของชุมชน "
    "และการดูแลสุขภาวะของผู้เรียน ประเด็นที่ต้องพัฒนาต่อเนื่องคือการอ่านออกเขียนได้ "
    "และการใช้เทคโนโลยีในการจัดการเรียนรู้ องค์กรปกครองส่วนท้องถิ่นจะจัดอบรมครูและนิเทศติดตาม"
)
ISSUE = "ขอให้ สมศ. ประเมินและติดตามผลการพัฒนาการอ่านออกเขียนได้ของผู้เรียน"


def _lao_officers() -> dict[int, User]:
    officers: dict[int, User] = {}
    for membership in Membership.objects.filter(
        role=Role.LAO_OFFICER, user__is_active=True, lao__isnull=False
    ).select_related("user"):
        # lao__isnull=False above: every row has its LAO.
        officers.setdefault(cast(int, membership.lao_id), membership.user)
    return officers


def _write(lao_id: int, year: AcademicYear, officer: User) -> Synthesis:
    from esar.organizations.models import LocalAuthority

    lao = LocalAuthority.objects.get(pk=lao_id)
    synthesis = services.open_synthesis(lao=lao, year=year, actor=officer)
    # The issue is about the first standard an institution rated (every set has one).
    standard_id = (
        RevisionStandardRating.objects.filter(
            revision__sar__institution__lao=lao, revision__sar__year=year
        )
        .order_by("standard__standard_set__education_level", "standard__order")
        .values_list("standard_id", flat=True)
        .first()
    )
    issues = [services.IssueInput(ISSUE, [standard_id], [])] if standard_id else []
    return services.save(
        synthesis=synthesis,
        actor=officer,
        expected_version=synthesis.version,
        summary=SUMMARY,
        issues=issues,
    )


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def seed_demo_syntheses() -> int:
    """Create the demo syntheses that are missing; return how many were created."""
    years = {y.year: y for y in AcademicYear.objects.filter(pk__in=[PAST_YEAR, CURRENT_YEAR])}
    if len(years) < 2:
        return 0
    officers = _lao_officers()
    created = 0
    laos = sorted(
        set(
            Sar.objects.filter(year_id=PAST_YEAR, status=SarStatus.ACCEPTED).values_list(
                "institution__lao_id", flat=True
            )
        )
    )
    for index, lao_id in enumerate(laos):
        officer = officers.get(lao_id)
        if officer is None:
            continue
        past = years[PAST_YEAR]
        if not Synthesis.objects.filter(lao_id=lao_id, year=past).exists():
            with transaction.atomic():
                synthesis = _write(lao_id, past, officer)
                version = services.complete(
                    synthesis=synthesis, actor=officer, expected_version=synthesis.version
                )
                # Last year's syntheses were completed before that year's deadline.
                done = timezone.make_aware(
                    dt.datetime.combine(
                        past.synthesis_due - dt.timedelta(days=3 + index % 10), dt.time(14, 0)
                    )
                )
                SynthesisVersion.objects.filter(pk=version.pk).update(
                    completed_at=done, is_late=False
                )
                created += 1
        current = years[CURRENT_YEAR]
        if index == 0 and not Synthesis.objects.filter(lao_id=lao_id, year=current).exists():
            with transaction.atomic():
                _write(lao_id, current, officer)
                created += 1
    return created
