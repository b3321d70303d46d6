"""Fresh planner statistics after bulk writes: PostgreSQL plans queries from what ANALYZE saw.

A deployment's autovacuum would catch up on its own, later; some (this project's benchmark
machine among them) run without it, and a plan made for an empty table on 20,000 rows is a
sequential scan where an index was meant. Seeds and imports call `analyze` once they are done.
SQLite keeps no such statistics that matter here: nothing is done there.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection


def analyze(tables: Iterable[str] = ()) -> bool:
    """ANALYZE the given tables (every table when none is given); False where there is nothing
    to do (not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return False
    names = list(tables)
    with connection.cursor() as cursor:
        if names:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(n) for n in names))
        else:
            cursor.execute("ANALYZE")
    return True
