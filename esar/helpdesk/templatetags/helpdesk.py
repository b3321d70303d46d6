"""The "Report a problem with e-SAR" link: shown only to those who may report (LAO officers)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from esar.helpdesk import services
from esar.helpdesk.selectors import can_report

register = template.Library()


@register.simple_tag(takes_context=True)
def helpdesk_report_url(context: dict[str, Any], page_title: str = "") -> str:
    """The report form's address with the current page as `from`, or "" if the user may not
    report (the include then shows nothing)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not can_report(user):
        return ""
    url = reverse("helpdesk:new")
    page = services.local_path(request.get_full_path())
    if page is None:
        return url
    params = {"from": page}
    if page_title:
        params["title"] = str(page_title)[: services.PAGE_TITLE_MAX]
    return f"{url}?{urlencode(params)}"
