"""Saving values from the entry form: one row over HTMX, the whole form with a plain POST ("Lưu nháp"),
bad input refused in Vietnamese with nothing written, per-value optimistic locking, value history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from lienket.reporting.models import DataValue, DataValueAudit, Submission
from lienket.reporting.services import datavalues_apply, submission_open, submission_transition
from lienket.reporting.values import ValueItem

from . import test_views_support as support
from .test_views_support import db_state, htmx


@pytest.fixture(autouse=True)
def _environment(settings, tmp_path):
    support.use_vietnamese_catalogue(settings, tmp_path)


@pytest.fixture
def form(w):
    """Hà Nội's empty March 2026 form, opened by its officer."""
    return submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=w.users["hanoi_officer"])


def save(client, submission, data, **extra):
    return client.post(reverse("reporting:values_save", args=[submission.pk]), data, **extra)


def whole_form(**overrides):
    data = {"value-RETAIL": "", "version-RETAIL": "0", "value-EXPORT": "", "version-EXPORT": "0",
            "value-IIP": "", "version-IIP": "0", "change_reason": ""}
    data.update(overrides)
    return data


# --- HTMX: one row ------------------------------------------------------------------------------------------------


def test_htmx_row_save_writes_the_value_and_its_history_and_returns_the_row(client, w, form):
    client.force_login(w.users["hanoi_officer"])

    response = save(client, form, {"row": "RETAIL", "value-RETAIL": "1.234,5", "version-RETAIL": "0", "estimate-RETAIL": "1",
                                   "comment-RETAIL": "ước tính theo Cục Thống kê", "change_reason": "số liệu sơ bộ"}, **htmx())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<tr id="row-RETAIL"')
    assert 'data-testid="saved-RETAIL"' in html
    assert 'name="version-RETAIL" value="1"' in html
    assert 'hx-swap-oob="true"' in html  # the validation summary and the other rows' messages follow
    value = DataValue.objects.get()
    assert (value.indicator.code, value.value, value.is_estimate, value.comment, value.version) == (
        "RETAIL", Decimal("1234.5"), True, "ước tính theo Cục Thống kê", 1)
    audit = DataValueAudit.objects.get()
    assert (audit.kind, audit.old_value, audit.new_value, audit.reason, audit.source, audit.changed_by) == (
        "create", None, Decimal("1234.5"), "số liệu sơ bộ", "form", w.users["hanoi_officer"])


def test_htmx_row_save_changes_only_that_row(client, w, form):
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="EXPORT", value=5)], source="form")
    client.force_login(officer)

    save(client, form, {"row": "RETAIL", "value-RETAIL": "10", "version-RETAIL": "0", "value-EXPORT": "999",
                        "version-EXPORT": "1"}, **htmx())

    assert DataValue.objects.get(indicator__code="EXPORT").value == Decimal(5)
    assert DataValue.objects.get(indicator__code="RETAIL").value == Decimal(10)


def test_htmx_clearing_a_value_deletes_it_with_history(client, w, form):
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=7)], source="form")
    client.force_login(officer)

    response = save(client, form, {"row": "RETAIL", "value-RETAIL": "", "version-RETAIL": "1", "change_reason": "nhập nhầm"},
                    **htmx())

    assert response.status_code == 200
    assert DataValue.objects.count() == 0
    deleted = DataValueAudit.objects.get(kind="delete")
    assert (deleted.old_value, deleted.reason) == (Decimal(7), "nhập nhầm")


@pytest.mark.parametrize(("row", "raw", "message"), [
    ("RETAIL", "abc", "không phải là số"),
    ("EXPORT", "-5", "nhỏ hơn giá trị tối thiểu"),
    ("IIP", "1001", "lớn hơn giá trị tối đa"),
])
def test_htmx_bad_value_is_refused_in_vietnamese_beside_the_field_and_nothing_is_written(client, w, form, row, raw, message):
    client.force_login(w.users["hanoi_officer"])
    before = db_state()

    response = save(client, form, {"row": row, f"value-{row}": raw, f"version-{row}": "0"}, **htmx())

    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert f'id="err-{row}"' in html
    assert f'aria-describedby="err-{row} rules-{row}"' in html
    assert 'aria-invalid="true"' in html
    assert f'value="{raw}"' in html  # what was typed stays in the field
    assert db_state() == before


