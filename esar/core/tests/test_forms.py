"""ThaiDateField: officials type and read dates as 16/5/2569; a bad one is refused in Thai."""

import datetime as dt

from django import forms
from django.utils import translation

from esar.core.forms import ThaiDateField


class DeadlineForm(forms.Form):
    due = ThaiDateField(label="due")
    maybe = ThaiDateField(label="maybe", required=False)


def test_it_reads_a_buddhist_era_date_as_a_common_era_date():
    form = DeadlineForm({"due": "31/3/2570", "maybe": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"due": dt.date(2027, 3, 31), "maybe": None}


def test_it_reads_iso_dates_and_thai_digits():
    assert DeadlineForm({"due": "2027-03-31"}).is_valid()
    form = DeadlineForm({"due": "๓๑/๓/๒๕๗๐"})
    assert form.is_valid()
    assert form.cleaned_data["due"] == dt.date(2027, 3, 31)


def test_it_shows_a_stored_date_in_the_buddhist_era():
    form = DeadlineForm(initial={"due": dt.date(2027, 3, 31)})
    assert form["due"].value() == "31/3/2570"
    html = str(form["due"])
    assert 'value="31/3/2570"' in html
    assert 'type="text"' in html  # no browser date picker, which would show C.E. years
    assert 'inputmode="numeric"' in html


def test_a_bad_date_is_refused_with_a_thai_message_and_shown_back_as_typed():
    with translation.override("th"):
        form = DeadlineForm({"due": "31/2/2570"})
        assert not form.is_valid()
        message = form.errors["due"][0]
    assert "31/2/2570" in message
    assert "16/5/2569" in message
    assert form["due"].value() == "31/2/2570"
    with translation.override("en"):
        form = DeadlineForm({"due": "next week"})
        assert not form.is_valid()
        assert form.errors["due"] == [
            "“next week” is not a date. Write day/month/year in the Buddhist era, for example "
            "16/5/2569."
        ]


def test_an_empty_required_date_is_refused():
    form = DeadlineForm({"due": "  "})
    assert not form.is_valid()
    assert "due" in form.errors


def test_an_unchanged_date_is_not_a_change():
    form = DeadlineForm({"due": "31/3/2570"}, initial={"due": dt.date(2027, 3, 31)})
    assert form.changed_data == []
