"""Print the demo logins that exist in the database: `manage.py demo_accounts [--json] [--all]`."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandParser

from esar.accounts.models import User
from esar.accounts.roles import Role
from esar.organizations import demo

GROUP_TITLES = {
    "national": "National agencies",
    "province": "Province supervisors",
    "lao": "LAO officers",
    "school": "School officers",
    "esar": "e-SAR accounts issued by DLA (log in with these to deliver into e-SAR)",
}


def display_width(text: str) -> int:
    """Terminal columns of `text`: Thai vowel and tone marks take none."""
    return sum(
        0
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def demo_account_rows() -> list[dict[str, Any]]:
    """The seeded demo accounts present in the database, in listing order.

    `password` is None for an account whose password no longer is the demo password.
    """
    plan = demo.demo_accounts()
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[a.username for a in plan]).select_related(
            "membership__agency",
            "membership__province_office",
            "membership__lao",
            "membership__institution",
        )
    }
    # Seeding hashes the password once, so all untouched accounts share a handful of hashes:
    # verifying each distinct hash once keeps this fast with argon2.
    demo_hashes = {
        encoded
        for encoded in {user.password for user in users.values()}
        if check_password(demo.DEMO_PASSWORD, encoded)
    }
    rows = []
    for account in plan:
        user = users.get(account.username)
        membership = getattr(user, "membership", None) if user is not None else None
        if user is None or membership is None:
            continue
        organization = membership.organization
        rows.append(
            {
                "username": user.username,
                "password": demo.DEMO_PASSWORD if user.password in demo_hashes else None,
                "role": membership.role,
                "role_label": str(Role(membership.role).label),
                "organization_code": membership.organization_code,
                "organization_name": getattr(organization, "name", str(organization)),
                "group": account.group,
                "lao_code": membership.institution.lao.code if membership.institution_id else None,
            }
        )
    from esar.delivery.models import EsarAccount

    for esar_account in (
        EsarAccount.objects.filter(
            revoked_at__isnull=True, lao__code__in=[lao.code for lao in demo.DEMO_LAOS]
        )
        .select_related("user", "lao")
        .order_by("lao__code")
    ):
        encoded = esar_account.user.password
        if encoded not in demo_hashes and check_password(demo.DEMO_PASSWORD, encoded):
            demo_hashes.add(encoded)
        rows.append(
            {
                "username": esar_account.user.username,
                "password": demo.DEMO_PASSWORD if encoded in demo_hashes else None,
                "role": Role.LAO_OFFICER.value,
                "role_label": "e-SAR",
                "organization_code": esar_account.lao.code,
                "organization_name": esar_account.lao.name_th,
                "group": "esar",
                "lao_code": esar_account.lao.code,
            }
        )
    return rows


class Command(BaseCommand):
    help = (
        "List the demo accounts created by seed_demo with their password, role and organisation. "
        "The table shows one school officer per LAO unless --all is given; --json lists all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print a JSON list for scripts")
        parser.add_argument("--all", action="store_true", help="list every school officer")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_account_rows()
        if options["json"]:
            keys = ("username", "password", "role", "organization_code", "organization_name")
            payload = [{key: row[key] for key in keys} for row in rows]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No demo accounts yet: run `manage.py seed_demo` first.")
            return
        self._table(rows, show_all=options["all"])

    def _table(self, rows: list[dict[str, Any]], *, show_all: bool) -> None:
        hidden = 0
        if not show_all:
            seen_laos: set[str] = set()
            shown = []
            for row in rows:
                if row["group"] == "school":
                    if row["lao_code"] in seen_laos:
                        hidden += 1
                        continue
                    seen_laos.add(row["lao_code"])
                shown.append(row)
            rows = shown
        headers = ("username", "password", "role", "code", "organisation")
        cells = [
            (
                row["username"],
                row["password"] or "(changed)",
                row["role_label"],
                row["organization_code"],
                row["organization_name"],
            )
            for row in rows
        ]
        widths = [
            max(display_width(text) for text in column)
            for column in zip(headers, *cells, strict=False)
        ]

        def line(values: tuple[str, ...]) -> str:
            return "  ".join(_pad(v, w) for v, w in zip(values, widths, strict=True)).rstrip()

        self.stdout.write(f"Demo accounts (password for all: {demo.DEMO_PASSWORD})")
        self.stdout.write(line(headers))
        group = None
        for row, values in zip(rows, cells, strict=True):
            if row["group"] != group:
                group = row["group"]
                self.stdout.write(f"-- {GROUP_TITLES[group]}")
            self.stdout.write(line(values))
        if hidden:
            self.stdout.write(
                f"… and {hidden} more school officers (school<MOE code>): "
                "manage.py demo_accounts --all"
            )