def test_htmx_unknown_row_is_a_404(client, w, form):
    client.force_login(w.users["hanoi_officer"])

    response = save(client, form, {"row": "NOPE", "value-NOPE": "1"}, **htmx())

    assert response.status_code == 404
    assert DataValue.objects.count() == 0


# --- plain POST: the whole form -------------------------------------------------------------------------------


def test_save_draft_without_javascript_saves_every_changed_row(client, w, form):
    client.force_login(w.users["hanoi_officer"])

    response = save(client, form, whole_form(**{"value-RETAIL": "1500", "value-EXPORT": "12,5", "estimate-EXPORT": "1"}))

    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:submission_detail", args=[form.pk])
    values = {v.indicator.code: v for v in DataValue.objects.select_related("indicator")}
    assert values["RETAIL"].value == Decimal(1500)
    assert (values["EXPORT"].value, values["EXPORT"].is_estimate) == (Decimal("12.5"), True)
    assert "IIP" not in values
    assert DataValueAudit.objects.count() == 2
    followed = client.get(response["Location"]).content.decode()
    assert "Đã lưu nháp" in followed


def test_save_draft_with_one_bad_value_saves_nothing_and_keeps_what_was_typed(client, w, form):
    client.force_login(w.users["hanoi_officer"])
    before = db_state()

    response = save(client, form, whole_form(**{"value-RETAIL": "1500", "value-EXPORT": "-5"}))

    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="save-error"' in html
    assert "chưa lưu thay đổi nào của lần lưu này" in html
    assert "nhỏ hơn giá trị tối thiểu" in html
    assert 'name="value-RETAIL" value="1500"' in html
    assert db_state() == before


def test_save_draft_leaves_rows_the_person_did_not_touch_alone(client, w, form):
    # Given the officer's page showed EXPORT = 5 (version 1); the director then changed it to 6
    officer, director = w.users["hanoi_officer"], w.users["hanoi_director"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="EXPORT", value=5)], source="form")
    client.force_login(officer)
    shown = client.get(reverse("reporting:submission_detail", args=[form.pk])).content.decode()
    assert 'name="seen-EXPORT" value="5|0|"' in shown
    datavalues_apply(actor=director, items=[ValueItem(unit="01", period="202603", indicator="EXPORT", value=6)], source="form")

    # When the officer, having typed only RETAIL, saves the whole form (EXPORT still showing 5)
    response = save(client, form, whole_form(**{"value-RETAIL": "100", "seen-RETAIL": "|0|",
                                                "value-EXPORT": "5", "version-EXPORT": "1", "seen-EXPORT": "5|0|"}))

    # Then RETAIL is saved and the director's EXPORT is neither overwritten nor reported as a conflict
    assert response.status_code == 302
    assert DataValue.objects.get(indicator__code="RETAIL").value == Decimal(100)
    assert DataValue.objects.get(indicator__code="EXPORT").value == Decimal(6)


def test_save_draft_over_a_value_changed_meanwhile_is_a_conflict_and_nothing_is_saved(client, w, form):
    officer, director = w.users["hanoi_officer"], w.users["hanoi_director"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="EXPORT", value=5)], source="form")
    datavalues_apply(actor=director, items=[ValueItem(unit="01", period="202603", indicator="EXPORT", value=6)], source="form")
    before = db_state()
    client.force_login(officer)

    response = save(client, form, whole_form(**{"value-RETAIL": "100", "seen-RETAIL": "|0|",
                                                "value-EXPORT": "7", "version-EXPORT": "1", "seen-EXPORT": "5|0|"}))

    html = response.content.decode()
    assert response.status_code == 409
    assert "Giá trị này vừa được hanoi_director thay đổi" in html
    assert 'name="value-EXPORT" value="6"' in html  # the current value
    assert 'name="value-RETAIL" value="100"' in html  # what the officer typed is not lost
    assert db_state() == before


