"""Shared fixtures: reference data, a cleared cache and a frozen clock. Tests hit a real database."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Browser tests (marker `browser`): Playwright in Debian's chromium against pytest-django's live server. Waits are
# Playwright's own (auto-waiting locators, expect(), wait_for_url), never sleeps; generous limits, because these
# journeys must pass while other work keeps both cores busy.
BROWSER_TIMEOUT_MS = 30_000
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]

# The reference data set, loaded once per session (see `django_db_setup`): every model it wrote, with its rows.
_REFERENCE: list[tuple[Any, list[Any]]] = []


def _reference_snapshot() -> list[tuple[Any, list[Any]]]:
    """Run `load_reference()` once in a transaction that is rolled back, and keep the rows it wrote in memory."""
    from django.apps import apps
    from django.db import transaction

    from lienket.demo.reference import load_reference

    models = apps.get_models(include_auto_created=True)
    with transaction.atomic():
        before = {model: model._base_manager.count() for model in models}
        load_reference()
        snapshot = [
            (model, list(model._base_manager.order_by("pk")))
            for model in models
            if model._base_manager.count() != before[model]
        ]
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database, plus the reference data read once (the loader parses the source files: seconds).

    The database itself stays empty: most tests build their own small world with the factories, whose units and
    Ministry units would collide with the real ones. `reference_data` copies the snapshot in (milliseconds).
    """
    with django_db_blocker.unblock():
        _REFERENCE[:] = _reference_snapshot()


def reference_insert() -> None:
    """Insert the session's reference rows with their primary keys (and move the PK sequences past them)."""
    from django.core.management.color import no_style
    from django.db import connection

    for model, rows in _REFERENCE:
        model._base_manager.bulk_create(rows)
    sql = connection.ops.sequence_reset_sql(no_style(), [model for model, _ in _REFERENCE])
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


@pytest.fixture
def reference_data(db: None) -> None:
    """The sourced reference data of ../shared/reference, as loaded by `manage.py load_reference`.

    Loaded once per session and copied into each test that asks for it; the test's transaction (or the flush of a
    `transactional_db`/`live_server` test) removes it again, so other tests keep an empty database.
    """
    reference_insert()


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Login throttling, role lookups and rate limits keep state in the cache: every test starts without it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# The instant the `clock` fixture freezes time at: 10/4/2026 09:00 in Hà Nội (the March 2026 reports are due).
FROZEN_AT = dt.datetime(2026, 4, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def clock() -> Iterator[Any]:
    """Time frozen for deadlines and "today" (lienket.core.clock) at FROZEN_AT; `clock.set(...)` / `clock.advance(...)`
    move it, and it runs again after the test. Also seen by a live server's threads."""
    from lienket.core.clock import clock as the_clock

    the_clock.set(FROZEN_AT)
    yield the_clock
    the_clock.reset()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last (in their collected order): they share one chromium (`browser`), and while Playwright's
    sync API is running its event loop stays in this thread, which the other tests must not see."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for the whole session; each test opens its own context (cookies, storage) in it."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls our tests make around it are safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()
