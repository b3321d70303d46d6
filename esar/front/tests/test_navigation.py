"""Each role's menu, as the apps register it: the same links, in the same order, as before the
entries moved out of one function (esar.core.sections)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from esar.delivery.accounts import issue_account
from esar.front.navigation import items_for

MENUS = {
    "dla_admin": [
        "/", "/sar/all/", "/synthesis/all/", "/monitoring/", "/supervision/",
        ["/registry/provinces/", "/registry/laos/", "/registry/institutions/"],
        ["/circulars/", "/standards/", "/years/", "/registry/import/", "/assessments/import/",
         "/helpdesk/contact/", "/audit/", "/accounts/reset/", "/esar/accounts/",
         "/accounts/policy/", "/monitoring/reminders/"],
    ],
    "dla_analyst": [
        "/", "/sar/all/", "/synthesis/all/", "/monitoring/", "/supervision/",
        ["/registry/provinces/", "/registry/laos/", "/registry/institutions/"],
        ["/circulars/", "/standards/", "/years/", "/audit/"],
    ],
    "onesqa_reviewer": [
        "/", "/esar/inbox/",
        ["/registry/provinces/", "/registry/laos/", "/registry/institutions/"],
        ["/circulars/", "/standards/", "/years/", "/assessments/import/"],
    ],
    "helpdesk": [
        "/", "/helpdesk/",
        ["/registry/provinces/", "/registry/laos/", "/registry/institutions/"],
        ["/circulars/", "/standards/", "/years/", "/accounts/reset/"],
    ],
    "cm_supervisor": [
        "/", "/sar/all/", "/synthesis/all/", "/monitoring/", "/supervision/",
        ["/registry/laos/", "/registry/institutions/"],
        ["/circulars/", "/standards/", "/years/", "/accounts/reset/", "/esar/accounts/"],
    ],
    "cm_city_officer": [
        "/", "/sar/queue/", "/synthesis/", "/esar/", "/registry/institutions/",
        ["/circulars/", "/standards/", "/years/", "/supervision/", "/helpdesk/",
         "/accounts/reset/"],
    ],
    "cm_school_officer": [
        "/", "/sar/", "/registry/institutions/mine/",
        ["/circulars/", "/standards/", "/years/", "/supervision/"],
    ],
    "nobody": [],
}  # fmt: skip


def _links(user) -> list:
    return [
        [child.url for child in item.children] if item.children else item.url
        for item in items_for(user)
    ]


@pytest.mark.parametrize("persona", sorted(MENUS))
def test_each_role_gets_its_menu_in_order(world, persona):
    assert _links(getattr(world, persona)) == MENUS[persona]


def test_the_esar_delivery_account_gets_delivery_circulars_and_the_helpdesk(world):
    from esar.accounts.models import OneTimePassword, User

    issued = issue_account(lao=world.cm_city, actor=world.dla_admin)
    OneTimePassword.objects.filter(user=issued.account.user).update(replaced_at=timezone.now())
    account = User.objects.select_related("membership").get(pk=issued.account.user.pk)
    assert _links(account) == ["/", "/esar/", ["/circulars/", "/helpdesk/"]]
