"""SQLite is the zero-setup default, also for several people at once: the connection options of
config/settings/base.py must really be in force (WAL, a busy timeout, IMMEDIATE transactions) and the test
database must be a file, so that the live server's threads behave like the real server's."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")


def _pragma(name: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.mark.usefixtures("sqlite")
def test_every_pragma_of_the_init_command_is_applied():
    assert _pragma("journal_mode") == "wal"
    assert _pragma("synchronous") == 1  # NORMAL: the second statement of init_command ran too
    assert _pragma("busy_timeout") == 20_000  # "timeout": 20 seconds of waiting for a writer, not an error
    assert _pragma("foreign_keys") == 1


@pytest.mark.usefixtures("sqlite")
def test_writers_begin_immediate_transactions():
    assert connection.transaction_mode == "IMMEDIATE"


@pytest.mark.usefixtures("sqlite")
def test_the_test_database_is_a_file_not_shared_memory():
    # in memory, the live server's threads would share the test's connection (or a shared cache with table
    # locks: "database table is locked") instead of having connections of their own
    assert not connection.is_in_memory_db()
