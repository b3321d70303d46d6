"""Buddhist-era dates and Thai digits: the one helper every page, export and message uses."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone, translation

from esar.core.text import normalize_code

BE_OFFSET = 543

# Month names are data of the calendar, not UI sentences: they are the same in every catalogue.
_TH_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
_TH_MONTHS_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
_EN_MONTHS_SHORT = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_EN_MONTHS_LONG = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

# 16/5/2569, 16.5.2569, 16-5-2569; ISO 2026-05-16, with a time as spreadsheets export it.
_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]*)?$")
# A year from here on is Buddhist-era: B.E. 2400 was 1857, C.E. 2400 is far beyond any deadline.
BE_YEAR_FROM = 2400
# The Common-era years a typed date may fall in.
_CE_RANGE = (1900, 2200)


def to_thai_digits(text: object) -> str:
    return str(text).translate(_THAI_DIGITS)


def be_year(value: dt.date | int) -> int:
    """The Buddhist-era year of a date (or of a Common-era year)."""
    year = value if isinstance(value, int) else value.year
    return year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def parse_date(text: str) -> dt.date:
    """A date as Thai officials type it, as a (Common-era) date; ValueError if it is none.

    Day/month/year in the Buddhist era (16/5/2569, 16.5.2569, 16-5-2569, Thai digits too) or ISO
    (2026-05-16). A four-digit year of 2400 or more is read as B.E. and anything below as C.E.:
    the two ranges cannot overlap for a real date, so 16/5/2026 is not silently taken for 1483.
    """
    value = normalize_code(text)
    if match := _DAY_FIRST.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(f"not a date: {text!r}")
    if year >= BE_YEAR_FROM:
        year = ce_year(year)
    if not _CE_RANGE[0] <= year <= _CE_RANGE[1]:
        raise ValueError(f"year out of range: {text!r}")
    return dt.date(year, month, day)  # ValueError for 31/2/2569


def format_input_date(value: dt.date | None) -> str:
    """How a date is written back into a form field: '16/5/2569', the way it is typed."""
    if value is None:
        return ""
    return f"{value.day}/{value.month}/{be_year(value)}"


def _use_thai(lang: str | None) -> bool:
    return (lang or translation.get_language() or settings.LANGUAGE_CODE).startswith("th")


def _digits(text: str, thai_digits: bool | None) -> str:
    use = settings.ESAR_THAI_DIGITS if thai_digits is None else thai_digits
    return to_thai_digits(text) if use else text


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def format_date(
    value: dt.date | dt.datetime | None,
    style: str = "short",
    *,
    lang: str | None = None,
    thai_digits: bool | None = None,
) -> str:
    """'30 มิ.ย. 2564' (short) or '30 มิถุนายน 2564' (long); English '30 Jun B.E. 2564'."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    thai = _use_thai(lang)
    if thai:
        months = _TH_MONTHS_LONG if style == "long" else _TH_MONTHS_SHORT
        text = f"{value.day} {months[value.month - 1]} {be_year(value)}"
    else:
        months = _EN_MONTHS_LONG if style == "long" else _EN_MONTHS_SHORT
        text = f"{value.day} {months[value.month - 1]} B.E. {be_year(value)}"
    return _digits(text, thai_digits)


def format_datetime(
    value: dt.datetime | None,
    style: str = "short",
    *,
    lang: str | None = None,
    thai_digits: bool | None = None,
) -> str:
    """'30 มิ.ย. 2564 14:05 น.' in Thai time."""
    if value is None or value == "":
        return ""
    local = _local(value)
    date_part = format_date(local.date(), style, lang=lang, thai_digits=thai_digits)
    time_part = f"{local:%H:%M}"
    text = f"{date_part} {time_part} น." if _use_thai(lang) else f"{date_part}, {time_part}"
    return _digits(text, thai_digits)
