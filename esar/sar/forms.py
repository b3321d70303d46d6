"""Forms of the SAR pages. Each edit form carries the version of the draft it started from, so that
the service can refuse a save over someone else's newer one; the forms only turn fields into the
parts of the content that `esar.sar.services.drafts.save_draft` takes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from esar.core.forms import ThaiDateField
from esar.cycles.forms import YearFilterForm
from esar.sar import content as sar_content
from esar.sar.filters import LATE_CHOICES, STATUS_CHOICES
from esar.sar.models import AttachmentKind
from esar.sar.services.revisions import ReasonInput
from esar.standards.models import QualityLevel, Standard, StandardItem

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import StrOrPromise

VERSION_INPUT_ID = "sar-version"


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(min_value=1, widget=forms.HiddenInput(attrs={"id": VERSION_INPUT_ID}))


def _text(label: StrOrPromise, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=sar_content.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )


def _count(label: StrOrPromise) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )


class VersionForm(forms.Form):
    """The version the person's page showed: for submitting and starting from last year."""

    version = _version_field()


# --- Lists -----------------------------------------------------------------------------------


class SarFilterForm(YearFilterForm):
    field_order = ["q", "year", "province", "lao", "status", "late", "target_group"]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    lao = forms.CharField(label=_("LAO code"), required=False, max_length=7)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *STATUS_CHOICES]
    )
    late = forms.ChoiceField(
        label=_("Sent"), required=False, choices=[("", _("On time or late")), *LATE_CHOICES]
    )
    target_group = forms.ChoiceField(
        label=_("Target group"),
        required=False,
        choices=[
            ("", _("All institutions")),
            ("yes", _("In the target group")),
            ("no", _("Not in the target group")),
        ],
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        chosen = {
            key: value
            for key, value in self.cleaned_data.items()
            if value and key not in ("year", "target_group")
        }
        if self.cleaned_data.get("target_group") and self.chosen_year is not None:
            # The target group of the year the list shows.
            chosen["target_group"] = self.cleaned_data["target_group"] == "yes"
            chosen["year"] = self.chosen_year
        return chosen


# --- The draft ---------------------------------------------------------------------------------


class BasicDataForm(forms.Form):
    version = _version_field()
    as_of = ThaiDateField(
        label=_("Counts as of"),
        required=False,
        help_text=_("The date the numbers of students and staff were taken on."),
    )

    def __init__(self, *args: Any, levels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels
        for level, label in levels:
            self.fields[f"students_{level}"] = _count(label)
        for kind, staff_label in sar_content.STAFF_TYPES.items():
            self.fields[f"staff_{kind}"] = _count(staff_label)
        self.fields["as_of"].widget.attrs["class"] = "form-control"

    @staticmethod
    def initial_from(basic: sar_content.BasicData, version: int) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": version, "as_of": basic.as_of}
        initial.update({f"students_{key}": value for key, value in basic.students.items()})
        initial.update({f"staff_{key}": value for key, value in basic.staff.items()})
        return initial

    def student_fields(self) -> list[forms.BoundField]:
        return [self[f"students_{level}"] for level, _label in self.levels]

    def staff_fields(self) -> list[forms.BoundField]:
        return [self[f"staff_{kind}"] for kind in sar_content.STAFF_TYPES]

    def basic_data(self, tests: list[dict[str, Any]]) -> dict[str, Any]:
        data = self.cleaned_data
        as_of = data.get("as_of")
        return {
            "as_of": as_of.isoformat() if as_of else None,
            "students": {
                level: data[f"students_{level}"]
                for level, _label in self.levels
                if data.get(f"students_{level}") is not None
            },
            "staff": {
                kind: data[f"staff_{kind}"]
                for kind in sar_content.STAFF_TYPES
                if data.get(f"staff_{kind}") is not None
            },
            "tests": tests,
        }


class TestResultForm(forms.Form):
    """One national test result (O-NET, NT, RT …); a row left blank is ignored."""

    test = forms.CharField(label=_("Test"), required=False, max_length=100)
    grade = forms.CharField(label=_("Grade"), required=False, max_length=100)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=100)
    score = forms.FloatField(
        label=_("School's average"), required=False, min_value=0, max_value=100
    )
    national_average = forms.FloatField(
        label=_("National average"), required=False, min_value=0, max_value=100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, bound in self.fields.items():
            bound.widget.attrs["class"] = "form-control form-control-sm"
            if name in ("score", "national_average"):
                bound.widget.attrs["step"] = "any"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (the stubs say it may be None)
        filled = any(value not in (None, "") for value in data.values())
        if filled and not data.get("test"):
            self.add_error("test", _("Name the test, for example O-NET."))
        return data

    def result(self) -> dict[str, Any] | None:
        data = getattr(self, "cleaned_data", None) or {}
        if not data.get("test"):
            return None
        return {
            "test": data["test"],
            "grade": data.get("grade") or "",
            "subject": data.get("subject") or "",
            "score": data.get("score"),
            "national_average": data.get("national_average"),
        }

    @staticmethod
    def initial_from(test: sar_content.TestResult) -> dict[str, Any]:
        return test.model_dump()


TestResultFormSet = forms.formset_factory(TestResultForm, extra=2, max_num=200, validate_max=True)


def tests_of(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [row for form in formset.forms if (row := form.result()) is not None]


STANDARD_PREFIX = "standard_"


class ItemsForm(forms.Form):
    """One standard: every item's level reached, target and three texts, then the standard as a
    whole (its level, strengths and points to improve)."""

    version = _version_field()

    def __init__(
        self,
        *args: Any,
        items: list[StandardItem],
        levels: list[QualityLevel],
        standard: Standard,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.standard = standard
        choices = [("", _("Not chosen")), *((level.rank, level.name) for level in levels)]
        self.fields[f"{STANDARD_PREFIX}level"] = forms.TypedChoiceField(
            label=_("Level of the standard as a whole"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=choices,
            widget=forms.Select(attrs={"class": "form-select"}),
        )
        for name, label in sar_content.STANDARD_TEXT_FIELDS.items():
            self.fields[f"{STANDARD_PREFIX}{name}"] = _text(label, rows=4)
        for item in items:
            for name, label in (("level", _("Level reached")), ("target", _("Target"))):
                self.fields[self.key(item, name)] = forms.TypedChoiceField(
                    label=label,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=choices,
                    widget=forms.Select(attrs={"class": "form-select"}),
                )
            for name, label in sar_content.ITEM_TEXT_FIELDS.items():
                self.fields[self.key(item, name)] = _text(label, rows=3)

    @staticmethod
    def key(item: StandardItem, name: str) -> str:
        return f"item{item.pk}_{name}"

    @classmethod
    def initial_from(
        cls,
        items: list[StandardItem],
        content: sar_content.Content,
        version: int,
        standard: Standard,
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": version}
        standard_entry = content.standards.get(str(standard.pk)) or sar_content.StandardEntry()
        for name in ("level", *sar_content.STANDARD_TEXT_FIELDS):
            initial[f"{STANDARD_PREFIX}{name}"] = getattr(standard_entry, name)
        for item in items:
            entry = content.items.get(str(item.pk)) or sar_content.ItemEntry()
            for name in ("level", "target", *sar_content.ITEM_TEXT_FIELDS):
                initial[cls.key(item, name)] = getattr(entry, name)
        return initial

    def fields_of(self, item: StandardItem) -> dict[str, forms.BoundField]:
        return {
            name: self[self.key(item, name)]
            for name in ("level", "target", *sar_content.ITEM_TEXT_FIELDS)
        }

    def items_data(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            str(item.pk): {
                name: data.get(self.key(item, name))
                if name in ("level", "target")
                else data.get(self.key(item, name)) or ""
                for name in ("level", "target", *sar_content.ITEM_TEXT_FIELDS)
            }
            for item in self.items
        }

    def standard_fields(self) -> dict[str, forms.BoundField]:
        return {
            name: self[f"{STANDARD_PREFIX}{name}"]
            for name in ("level", *sar_content.STANDARD_TEXT_FIELDS)
        }

    def standard_data(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        entry: dict[str, Any] = {"level": data.get(f"{STANDARD_PREFIX}level")}
        for name in sar_content.STANDARD_TEXT_FIELDS:
            entry[name] = data.get(f"{STANDARD_PREFIX}{name}") or ""
        return {str(self.standard.pk): entry}


class SummaryForm(forms.Form):
    version = _version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in sar_content.SUMMARY_FIELDS.items():
            self.fields[name] = _text(label, rows=6)

    @staticmethod
    def initial_from(summary: sar_content.Summary, version: int) -> dict[str, Any]:
        return {"version": version, **summary.model_dump()}

    def summary(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in sar_content.SUMMARY_FIELDS}


# --- Files -----------------------------------------------------------------------------------


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=AttachmentKind.choices, widget=forms.HiddenInput)
    # Empty files reach the service, which says why it refuses them in its own words.
    file = forms.FileField(
        label=_("PDF file"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


# --- Review ------------------------------------------------------------------------------------


class AcceptForm(forms.Form):
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the school (optional)"),
        required=False,
        max_length=sar_content.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


REASON_SECTIONS = {
    "general": _("Reasons about the whole report"),
    "basic_data": _("Basic data"),
    "summary": _("Summary"),
    "document": _("SAR document (PDF)"),
    "evidence": _("Evidence files"),
}


class ReturnForm(forms.Form):
    """Reasons for a return: about the report, about a part, about an item. Blank ones are
    ignored; at least one is needed (the service says so)."""

    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, items: list[StandardItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for section, label in REASON_SECTIONS.items():
            self.fields[f"reason_{section}"] = _text(label, rows=4 if section == "general" else 2)
        for item in items:
            self.fields[self.key(item)] = _text(f"{item.number} {item.name}", rows=2)

    @staticmethod
    def key(item: StandardItem) -> str:
        return f"reason_item{item.pk}"

    def section_fields(self) -> list[forms.BoundField]:
        return [self[f"reason_{section}"] for section in REASON_SECTIONS]

    def item_field(self, item: StandardItem) -> forms.BoundField:
        return self[self.key(item)]

    def reasons(self) -> list[ReasonInput]:
        data = self.cleaned_data
        reasons = [
            ReasonInput(section, data.get(f"reason_{section}") or "") for section in REASON_SECTIONS
        ]
        reasons += [
            ReasonInput("item", data.get(self.key(item)) or "", item.pk) for item in self.items
        ]
        return [reason for reason in reasons if reason.text.strip()]
