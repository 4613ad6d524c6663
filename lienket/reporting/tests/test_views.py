"""Reporting pages: each page for the right role, refused for another province (nothing changed), anonymous
sent to log in, bad parameters answered with a 400/404 page — never a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from lienket.reporting.models import Submission, Target
from lienket.reporting.services import datavalues_apply, submission_open, submission_transition
from lienket.reporting.values import ValueItem

from . import test_views_support as support
from .test_views_support import db_state


@pytest.fixture(autouse=True)
def _environment(settings, tmp_path):
    support.use_vietnamese_catalogue(settings, tmp_path)


@pytest.fixture
def draft(w):
    """Hà Nội's March 2026 report with one value."""
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=1500)], source="form")
    return Submission.objects.get()


def page(client, user, name, *args, **kwargs):
    client.force_login(user)
    return client.get(reverse(f"reporting:{name}", args=args), **kwargs)


NEXT_MONTH = "202605"  # the month after the frozen clock's 10/4/2026 (`w` freezes it), due on 20/5/2026


# --- anonymous ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "args", "method"), [
    ("home", [], "get"),
    ("indicator_list", [], "get"),
    ("dataset_list", [], "get"),
    ("dataset_detail", ["BC-THANG"], "get"),
    ("entry_open", ["BC-THANG", "01", "202603"], "get"),
    ("submission_list", [], "get"),
    ("submission_detail", ["SUB"], "get"),
    ("values_save", ["SUB"], "post"),
    ("value_history", ["SUB", "RETAIL"], "get"),
    ("submission_transition", ["SUB"], "post"),
    ("completeness", ["BC-THANG", "202603"], "get"),
    ("targets", [], "get"),
])
def test_anonymous_is_sent_to_log_in_and_nothing_changes(client, draft, name, args, method):
    before = db_state()
    url = reverse(f"reporting:{name}", args=[draft.pk if a == "SUB" else a for a in args])

    response = getattr(client, method)(url, {"action": "submit", "version": 1, "value-RETAIL": "9"} if method == "post" else {})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("users:login"))
    assert db_state() == before


# --- home -----------------------------------------------------------------------------------------------------


def test_home_shows_an_officer_their_open_reports_and_what_falls_due(client, w, draft):
    response = page(client, w.users["hanoi_officer"], "home")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="open-submissions"' in html
    assert reverse("reporting:submission_detail", args=[draft.pk]) in html
    assert 'data-testid="due-soon"' in html
    assert f"enter-BC-THANG-{NEXT_MONTH}" in html  # next month's report, due on the 20th
    assert "Hạn nộp" in html


def test_home_shows_the_director_what_waits_for_approval(client, w, draft):
    submission_transition(submission=draft, actor=w.users["hanoi_officer"], action="submit")

    html = page(client, w.users["hanoi_director"], "home").content.decode()

    assert 'data-testid="approval-queue"' in html
    assert f'data-testid="open-{draft.pk}"' in html


def test_home_shows_the_coordinator_completeness_and_reports_to_accept(client, w, draft):
    officer, director = w.users["hanoi_officer"], w.users["hanoi_director"]
    approved = submission_transition(submission=submission_transition(submission=draft, actor=officer, action="submit"),
                                     actor=director, action="approve")

    html = page(client, w.users["coordinator"], "home").content.decode()

    assert 'data-testid="acceptance-queue"' in html
    assert f'data-testid="open-{approved.pk}"' in html
    assert 'data-testid="completeness-overview"' in html
    assert "BC-6THANG" in html


def test_home_does_not_show_other_provinces_open_reports(client, w, draft):
    html = page(client, w.users["phutho_officer"], "home").content.decode()

    assert reverse("reporting:submission_detail", args=[draft.pk]) not in html


# --- catalogue and data sets ----------------------------------------------------------------------------------


def test_indicator_catalogue_is_open_to_every_signed_in_user(client, w):
    response = page(client, w.users["ministry_unit"], "indicator_list")

    html = response.content.decode()
    assert response.status_code == 200
    for code in ("RETAIL", "EXPORT", "CCN_RATE", "MARKETS"):
        assert f'data-testid="indicator-{code}"' in html
    assert "Chợ hạng I" in html  # the disaggregation's options
    assert "CCN_OCCUPIED ÷ CCN_AREA" in html  # how a ratio combines across units


def test_indicator_catalogue_search_ignores_accents(client, w):
    html = page(client, w.users["hanoi_officer"], "indicator_list", data={"q": "kim ngach xuat khau"}).content.decode()

    assert 'data-testid="indicator-EXPORT"' in html
    assert 'data-testid="indicator-RETAIL"' not in html