def test_nothing_changed_is_said_and_nothing_written(client, w, form):
    client.force_login(w.users["hanoi_officer"])
    before = db_state()

    response = save(client, form, whole_form())

    assert response.status_code == 302
    assert "Tất cả giá trị đã được lưu" in client.get(response["Location"]).content.decode()
    assert db_state() == before


# --- optimistic locking -----------------------------------------------------------------------------------------


def test_htmx_conflict_names_who_changed_the_value_and_shows_the_current_one(client, w, form):
    # Given the officer loaded RETAIL = 100 (version 1) and the director then saved 120 (version 2)
    officer, director = w.users["hanoi_officer"], w.users["hanoi_director"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=100)], source="form")
    datavalues_apply(actor=director, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=120)], source="form")
    before = db_state()
    client.force_login(officer)

    # When the officer saves 150 over the version they saw
    response = save(client, form, {"row": "RETAIL", "value-RETAIL": "150", "version-RETAIL": "1"}, **htmx())

    # Then nothing is overwritten and the row says who changed it, and shows the current value and version
    html = response.content.decode()
    assert response.status_code == 409
    assert "Giá trị này vừa được hanoi_director thay đổi" in html
    assert "“150”" in html
    assert 'name="value-RETAIL" value="120"' in html
    assert 'name="version-RETAIL" value="2"' in html
    assert db_state() == before

    # And saving again from the refreshed row works
    again = save(client, form, {"row": "RETAIL", "value-RETAIL": "150", "version-RETAIL": "2"}, **htmx())
    assert again.status_code == 200
    assert DataValue.objects.get().value == Decimal(150)


def test_conflict_on_a_value_someone_else_created_meanwhile(client, w, form):
    # The officer's page had no RETAIL (version 0); the director entered one in the meantime
    datavalues_apply(actor=w.users["hanoi_director"], items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=9)],
                     source="form")
    client.force_login(w.users["hanoi_officer"])

    response = save(client, form, whole_form(**{"value-RETAIL": "8"}))

    assert response.status_code == 409
    assert "Giá trị này vừa được hanoi_director thay đổi" in response.content.decode()
    assert DataValue.objects.get().value == Decimal(9)


# --- refusals --------------------------------------------------------------------------------------------------------


def test_other_province_cannot_save_and_nothing_changes(client, w, form):
    client.force_login(w.users["phutho_officer"])
    before = db_state()

    plain = save(client, form, whole_form(**{"value-RETAIL": "1"}))
    partial = save(client, form, {"row": "RETAIL", "value-RETAIL": "1", "version-RETAIL": "0"}, **htmx())

    assert plain.status_code == partial.status_code == 403
    assert db_state() == before


def test_coordinator_cannot_enter_a_provinces_data(client, w, form):
    client.force_login(w.users["coordinator"])
    before = db_state()

    response = save(client, form, {"row": "RETAIL", "value-RETAIL": "1", "version-RETAIL": "0"}, **htmx())

    assert response.status_code == 403
    assert "Hà Nội" in response.content.decode()
    assert db_state() == before


def test_submitted_report_cannot_be_changed_and_says_why(client, w, form):
    officer = w.users["hanoi_officer"]
    submitted = submission_transition(submission=form, actor=officer, action="submit")
    before = db_state()
    client.force_login(officer)

    page = client.get(reverse("reporting:submission_detail", args=[submitted.pk])).content.decode()
    response = save(client, submitted, whole_form(**{"value-RETAIL": "1"}))

    assert 'data-testid="readonly-reason"' in page
    assert 'name="value-RETAIL"' not in page
    assert response.status_code == 403
    assert db_state() == before


