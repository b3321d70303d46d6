"""Links from an LAO's registry page to its e-SAR account (DLA) and its deliveries."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from esar.accounts.permissions import Perm, has_perm

register = template.Library()


@register.inclusion_tag("delivery/includes/lao_links.html", takes_context=True)
def delivery_links(context: dict[str, Any], lao: Any) -> dict[str, Any]:
    user = context.get("user")
    links = []
    if has_perm(user, Perm.DELIVERY_VIEW):
        links.append((reverse("delivery:lao", args=[lao.code]), _("Deliveries into e-SAR")))
    if has_perm(user, Perm.ESAR_ACCOUNTS_ISSUE):
        links.append((reverse("delivery:accounts", args=[lao.pk]), _("e-SAR account")))
    return {"links": links}
