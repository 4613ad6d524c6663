"""Playwright in Debian's chromium against pytest-django's live server: a new context per test in the session's one
chromium (`browser`, root conftest.py).

`make test` installs chromium when it is missing and we are root; elsewhere these tests skip with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TIMEOUT_MS = 30_000  # as the root conftest.py's expect() timeout


# --- accessibility: axe-core (vendored, MPL-2.0: tests/browser/vendor/axe-core.LICENSE), never fetched at run time
AXE_JS = Path(__file__).with_name("vendor") / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Third-party UIs we serve but do not write: Swagger UI and the Django admin.
AXE_SKIP_PREFIXES = ("/api/v1/docs", "/admin/")
_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200)}))}));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The WCAG 2.1 A/AA violations axe finds on the page as it is now. axe is evaluated through the DevTools
    protocol (page.evaluate), which the site's Content-Security-Policy (script-src 'self') does not block,
    unlike an inline <script> tag."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(_AXE_RUN, WCAG_TAGS)


def format_violations(found: list[tuple[str, dict[str, Any]]]) -> str:
    lines = [f"{len(found)} accessibility violation(s) (WCAG 2.1 A/AA, axe-core):"]
    for where, v in found:
        lines.append(f"* {where}: [{v['impact']}] {v['id']} — {v['help']} ({v['url']})")
        for node in v["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}\n      {node['html']}")
    return "\n".join(lines)


@pytest.fixture(autouse=True)
def _axe_after_every_navigation(request: Any, monkeypatch: Any) -> Iterator[None]:
    """Every page a browser journey opens with page.goto() is audited with axe once loaded; the journey fails
    (at teardown) listing the violations. Opt out of a test with @pytest.mark.no_axe."""
    if request.node.get_closest_marker("browser") is None or request.node.get_closest_marker("no_axe") is not None:
        yield
        return
    from urllib.parse import urlparse

    from playwright.sync_api import Page

    found: list[tuple[str, dict[str, Any]]] = []
    original = Page.goto

    def goto(self: Any, url: str, **kwargs: Any) -> Any:
        response = original(self, url, **kwargs)
        path = urlparse(self.url).path
        if response is not None and response.ok and not path.startswith(AXE_SKIP_PREFIXES):
            found.extend((self.url, v) for v in axe_violations(self))
        return response

    monkeypatch.setattr(Page, "goto", goto)
    yield
    assert not found, format_violations(found)


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
