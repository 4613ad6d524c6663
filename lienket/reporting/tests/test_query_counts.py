"""The number of queries of the read paths that met national scale (issue #17): the entry form, the home page
(due_soon) — neither may grow with the rows, data sets or periods. (The datavalues list: test_api_datavalues_paging;
the region profile: lienket/regions/tests/test_profile_cache.py.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lienket.reporting.models import DataSetElement, Target
from lienket.reporting.services import datavalues_apply, submission_open
from lienket.reporting.values import ValueItem

from . import test_views_support as support
from .factories import dataset, indicator

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

#: Ceilings measured when the tests were written; an N+1 makes them grow with the form / the data sets.
ENTRY_FORM_QUERIES = 40
HOME_QUERIES = 20


@pytest.fixture(autouse=True)
def _environment(settings, tmp_path):
    support.use_vietnamese_catalogue(settings, tmp_path)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def _grow_form(w, n):
    """Add `n` indicators (with values last year and last month, targets) to the monthly data set."""
    new = []
    for i in range(n):
        ind = indicator(f"EXTRA_{i}", f"Chỉ tiêu thêm {i}", "tỷ đồng")
        DataSetElement.objects.create(dataset=w.monthly, indicator=ind, sort_order=100 + i)
        Target.objects.create(indicator=ind, unit=w.phutho, year=2026, value=Decimal(100))
        new.append(ind)
    return new


def test_entry_form_of_a_merged_unit_costs_the_same_queries_for_3_or_13_indicators(client, w):
    officer = w.users["phutho_officer"]
    sub = submission_open(dataset=w.monthly, unit=w.phutho, period_code="202603", actor=officer)
    datavalues_apply(actor=officer, items=[ValueItem(unit="25", period="202603", indicator="RETAIL", value=5)], source="form")
    client.force_login(officer)
    url = reverse("reporting:submission_detail", args=[sub.pk])
    small = _queries(client, url)

    extra = _grow_form(w, 10)
    datavalues_apply(actor=officer, items=[
        ValueItem(unit="25", period=p, indicator=ind.code, value=7) for ind in extra for p in ("202602", "202603")
    ], source="form")
    large = _queries(client, url)

    assert large == small
    assert large <= ENTRY_FORM_QUERIES


def test_home_page_costs_the_same_queries_for_2_or_6_data_sets(client, w):
    officer = w.users["phutho_officer"]
    client.force_login(officer)
    url = reverse("reporting:home")
    small = _queries(client, url)

    for i in range(4):
        dataset(f"BC-EXTRA-{i}", "month" if i % 2 else "quarter", w.north, [w.indicators["RETAIL"]])
    submission_open(dataset=w.monthly, unit=w.phutho, period_code="202603", actor=officer)
    large = _queries(client, url)

    assert large == small
    assert large <= HOME_QUERIES


def test_coordinators_home_page_stays_bounded(client, w):
    client.force_login(w.users["coordinator"])

    assert _queries(client, reverse("reporting:home")) <= HOME_QUERIES * 2
