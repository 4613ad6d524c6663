"""Values are stored as the person meant them, or refused with a message naming the cell — never silently changed
(issue 14): a percentage typed with its sign, the total of a disaggregated indicator against its parts, and the
precision of a formula's cached result. The same rules for the entry form, the Excel upload and the API."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lienket.core.errors import ValidationFailed
from lienket.reporting.entry import entry_form
from lienket.reporting.excel import reader as excel_reader
from lienket.reporting.excel import template, workbook
from lienket.reporting.excel.imports import import_job_create, import_job_run
from lienket.reporting.models import (
    DataSetElement,
    DataValue,
    Disaggregation,
    DisaggregationOption,
    ImportJob,
    Indicator,
    Submission,
)
from lienket.reporting.services import datavalues_apply, submission_open, submission_transition
from lienket.reporting.values import ValueItem, value_parse

from .test_api_support import as_token

PERIOD = "202603"


# ---------------------------------------------------------------------------------------------------------
# helpers


def value_row(indicator: str, value: Any, option: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"unit": "01", "period": PERIOD, "indicator": indicator, "option": option, "value": value, **extra}


def stored(code: str, option: str | None = None) -> Decimal | None:
    dv = DataValue.objects.filter(indicator__code=code, option__code=option).first() if option else (
        DataValue.objects.filter(indicator__code=code, option__isnull=True).first())
    return dv.value if dv else None


def build(w: Any) -> bytes:
    return template.template_build(dataset=w.monthly, units=[w.hanoi], period_code=PERIOD, lang="vi")


def fill(data: bytes, cells: dict[str, Any]) -> bytes:
    """Type into the first sheet like a user would. A (value, number_format) pair also sets the cell's format,
    as Excel does by itself when someone types `112,5%`."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for ref, value in cells.items():
        if isinstance(value, tuple):
            ws[ref] = value[0]
            ws[ref].number_format = value[1]
        else:
            ws[ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def as_formula(data: bytes, ref: str, formula: str) -> bytes:
    """Turn the number in `ref` into the cached result of `formula` (what Excel saves for a formula cell)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body, n = re.subn(rb'(<c r="' + ref.encode() + rb'"[^>]*>)<v>', rb"\1<f>" + formula.encode() + rb"</f><v>", body)
                assert n == 1
            dst.writestr(info, body)
    return out.getvalue()


def upload(actor: Any, data: bytes) -> ImportJob:
    job = import_job_create(actor=actor, filename="bieu-01.xlsx", data=data, dry_run=False)
    return import_job_run(job_id=job.pk)


def messages(job: ImportJob) -> list[str]:
    return [e["message"] for e in job.errors]


@pytest.fixture
def ipv(w: Any) -> Indicator:
    """Industrial production value by type of ownership, in the monthly form after IIP: in the template its total
    is F10, its parts F11:F13."""
    sector, _ = Disaggregation.objects.get_or_create(code="economic-sector", defaults={"name": "Loại hình kinh tế",
                                                                                     "name_en": "Type of ownership"})
    for i, (code, name, name_en) in enumerate([("state", "Kinh tế nhà nước", "State"),
                                               ("non-state", "Kinh tế ngoài nhà nước", "Non-state"),
                                               ("fdi", "Khu vực có vốn đầu tư nước ngoài", "Foreign-invested")]):
        DisaggregationOption.objects.get_or_create(disaggregation=sector, code=code,
                                                   defaults={"name": name, "name_en": name_en, "sort_order": i})
    ind = Indicator.objects.create(
        code="IPV", name="Giá trị sản xuất công nghiệp", name_en="Industrial production value", unit_of_measure="tỷ đồng",
        decimals=1, aggregation="sum", time_aggregation="sum", min_value=Decimal(0), disaggregation=sector,
    )
    DataSetElement.objects.create(dataset=w.monthly, indicator=ind, sort_order=10)
    return ind


def ipv_values(total: Any, parts: tuple[Any, Any, Any], **extra: Any) -> list[ValueItem]:
    items = [ValueItem(unit="01", period=PERIOD, indicator="IPV", value=total, **extra)]
    for code, value in zip(("state", "non-state", "fdi"), parts, strict=True):
        items.append(ValueItem(unit="01", period=PERIOD, indicator="IPV", option=code, value=value))
    return items


def report(w: Any) -> Submission:
    return submission_open(dataset=w.monthly, unit=w.hanoi, period_code=PERIOD, actor=w.users["hanoi_officer"])


def required_values(w: Any) -> None:
    datavalues_apply(actor=w.users["hanoi_officer"], source="form", items=[
        ValueItem(unit="01", period=PERIOD, indicator=code, value=v) for code, v in (("RETAIL", 1500), ("EXPORT", 12), ("IIP", 101))
    ])


# ---------------------------------------------------------------------------------------------------------
# 1. Percentages


def test_percent_number_formats_are_told_from_literal_percent_signs():
    assert workbook.is_percent_format("0%")
    assert workbook.is_percent_format("0.0%")
    assert workbook.is_percent_format("#,##0.00%;[Red]-#,##0.00%")
    assert not workbook.is_percent_format('#,##0.00" %"')  # the template's own format: a literal sign, no ×100
    assert not workbook.is_percent_format("0\\%")
    assert not workbook.is_percent_format("#,##0.0")
    assert not workbook.is_percent_format(None)


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_percent_typed_in_the_iip_cell_is_stored_as_112_5_not_1_125(w, reader):
    # Given: the officer types 112,5% in the IIP cell; Excel stores 1.125 and formats the cell as a percentage
    data = fill(build(w), {"F9": (1.125, "0.0%")})

    parsed = excel_reader.workbook_parse(data=data, filename="bieu-01.xlsx", reader=reader)
    assert parsed.ok, parsed.errors
    datavalues_apply(actor=w.users["hanoi_officer"], items=parsed.items, source="xlsx")

    assert stored("IIP") == Decimal("112.5")


def test_percent_typed_in_the_iip_cell_is_stored_as_per_cent_through_an_upload(w):
    job = upload(w.users["hanoi_officer"], fill(build(w), {"F9": (1.125, "0.00%"), "F7": 1500}))

    assert job.status == ImportJob.Status.DONE, job.errors
    assert stored("IIP") == Decimal("112.5")


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_percent_cell_in_a_row_that_is_not_in_per_cent_is_refused_naming_the_cell(w, reader):
    # Given: retail sales (tỷ đồng) typed as 5% — was 5 or 0,05 meant? Nobody can tell.
    data = fill(build(w), {"F7": (0.05, "0%"), "F9": 101})

    with translation.override("vi"):
        parsed = excel_reader.workbook_parse(data=data, filename="bieu-01.xlsx", reader=reader)

    assert [e["ref"] for e in parsed.errors] == ["BC-THANG - Hà Nội!F7"]
    assert parsed.errors[0]["code"] == "percent_format"
    assert "phần trăm" in parsed.errors[0]["message"]
    assert "tỷ đồng" in parsed.errors[0]["message"]


def test_percent_cell_in_a_row_that_is_not_in_per_cent_refuses_the_whole_upload(w):
    job = upload(w.users["hanoi_officer"], fill(build(w), {"F7": (0.05, "0%"), "F9": 101}))

    assert job.status == ImportJob.Status.INVALID
    assert any("F7" in m for m in messages(job))
    assert DataValue.objects.count() == 0


def test_percent_text_in_a_cell_is_read_per_indicator(w):
    data = fill(build(w), {"F9": "112,5%", "F8": "12%"})

    with translation.override("en"):
        job = upload(w.users["hanoi_officer"], data)

    assert job.status == ImportJob.Status.INVALID
    assert [e["ref"] for e in job.errors] == ["BC-THANG - Hà Nội!F8"]
    assert "not in per cent" in job.errors[0]["message"]
    job = upload(w.users["hanoi_officer"], fill(build(w), {"F9": "112,5%"}))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert stored("IIP") == Decimal("112.5")


def test_the_template_shows_rows_in_per_cent_with_a_literal_sign(w):
    ws = load_workbook(io.BytesIO(build(w))).worksheets[0]

    assert ws["F9"].number_format == '#,##0.00" %"'
    assert not workbook.is_percent_format(ws["F9"].number_format)
    assert ws["F7"].number_format == "#,##0.0"
    assert "112,5 %" in ws["A4"].value


@pytest.mark.parametrize("text", ["112,5%", "112.5%", "112,5 %", " 112,5% "])
def test_api_reads_a_percent_sign_on_an_indicator_in_per_cent(w, text):
    api = as_token(w.users["hanoi_officer"])

    response = api.post_json("/datavalues", {"values": [value_row("IIP", text)]})

    assert response.status_code == 200, response.json()
    assert stored("IIP") == Decimal("112.5")


@pytest.mark.parametrize(("lang", "words"), [("en", "not in per cent"), ("vi", "không phải phần trăm")])
def test_api_refuses_a_percent_sign_on_an_indicator_not_in_per_cent(w, lang, words):
    api = as_token(w.users["hanoi_officer"], lang=lang)

    response = api.post_json("/datavalues", {"values": [value_row("IIP", "101"), value_row("RETAIL", "5%")]})

    assert response.status_code == 422
    errors = response.json()["details"]["errors"]
    assert [e["ref"] for e in errors] == ["values[1]"]
    assert words in errors[0]["message"]
    assert DataValue.objects.count() == 0


def test_csv_reads_a_percent_sign_like_json(w):
    api = as_token(w.users["hanoi_officer"])
    text = "unit,period,indicator,option,value\r\n01,202603,IIP,,\"112,5%\"\r\n"

    response = api.post_csv("/datavalues", text.encode())

    assert response.status_code == 200, response.json()
    assert stored("IIP") == Decimal("112.5")


def test_entry_form_reads_a_percent_sign_per_indicator(client, w):
    sub = report(w)
    client.force_login(w.users["hanoi_officer"])
    url = reverse("reporting:values_save", args=[sub.pk])

    ok = client.post(url, {"row": "IIP", "value-IIP": "112,5%", "version-IIP": "0"}, HTTP_HX_REQUEST="true")
    refused = client.post(url, {"row": "RETAIL", "value-RETAIL": "5%", "version-RETAIL": "0"}, HTTP_HX_REQUEST="true")

    assert ok.status_code == 200
    assert stored("IIP") == Decimal("112.5")
    assert refused.status_code == 422
    assert "không phải phần trăm" in refused.content.decode()
    assert stored("RETAIL") is None


# ---------------------------------------------------------------------------------------------------------
# 2. Totals of disaggregated indicators


def test_entry_form_shows_the_total_row_before_the_parts(client, w, ipv):
    datavalues_apply(actor=w.users["hanoi_officer"], items=ipv_values(50000, (20000, 18000, 10000)), source="xlsx")
    sub = report(w)

    rows = [r for r in entry_form(submission=sub, user=w.users["hanoi_officer"], lang="vi").rows if r.indicator == ipv]
    client.force_login(w.users["hanoi_officer"])
    page = client.get(reverse("reporting:submission_detail", args=[sub.pk])).content.decode()

    assert [(r.key, r.option_label) for r in rows] == [
        ("IPV", "Tổng số"), ("IPV__state", "Kinh tế nhà nước"), ("IPV__non-state", "Kinh tế ngoài nhà nước"),
        ("IPV__fdi", "Khu vực có vốn đầu tư nước ngoài")]
    assert rows[0].value == Decimal(50000)
    assert 'name="value-IPV" value="50000"' in page  # the uploaded total is visible and editable
    assert re.search(r'<tr id="row-IPV"[^>]*class="[^"]*\btotal"', page)
    assert re.search(r'<tr id="row-IPV__fdi"[^>]*class="[^"]*\bpart"', page)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "the total 50,000.0 is less than the sum of its parts 98,000.0"),
    ("vi", "tổng số 50.000,0 nhỏ hơn tổng các phần chia ra 98.000,0"),
])
def test_parts_above_the_total_block_submission_in_the_entry_form(client, w, ipv, lang, words):
    required_values(w)
    sub = report(w)
    client.force_login(w.users["hanoi_officer"])
    url = reverse("reporting:values_save", args=[sub.pk])
    for key, value in (("IPV", "50.000"), ("IPV__state", "40.000"), ("IPV__non-state", "38.000"), ("IPV__fdi", "20.000")):
        assert client.post(url, {"row": key, f"value-{key}": value, f"version-{key}": "0"}, HTTP_HX_REQUEST="true").status_code == 200

    page = client.get(reverse("reporting:submission_detail", args=[sub.pk]), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    refused = client.post(reverse("reporting:submission_transition", args=[sub.pk]),
                          {"action": "submit", "reason": "", "version": Submission.objects.get(pk=sub.pk).version},
                          HTTP_ACCEPT_LANGUAGE=lang)

    assert words in page  # shown on the form before anyone submits
    assert refused.status_code == 422
    assert words in refused.content.decode()
    assert Submission.objects.get(pk=sub.pk).status == "draft"


def test_parts_above_the_total_from_an_upload_block_submission(w, ipv):
    # Given: the monthly template, total F10 = 50.000 and parts F11:F13 adding up to 98.000
    ws = load_workbook(io.BytesIO(build(w))).worksheets[0]
    assert [(ws[f"B{r}"].value, ws[f"E{r}"].value) for r in range(10, 14)] == [
        ("IPV", "Tổng số"), ("IPV", "Kinh tế nhà nước"), ("IPV", "Kinh tế ngoài nhà nước"), ("IPV", "Khu vực có vốn đầu tư nước ngoài")]
    data = fill(build(w), {"F7": 1500, "F8": 12, "F9": 101, "F10": 50000, "F11": 40000, "F12": 38000, "F13": 20000})

    job = upload(w.users["hanoi_officer"], data)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert stored("IPV") == Decimal(50000)

    for lang, words in (("vi", "nhỏ hơn tổng các phần chia ra 98.000,0"), ("en", "less than the sum of its parts 98,000.0")):
        with translation.override(lang), pytest.raises(ValidationFailed) as exc:
            submission_transition(submission=report(w), actor=w.users["hanoi_officer"], action="submit")
        violations = exc.value.details["violations"]
        assert [v["code"] for v in violations] == ["total_parts"]
        assert words in violations[0]["message"]
    assert Submission.objects.get().status == "draft"


def test_the_template_checks_the_total_against_its_parts(w, ipv):
    ws = load_workbook(io.BytesIO(build(w))).worksheets[0]

    formulas = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}

    assert formulas["F10"] == 'OR(F10="-",AND(ISNUMBER(F10),F10>=0,F10>=SUM(F11:F13)-0.2))'


@pytest.mark.parametrize(("lang", "words"), [("en", "less than the sum of its parts 98,000.0"), ("vi", "nhỏ hơn tổng các phần chia ra 98.000,0")])
def test_parts_above_the_total_block_submission_through_the_api(w, ipv, lang, words):
    required_values(w)
    api = as_token(w.users["hanoi_officer"], lang=lang)
    body = {"values": [value_row("IPV", 50000), value_row("IPV", 40000, "state"),
                       value_row("IPV", 38000, "non-state"), value_row("IPV", 20000, "fdi")]}
    assert api.post_json("/datavalues", body).status_code == 200
    sub = Submission.objects.get()

    response = api.post_json(f"/submissions/{sub.pk}/submit", {"version": sub.version})

    assert response.status_code == 422
    assert words in str(response.json())
    assert Submission.objects.get().status == "draft"


def test_parts_within_rounding_of_the_total_pass(w, ipv):
    required_values(w)
    # 33,3 + 33,3 + 33,5 = 100,1 against a total of 100,0: each figure rounded to one decimal
    datavalues_apply(actor=w.users["hanoi_officer"], items=ipv_values("100", ("33,3", "33,3", "33,5")), source="api")

    done = submission_transition(submission=report(w), actor=w.users["hanoi_officer"], action="submit")

    assert done.status == "submitted"


def test_a_total_above_complete_parts_needs_a_comment(w, ipv):
    required_values(w)
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=ipv_values(100000, (40000, 38000, 20000)), source="api")

    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        submission_transition(submission=report(w), actor=officer, action="submit")
    assert "greater than the sum of its parts" in exc.value.details["violations"][0]["message"]

    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period=PERIOD, indicator="IPV", value=100000,
                                                     comment="2.000 tỷ của hộ kinh doanh chưa phân loại")], source="form")
    assert submission_transition(submission=report(w), actor=officer, action="submit").status == "submitted"


def test_a_total_above_incomplete_parts_is_fine(w, ipv):
    required_values(w)
    datavalues_apply(actor=w.users["hanoi_officer"], source="api", items=[
        ValueItem(unit="01", period=PERIOD, indicator="IPV", value=100000),
        ValueItem(unit="01", period=PERIOD, indicator="IPV", option="fdi", value=20000),
    ])

    assert submission_transition(submission=report(w), actor=w.users["hanoi_officer"], action="submit").status == "submitted"


# ---------------------------------------------------------------------------------------------------------
# 3. Precision


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_a_formula_result_is_rounded_to_the_indicators_decimals(w, reader):
    # Given: retail sales computed by a formula; the sheet shows 2.438,1, the cell caches 2438.063636...
    data = as_formula(fill(build(w), {"F7": 2438.0636363636365}), "F7", "26818.7/11")

    parsed = excel_reader.workbook_parse(data=data, filename="bieu-01.xlsx", reader=reader)
    assert parsed.ok, parsed.errors
    datavalues_apply(actor=w.users["hanoi_officer"], items=parsed.items, source="xlsx")

    assert stored("RETAIL") == Decimal("2438.1")


def test_every_channel_rounds_half_up_to_the_indicators_decimals(client, w):
    api = as_token(w.users["hanoi_officer"])
    assert api.post_json("/datavalues", {"values": [value_row("EXPORT", "0,25"), value_row("IIP", 101.235)]}).status_code == 200
    assert (stored("EXPORT"), stored("IIP")) == (Decimal("0.3"), Decimal("101.24"))  # half-up, not to even

    sub = Submission.objects.get()
    client.force_login(w.users["hanoi_officer"])
    client.post(reverse("reporting:values_save", args=[sub.pk]),
                {"row": "RETAIL", "value-RETAIL": "1234,56", "version-RETAIL": "0"}, HTTP_HX_REQUEST="true")
    assert stored("RETAIL") == Decimal("1234.6")

    job = upload(w.users["hanoi_officer"], fill(build(w), {"F7": 1234.55}))
    assert job.status == ImportJob.Status.DONE, job.errors
    assert stored("RETAIL") == Decimal("1234.6")
    assert (job.summary["changed"], job.summary["unchanged"]) == (0, 3)  # the same value as the form stored


def test_rounding_happens_before_the_bounds_are_checked(w):
    iip = w.indicators["IIP"]
    assert value_parse("1000,004", iip) == Decimal("1000.00")
    with pytest.raises(ValueError, match=r"1\.000,005"):
        value_parse("1000,005", iip)


def test_a_whole_number_indicator_still_refuses_a_fraction_everywhere(w):
    markets = w.indicators["MARKETS"]
    with translation.override("en"):
        for raw in ("3,5", Decimal("3.5"), 3.5, "3.4%"):
            with pytest.raises(ValueError, match=r"whole number|not in per cent"):
                value_parse(raw, markets)
    assert value_parse("12", markets) == Decimal(12)
    api = as_token(w.users["hanoi_officer"])
    response = api.post_json("/datavalues", {"values": [
        {"unit": "01", "period": "2026S1", "indicator": "MARKETS", "option": "I", "value": "3,5"}]})
    assert response.status_code == 422
    assert "whole number" in response.json()["details"]["errors"][0]["message"]
    assert DataValue.objects.count() == 0
