"""Writes to standard sets: a new version, and taking a set out of (or back into) use.

Nothing here edits or deletes the standards, items or quality levels of a set: reports point at
them, so a change of wording is a new version.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.core import audit
from esar.core.text import normalize_text
from esar.organizations.models import EducationLevel
from esar.standards.importing import StandardRows
from esar.standards.models import QualityLevel, Standard, StandardItem, StandardSet
from esar.standards.reference import default_quality_levels

YEAR_MIN = 2500
YEAR_MAX = 2700


def set_code(education_level: str, version: int) -> str:
    """basic-2568, early-childhood-2568: the code of a level's set of one version."""
    return f"{education_level.replace('_', '-')}-{version}"


def default_levels() -> list[tuple[str, str]]:
    return [(level["name_th"], level["name_en"]) for level in default_quality_levels()]


def _require(actor: User) -> None:
    if not has_perm(actor, Perm.STANDARDS_MANAGE):
        raise PermissionDenied


def duplicate_version_error(education_level: str, version: int) -> ValidationError:
    return ValidationError(
        gettext(
            "A standard set of %(level)s, version %(version)s, already exists. A set is never "
            "replaced: give the new set another version (the B.E. year of its announcement)."
        )
        % {"level": EducationLevel(education_level).label, "version": version},
        code="duplicate_version",
    )


def version_exists(education_level: str, version: int) -> bool:
    return StandardSet.objects.filter(
        Q(education_level=education_level, version=version)
        | Q(code=set_code(education_level, version))
    ).exists()


def _check(
    *,
    education_level: str,
    version: int,
    effective_from_year: int,
    name_th: str,
    standards: Sequence[StandardRows],
    levels: Sequence[tuple[str, str]],
) -> None:
    errors = []
    if education_level not in EducationLevel.values:
        errors.append(gettext("Choose an education level."))
    for year in (version, effective_from_year):
        if not YEAR_MIN <= year <= YEAR_MAX:
            errors.append(
                gettext("%(year)s is not a Buddhist-era year between %(min)s and %(max)s.")
                % {"year": year, "min": YEAR_MIN, "max": YEAR_MAX}
            )
    if not name_th:
        errors.append(gettext("The set needs a name in Thai."))
    if not standards or any(not standard.items for standard in standards):
        errors.append(gettext("Every standard of the set needs at least one item."))
    names = [name_th for name_th, _name_en in levels]
    if len(levels) < 2 or any(not name for name in names) or len(set(names)) != len(names):
        errors.append(gettext("The quality levels need different names, at least two of them."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_standard_set(
    *,
    actor: User,
    education_level: str,
    version: int,
    effective_from_year: int,
    name_th: str,
    name_en: str = "",
    source_th: str = "",
    standards: Sequence[StandardRows],
    quality_levels: Sequence[tuple[str, str]] | None = None,
    filename: str = "",
    ip_address: str | None = None,
) -> StandardSet:
    """Create a new version of a level's standard set, whole, or nothing at all.

    `standards` come checked from `importing.read_standards_file`; `quality_levels` are
    (Thai, English) names from the lowest up, the five levels of 2561 when not given.
    """
    _require(actor)
    name_th, name_en, source_th = (normalize_text(v) for v in (name_th, name_en, source_th))
    levels = [
        (normalize_text(th), normalize_text(en)) for th, en in (quality_levels or default_levels())
    ]
    _check(
        education_level=education_level,
        version=version,
        effective_from_year=effective_from_year,
        name_th=name_th,
        standards=standards,
        levels=levels,
    )
    if version_exists(education_level, version):
        raise duplicate_version_error(education_level, version)
    try:
        with transaction.atomic():
            standard_set = StandardSet.objects.create(
                code=set_code(education_level, version),
                education_level=education_level,
                version=version,
                effective_from_year=effective_from_year,
                name_th=name_th,
                name_en=name_en,
                source_th=source_th,
            )
    except IntegrityError:
        # Another administrator created the same version a moment ago.
        raise duplicate_version_error(education_level, version) from None
    QualityLevel.objects.bulk_create(
        QualityLevel(standard_set=standard_set, rank=rank, name_th=th, name_en=en)
        for rank, (th, en) in enumerate(levels, start=1)
    )
    items: list[StandardItem] = []
    for order, rows in enumerate(standards, start=1):
        standard = Standard.objects.create(
            standard_set=standard_set,
            number=rows.number,
            name_th=normalize_text(rows.name_th),
            name_en=normalize_text(rows.name_en),
            order=order,
        )
        items.extend(
            StandardItem(
                standard=standard,
                number=item.number,
                group_th=normalize_text(item.group_th),
                group_en=normalize_text(item.group_en),
                name_th=normalize_text(item.name_th),
                name_en=normalize_text(item.name_en),
                order=item_order,
            )
            for item_order, item in enumerate(rows.items, start=1)
        )
    StandardItem.objects.bulk_create(items)
    audit.record(
        action="standards.set_created",
        actor=actor,
        obj=standard_set,
        ip_address=ip_address,
        data={
            "code": standard_set.code,
            "education_level": education_level,
            "version": version,
            "effective_from_year": effective_from_year,
            "standards": len(standards),
            "items": len(items),
            "quality_levels": [th for th, _en in levels],
            "file": filename,
        },
    )
    return standard_set


def set_standard_set_active(
    *, actor: User, standard_set: StandardSet, active: bool, ip_address: str | None = None
) -> bool:
    """Offer a set for new reports again, or stop offering it; False when it already was so.

    Reports already written against the set keep it either way.
    """
    _require(actor)
    with transaction.atomic():
        changed = StandardSet.objects.filter(pk=standard_set.pk, is_active=not active).update(
            is_active=active
        )
        if changed:
            audit.record(
                action="standards.set_reactivated" if active else "standards.set_deactivated",
                actor=actor,
                obj=standard_set,
                ip_address=ip_address,
                data={"code": standard_set.code},
            )
    standard_set.is_active = active
    return bool(changed)