def test_dataset_list_and_detail_show_periods_due_dates_and_the_users_entry_link(client, w):
    listing = page(client, w.users["hanoi_officer"], "dataset_list")
    detail = page(client, w.users["hanoi_officer"], "dataset_detail", "BC-THANG", data={"year": "2026"})

    assert listing.status_code == detail.status_code == 200
    assert 'data-testid="dataset-BC-THANG"' in listing.content.decode()
    html = detail.content.decode()
    assert "20/03/2026" in html  # cut-off 14/03 + 6 days
    assert reverse("reporting:entry_open", args=["BC-THANG", "01", "202603"]) in html
    assert reverse("reporting:completeness", args=["BC-THANG", "202603"]) in html


def test_dataset_detail_offers_no_entry_link_to_someone_without_a_unit(client, w):
    html = page(client, w.users["coordinator"], "dataset_detail", "BC-THANG", data={"year": "2026"}).content.decode()

    assert "/reporting/form/" not in html


@pytest.mark.parametrize(("code", "params", "status"), [
    ("NOPE", {}, 404),
    ("BC-THANG", {"year": "20x6"}, 400),
    ("BC-THANG", {"year": "3000"}, 400),
])
def test_dataset_detail_bad_parameters_are_refused_with_a_page(client, w, code, params, status):
    response = page(client, w.users["hanoi_officer"], "dataset_detail", code, data=params)

    assert response.status_code == status
    assert 'data-testid="error"' in response.content.decode()


# --- opening a form -------------------------------------------------------------------------------------------


def test_officer_opens_the_form_and_a_draft_is_created_once(client, w):
    first = page(client, w.users["hanoi_officer"], "entry_open", "BC-THANG", "01", "202603")
    second = page(client, w.users["hanoi_officer"], "entry_open", "BC-THANG", "01", "202603")

    submission = Submission.objects.get()
    assert (submission.unit, submission.period.code, submission.status) == (w.hanoi, "202603", "draft")
    assert first["Location"] == second["Location"] == reverse("reporting:submission_detail", args=[submission.pk])


def test_unit_key_with_validity_names_the_merged_province(client, w):
    response = page(client, w.users["phutho_officer"], "entry_open", "BC-THANG", "25@2025-07-01", "202603")

    assert response.status_code == 302
    assert Submission.objects.get().unit == w.phutho


def test_other_province_cannot_open_a_form_and_nothing_is_created(client, w):
    response = page(client, w.users["phutho_officer"], "entry_open", "BC-THANG", "01", "202603")

    assert response.status_code == 403
    assert "Hà Nội" in response.content.decode()
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(("dataset", "unit", "period", "status"), [
    ("NOPE", "01", "202603", 404),
    ("BC-THANG", "99", "202603", 404),
    ("BC-THANG", "25@not-a-date", "202603", 404),
    ("BC-THANG", "01", "2026X", 400),
    ("BC-THANG", "01", "2026S1", 400),  # a monthly form has no half-year period
])
def test_opening_with_bad_parameters_is_refused_with_a_page(client, w, dataset, unit, period, status):
    response = page(client, w.users["hanoi_officer"], "entry_open", dataset, unit, period)

    assert response.status_code == status
    assert 'data-testid="error"' in response.content.decode()
    assert Submission.objects.count() == 0


def test_period_code_error_is_in_vietnamese(client, w):
    response = page(client, w.users["hanoi_officer"], "entry_open", "BC-THANG", "01", "2026X")

    assert "không phải là mã kỳ báo cáo" in response.content.decode()


# --- the form page ---------------------------------------------------------------------------------------------


def test_officer_sees_the_editable_form_with_comparisons(client, w, draft):
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202602", indicator="RETAIL", value=1000),
                                           ValueItem(unit="01", period="202503", indicator="RETAIL", value=1200)], source="form")
    Target.objects.create(indicator=w.indicators["RETAIL"], unit=w.hanoi, year=2026, value=Decimal(6000))

    response = page(client, officer, "submission_detail", draft.pk)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="value-RETAIL"' in html
    assert 'name="value-RETAIL" value="1500"' in html
    assert 'data-testid="save-draft"' in html
    assert 'data-testid="action-submit"' in html
    assert 'data-testid="previous-RETAIL">1.000,0<' in html
    assert 'data-testid="last-year-RETAIL">1.200,0<' in html
    assert ">+50,0 %<" in html
    assert ">+25,0 %<" in html
    assert 'data-testid="target-RETAIL">6.000,0<' in html
    assert "25,0 %" in html
    assert "Lưu nháp" in html
    assert "Tháng 02/2026" in html
    assert "Tháng 03/2025" in html


