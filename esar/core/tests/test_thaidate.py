import datetime as dt
import zoneinfo

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
