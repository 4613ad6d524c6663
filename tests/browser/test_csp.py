"""The Content-Security-Policy breaks no page: the main pages, the HTMX entry form, the token copy button,
Swagger UI and the Django admin load in chromium without a single CSP violation (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest

from lienket.reporting.models import Submission
from lienket.reporting.tests.factories import PASSWORD, world
from lienket.users.models import User

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page: Any) -> list[str]:
    """Every CSP violation the page reports: the console message ("Refused to ...") and the DOM event."""
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text
            or msg.text.startswith("Refused to") else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Refused to (event) ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"
    )
    return violations


def _visit(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None, path
    assert response.status < 400, (path, response.status)
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
    page.wait_for_load_state("networkidle")


def test_main_pages_have_no_csp_violations(browser, live_server):
    w = world()
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations = _watch(page)

    for path in ("/", "/accounts/login/", "/regions/", "/regions/units/01/"):
        _visit(page, path)

    login(page, "hanoi_officer", PASSWORD)
    for path in ("/reporting/", "/reporting/indicators/", "/reporting/datasets/", "/reporting/submissions/",
                 "/reporting/form/BC-THANG/01/202603/", "/reporting/import/", "/audit/", "/accounts/"):
        _visit(page, path)
    # The entry form's HTMX row save (indicator styles come from app.css, not an injected <style>)
    _visit(page, "/reporting/form/BC-THANG/01/202603/")
    page.get_by_test_id("value-RETAIL").fill("12,5")
    page.get_by_test_id("value-RETAIL").press("Tab")
    page.wait_for_load_state("networkidle")
    assert Submission.objects.filter(unit=w.hanoi).exists()
    # A new API token: the copy button and select-on-focus used to be inline handlers
    _visit(page, "/accounts/")
    page.locator("#tokens form input[name=name], form[action$='/tokens/'] input[name=name]").first.fill("script")
    page.locator("form[action$='/tokens/'] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("new-token").locator("button").click()
    assert page.get_by_test_id("new-token").locator("button").inner_text() in ("Đã sao chép", "Copied")

    assert violations == []
    context.close()


def test_swagger_ui_and_admin_work_under_the_policy(browser, live_server):
    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations = _watch(page)

    _visit(page, "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)  # rendered by swagger-ui-bundle.js
    assert page.locator(".swagger-ui .opblock").count() > 5

    _visit(page, "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#site-name").count() == 1
    _visit(page, "/admin/users/user/")
    _visit(page, "/admin/users/user/add/")

    assert violations == []
    context.close()