def test_values_save_refuses_get(client, w, form):
    client.force_login(w.users["hanoi_officer"])

    assert client.get(reverse("reporting:values_save", args=[form.pk])).status_code == 405


# --- value history -----------------------------------------------------------------------------------------------


def test_value_history_shows_who_when_old_new_reason_and_source(client, w, form):
    officer, director = w.users["hanoi_officer"], w.users["hanoi_director"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=100)], source="form")
    datavalues_apply(actor=director, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value="120,5")],
                     source="xlsx", reason="Cục Thống kê điều chỉnh")
    client.force_login(officer)
    url = reverse("reporting:value_history", args=[form.pk, "RETAIL"])

    partial = client.get(url, **htmx())
    full = client.get(url)

    html = partial.content.decode()
    assert partial.status_code == 200
    assert "<html" not in html
    assert html.count('data-testid="history-entry"') == 2
    assert "hanoi_director" in html
    assert "100,0" in html
    assert "→ 120,5" in html
    assert "Cục Thống kê điều chỉnh" in html
    assert "xlsx" in html
    changed = DataValueAudit.objects.filter(kind="update").get().changed_at
    from django.utils import timezone

    assert timezone.localtime(changed).strftime("%d/%m/%Y %H:%M") in html
    assert full.status_code == 200
    assert "<html" in full.content.decode()


def test_value_history_is_refused_to_another_province_and_unknown_indicators(client, w, form):
    client.force_login(w.users["phutho_officer"])
    assert client.get(reverse("reporting:value_history", args=[form.pk, "RETAIL"])).status_code == 403
    client.force_login(w.users["hanoi_officer"])
    assert client.get(reverse("reporting:value_history", args=[form.pk, "CCN_AREA"])).status_code == 404


def test_entry_form_lists_disaggregated_rows_and_saves_an_option(client, w):
    officer = w.users["hanoi_officer"]
    sub = submission_open(dataset=w.half_year, unit=w.hanoi, period_code="2026S1", actor=officer)
    client.force_login(officer)

    page = client.get(reverse("reporting:submission_detail", args=[sub.pk])).content.decode()
    response = save(client, sub, {"row": "MARKETS__II", "value-MARKETS__II": "7", "version-MARKETS__II": "0"}, **htmx())

    assert 'data-testid="value-MARKETS-I"' in page
    assert 'data-testid="value-MARKETS-III"' in page
    assert response.status_code == 200
    value = DataValue.objects.get()
    assert (value.indicator.code, value.option.code, value.value) == ("MARKETS", "II", Decimal(7))
    assert Submission.objects.get().pk == sub.pk


def test_htmx_row_without_its_value_field_changes_nothing(client, w, form):
    client.force_login(w.users["hanoi_officer"])
    before = db_state()

    response = save(client, form, {"row": "RETAIL"}, **htmx())

    assert response.status_code == 400
    assert response.content.decode().lstrip().startswith('<tr id="row-RETAIL"')
    assert db_state() == before


def test_versions_and_years_are_plain_integers_in_the_page(client, w, form):
    # USE_THOUSAND_SEPARATOR must not turn version 1234 into "1.234" (the next save would be refused) nor the
    # year 2026 into "2.026"
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=1)], source="form")
    DataValue.objects.update(version=1234)
    Submission.objects.update(version=1500)
    client.force_login(officer)

    html = client.get(reverse("reporting:submission_detail", args=[form.pk])).content.decode()
    response = save(client, form, {"row": "RETAIL", "value-RETAIL": "2", "version-RETAIL": "1234"}, **htmx())

    assert 'name="version-RETAIL" value="1234"' in html
    assert 'name="version" value="1500"' in html
    assert "Kế hoạch 2026" in html
    assert response.status_code == 200
    assert DataValue.objects.get().value == Decimal(2)
