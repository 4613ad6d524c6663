"""Playwright in Debian's chromium against pytest-django's live server: a new context per test in the session's one
chromium (`browser`, root conftest.py).

`make test` installs chromium when it is missing and we are root; elsewhere these tests skip with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

TIMEOUT_MS = 30_000  # as the root conftest.py's expect() timeout


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    yield pg
    context.close()
    # Django opened a connection inside Playwright's event loop thread; close it so PostgreSQL can drop the test DB.
    from django.db import connections

    connections.close_all()


def login(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("[data-testid=login-form] button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
