"""API: reading and writing data values (GET/POST /api/v1/datavalues), JSON and CSV."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from lienket.reporting.models import DataValue, DataValueAudit, Submission
from lienket.reporting.services import datavalues_apply, submission_transition
from lienket.reporting.tests.factories import user
from lienket.reporting.values import ValueItem
from lienket.users.models import Role

from .test_api_support import ApiClient, anonymous, as_session, as_token, csv_text, db_state, value_row

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

HEADER = "unit,period,indicator,option,value,is_estimate,comment"


def _write(actor, *rows, period="202603"):
    """Given: values stored through the service, as the form would."""
    items = [ValueItem(unit=u, period=p or period, indicator=i, value=v) for u, i, v, p in rows]
    return datavalues_apply(actor=actor, items=items, source="form")


def _accept(w, unit_code: str, period: str = "202603"):
    sub = Submission.objects.get(unit__code=unit_code, period__code=period, dataset=w.monthly)
    officer, director = (
        (w.users["hanoi_officer"], w.users["hanoi_director"]) if unit_code == "01"
        else (w.users["phutho_officer"], w.users["phutho_director"])
    )
    sub = submission_transition(submission=sub, actor=officer, action="submit")
    sub = submission_transition(submission=sub, actor=director, action="approve")
    return submission_transition(submission=sub, actor=w.users["coordinator"], action="accept")


# ---------------------------------------------------------------------------------------------------------
# POST JSON


def test_officer_writes_values_with_a_token_and_reads_back_the_exact_decimal(w):
    api = as_token(w.users["hanoi_officer"])
    body = {"values": [value_row("01", "202603", "RETAIL", "1234.5", comment="ước tính"),
                       value_row("01", "202603", "EXPORT", 12.3, is_estimate=True),
                       value_row("01", "202603", "IIP", "101,23")],
            "reason": "báo cáo tháng 3"}

    response = api.post_json("/datavalues", body)

    assert response.status_code == 200, response.json()
    result = response.json()
    assert (result["created"], result["changed"], result["unchanged"], result["deleted"]) == (3, 0, 0, 0)
    assert result["dry_run"] is False
    assert result["submissions"] == [Submission.objects.get().pk]
    assert [i["value"] for i in result["items"]] == ["1234.5", "12.3", "101.23"]
    stored = {dv.indicator.code: dv for dv in DataValue.objects.select_related("indicator")}
    assert stored["RETAIL"].value == Decimal("1234.5")
    assert stored["EXPORT"].value == Decimal("12.3")  # a JSON number is read as a decimal, not a float
    assert stored["EXPORT"].is_estimate is True
    assert stored["IIP"].value == Decimal("101.23")
    assert set(DataValueAudit.objects.values_list("source", "reason")) == {("api", "báo cáo tháng 3")}
    read = api.get("/datavalues", dataset="BC-THANG", period="202603").json()
    assert {v["indicator"]: v["value"] for v in read["values"]} == {"RETAIL": "1234.5", "EXPORT": "12.3", "IIP": "101.23"}
    assert read["values"][0]["status"] == "draft"


def test_session_user_writes_values(w):
    api = as_session(w.users["hanoi_director"])

    response = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "5")]})

    assert response.status_code == 200
    assert DataValue.objects.get().updated_by == w.users["hanoi_director"]


def test_session_write_without_csrf_token_is_refused_and_with_it_accepted(w):
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.users["hanoi_officer"])
    body = json.dumps({"values": [value_row("01", "202603", "RETAIL", "5")]})

    refused = client.post("/api/v1/datavalues", body, content_type="application/json")
    assert refused.status_code == 403
    assert DataValue.objects.count() == 0

    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    accepted = client.post("/api/v1/datavalues", body, content_type="application/json", HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 200
    assert DataValue.objects.count() == 1


def test_token_write_needs_no_csrf_token(w):
    client = Client(enforce_csrf_checks=True)
    api = ApiClient(client, token=as_token(w.users["hanoi_officer"]).headers["HTTP_AUTHORIZATION"].split()[1])

    response = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "5")]})

    assert response.status_code == 200


def test_posting_the_same_values_twice_changes_nothing_the_second_time(w):
    api = as_token(w.users["hanoi_officer"])
    body = {"values": [value_row("01", "202603", "RETAIL", "1.234,5"), value_row("01", "202603", "EXPORT", "7")]}

    first = api.post_json("/datavalues", body).json()
    history = DataValueAudit.objects.count()
    second = api.post_json("/datavalues", body).json()

    assert first["created"] == 2
    assert (second["created"], second["changed"], second["unchanged"], second["deleted"]) == (0, 0, 2, 0)
    assert second["submissions"] == []
    assert DataValueAudit.objects.count() == history
    assert DataValue.objects.get(indicator__code="RETAIL").version == 1


def test_dry_run_reports_what_would_change_and_writes_nothing(w):
    api = as_token(w.users["hanoi_officer"])
    body = {"values": [value_row("01", "202603", "RETAIL", "10"), value_row("01", "202603", "EXPORT", "")]}
    before = db_state()

    dry = api.post_json("/datavalues", body, dry_run="true")

    assert dry.status_code == 200
    assert dry.json()["dry_run"] is True
    assert dry.json()["created"] == 1
    assert [i["action"] for i in dry.json()["items"]] == ["create", "noop"]
    assert db_state() == before
    assert Submission.objects.count() == 0
    real = api.post_json("/datavalues", body, dry_run="false")
    assert real.json()["created"] == 1
    assert DataValue.objects.count() == 1


def test_an_empty_value_deletes_the_stored_one_and_a_change_is_counted(w):
    _write(w.users["hanoi_officer"], ("01", "RETAIL", 1, None), ("01", "EXPORT", 2, None))
    api = as_token(w.users["hanoi_officer"])

    result = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", None),
                                                      value_row("01", "202603", "EXPORT", "3")]}).json()

    assert (result["deleted"], result["changed"]) == (1, 1)
    assert list(DataValue.objects.values_list("indicator__code", "value")) == [("EXPORT", Decimal(3))]


def test_phu_tho_officer_cannot_write_ha_noi_and_nothing_changes(w):
    _write(w.users["hanoi_officer"], ("01", "RETAIL", 100, None))
    before = db_state()
    api = as_token(w.users["phutho_officer"])

    response = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "1"),
                                                        value_row("25", "202603", "RETAIL", "2")]})

    assert response.status_code == 403  # every problem is a permission problem
    body = response.json()
    assert body["code"] == "forbidden"
    assert body["details"]["error_count"] == 1
    assert body["details"]["errors"][0]["ref"] == "values[0]"
    assert body["details"]["errors"][0]["code"] == "forbidden"
    assert db_state() == before
    assert DataValue.objects.get().value == Decimal(100)


def test_the_refusal_is_a_403_in_vietnamese_too(w):
    api = as_token(w.users["phutho_officer"], lang="vi")

    response = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "1")]})

    assert response.status_code == 403
    assert response.json()["details"]["errors"][0]["code"] == "forbidden"


def test_forbidden_and_invalid_values_together_are_a_422_listing_both(w):
    api = as_token(w.users["phutho_officer"])

    response = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "1"),
                                                        value_row("25", "202603", "RETAIL", "abc")]})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_values"
    assert [(e["ref"], e["code"]) for e in response.json()["details"]["errors"]] == [
        ("values[0]", "forbidden"), ("values[1]", "invalid_value")
    ]
    assert DataValue.objects.count() == 0


def test_ministry_users_cannot_write_values(w):
    for role in ("coordinator", "ministry_unit"):
        response = as_token(w.users[role]).post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "1")]})
        assert response.status_code == 403
    assert DataValue.objects.count() == 0


def test_every_bad_item_is_reported_with_its_place_and_nothing_is_written(w):
    _write(w.users["hanoi_officer"], ("01", "EXPORT", 1, None))
    before = db_state()
    api = as_token(w.users["hanoi_officer"])
    values = [
        value_row("01", "202603", "RETAIL", "abc"),
        value_row("01", "202603", "NOPE", "1"),
        value_row("01", "2026X", "RETAIL", "1"),
        value_row(1, "202603", "RETAIL", "1"),
        {"unit": "01", "period": "202603", "indicator": "IIP"},
        value_row("01", "202603", "EXPORT", "2", vaule="typo"),
        value_row("99", "202603", "RETAIL", "1"),
        value_row("25@not-a-date", "202603", "RETAIL", "1"),
        value_row("01", "202603", "IIP", "5000"),
        value_row("01", "202603", "RETAIL", "1", option="I"),
        value_row("01", "202603", "EXPORT", "1", is_estimate="yes"),
        "not an object",
        value_row("01", "202603", "EXPORT", "1", version=7),
    ]

    response = api.post_json("/datavalues", {"values": values})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_values"
    errors = body["details"]["errors"]
    assert [(e["ref"], e["code"]) for e in errors] == [
        ("values[0]", "invalid_value"),
        ("values[1]", "unknown_indicator"),
        ("values[2]", "invalid_period"),
        ("values[3]", "invalid_type"),
        ("values[4]", "required"),
        ("values[5]", "unknown_field"),
        ("values[6]", "unknown_unit"),
        ("values[7]", "invalid_unit"),
        ("values[8]", "invalid_value"),
        ("values[9]", "unexpected_option"),
        ("values[10]", "invalid_type"),
        ("values[11]", "invalid_item"),
        ("values[12]", "version_conflict"),
    ]
    assert body["details"]["error_count"] == len(errors)
    assert all(e["message"].startswith(e["ref"] + ":") for e in errors)
    assert db_state() == before


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "invalid_json"),
        ("[1, 2]", "application/json", 400, "invalid_body"),
        ('{"values": {}}', "application/json", 400, "invalid_body"),
        ('{"values": [], "extra": 1}', "application/json", 400, "invalid_body"),
        ('{"values": [], "reason": 5}', "application/json", 400, "invalid_body"),
        ("   ", "application/json", 400, "empty_body"),
        ("unit=01&value=1", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ("01,202603,RETAIL,,1,,", "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_malformed_bodies_are_clear_4xx_and_change_nothing(w, body, content_type, status, code):
    before = db_state()

    response = as_token(w.users["hanoi_officer"]).post_raw("/datavalues", body, content_type)

    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert db_state() == before


def test_an_empty_body_without_content_type_is_a_400(w):
    response = as_token(w.users["hanoi_officer"]).post_empty("/datavalues")

    assert response.status_code == 400
    assert response.json()["code"] == "empty_body"


def test_an_empty_list_of_values_is_fine(w):
    response = as_token(w.users["hanoi_officer"]).post_json("/datavalues", {"values": []})

    assert response.status_code == 200
    assert response.json()["created"] == 0


def test_anonymous_cannot_write_or_read(w):
    api = anonymous()

    write = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "1")]})
    read = api.get("/datavalues")

    assert (write.status_code, read.status_code) == (401, 401)
    assert write.json()["code"] == "unauthorized"
    assert DataValue.objects.count() == 0


def test_more_than_200000_values_are_refused_with_413(w):
    api = as_token(w.users["hanoi_officer"])
    rows = "01,202603,RETAIL,,1,,\n" * 200_001
    values = [value_row("01", "202603", "RETAIL", "1")] * 200_001

    as_csv = api.post_csv("/datavalues", f"{HEADER}\n{rows}")
    as_json = api.post_json("/datavalues", {"values": values})

    assert (as_csv.status_code, as_csv.json()["code"]) == (413, "too_many_rows")
    assert (as_json.status_code, as_json.json()["code"]) == (413, "too_many_rows")
    assert DataValue.objects.count() == 0


def test_a_body_over_the_upload_limit_is_413(w, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    api = as_token(w.users["hanoi_officer"])

    response = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "1")] * 10})

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_stale_value_version_is_refused(w):
    _write(w.users["hanoi_officer"], ("01", "RETAIL", 1, None))
    api = as_token(w.users["hanoi_officer"])
    seen = api.get("/datavalues").json()["values"][0]["version"]
    _write(w.users["hanoi_director"], ("01", "RETAIL", 2, None))  # someone else changes it meanwhile

    response = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "3", version=seen)]})

    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"
    assert "changed by someone else" in response.json()["message"]
    assert response.json()["details"]["errors"][0]["code"] == "version_conflict"
    assert DataValue.objects.get().value == Decimal(2)


def test_a_stale_version_among_invalid_values_is_listed_with_them_as_a_422(w):
    _write(w.users["hanoi_officer"], ("01", "RETAIL", 1, None))
    api = as_token(w.users["hanoi_officer"])

    response = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "3", version=0),
                                                        value_row("01", "202603", "EXPORT", "abc")]})

    assert response.status_code == 422
    assert [e["code"] for e in response.json()["details"]["errors"]] == ["version_conflict", "invalid_value"]
    assert DataValue.objects.get().value == Decimal(1)


def test_values_of_an_accepted_report_are_locked(w):
    _write(w.users["hanoi_officer"], ("01", "RETAIL", 1, None))
    _accept(w, "01")

    response = as_token(w.users["hanoi_officer"]).post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "2")]})

    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["code"] == "locked"
    assert DataValue.objects.get().value == Decimal(1)


def test_code_25_means_the_unit_valid_on_the_due_date_and_keys_name_one_record(w):
    old_officer = user("phutho_old_officer", Role.PROVINCE_OFFICER, unit=w.phutho_old)
    as_token(old_officer).post_json("/datavalues", {"values": [value_row("25", "2025S1", "RETAIL", "10")]})
    as_token(w.users["phutho_officer"]).post_json("/datavalues", {"values": [value_row("25@2025-07-01", "2026S1", "RETAIL", "20")]})
    coordinator = as_token(w.users["coordinator"])

    by_code = coordinator.get("/datavalues", unit="25").json()["values"]
    by_key = coordinator.get("/datavalues", unit="25@2025-07-01").json()["values"]

    assert sorted((v["unit_key"], v["period"], v["value"]) for v in by_code) == [
        ("25", "2025S1", "10"), ("25@2025-07-01", "2026S1", "20")
    ]
    assert [(v["unit_key"], v["value"]) for v in by_key] == [("25@2025-07-01", "20")]
    assert DataValue.objects.get(period__code="2025S1").unit == w.phutho_old


# ---------------------------------------------------------------------------------------------------------
# GET


def test_province_user_sees_own_values_and_only_accepted_values_of_others(w):
    _write(w.users["hanoi_officer"], ("01", "RETAIL", 1, None), ("01", "EXPORT", 2, None))
    _write(w.users["phutho_officer"], ("25", "RETAIL", 3, None))
    phutho = as_token(w.users["phutho_officer"])

    own_only = phutho.get("/datavalues").json()
    hanoi_asked = phutho.get("/datavalues", unit="01", count=True).json()
    hanoi_csv = csv_text(phutho.get("/datavalues", format="csv"))
    submissions = phutho.get("/submissions").json()["submissions"]

    assert [(v["unit"], v["value"]) for v in own_only["values"]] == [("25", "3")]
    assert hanoi_asked == {"count": 0, "limit": 1000, "offset": 0, "next": None, "next_cursor": None, "values": []}
    assert "\r\n01," not in hanoi_csv
    assert [s["unit"] for s in submissions] == ["25"]

    _accept(w, "01")
    after = phutho.get("/datavalues", unit="01").json()
    assert sorted((v["indicator"], v["status"]) for v in after["values"]) == [("EXPORT", "accepted"), ("RETAIL", "accepted")]


def test_ministry_unit_sees_accepted_values_only_and_the_coordinator_everything(w):
    _write(w.users["hanoi_officer"], ("01", "RETAIL", 1, None))
    _write(w.users["phutho_officer"], ("25", "RETAIL", 3, None))
    _accept(w, "01")

    ministry = as_token(w.users["ministry_unit"]).get("/datavalues").json()
    coordinator = as_token(w.users["coordinator"]).get("/datavalues").json()

    assert [v["unit"] for v in ministry["values"]] == ["01"]
    assert sorted(v["unit"] for v in coordinator["values"]) == ["01", "25"]


def test_value_filters_and_paging(w):
    _write(w.users["hanoi_officer"], ("01", "RETAIL", 1, None), ("01", "EXPORT", 2, None), ("01", "IIP", 3, None))
    _write(w.users["hanoi_officer"], ("01", "RETAIL", 4, None), period="202604")
    _write(w.users["hanoi_officer"], ("01", "CCN_AREA", "5.5", "2026S1"))
    api = as_token(w.users["hanoi_director"])

    assert api.get("/datavalues", count=True).json()["count"] == 5
    assert api.get("/datavalues", period="202603", count=True).json()["count"] == 3
    assert api.get("/datavalues", period="2026-04", count=True).json()["count"] == 1
    assert api.get("/datavalues", dataset="BC-6THANG").json()["values"][0]["value"] == "5.5"
    assert api.get("/datavalues", indicator="RETAIL", count=True).json()["count"] == 2
    assert api.get("/datavalues", status="draft", count=True).json()["count"] == 5
    assert api.get("/datavalues", status="accepted", count=True).json()["count"] == 0
    page = api.get("/datavalues", period="202603", limit=2, offset=0, count=True).json()
    rest = api.get("/datavalues", period="202603", limit=2, offset=2, count=True).json()
    assert (page["count"], len(page["values"]), len(rest["values"])) == (3, 2, 1)
    assert {v["indicator"] for v in page["values"] + rest["values"]} == {"RETAIL", "EXPORT", "IIP"}


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"dataset": "NOPE"}, 404, "unknown_dataset"),
        ({"indicator": "NOPE"}, 404, "unknown_indicator"),
        ({"unit": "99"}, 404, "unknown_unit"),
        ({"unit": "25@someday"}, 422, "invalid_unit"),
        ({"period": "2026X"}, 422, "invalid_period"),
        ({"status": "bogus"}, 422, "invalid_status"),
        ({"format": "xml"}, 400, "invalid_parameter"),
        ({"limit": 0}, 400, "invalid_parameter"),
        ({"offset": -1}, 400, "invalid_parameter"),
        ({"offset": 2**63}, 400, "invalid_parameter"),
    ],
)
def test_bad_value_filters_are_clear_errors(w, query, status, code):
    response = as_token(w.users["coordinator"]).get("/datavalues", **query)

    assert response.status_code == status
    assert response.json()["code"] == code


def test_csv_export_is_an_excel_friendly_attachment(w):
    _write(w.users["hanoi_officer"], ("01", "RETAIL", "1234.5", None))

    response = as_token(w.users["hanoi_officer"]).get("/datavalues", format="csv", dataset="BC-THANG", period="202603", count=True)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="datavalues_BC-THANG_202603.csv"'
    assert response["X-Total-Count"] == "1"
    text = csv_text(response)
    assert text.startswith("\ufeffunit,period,indicator,option,value,is_estimate,comment,status,version\r\n")
    assert text.splitlines()[1] == "01,202603,RETAIL,,1234.5,false,,draft,1"


# ---------------------------------------------------------------------------------------------------------
# POST CSV


def test_csv_upload_reads_vietnamese_decimals_and_reports_rows(w):
    api = as_token(w.users["hanoi_officer"])
    text = f'{HEADER}\r\n01,202603,RETAIL,,"1.234,5",có,Ước tính\r\n1,202603,EXPORT,,12.5,,\r\n'

    response = api.post_csv("/datavalues", text.encode("utf-8"), reason="nhập từ tệp")

    assert response.status_code == 200, response.json()
    assert [i["ref"] for i in response.json()["items"]] == ["row 2", "row 3"]
    retail = DataValue.objects.get(indicator__code="RETAIL")
    assert (retail.value, retail.is_estimate, retail.comment) == (Decimal("1234.5"), True, "Ước tính")
    assert DataValue.objects.get(indicator__code="EXPORT").unit == w.hanoi  # "1": the leading zero Excel dropped
    assert set(DataValueAudit.objects.values_list("source", "reason")) == {("csv", "nhập từ tệp")}


def test_csv_with_semicolons_as_saved_by_a_vietnamese_spreadsheet(w):
    api = as_token(w.users["hanoi_officer"])
    text = "\ufeffunit;period;indicator;option;value;is_estimate;comment\n01;202603;RETAIL;;1.234,5;;\n"

    response = api.post_csv("/datavalues", text.encode("utf-8"), content_type="text/csv; charset=utf-8")

    assert response.status_code == 200, response.json()
    assert DataValue.objects.get().value == Decimal("1234.5")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("01,202603,RETAIL,,1,,\n", "invalid_header"),
        ("unit,period,indicator,valeur\n01,202603,RETAIL,1\n", "invalid_header"),
        ("unit,period,indicator,value,value\n01,202603,RETAIL,1,1\n", "invalid_header"),
        ("\n\n", "empty_body"),
        ('unit,period,indicator,value\n01,202603,RETAIL,"1\n', "invalid_csv"),
    ],
)
def test_csv_with_a_bad_header_or_broken_quoting_is_a_400(w, text, code):
    before = db_state()

    response = as_token(w.users["hanoi_officer"]).post_csv("/datavalues", text)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert db_state() == before


def test_csv_that_is_not_utf8_is_a_400(w):
    response = as_token(w.users["hanoi_officer"]).post_csv("/datavalues", f"{HEADER}\n01,202603,RETAIL,,1,,Hà Nội\n".encode("utf-16"))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_encoding"


def test_csv_rows_with_problems_are_all_listed_by_row_and_nothing_is_written(w):
    api = as_token(w.users["hanoi_officer"])
    text = (
        f"{HEADER}\n"
        "01,202603,RETAIL,,1,,\n"      # row 2: fine
        "01,202603,EXPORT,,abc,,\n"    # row 3
        "01,202603,NOPE,,1,,\n"        # row 4
        "\n"                           # row 5: blank, skipped
        "01,2026X,IIP,,1,,\n"          # row 6
        "01,202603,IIP,,1,maybe,\n"    # row 7
        "01,202603,IIP,,1\n"           # row 8: a column short
        ",202603,IIP,,1,,\n"           # row 9: no unit
    )

    response = api.post_csv("/datavalues", text)

    assert response.status_code == 422
    errors = response.json()["details"]["errors"]
    assert [(e["ref"], e["code"]) for e in errors] == [
        ("row 3", "invalid_value"), ("row 4", "unknown_indicator"), ("row 6", "invalid_period"),
        ("row 7", "invalid_boolean"), ("row 8", "invalid_row"), ("row 9", "required"),
    ]
    assert DataValue.objects.count() == 0


def test_csv_round_trip_changes_nothing(w):
    api = as_token(w.users["hanoi_officer"])
    api.post_json("/datavalues", {"values": [
        value_row("01", "202603", "RETAIL", "1234.5", comment="=SUM(A1) là công thức"),
        value_row("01", "202603", "IIP", "101.23"),
        value_row("01", "202603", "EXPORT", "1000", is_estimate=True, comment='có "ngoặc", dấu phẩy\nvà xuống dòng'),
        value_row("01", "2026S1", "MARKETS", "12", option="I"),
        value_row("01", "2026S1", "MARKETS", "3", option="II"),
        value_row("01", "2026S1", "CCN_AREA", "0.01"),
    ]})
    history = DataValueAudit.objects.count()
    before = db_state()

    exported = csv_text(api.get("/datavalues", format="csv", unit="01"))
    result = api.post_csv("/datavalues", exported.encode("utf-8"))

    assert result.status_code == 200, result.json()
    assert (result.json()["created"], result.json()["changed"], result.json()["unchanged"]) == (0, 0, 6)
    assert DataValueAudit.objects.count() == history
    assert db_state() == before
    assert "'=SUM(A1)" in exported  # a spreadsheet will not run it as a formula
    assert ",101.23," in exported
    assert DataValue.objects.get(indicator__code="IIP").value == Decimal("101.23")


def test_json_round_trip_changes_nothing(w):
    api = as_token(w.users["hanoi_officer"])
    api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "1234.5"),
                                             value_row("01", "2026S1", "MARKETS", "2", option="III")]})
    before = db_state()

    exported = api.get("/datavalues", unit="01").json()
    result = api.post_json("/datavalues", exported)

    assert result.status_code == 200, result.json()
    assert result.json()["unchanged"] == 2
    assert db_state() == before


def test_csv_changes_are_written_and_counted(w):
    api = as_token(w.users["hanoi_officer"])
    api.post_csv("/datavalues", f"{HEADER}\n01,202603,RETAIL,,1,,\n01,202603,EXPORT,,2,,\n")

    result = api.post_csv("/datavalues", f"{HEADER}\n01,202603,RETAIL,,1.5,,\n01,202603,EXPORT,,,,\n").json()

    assert (result["changed"], result["deleted"]) == (1, 1)
    assert list(DataValue.objects.values_list("value", flat=True)) == [Decimal("1.5")]


def test_absurdly_large_numbers_are_refused_not_a_server_error(w):
    api = as_token(w.users["hanoi_officer"])

    as_json = api.post_json("/datavalues", '{"values": [{"unit": "01", "period": "202603", "indicator": "RETAIL", "value": 1E+999999999},'
                                           ' {"unit": "01", "period": "202603", "indicator": "EXPORT", "value": "1e999999999"},'
                                           ' {"unit": "01", "period": "202603", "indicator": "IIP", "value": "1e20"}]}')
    as_csv = api.post_csv("/datavalues", f"{HEADER}\n01,202603,RETAIL,,1E+999999999,,\n")

    assert as_json.status_code == 422
    assert [(e["ref"], e["code"]) for e in as_json.json()["details"]["errors"]] == [
        ("values[0]", "invalid_value"), ("values[1]", "invalid_value"), ("values[2]", "invalid_value")
    ]
    assert (as_csv.status_code, as_csv.json()["details"]["errors"][0]["code"]) == (422, "invalid_value")
    assert DataValue.objects.count() == 0
