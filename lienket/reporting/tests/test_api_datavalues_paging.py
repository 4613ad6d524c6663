"""API: GET /api/v1/datavalues at scale — keyset cursor, period ranges, unit/indicator/updated_since filters,
count only when asked, clear 400s, and the permission filter under all of them."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lienket.reporting.models import DataValue
from lienket.reporting.paging import Cursor
from lienket.reporting.services import datavalues_apply
from lienket.reporting.values import ValueItem

from .test_api_support import as_token

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def _write(actor, unit, period, *pairs):
    """Given: values stored through the service, as the form would."""
    items = [ValueItem(unit=unit, period=period, indicator=ind, value=v) for ind, v in pairs]
    return datavalues_apply(actor=actor, items=items, source="form")


def _hanoi_and_phutho(w):
    hanoi, phutho = w.users["hanoi_officer"], w.users["phutho_officer"]
    _write(hanoi, "01", "202603", ("RETAIL", 1), ("EXPORT", 2), ("IIP", 3))
    _write(hanoi, "01", "202604", ("RETAIL", 4), ("EXPORT", 5))
    _write(hanoi, "01", "2026S1", ("CCN_AREA", 6))
    _write(phutho, "25", "202603", ("RETAIL", 7), ("EXPORT", 8))
    _write(phutho, "25", "202604", ("RETAIL", 9))


def _walk(api, **query):
    """Every page from the first, following `next_cursor`; (values, pages)."""
    values, pages, cursor = [], 0, None
    while True:
        body = api.get("/datavalues", **query, **({"cursor": cursor} if cursor else {})).json()
        values += body["values"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return values, pages
        assert pages < 50


def _key(v):
    return (v["unit"], v["period"], v["indicator"], v["value"])


def test_cursor_pages_through_every_value_once_in_a_stable_order(w):
    _hanoi_and_phutho(w)
    api = as_token(w.users["coordinator"])

    everything = api.get("/datavalues", count=True).json()
    walked, pages = _walk(api, limit=3)

    assert everything["count"] == 9
    assert everything["next"] is None
    assert everything["next_cursor"] is None
    assert pages == 3
    assert [_key(v) for v in walked] == [_key(v) for v in everything["values"]]
    assert len({_key(v) for v in walked}) == 9


def test_next_link_keeps_the_filters_and_carries_the_cursor(w):
    _hanoi_and_phutho(w)
    api = as_token(w.users["coordinator"])

    first = api.get("/datavalues", unit="01", limit=2, offset=0).json()
    link = urlsplit(first["next"])
    query = parse_qs(link.query)
    second = api.get("/datavalues", **{k: v[0] for k, v in query.items()}).json()

    assert link.path == "/api/v1/datavalues"
    assert query["unit"] == ["01"]
    assert query["limit"] == ["2"]
    assert "offset" not in query
    assert query["cursor"] == [first["next_cursor"]]
    assert first["count"] is None
    assert {v["unit"] for v in first["values"] + second["values"]} == {"01"}
    assert not {_key(v) for v in first["values"]} & {_key(v) for v in second["values"]}


def test_period_range_unit_indicator_and_updated_since_filters(w):
    _hanoi_and_phutho(w)
    api = as_token(w.users["coordinator"])
    retail = DataValue.objects.get(unit__code="25", period__code="202604", indicator__code="RETAIL")
    DataValue.objects.update(updated_at=timezone.make_aware(dt.datetime(2026, 3, 1, 8, 0)))
    DataValue.objects.filter(pk=retail.pk).update(updated_at=timezone.make_aware(dt.datetime(2026, 4, 9, 8, 0)))

    months = api.get("/datavalues", period="202603..202604", count=True).json()
    one = api.get("/datavalues", period="202604..202604", count=True).json()
    half = api.get("/datavalues", period="2026S1", count=True).json()
    hanoi_retail = api.get("/datavalues", unit="01", indicator="RETAIL", period="202601..202612").json()
    since = api.get("/datavalues", updated_since="2026-04-01").json()
    since_offset = api.get("/datavalues", updated_since="2026-04-09T08:00:00+07:00").json()
    later = api.get("/datavalues", updated_since="2026-04-09T08:00:01").json()

    assert months["count"] == 8
    assert {v["period"] for v in months["values"]} == {"202603", "202604"}
    assert one["count"] == 3
    assert half["count"] == 1
    assert half["values"][0]["indicator"] == "CCN_AREA"
    assert [(v["period"], v["value"]) for v in hanoi_retail["values"]] == [("202603", "1"), ("202604", "4")]
    assert [_key(v) for v in since["values"]] == [("25", "202604", "RETAIL", "9")]
    assert [_key(v) for v in since_offset["values"]] == [("25", "202604", "RETAIL", "9")]
    assert later["values"] == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "djE6MTox"[:-1]}, "cursor"),
        ({"cursor": Cursor(1, 1).encode() + "x"}, "cursor"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2026-13-01"}, "updated_since"),
        ({"period": "202604..202601"}, "period"),
        ({"period": "202601..2026Q1"}, "period"),
        ({"count": "maybe"}, "count"),
    ],
)
def test_bad_paging_parameters_are_a_400_naming_the_parameter(w, query, parameter):
    _hanoi_and_phutho(w)

    response = as_token(w.users["coordinator"]).get("/datavalues", **query)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert [d["field"] for d in body["details"]] == [parameter]
    assert parameter in body["message"]


def test_a_bad_period_code_in_a_range_stays_a_422_invalid_period(w):
    response = as_token(w.users["coordinator"]).get("/datavalues", period="202601..2026X")

    assert (response.status_code, response.json()["code"]) == (422, "invalid_period")


def test_other_provinces_drafts_stay_hidden_under_every_filter_and_cursor(w):
    _hanoi_and_phutho(w)
    phutho = as_token(w.users["phutho_officer"])
    coordinator_page = as_token(w.users["coordinator"]).get("/datavalues", limit=1).json()

    walked, _pages = _walk(phutho, limit=1)
    asked_hanoi = phutho.get("/datavalues", unit="01", period="202603..202604", count=True).json()
    by_indicator = phutho.get("/datavalues", indicator="RETAIL", updated_since="2000-01-01", count=True).json()
    from_foreign_cursor = phutho.get("/datavalues", cursor=coordinator_page["next_cursor"]).json()

    assert {v["unit"] for v in walked} == {"25"}
    assert len(walked) == 3
    assert asked_hanoi["count"] == 0
    assert asked_hanoi["values"] == []
    assert by_indicator["count"] == 2
    assert {v["unit"] for v in by_indicator["values"]} == {"25"}
    assert {v["unit"] for v in from_foreign_cursor["values"]} <= {"25"}


def test_the_number_of_queries_does_not_grow_with_the_page(w):
    """An N+1 cannot come back: a page of 2 values and one of 9 cost the same queries (token user, roles,
    filters' look-ups, the page)."""
    hanoi = w.users["hanoi_officer"]
    _write(hanoi, "01", "202603", ("RETAIL", 1), ("EXPORT", 2))
    api = as_token(w.users["coordinator"])
    with CaptureQueriesContext(connection) as small:
        assert len(api.get("/datavalues", period="202601..202612", indicator="RETAIL").json()["values"]) == 1
    _hanoi_and_phutho(w)
    with CaptureQueriesContext(connection) as large:
        assert len(api.get("/datavalues", period="202601..202612").json()["values"]) == 8
    with CaptureQueriesContext(connection) as officer:
        assert len(as_token(hanoi).get("/datavalues").json()["values"]) == 9 - 3

    page_queries = [q["sql"] for q in large.captured_queries if "reporting_datavalue" in q["sql"]]
    assert len(page_queries) == 1
    assert len(large) <= len(small)
    assert len(large) <= 8, [q["sql"] for q in large.captured_queries]
    assert len(officer) <= 8, [q["sql"] for q in officer.captured_queries]