def test_coordinator_sees_the_form_read_only_with_the_reason(client, w, draft):
    html = page(client, w.users["coordinator"], "submission_detail", draft.pk).content.decode()

    assert 'data-testid="readonly-reason"' in html
    assert 'name="value-RETAIL"' not in html
    assert 'data-testid="save-draft"' not in html


def test_other_province_cannot_see_a_draft(client, w, draft):
    response = page(client, w.users["phutho_officer"], "submission_detail", draft.pk)

    assert response.status_code == 403
    assert 'data-testid="error"' in response.content.decode()


def test_missing_submission_is_a_404_page(client, w):
    response = page(client, w.users["hanoi_officer"], "submission_detail", 999999)

    assert response.status_code == 404
    assert 'data-testid="error"' in response.content.decode()


# --- list ---------------------------------------------------------------------------------------------------------


def test_submission_list_shows_only_what_the_user_may_see(client, w, draft):
    other = submission_open(dataset=w.monthly, unit=w.phutho, period_code="202603", actor=w.users["phutho_officer"])

    hanoi = page(client, w.users["hanoi_officer"], "submission_list").content.decode()
    coordinator = page(client, w.users["coordinator"], "submission_list").content.decode()

    assert f'data-testid="submission-{draft.pk}"' in hanoi
    assert f'data-testid="submission-{other.pk}"' not in hanoi
    assert f'data-testid="submission-{draft.pk}"' in coordinator
    assert f'data-testid="submission-{other.pk}"' in coordinator


def test_submission_list_filters(client, w, draft):
    datavalues_apply(actor=w.users["hanoi_officer"], items=[ValueItem(unit="01", period="2026S1", indicator="RETAIL", value=1)],
                     source="form")
    half = Submission.objects.get(period__code="2026S1")
    user = w.users["coordinator"]

    by_dataset = page(client, user, "submission_list", data={"dataset": "BC-6THANG"}).content.decode()
    by_period = page(client, user, "submission_list", data={"period": "202603"}).content.decode()
    by_unit = page(client, user, "submission_list", data={"unit": "25"}).content.decode()
    by_status = page(client, user, "submission_list", data={"status": "accepted"}).content.decode()

    assert f"submission-{half.pk}" in by_dataset
    assert f"submission-{draft.pk}" not in by_dataset
    assert f"submission-{draft.pk}" in by_period
    assert f"submission-{half.pk}" not in by_period
    assert f"submission-{draft.pk}" not in by_unit
    assert f"submission-{draft.pk}" not in by_status


@pytest.mark.parametrize("params", [{"period": "2026X"}, {"status": "bogus"}, {"unit": "25@xx"}, {"dataset": "NOPE"}])
def test_submission_list_bad_filter_is_a_400_with_the_message(client, w, params):
    response = page(client, w.users["coordinator"], "submission_list", data=params)

    assert response.status_code == 400
    assert "error" in response.content.decode()


# --- completeness -------------------------------------------------------------------------------------------------


def test_completeness_counts_units_and_timeliness(client, w):
    # Given next month's report (due in the future): Hà Nội submitted, the new Phú Thọ not started
    period = NEXT_MONTH
    officer = w.users["hanoi_officer"]
    sub = submission_open(dataset=w.monthly, unit=w.hanoi, period_code=period, actor=officer)
    submission_transition(submission=sub, actor=officer, action="submit")

    response = page(client, w.users["coordinator"], "completeness", "BC-THANG", period)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="expected">2<' in html
    assert 'data-testid="submitted">1<' in html
    assert 'data-testid="completeness-pct">50,0 %<' in html
    assert 'data-testid="timeliness-pct">50,0 %<' in html
    assert 'data-testid="missing">1<' in html
    assert 'data-testid="link-01"' in html  # the coordinator opens every unit's report ...
    assert 'data-testid="link-25"' not in html  # ... but does not start one for a province


def test_completeness_of_a_past_period_marks_late_and_overdue(client, w):
    # March 2026 was due on 20/03/2026: submitting now is late, not submitting is overdue
    officer = w.users["hanoi_officer"]
    sub = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=officer)
    submission_transition(submission=sub, actor=officer, action="submit")

    html = page(client, w.users["coordinator"], "completeness", "BC-THANG", "202603").content.decode()

    assert 'data-testid="timeliness-pct">0,0 %<' in html
    assert 'data-testid="completeness-pct">50,0 %<' in html
    assert "muộn" in html.split('data-testid="timing-01"')[1][:200]
    assert "quá hạn" in html.split('data-testid="timing-25"')[1][:200]


def test_province_user_sees_the_table_with_links_only_to_their_unit(client, w):
    submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=w.users["hanoi_officer"])

    html = page(client, w.users["phutho_officer"], "completeness", "BC-THANG", "202603").content.decode()

    assert 'data-testid="unit-01"' in html
    assert 'data-testid="link-01"' not in html
    assert 'data-testid="link-25"' in html
    assert reverse("reporting:entry_open", args=["BC-THANG", "25@2025-07-01", "202603"]) in html


