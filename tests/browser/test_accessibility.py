"""Accessibility audit: axe-core (WCAG 2.1 A and AA rules) on the main pages, anonymous and as a province
officer, must find nothing. Failures list each rule, the element and what to fix."""

from __future__ import annotations

import pytest

from lienket.reporting.services import ValueItem, datavalues_apply
from lienket.reporting.tests.factories import PASSWORD, world

from .conftest import axe_violations, format_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.no_axe]

ANONYMOUS_PAGES = ["/accounts/login/", "/", "/regions/", "/regions/units/01/", "/regions/profile/?group=north&year=2022"]
OFFICER_PAGES = [
    "/", "/reporting/", "/reporting/indicators/", "/reporting/datasets/", "/reporting/submissions/",
    "/reporting/form/BC-THANG/01/202603/", "/reporting/completeness/BC-THANG/202603/", "/reporting/targets/",
    "/reporting/import/", "/accounts/", "/audit/", "/regions/profile/?group=north&year=2022",
]


def test_main_pages_have_no_wcag_a_or_aa_violations(page, reference_data):
    w = world()
    datavalues_apply(actor=w.users["hanoi_officer"], source="form",
                     items=[ValueItem(unit=w.hanoi.key, period="202603", indicator="RETAIL", value=10)])
    found = []

    def audit(path: str) -> None:
        response = page.goto(path)
        assert response is not None, path
        assert response.ok, (path, response.status)
        page.wait_for_load_state("networkidle")
        found.extend((path, v) for v in axe_violations(page))

    for path in ANONYMOUS_PAGES:
        audit(path)
    login(page, "hanoi_officer", PASSWORD)
    for path in OFFICER_PAGES:
        audit(path)

    assert not found, format_violations(found)
