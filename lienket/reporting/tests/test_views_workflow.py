"""The workflow through the pages, for every role: the officer submits, the director approves, the coordinator
accepts; a return needs a reason; other provinces and wrong roles are refused with nothing changed; a stale
version is a conflict; accepted data is read-only; the coordinator's reopen is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from lienket.core.models import AuditEntry
from lienket.reporting.models import DataValue, Submission
from lienket.reporting.services import datavalues_apply, submission_transition
from lienket.reporting.values import ValueItem

from . import test_views_support as support
from .test_views_support import db_state


@pytest.fixture(autouse=True)
def _environment(settings, tmp_path):
    support.use_vietnamese_catalogue(settings, tmp_path)


@pytest.fixture
def report(w):
    """Hà Nội's March 2026 report, filled in by its officer (a draft)."""
    datavalues_apply(actor=w.users["hanoi_officer"], source="form", items=[
        ValueItem(unit="01", period="202603", indicator=code, value=v) for code, v in (("RETAIL", 1500), ("EXPORT", 12), ("IIP", 101))
    ])
    return Submission.objects.get()


def act(client, user, submission, action, *, reason="", version=None):
    client.force_login(user)
    version = Submission.objects.get(pk=submission.pk).version if version is None else version
    return client.post(reverse("reporting:submission_transition", args=[submission.pk]),
                       {"action": action, "reason": reason, "version": version})


def status_of(submission):
    return Submission.objects.get(pk=submission.pk).status


def detail(client, user, submission):
    client.force_login(user)
    return client.get(reverse("reporting:submission_detail", args=[submission.pk])).content.decode()


def test_officer_submits_director_approves_coordinator_accepts(client, w, report):
    officer, director, coordinator = w.users["hanoi_officer"], w.users["hanoi_director"], w.users["coordinator"]

    # The officer sees "submit" (not approve) and submits
    page = detail(client, officer, report)
    assert 'data-testid="action-submit"' in page
    assert 'data-testid="action-approve"' not in page
    submitted = act(client, officer, report, "submit")
    assert submitted.status_code == 302
    assert status_of(report) == "submitted"
    assert "Đã gửi báo cáo" in client.get(submitted["Location"]).content.decode()

    # The director sees approve and return (with the reason box) and approves
    page = detail(client, director, report)
    assert 'data-testid="action-approve"' in page
    assert 'data-testid="action-return"' in page
    assert 'data-testid="reason"' in page
    assert act(client, director, report, "approve").status_code == 302
    assert status_of(report) == "approved"

    # The coordinator accepts
    page = detail(client, coordinator, report)
    assert 'data-testid="action-accept"' in page
    assert act(client, coordinator, report, "accept").status_code == 302
    accepted = Submission.objects.get(pk=report.pk)
    assert accepted.status == "accepted"
    assert (accepted.submitted_by, accepted.approved_by, accepted.accepted_by) == (officer, director, coordinator)
    assert [e.action for e in AuditEntry.objects.filter(action__in=["submission.submit", "submission.approve",
                                                                    "submission.accept"]).order_by("at", "id")] == [
        "submission.submit", "submission.approve", "submission.accept"]


def test_accepted_report_is_read_only_for_its_officer(client, w, report):
    officer, director = w.users["hanoi_officer"], w.users["hanoi_director"]
    for user, action in ((officer, "submit"), (director, "approve"), (w.users["coordinator"], "accept")):
        act(client, user, report, action)
    before = db_state()

    page = detail(client, officer, report)
    client.force_login(officer)
    response = client.post(reverse("reporting:values_save", args=[report.pk]),
                           {"row": "RETAIL", "value-RETAIL": "1", "version-RETAIL": "1"}, HTTP_HX_REQUEST="true")

    assert 'data-testid="readonly-reason"' in page
    assert "đã được tiếp nhận và bị khóa" in page
    assert 'name="value-RETAIL"' not in page
    assert 'data-testid="value-RETAIL">1.500,0<' in page
    assert 'data-testid="no-actions"' in page
    assert response.status_code == 403
    assert db_state() == before