@pytest.mark.parametrize(("dataset", "period", "status"), [("NOPE", "202603", 404), ("BC-THANG", "2026S1", 400),
                                                           ("BC-THANG", "20263", 400)])
def test_completeness_bad_parameters(client, w, dataset, period, status):
    response = page(client, w.users["coordinator"], "completeness", dataset, period)

    assert response.status_code == status


# --- targets ------------------------------------------------------------------------------------------------------


def test_officer_sets_targets_and_sees_the_percent_of_plan(client, w, draft):
    officer = w.users["hanoi_officer"]
    client.force_login(officer)

    response = client.post(reverse("reporting:targets"), {
        "unit": "01", "year": "2026", "target-RETAIL": "6.000", "target-EXPORT": "", "source": "QĐ 12/QĐ-UBND",
    })

    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.indicator.code, target.unit, target.year, target.value, target.source) == (
        "RETAIL", w.hanoi, 2026, Decimal(6000), "QĐ 12/QĐ-UBND")
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="achieved-RETAIL">' in html
    assert "1.500,0" in html
    assert "25,0 %" in html  # 1 500 of 6 000


def test_coordinator_sets_any_units_targets(client, w):
    client.force_login(w.users["coordinator"])

    response = client.post(reverse("reporting:targets"), {"unit": "25@2025-07-01", "year": "2026", "target-EXPORT": "250"})

    assert response.status_code == 302
    assert Target.objects.get().unit == w.phutho


def test_other_province_cannot_see_or_set_targets_and_nothing_changes(client, w):
    Target.objects.create(indicator=w.indicators["RETAIL"], unit=w.hanoi, year=2026, value=Decimal(6000))
    before = db_state()
    client.force_login(w.users["phutho_officer"])

    seen = client.get(reverse("reporting:targets"), {"unit": "01", "year": "2026"})
    posted = client.post(reverse("reporting:targets"), {"unit": "01", "year": "2026", "target-RETAIL": "1"})

    assert seen.status_code == posted.status_code == 403
    assert db_state() == before


def test_bad_target_is_refused_and_nothing_is_saved(client, w):
    client.force_login(w.users["hanoi_officer"])

    response = client.post(reverse("reporting:targets"), {"unit": "01", "year": "2026", "target-RETAIL": "100",
                                                          "target-EXPORT": "abc"})

    assert response.status_code == 422
    assert "không phải là số" in response.content.decode()
    assert Target.objects.count() == 0


def test_ministry_unit_has_no_targets_page(client, w):
    response = page(client, w.users["ministry_unit"], "targets")

    assert response.status_code == 403


def test_plain_unit_code_on_the_targets_page_means_the_unit_of_that_year(client, w):
    client.force_login(w.users["coordinator"])

    new = client.post(reverse("reporting:targets"), {"unit": "25", "year": "2026", "target-EXPORT": "250"})
    old = client.post(reverse("reporting:targets"), {"unit": "25", "year": "2024", "target-EXPORT": "100"})

    assert new.status_code == old.status_code == 302
    assert {(t.year, t.unit) for t in Target.objects.all()} == {(2026, w.phutho), (2024, w.phutho_old)}


def test_unchanged_targets_are_left_alone(client, w):
    Target.objects.create(indicator=w.indicators["RETAIL"], unit=w.hanoi, year=2026, value=Decimal(6000), source="QĐ 1")
    before = db_state()
    client.force_login(w.users["hanoi_officer"])

    response = client.post(reverse("reporting:targets"), {"unit": "01", "year": "2026", "target-RETAIL": "6000",
                                                          "source": "QĐ 2"})

    assert response.status_code == 302
    assert db_state() == before


@pytest.mark.django_db
def test_the_form_links_to_its_excel_template_and_the_coordinator_to_the_all_units_workbook(client, w):
    from lienket.reporting.services import submission_open

    sub = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=w.users["hanoi_officer"])
    client.force_login(w.users["hanoi_officer"])
    html = client.get(f"/reporting/submissions/{sub.pk}/").content.decode()
    assert "/reporting/template.xlsx?dataset=BC-THANG&amp;unit=01&amp;period=202603" in html
    assert 'data-testid="excel-upload"' in html
    assert 'data-testid="workbook-download"' not in client.get("/reporting/completeness/BC-THANG/202603/").content.decode()

    client.force_login(w.users["coordinator"])
    html = client.get("/reporting/completeness/BC-THANG/202603/").content.decode()
    assert "/reporting/workbook.xlsx?dataset=BC-THANG&amp;period=202603" in html
