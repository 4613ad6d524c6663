"""Shared by the benchmarks: set Django up on a throw-away test database (SQLite in a temporary folder unless
DATABASE_URL names PostgreSQL), created fresh for the run and dropped by the caller with `teardown`."""

from __future__ import annotations

import os
from pathlib import Path


def setup_django(tmp: Path, *, test_prefix: str | None = None) -> tuple[str, str]:
    """Configure Django and create the benchmark's database; returns (engine name, original database name).
    `test_prefix`: the PostgreSQL database is `<prefix><name>` instead of `test_<name>` (so that a test run against the same
    DATABASE_URL cannot drop it under the benchmark)."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(tmp / "bench-test.sqlite3")
    elif test_prefix:
        db.setdefault("TEST", {})["NAME"] = f"{test_prefix}{db['NAME']}"
    from django.db import connection

    original = str(connection.settings_dict["NAME"])
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return str(db["ENGINE"]).rsplit(".", 1)[-1], original


def teardown(original: str) -> None:
    from django.db import connection

    connection.creation.destroy_test_db(original, verbosity=0)