def test_return_needs_a_reason_and_an_empty_one_changes_nothing(client, w, report):
    submission_transition(submission=report, actor=w.users["hanoi_officer"], action="submit")
    before = db_state()

    response = act(client, w.users["hanoi_director"], report, "return", reason="   ")

    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="transition-error"' in html
    assert "Cần nêu lý do để trả lại" in html
    assert db_state() == before


def test_director_returns_with_a_reason_and_the_officer_sees_it_and_can_edit_again(client, w, report):
    submission_transition(submission=report, actor=w.users["hanoi_officer"], action="submit")

    response = act(client, w.users["hanoi_director"], report, "return", reason="Kiểm tra lại kim ngạch xuất khẩu")

    assert response.status_code == 302
    returned = Submission.objects.get(pk=report.pk)
    assert (returned.status, returned.return_reason, returned.returned_by) == (
        "returned", "Kiểm tra lại kim ngạch xuất khẩu", w.users["hanoi_director"])
    page = detail(client, w.users["hanoi_officer"], report)
    assert 'data-testid="return-reason"' in page
    assert "Kiểm tra lại kim ngạch xuất khẩu" in page
    assert 'name="value-EXPORT"' in page
    assert 'data-testid="action-submit"' in page


def test_coordinator_returns_an_approved_report(client, w, report):
    submission_transition(submission=report, actor=w.users["hanoi_officer"], action="submit")
    submission_transition(submission=report, actor=w.users["hanoi_director"], action="approve")

    response = act(client, w.users["coordinator"], report, "return", reason="Số liệu IIP chưa khớp")

    assert response.status_code == 302
    assert status_of(report) == "returned"


def test_director_of_another_province_is_refused_and_nothing_changes(client, w, report):
    submission_transition(submission=report, actor=w.users["hanoi_officer"], action="submit")
    before = db_state()

    response = act(client, w.users["phutho_director"], report, "approve")

    assert response.status_code == 403
    assert 'data-testid="error"' in response.content.decode()
    assert db_state() == before


def test_officer_cannot_approve_and_nothing_changes(client, w, report):
    submission_transition(submission=report, actor=w.users["hanoi_officer"], action="submit")
    before = db_state()

    response = act(client, w.users["hanoi_officer"], report, "approve")

    html = response.content.decode()
    assert response.status_code == 403
    assert "Chỉ lãnh đạo Sở của Hà Nội được phê duyệt" in html
    assert db_state() == before


def test_coordinator_cannot_approve_for_the_director(client, w, report):
    submission_transition(submission=report, actor=w.users["hanoi_officer"], action="submit")
    before = db_state()

    response = act(client, w.users["coordinator"], report, "approve")

    assert response.status_code == 403
    assert db_state() == before


def test_action_not_allowed_in_this_state_is_refused(client, w, report):
    before = db_state()

    response = act(client, w.users["coordinator"], report, "accept")  # a draft cannot be accepted

    assert response.status_code in (403, 409)
    assert db_state() == before


def test_concurrent_approval_with_a_stale_version_is_a_conflict_and_nothing_changes(client, w, report):
    # Given two people looking at the submitted report (version v): the director approves first
    submitted = submission_transition(submission=report, actor=w.users["hanoi_officer"], action="submit")
    seen = submitted.version
    assert act(client, w.users["hanoi_director"], report, "approve", version=seen).status_code == 302
    before = db_state()

    # When the second one (here the same director in another tab) returns it from the stale page
    response = act(client, w.users["hanoi_director"], report, "return", reason="sai số", version=seen)

    # Then the action is refused with a clear message and the approval stands
    html = response.content.decode()
    assert response.status_code == 409
    assert "Báo cáo đã được người khác thay đổi" in html
    assert "đã phê duyệt" in html.split('data-testid="transition-error"')[1][:400]
    assert '<span class="badge approved" data-testid="status-badge">Đã phê duyệt</span>' in html  # the current state
    assert status_of(report) == "approved"
    assert db_state() == before


