"""Template filters for Buddhist-era dates and Thai digits (loaded as builtins everywhere)."""

from __future__ import annotations

from django import template

from esar.core import thaidate

register = template.Library()


@register.filter
def be_date(value, style: str = "short") -> str:
    return thaidate.format_date(value, style)


@register.filter
def be_datetime(value, style: str = "short") -> str:
    return thaidate.format_datetime(value, style)


@register.filter
def be_year(value) -> str:
    if value in (None, ""):
        return ""
    return str(thaidate.be_year(value))


@register.filter
def thai_digits(value) -> str:
    return thaidate.to_thai_digits(value)
