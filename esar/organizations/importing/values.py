"""The registry's own values: LAO, MOE and ONESQA codes, provinces, LAO types, kinds, levels."""

from __future__ import annotations

import re
from collections.abc import Iterable

from esar.core.tabular import (
    VALUE_REQUIRED,
    Choices,
    Invalid,
    code_text,
    code_without_space,
    digits_code,
    match_key,
)
from esar.core.text import normalize_text
from esar.organizations.importing.columns import (
    EDUCATION_LEVEL_ALIASES,
    INSTITUTION_CODE_SHAPE,
    INSTITUTION_KIND_ALIASES,
    KIND_UNKNOWN,
    LAO_CODE_PROVINCE,
    LAO_CODE_SHAPE,
    LAO_TYPE_ALIASES,
    LAO_TYPE_UNKNOWN,
    LEVEL_UNKNOWN,
    ONESQA_CODE_SHAPE,
    PROVINCE_ALIASES,
    PROVINCE_PREFIXES,
    PROVINCE_UNKNOWN,
)

parse_lao_type = Choices(LAO_TYPE_ALIASES, LAO_TYPE_UNKNOWN)
parse_kind = Choices(INSTITUTION_KIND_ALIASES, KIND_UNKNOWN)
_LEVELS = Choices(EDUCATION_LEVEL_ALIASES, LEVEL_UNKNOWN)
_LEVEL_SEPARATORS = re.compile(r"[,;/|+]+")
_ONESQA_RE = re.compile(r"^[0-9A-Za-z]{1,20}$")


def parse_lao_code_shape(value: object) -> str:
    return digits_code(value, 7, LAO_CODE_SHAPE)


def parse_lao_code(value: object, province_codes: Iterable[str]) -> str:
    code = parse_lao_code_shape(value)
    if code[1:3] not in province_codes:
        raise Invalid(LAO_CODE_PROVINCE, value=code, digits=code[1:3])
    return code


def parse_institution_code(value: object) -> str:
    return digits_code(value, 10, INSTITUTION_CODE_SHAPE)


def parse_onesqa_code(value: object) -> str:
    code = code_without_space(value)
    if not _ONESQA_RE.match(code):
        raise Invalid(ONESQA_CODE_SHAPE, value=code)
    return code


def province_lookup(provinces: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Every way of writing a province (code, Thai or English name) to its code."""
    table: dict[str, str] = {}
    for code, name_th, name_en in provinces:
        for name in (code, name_th, name_en, *PROVINCE_ALIASES.get(code, ())):
            table[match_key(name)] = code
    return table


def parse_province(value: object, lookup: dict[str, str]) -> str:
    key = match_key(code_text(value))
    if key in lookup:
        return lookup[key]
    for prefix in PROVINCE_PREFIXES:
        stripped = match_key(prefix)
        if key.startswith(stripped) and key[len(stripped) :] in lookup:
            key = key[len(stripped) :]
            break
    if key not in lookup:
        raise Invalid(PROVINCE_UNKNOWN, value=normalize_text(value))
    return lookup[key]


def parse_levels(value: object) -> frozenset[str]:
    """Levels separated by commas or spaces; a level may itself be several words."""
    found: set[str] = set()
    for part in _LEVEL_SEPARATORS.split(normalize_text(value)):
        words = part.split()
        start = 0
        while start < len(words):
            # The longest run of words that names a level, so "Early childhood" is one level.
            for end in range(len(words), start, -1):
                level = _LEVELS.find("".join(words[start:end]))
                if level is not None:
                    found.add(level)
                    start = end
                    break
            else:
                raise _LEVELS.refuse(words[start])
    if not found:
        raise Invalid(VALUE_REQUIRED)
    return frozenset(found)