def test_stale_page_of_the_coordinator_gets_the_current_version_to_retry(client, w, report):
    # The coordinator opened the approved report; the director's return and the officer's resubmission
    # and the director's new approval happened meanwhile: the coordinator's accept is refused, and the page
    # now carries the current version so accepting again is a deliberate act
    officer, director, coordinator = w.users["hanoi_officer"], w.users["hanoi_director"], w.users["coordinator"]
    submission_transition(submission=report, actor=officer, action="submit")
    seen = submission_transition(submission=report, actor=director, action="approve").version
    submission_transition(submission=report, actor=coordinator, action="return", reason="bổ sung")
    submission_transition(submission=report, actor=officer, action="submit")
    current = submission_transition(submission=report, actor=director, action="approve").version

    response = act(client, coordinator, report, "accept", version=seen)

    assert response.status_code == 409
    assert f'name="version" value="{current}"' in response.content.decode()
    assert status_of(report) == "approved"
    assert act(client, coordinator, report, "accept", version=current).status_code == 302


def test_coordinator_reopens_an_accepted_report_with_a_reason_and_it_is_audited(client, w, report):
    for user, action in ((w.users["hanoi_officer"], "submit"), (w.users["hanoi_director"], "approve"),
                         (w.users["coordinator"], "accept")):
        act(client, user, report, action)
    page = detail(client, w.users["coordinator"], report)
    assert 'data-testid="action-reopen"' in page

    empty = act(client, w.users["coordinator"], report, "reopen", reason="")
    response = act(client, w.users["coordinator"], report, "reopen", reason="Tỉnh đề nghị điều chỉnh số liệu quý I")

    assert empty.status_code == 422
    assert response.status_code == 302
    reopened = Submission.objects.get(pk=report.pk)
    assert reopened.status == "returned"
    assert reopened.reopened_until is not None
    entry = AuditEntry.objects.get(action="submission.reopen")
    assert (entry.actor, entry.reason) == (w.users["coordinator"], "Tỉnh đề nghị điều chỉnh số liệu quý I")
    assert entry.before["status"] == "accepted"
    assert "mở lại" in client.get(response["Location"]).content.decode()
    # and the officer can correct a value again
    client.force_login(w.users["hanoi_officer"])
    saved = client.post(reverse("reporting:values_save", args=[report.pk]),
                        {"row": "RETAIL", "value-RETAIL": "1600", "version-RETAIL": "1"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert DataValue.objects.get(indicator__code="RETAIL").value == Decimal(1600)


def test_province_officer_cannot_reopen(client, w, report):
    for user, action in ((w.users["hanoi_officer"], "submit"), (w.users["hanoi_director"], "approve"),
                         (w.users["coordinator"], "accept")):
        act(client, user, report, action)
    before = db_state()

    response = act(client, w.users["hanoi_director"], report, "reopen", reason="xin sửa")

    assert response.status_code == 403
    assert db_state() == before


def test_submit_with_validation_errors_is_refused_with_the_problems(client, w):
    # Occupied cluster area larger than the established area breaks rule CCN_OCC_LE_AREA (an error)
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, source="form", items=[ValueItem(unit="01", period="2026S1", indicator="CCN_AREA", value=10),
                                                          ValueItem(unit="01", period="2026S1", indicator="CCN_OCCUPIED", value=20)])
    half = Submission.objects.get()
    before = db_state()

    response = act(client, officer, half, "submit")

    html = response.content.decode()
    assert response.status_code == 422
    assert "Chưa gửi được báo cáo" in html
    assert "Diện tích đã cho thuê không được lớn hơn" in html
    assert db_state() == before


@pytest.mark.parametrize("data", [{"action": "fly", "version": "1"}, {"action": "submit", "version": "x"}, {"action": "submit"}])
def test_malformed_transition_is_a_400_and_nothing_changes(client, w, report, data):
    client.force_login(w.users["hanoi_officer"])
    before = db_state()

    response = client.post(reverse("reporting:submission_transition", args=[report.pk]), data)

    assert response.status_code == 400
    assert db_state() == before


def test_transition_refuses_get(client, w, report):
    client.force_login(w.users["hanoi_officer"])

    assert client.get(reverse("reporting:submission_transition", args=[report.pk])).status_code == 405
