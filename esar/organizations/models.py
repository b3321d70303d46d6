"""The registry: the national agencies, provinces and their offices, local authorities, institutions.

Every model that a user may or may not see declares `scope_paths`: for each level of the hierarchy
(province, lao, institution) the lookup that reaches that level's id. `esar.accounts.scoping` uses
them; no view filters by hand.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

LAO_CODE_RE = r"^\d{7}$"
INSTITUTION_CODE_RE = r"^\d{10}$"


class LocalizedNameMixin:
    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        lang = translation.get_language() or "th"
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name_th


class Agency(LocalizedNameMixin, models.Model):
    """A national body: the Department of Local Administration (DLA) or ONESQA."""

    class Kind(models.TextChoices):
        DLA = "DLA", _("Department of Local Administration (DLA)")
        ONESQA = "ONESQA", _("ONESQA")

    code = models.CharField(_("code"), max_length=16, primary_key=True, choices=Kind.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    short_name_th = models.CharField(_("short name (Thai)"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("national agency")
        verbose_name_plural = _("national agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Province(LocalizedNameMixin, models.Model):
    class Region(models.TextChoices):
        NORTH = "north", _("North")
        NORTHEAST = "northeast", _("Northeast")
        CENTRAL = "central", _("Central")
        EAST = "east", _("East")
        WEST = "west", _("West")
        SOUTH = "south", _("South")

    code = models.CharField(
        _("province code"),
        max_length=2,
        primary_key=True,
        validators=[RegexValidator(r"^\d{2}$", _("A province code has 2 digits."))],
    )
    name_th = models.CharField(_("name (Thai)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, unique=True)
    region = models.CharField(_("region"), max_length=16, choices=Region.choices)

    scope_paths = {"province": "pk", "lao": "laos", "institution": "laos__institutions"}

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name_th"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_office(self) -> bool:
        # Bangkok is itself a special local authority and has no provincial office.
        return self.code != "10"


class ProvincialOffice(LocalizedNameMixin, models.Model):
    """สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด (สถจ.): its primary key is its province's code."""

    province = models.OneToOneField(
        Province,
        verbose_name=_("province"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="office",
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    scope_paths = {
        "province": "pk",
        "lao": "province__laos",
        "institution": "province__laos__institutions",
    }

    class Meta:
        verbose_name = _("provincial office")
        verbose_name_plural = _("provincial offices")
        ordering = ["name_th"]

    def __str__(self) -> str:
        return self.name


class LaoType(models.TextChoices):
    PAO = "pao", _("Provincial Administrative Organisation (PAO)")
    CITY_MUNICIPALITY = "city", _("City municipality")
    TOWN_MUNICIPALITY = "town", _("Town municipality")
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("Subdistrict municipality")
    SAO = "sao", _("Subdistrict Administrative Organisation (SAO)")
    BANGKOK = "bangkok", _("Bangkok Metropolitan Administration")
    PATTAYA = "pattaya", _("Pattaya City")


class LocalAuthority(LocalizedNameMixin, models.Model):
    """A local administrative organisation (LAO, อปท.): the affiliated authority of its institutions."""

    code = models.CharField(
        _("LAO code"),
        max_length=7,
        unique=True,
        validators=[RegexValidator(LAO_CODE_RE, _("An LAO code has 7 digits."))],
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    lao_type = models.CharField(_("type"), max_length=32, choices=LaoType.choices)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="laos"
    )
    district = models.CharField(_("district"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    scope_paths = {"province": "province", "lao": "pk", "institution": "institutions"}

    class Meta:
        verbose_name = _("local authority")
        verbose_name_plural = _("local authorities")
        ordering = ["name_th", "code"]
        indexes = [
            models.Index(fields=["province", "name_th"]),
            models.Index(fields=["name_th"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lao_type__in=[choice.value for choice in LaoType]),
                name="lao_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LaoTypeChange(models.Model):
    """One change of an LAO's type (e.g. an SAO upgraded to a subdistrict municipality)."""

    lao = models.ForeignKey(
        LocalAuthority,
        verbose_name=_("local authority"),
        on_delete=models.CASCADE,
        related_name="type_changes",
    )
    from_type = models.CharField(_("from type"), max_length=32, choices=LaoType.choices, blank=True)
    to_type = models.CharField(_("to type"), max_length=32, choices=LaoType.choices)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=64, blank=True)

    scope_paths = {"province": "lao__province", "lao": "lao", "institution": "lao__institutions"}

    class Meta:
        verbose_name = _("LAO type change")
        verbose_name_plural = _("LAO type changes")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.lao_id}: {self.from_type or '-'} → {self.to_type}"


class InstitutionKind(models.TextChoices):
    SCHOOL = "school", _("School")
    COLLEGE = "college", _("College")
    CHILD_CENTRE = "child_centre", _("Child development centre")


class EducationLevel(models.TextChoices):
    """The levels that have their own standard set."""

    EARLY_CHILDHOOD = "early_childhood", _("Early childhood")
    BASIC = "basic", _("Basic education")
    VOCATIONAL = "vocational", _("Vocational education")


class Institution(LocalizedNameMixin, models.Model):
    """A school, college or child development centre, belonging to one LAO."""

    code = models.CharField(
        _("MOE code"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(INSTITUTION_CODE_RE, _("A Ministry of Education code has 10 digits."))
        ],
        help_text=_("The 10-digit Ministry of Education code."),
    )
    onesqa_code = models.CharField(_("ONESQA code"), max_length=20, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InstitutionKind.choices)
    lao = models.ForeignKey(
        LocalAuthority,
        verbose_name=_("local authority"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    teaches_early_childhood = models.BooleanField(_("teaches early childhood"), default=False)
    teaches_basic = models.BooleanField(_("teaches basic education"), default=False)
    teaches_vocational = models.BooleanField(_("teaches vocational education"), default=False)
    district = models.CharField(_("district"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    scope_paths = {"province": "lao__province", "lao": "lao", "institution": "pk"}

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name_th", "code"]
        indexes = [
            models.Index(fields=["lao", "name_th"]),
            models.Index(fields=["name_th"]),
            models.Index(fields=["onesqa_code"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["onesqa_code"],
                condition=~Q(onesqa_code=""),
                name="institution_onesqa_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in InstitutionKind]),
                name="institution_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(teaches_early_childhood=True)
                | Q(teaches_basic=True)
                | Q(teaches_vocational=True),
                name="institution_teaches_some_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def levels(self) -> list[EducationLevel]:
        levels = []
        if self.teaches_early_childhood:
            levels.append(EducationLevel.EARLY_CHILDHOOD)
        if self.teaches_basic:
            levels.append(EducationLevel.BASIC)
        if self.teaches_vocational:
            levels.append(EducationLevel.VOCATIONAL)
        return levels
