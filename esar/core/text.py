"""Cleaning of typed Thai text: what spreadsheets and copy-paste put into names and codes."""

from __future__ import annotations

import re
import unicodedata

# Zero-width characters that copy-paste from the web and Word leave behind.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Control characters (NUL and friends) that no name contains and PostgreSQL refuses to store.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# SARA AM typed as NIKHAHIT + SARA AA looks identical but does not compare equal.
_SARA_AM_SPLIT = "\u0e4d\u0e32"


def normalize_text(value: object) -> str:
    """Trim, collapse every kind of space to one, drop invisible and control characters, fix split
    SARA AM."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    text = _CONTROL.sub("", text)
    text = text.replace(_SARA_AM_SPLIT, "\u0e33")
    return _SPACES.sub(" ", text).strip()


def normalize_code(value: object) -> str:
    """A code as typed: trimmed, invisible characters dropped, Thai digits made Arabic.

    Inner spaces are kept so that validation can reject them instead of guessing.
    """
    text = normalize_text(value)
    if text.endswith(".0") and text[:-2].isdigit():
        # Excel stores long codes as numbers: 5010401 comes back as 5010401.0.
        text = text[:-2]
    return text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
