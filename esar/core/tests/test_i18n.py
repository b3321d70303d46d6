"""Thai first: the catalogue is complete and compiled, pages speak Thai, English is one click away."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_message_has_a_thai_translation():
    catalogue = polib.pofile(str(PO))
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert missing == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.pofile(str(PO))
        if not e.obsolete
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(MO))
        if e.msgid
    }
    assert compiled == source, "run `make messages` to recompile locale/th/LC_MESSAGES/django.mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    # Extract the strings afresh into a copy of the tree and compare the message ids.
    root = Path(settings.BASE_DIR)
    work = tmp_path / "tree"
    shutil.copytree(
        root / "esar", work / "esar", ignore=shutil.ignore_patterns("__pycache__", "tests")
    )
    shutil.copytree(root / "config", work / "config", ignore=shutil.ignore_patterns("__pycache__"))
    (work / "locale").mkdir()
    subprocess.run(
        [
            str(Path(settings.BASE_DIR) / ".venv" / "bin" / "django-admin"),
            "makemessages",
            "-l",
            "th",
            "--no-location",
        ],
        cwd=work,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": ""},
    )
    fresh = {
        e.msgid for e in polib.pofile(str(work / "locale" / "th" / "LC_MESSAGES" / "django.po"))
    }
    known = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(fresh - known) == [], "run `make messages` and translate the new strings"


def test_pages_are_in_thai_by_default_and_english_on_request(client, world):
    client.force_login(world.cm_supervisor)
    body = client.get("/").content.decode()
    assert '<html lang="th">' in body
    assert "จังหวัดของคุณ" in body
    assert "ออกจากระบบ" in body
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Your province" in body
    assert "Log out" in body


def test_an_english_browser_still_gets_thai_until_the_user_switches(client, world):
    client.force_login(world.cm_school_officer)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="th">' in response.content.decode()
    assert response["Content-Language"] == "th"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="th")
    assert '<html lang="en">' in response.content.decode()
    # A language the system does not have falls back to Thai.
    client.cookies["esar_language"] = "fr"
    assert '<html lang="th">' in client.get("/").content.decode()
