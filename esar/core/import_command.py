"""The shell side of every all-or-nothing file import: `manage.py import_… FILE [--dry-run]`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


class FileImportCommand(BaseCommand):
    """Subclasses set `help` and `importer(source=, filename=, actor=, dry_run=)`, which returns a
    result with `ok`, `errors`, `error_count` and `summary_lines()`."""

    importer: Callable[..., Any]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and count, save nothing."
        )
        parser.add_argument(
            "--user", help="Username recorded as the actor of the changes (default: none)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        actor = None
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(
                    _("No such user: %(user)s") % {"user": options["user"]}
                ) from None
        with path.open("rb") as source:
            result = type(self).importer(
                source=source, filename=path.name, actor=actor, dry_run=options["dry_run"]
            )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error.message)
            if result.error_count > len(result.errors):
                self.stderr.write(
                    _("… and %(n)s more errors.") % {"n": result.error_count - len(result.errors)}
                )
            raise CommandError(" ".join(result.summary_lines()))
        for line in result.summary_lines():
            self.stdout.write(line)
