"""API: the indicator catalogue and the data sets (GET /api/v1/indicators, /api/v1/datasets)."""

from __future__ import annotations

import pytest
from django.test import Client

from .test_api_support import anonymous, as_session, as_token

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def test_indicator_list_has_every_catalogue_field(w):
    api = as_token(w.users["ministry_unit"])

    response = api.get("/indicators")

    assert response.status_code == 200
    by_code = {i["code"]: i for i in response.json()}
    assert set(by_code) == {"RETAIL", "EXPORT", "IIP", "CCN_AREA", "CCN_OCCUPIED", "MARKETS", "CCN_RATE"}
    retail = by_code["RETAIL"]
    assert retail["unit_of_measure"] == "tỷ đồng"
    assert retail["cumulative_ytd"] is True
    assert (retail["aggregation"], retail["time_aggregation"], retail["decimals"]) == ("sum", "sum", 1)
    assert (retail["min_value"], retail["max_value"]) == ("0", None)
    assert retail["datasets"] == ["BC-6THANG", "BC-THANG"]
    rate = by_code["CCN_RATE"]
    assert (rate["aggregation"], rate["numerator"], rate["denominator"], rate["ratio_factor"]) == (
        "ratio", "CCN_OCCUPIED", "CCN_AREA", "100"
    )
    markets = by_code["MARKETS"]
    assert markets["disaggregation"]["code"] == "market-class"
    assert [o["code"] for o in markets["disaggregation"]["options"]] == ["I", "II", "III"]
    assert by_code["IIP"]["max_value"] == "1000"
    for field in ("unit_of_measure_en", "weight_indicator", "source", "definition_is_own", "value_type", "used_from"):
        assert field in retail


def test_indicator_list_filters_by_dataset_and_unknown_dataset_is_404(w):
    api = as_token(w.users["hanoi_officer"])

    monthly = api.get("/indicators", dataset="BC-THANG")
    unknown = api.get("/indicators", dataset="NOPE")

    assert [i["code"] for i in monthly.json()] == ["EXPORT", "IIP", "RETAIL"]  # catalogue order, then code
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "unknown_dataset"


def test_indicator_detail_and_unknown_indicator_is_404(w):
    api = as_session(w.users["coordinator"])

    found = api.get("/indicators/MARKETS")
    missing = api.get("/indicators/NOPE")

    assert found.status_code == 200
    assert found.json()["value_type"] == "integer"
    assert missing.status_code == 404
    assert missing.json()["code"] == "unknown_indicator"
    assert "NOPE" in missing.json()["message"]


@pytest.mark.parametrize("path", ["/indicators", "/indicators/RETAIL", "/datasets", "/datasets/BC-THANG"])
def test_catalogue_needs_authentication(w, path):
    response = anonymous().get(path)

    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_invalid_or_revoked_token_is_401(w):
    client = Client()

    bad = client.get("/api/v1/indicators", HTTP_AUTHORIZATION="Bearer lk_nothing_here")
    wrong_scheme = client.get("/api/v1/indicators", HTTP_AUTHORIZATION="Basic abc")

    assert bad.status_code == 401
    assert wrong_scheme.status_code == 401


def test_dataset_list_gives_rules_and_elements(w):
    api = as_token(w.users["hanoi_officer"])

    response = api.get("/datasets")

    assert response.status_code == 200
    monthly = next(d for d in response.json() if d["code"] == "BC-THANG")
    assert monthly["period_type"] == "month"
    assert monthly["reporting_group"] == "north"
    assert (monthly["cutoff_day"], monthly["due_days"]) == (14, 6)
    assert [e["indicator"] for e in monthly["elements"]] == ["RETAIL", "EXPORT", "IIP"]
    assert monthly["period"] is None


def test_dataset_for_a_period_gives_deadlines_and_the_units_valid_on_the_due_date(w):
    api = as_token(w.users["hanoi_officer"])

    after = api.get("/datasets/BC-THANG", period="202603").json()["period"]
    before = api.get("/datasets/BC-6THANG", period="2025S1").json()["period"]
    listed = api.get("/datasets", period="2026Q1").json()

    assert (after["cutoff_date"], after["due_date"]) == ("2026-03-14", "2026-03-20")
    assert after["edit_deadline"] > after["due_date"]
    assert [u["key"] for u in after["reporting_units"]] == ["01", "25@2025-07-01"]
    assert [u["code"] for u in before["reporting_units"]] == ["01", "25", "26"]
    assert listed == []  # no quarterly data set in this world


def test_dataset_list_with_a_month_lists_only_monthly_sets(w):
    response = as_token(w.users["coordinator"]).get("/datasets", period="202603")

    assert [d["code"] for d in response.json()] == ["BC-THANG"]
    assert response.json()[0]["period"]["code"] == "202603"


@pytest.mark.parametrize(
    ("path", "query", "status", "code"),
    [
        ("/datasets/NOPE", {}, 404, "unknown_dataset"),
        ("/datasets/BC-THANG", {"period": "2026X"}, 422, "invalid_period"),
        ("/datasets/BC-THANG", {"period": "2026S1"}, 422, "wrong_period_type"),
        ("/datasets", {"period": "13/2026"}, 422, "invalid_period"),
    ],
)
def test_dataset_bad_input_is_a_clear_error(w, path, query, status, code):
    response = as_token(w.users["hanoi_officer"]).get(path, **query)

    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_every_reporting_endpoint_is_documented_in_openapi(w):
    spec = Client().get("/api/v1/openapi.json").json()
    expected = {
        ("/api/v1/indicators", "get"), ("/api/v1/indicators/{code}", "get"),
        ("/api/v1/datasets", "get"), ("/api/v1/datasets/{code}", "get"),
        ("/api/v1/datavalues", "get"), ("/api/v1/datavalues", "post"),
        ("/api/v1/submissions", "get"), ("/api/v1/submissions", "post"),
        ("/api/v1/submissions/{submission_id}", "get"), ("/api/v1/submissions/{submission_id}/{action}", "post"),
        ("/api/v1/completeness", "get"),
    }

    for path, method in expected:
        operation = spec["paths"][path][method]
        assert operation["summary"], (path, method)
        assert operation.get("description"), (path, method)
        assert {"401", "403", "404", "422"} <= set(operation["responses"]), (path, method)
        assert operation["responses"]["422"]["content"]["application/json"]
    post_values = spec["paths"]["/api/v1/datavalues"]["post"]
    assert set(post_values["requestBody"]["content"]) == {"application/json", "text/csv"}
    assert set(spec["paths"]["/api/v1/datavalues"]["get"]["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert {"413", "415"} <= set(post_values["responses"])
