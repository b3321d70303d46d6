"""The suite as `make test` schedules it: every collected item has an id of its own.

xdist's `--dist loadgroup` hands out items by node id; two items with one id run as one, and the
other is counted nowhere (schemathesis under pytest 9.2 gave all 85 API operations the same id:
84 of them never ran in CI until the root conftest gave each its own).
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_api_operations_property_test_has_its_own_id():
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:xdist",
            "esar/api/tests/test_schemathesis.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    ids = [line for line in listed if "::" in line]

    assert len(ids) > 50  # one per operation of the API's document
    assert len(set(ids)) == len(ids)
    assert any(line.endswith("[GET /api/v1/me]") for line in ids)
