import datetime as dt
import zoneinfo

import pytest
from django.test import override_settings
from django.utils import translation

from esar.core import thaidate


def test_dates_are_shown_in_the_buddhist_era_in_thai():
    with translation.override("th"):
        assert thaidate.format_date(dt.date(2021, 6, 30)) == "30 มิ.ย. 2564"
        assert thaidate.format_date(dt.date(2021, 6, 30), "long") == "30 มิถุนายน 2564"


def test_thai_digits_on_request():
    with translation.override("th"):
        assert thaidate.format_date(dt.date(2021, 6, 30), thai_digits=True) == "๓๐ มิ.ย. ๒๕๖๔"
    with override_settings(ESAR_THAI_DIGITS=True), translation.override("th"):
        assert thaidate.format_date(dt.date(2021, 6, 30)) == "๓๐ มิ.ย. ๒๕๖๔"


def test_english_keeps_the_buddhist_year():
    with translation.override("en"):
        assert thaidate.format_date(dt.date(2021, 6, 30)) == "30 Jun B.E. 2564"


def test_datetimes_are_shown_in_thai_time():
    # 17:30 UTC on 30 June is 00:30 on 1 July in Bangkok: the date must move too.
    moment = dt.datetime(2021, 6, 30, 17, 30, tzinfo=dt.UTC)
    with translation.override("th"):
        assert thaidate.format_datetime(moment) == "1 ก.ค. 2564 00:30 น."
        assert thaidate.format_date(moment) == "1 ก.ค. 2564"


def test_year_conversions_and_empty_values():
    assert thaidate.be_year(dt.date(2020, 5, 16)) == 2563
    assert thaidate.be_year(2021) == 2564
    assert thaidate.ce_year(2564) == 2021
    assert thaidate.format_date(None) == ""
    assert thaidate.format_datetime(None) == ""
    bangkok = zoneinfo.ZoneInfo("Asia/Bangkok")
    assert (
        thaidate.format_date(dt.datetime(2024, 1, 1, 0, 5, tzinfo=bangkok), lang="th")
        == "1 ม.ค. 2567"
    )


def test_template_filters_use_the_same_helper():
    from django.template import Context, Template

    with translation.override("th"):
        out = Template("{{ d|be_date }}|{{ d|be_date:'long' }}|{{ d|be_year }}").render(
            Context({"d": dt.date(2021, 6, 30)})
        )
    assert out == "30 มิ.ย. 2564|30 มิถุนายน 2564|2564"


# --- Reading dates as Thai officials type them --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "16/5/2569",
        "16/05/2569",
        "16.5.2569",
        "16-5-2569",
        " 16 / 5 / 2569 ",
        "๑๖/๕/๒๕๖๙",
        "16/5/2569\u200b",
        "2026-05-16",
        "2026-05-16 00:00:00",
    ],
)
def test_parse_date_reads_buddhist_era_and_iso(text):
    assert thaidate.parse_date(text) == dt.date(2026, 5, 16)


def test_a_common_era_year_cannot_be_mistaken_for_a_buddhist_one():
    # 2026 as B.E. would be 1483: no deadline falls there, so it can only mean C.E.
    assert thaidate.parse_date("16/5/2026") == dt.date(2026, 5, 16)
    assert thaidate.parse_date("2569-05-16") == dt.date(2026, 5, 16)


@pytest.mark.parametrize(
    "text", ["", "16/5", "16/5/69", "31/2/2569", "16/13/2569", "พรุ่งนี้", "1/1/1800", "5/16/2569"]
)
def test_parse_date_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        thaidate.parse_date(text)


def test_format_input_date_writes_back_what_parse_date_reads():
    assert thaidate.format_input_date(dt.date(2026, 5, 16)) == "16/5/2569"
    assert thaidate.format_input_date(None) == ""
    assert thaidate.parse_date(thaidate.format_input_date(dt.date(2024, 2, 29))) == dt.date(
        2024, 2, 29
    )
