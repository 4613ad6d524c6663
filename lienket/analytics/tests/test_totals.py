"""The groups' stored sums (`AcceptedTotal`): kept in the accepting transaction, equal to a recomputation from
scratch, and the engine answers exactly the same with them as without them — for every measure, period type, the
merger, partial totals, options and every kind of viewer — while a regional pivot of complete sums reads no
unit's value."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lienket.analytics.query import query_parse
from lienket.analytics.selectors import _analytics_table
from lienket.core.errors import ApplicationError
from lienket.regions.models import AdminUnit, GroupMembership
from lienket.regions.selectors import reference_cache_clear
from lienket.reporting.aggregates import members_key, totals_rebuild
from lienket.reporting.models import AcceptedTotal, DisaggregationOption, Submission
from lienket.reporting.services import datavalues_apply, submission_transition
from lienket.reporting.values import ValueItem

pytestmark = pytest.mark.django_db


def _data(w):
    """Two years of months for the three old units (one month with Vĩnh Phúc missing), the new Phú Thọ after the
    merger, a half-year ratio pair, market counts by class, and one unaccepted report."""
    for m in range(1, 13):
        for year in (2024,):
            code = f"{year}{m:02d}"
            w.put(w.hanoi, code, EXPORT=100 + m, RETAIL=10 * m)
            w.put(w.phutho_old, code, EXPORT=Decimal("20.5") + m, RETAIL=3 * m)
            if m != 5:
                w.put(w.vinhphuc_old, code, EXPORT=30 + m, RETAIL=4 * m)
    for m in range(1, 13):
        code = f"2025{m:02d}"
        w.put(w.hanoi, code, EXPORT=110 + m, RETAIL=11 * m)
        if m <= 6:
            w.put(w.phutho_old, code, EXPORT=22 + m, RETAIL=3 * m)
            w.put(w.vinhphuc_old, code, EXPORT=33 + m, RETAIL=4 * m)
        else:
            w.put(w.phutho, code, EXPORT=60 + m, RETAIL=8 * m)
    for u, occ, area in ((w.hanoi, 50, 100), (w.phutho_old, 10, 40), (w.vinhphuc_old, 30, 60)):
        w.put(u, "2024S1", dataset=w.half_year, CCN_OCCUPIED=occ, CCN_AREA=area)
    w.put(w.hanoi, "2025S1", dataset=w.half_year, CCN_OCCUPIED=55, CCN_AREA=100)
    w.put(w.phutho_old, "2025S1", dataset=w.half_year, CCN_OCCUPIED=12)  # no area: the ratio parts miss differently
    w.put(w.vinhphuc_old, "2025S1", dataset=w.half_year, CCN_OCCUPIED=31, CCN_AREA=60)
    for opt in DisaggregationOption.objects.filter(disaggregation__code="market-class"):
        for u, n in ((w.hanoi, 5), (w.phutho_old, 2), (w.vinhphuc_old, 3)):
            w.put(u, "202406", option=opt, MARKETS=n + opt.sort_order)
    w.put(w.hanoi, "202607", status="draft", EXPORT=999)


QUERIES = [
    {"indicator": "EXPORT", "period": "202401..202412", "by": "subregion"},
    {"indicator": "EXPORT,RETAIL", "period": "202501..202512", "by": "subregion"},
    {"indicator": "EXPORT", "period": "202401..202412", "by": "unit"},
    {"indicator": "EXPORT", "period": "202506..202508", "by": "unit"},
    {"indicator": "EXPORT", "period": "202401..202412", "by": "period"},
    {"indicator": "EXPORT", "period": "2024Q1..2025Q4", "by": "subregion"},
    {"indicator": "EXPORT", "period": "2024,2025", "by": "subregion"},
    {"indicator": "RETAIL", "period": "202403,202405,2024Q2", "by": "subregion"},
    {"indicator": "CCN_RATE,CCN_OCCUPIED,CCN_AREA", "period": "2024S1,2025S1", "by": "subregion"},
    {"indicator": "CCN_RATE", "period": "2024S1,2025S1", "by": "unit"},
    {"indicator": "MARKETS", "period": "202406", "by": "option"},
    {"indicator": "MARKETS", "period": "202406", "by": "subregion", "option": "I,III"},
    {"indicator": "IIP,EXPORT", "period": "202401", "by": "subregion"},
    {"indicator": "WAGE", "period": "202401", "by": "subregion"},
    {"indicator": "EXPORT", "period": "202607", "by": "subregion"},
    {"indicator": "EXPORT", "period": "202401..202412", "unit": "01,25"},
]
MEASURES = [{"measure": "value"}, {"measure": "yoy"}, {"measure": "yoy_abs"}, {"measure": "ytd"}, {"measure": "share"},
            {"measure": "rank"}, {"measure": "per_km2"}, {"measure": "count_above", "threshold": "group"},
            {"measure": "count_above", "threshold": "25"}]


def _answer(user, params, *, totals):
    table = _analytics_table(user=user, query=query_parse(params), totals=totals).as_dict()
    table.pop("generated_at")
    return table


def test_the_engine_answers_the_same_with_and_without_the_stored_sums(w):
    _data(w)
    assert AcceptedTotal.objects.exists()
    users = [None, w.users["coordinator"], w.users["ministry_unit"], w.users["hanoi_officer"], w.users["phutho_officer"]]
    compared = 0
    for params, measure in itertools.product(QUERIES, MEASURES):
        if "unit" in params and measure["measure"] == "share":
            continue
        for user in users:
            query = {**params, **measure}
            try:
                with_totals = _answer(user, query, totals=True)
            except ApplicationError as exc:  # a refused query must be refused the same way
                with pytest.raises(ApplicationError, match=re.escape(exc.message)):
                    _answer(user, query, totals=False)
                continue
            assert with_totals == _answer(user, query, totals=False), (query, user)
            compared += 1
    assert compared > 500


def test_a_regional_pivot_of_complete_sums_reads_the_stored_sums_only(w):
    _data(w)
    query = query_parse({"indicator": "EXPORT", "period": "202401..202412", "by": "subregion"})
    with CaptureQueriesContext(connection) as ctx:
        table = _analytics_table(user=w.users["coordinator"], query=query)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "reporting_acceptedtotal" in sql
    assert "reporting_acceptedvalue" not in sql
    assert "reporting_datavalue" not in sql
    total = {c.key: cell for c, cell in zip(table.columns, table.rows[-1].cells, strict=True)}
    # 202401: Hà Nội 101 + Phú Thọ 21,5 + Vĩnh Phúc 31 (hand-computed)
    assert (total["EXPORT||202401"].value, total["EXPORT||202401"].status) == (Decimal("153.5"), "ok")
    # 202405: Hà Nội 105 + Phú Thọ 25,5; Vĩnh Phúc did not report — partial, named
    assert (total["EXPORT||202405"].value, total["EXPORT||202405"].missing) == (Decimal("130.5"), ["Vĩnh Phúc"])


def test_a_province_user_is_answered_from_the_units_values(w):
    _data(w)
    query = query_parse({"indicator": "EXPORT", "period": "202607", "by": "subregion"})
    with CaptureQueriesContext(connection) as ctx:
        table = _analytics_table(user=w.users["hanoi_officer"], query=query)
    assert "reporting_acceptedtotal" not in " ".join(q["sql"] for q in ctx.captured_queries)
    assert table.rows[-1].cells[0].unaccepted  # Hà Nội's own draft, marked


def _rows():
    return set(AcceptedTotal.objects.values_list("group_id", "indicator_id", "period_code", "option_key", "total",
                                                 "present", "members", "members_key", "missing"))


def test_the_sums_follow_accept_and_reopen_and_equal_a_rebuild(w):
    # given: Hà Nội's and the new Phú Thọ's reports of 202603, accepted through the workflow one after the other
    def write(user, unit, **values):
        datavalues_apply(actor=w.users[user], items=[ValueItem(unit=unit, period="202603", indicator=c, value=v)
                                                     for c, v in values.items()], source="form")
        return Submission.objects.get(unit__code=unit, period__code="202603", dataset=w.monthly)

    def accept(prefix, sub):
        sub = submission_transition(submission=sub, actor=w.users[f"{prefix}_officer"], action="submit")
        sub = submission_transition(submission=sub, actor=w.users[f"{prefix}_director"], action="approve")
        return submission_transition(submission=sub, actor=w.users["coordinator"], action="accept")

    def north():
        return AcceptedTotal.objects.get(group=w.north, indicator=w.indicators["EXPORT"], period_code="202603", option_key=0)

    hanoi = accept("hanoi", write("hanoi_officer", "01", EXPORT="120.2", RETAIL=7))
    # then: Hà Nội's value, the new Phú Thọ missing, for the two members of that date
    assert (Decimal(north().total), north().present, north().members, north().missing) == (
        Decimal("120.2"), 1, 2, str(w.phutho.pk))
    assert north().members_key == members_key([w.hanoi.pk, w.phutho.pk])
    accept("phutho", write("phutho_officer", w.phutho.code, EXPORT="30.5"))
    assert (Decimal(north().total), north().present, north().missing) == (Decimal("150.7"), 2, "")
    rebuilt = _rows_after_rebuild()
    # when: Hà Nội's report is reopened
    submission_transition(submission=hanoi, actor=w.users["coordinator"], action="reopen", reason="Kiểm tra lại")
    # then: Phú Thọ's value alone; RETAIL had only Hà Nội's value: no sum left
    assert (Decimal(north().total), north().present) == (Decimal("30.5"), 1)
    assert not AcceptedTotal.objects.filter(indicator=w.indicators["RETAIL"], period_code="202603").exists()
    assert _rows_after_rebuild() != rebuilt


def _rows_after_rebuild():
    before = _rows()
    AcceptedTotal.objects.all().delete()
    totals_rebuild()
    after = _rows()
    assert after == before
    return after


def test_a_changed_membership_makes_the_engine_ignore_the_stored_sum(w):
    # given: a complete month summed for the three members
    for u, v in ((w.hanoi, 1), (w.phutho_old, 2), (w.vinhphuc_old, 3)):
        w.put(u, "202401", EXPORT=v)
    query = {"indicator": "EXPORT", "period": "202401", "by": "subregion"}
    assert _answer(w.users["coordinator"], query, totals=True)["rows"][-1]["cells"][0]["value"] == "6.000000"
    # when: reference data changes who belonged to the group then (a fourth unit), with no rebuild
    newcomer = AdminUnit.objects.create(code="99", name="Tỉnh Thử Nghiệm")
    GroupMembership.objects.create(group=w.north, unit=newcomer, valid_from=None)
    reference_cache_clear()  # as loading reference data does
    # then: the stored sum no longer counts — the answer is the units' own, partial, naming the new member
    got = _answer(w.users["coordinator"], query, totals=True)
    assert got == _answer(w.users["coordinator"], query, totals=False)
    assert got["rows"][-1]["cells"][0]["status"] == "partial"
    assert got["rows"][-1]["cells"][0]["explanation"]["missing"] == ["Tỉnh Thử Nghiệm"]
