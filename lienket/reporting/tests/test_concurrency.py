"""Concurrent writers of one value, through the live server with real threads (and real row locks on PostgreSQL).

Every round, N officers of one unit write the same value at the same moment with the version they all saw:
exactly one wins (200), the others get 409, the stored value is the winner's, its version rose by one and the
history says "from" the value that was really there before. The import path carries no version: there,
concurrent imports queue up (every one applied, none lost, the history one unbroken chain).
"""

from __future__ import annotations

import itertools
import json
import urllib.error
import urllib.request
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from lienket.core.tests.concurrency import together
from lienket.reporting.excel.imports import import_job_create, import_job_run
from lienket.reporting.models import DataValue, DataValueAudit, ImportJob, Submission
from lienket.reporting.services import submission_open
from lienket.users.models import Role

from .factories import user
from .test_api_support import token_for
from .test_xlsx import build, fill

pytestmark = [pytest.mark.django_db(transaction=True)]

ROUNDS = 10
WRITERS = 4
CSRF = "c" * 32


def _officers(w: Any, n: int = WRITERS) -> list[Any]:
    return [w.users["hanoi_officer"], w.users["hanoi_director"]] + [
        user(f"hanoi_officer{i}", Role.PROVINCE_OFFICER, unit=w.hanoi) for i in range(2, n)
    ]




def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - the live server
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _session_headers(person: Any) -> dict[str, str]:
    client = Client()
    client.force_login(person)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        "Cookie": f"{django_settings.SESSION_COOKIE_NAME}={session}; {django_settings.CSRF_COOKIE_NAME}={CSRF}",
        "X-CSRFToken": CSRF, "Accept-Language": "en",
    }


def _stored() -> DataValue | None:
    return DataValue.objects.filter(indicator__code="RETAIL", period__code="202603").first()


def _assert_round(results: list[Any], values: list[Decimal], before: DataValue | None) -> None:
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    statuses = sorted(status for status, _body in results)
    assert statuses == [200] + [409] * (len(results) - 1), [(s, b[:300]) for s, b in results]
    winner = next(i for i, (status, _body) in enumerate(results) if status == 200)
    after = _stored()
    assert after is not None
    assert after.value == values[winner]
    assert after.version == (before.version if before else 0) + 1
    history = list(DataValueAudit.objects.filter(indicator__code="RETAIL").order_by("pk"))
    assert history[-1].new_value == values[winner]
    assert history[-1].old_value == (before.value if before else None)
    assert len(history) == after.version


def _assert_history_is_a_chain() -> None:
    history = list(DataValueAudit.objects.filter(indicator__code="RETAIL").order_by("pk"))
    for previous, entry in itertools.pairwise(history):
        assert entry.old_value == previous.new_value, "a history row says 'from' a value that was not there"


def test_concurrent_api_writes_of_one_value_one_wins_the_others_get_409(w, live_server):
    tokens = [token_for(person) for person in _officers(w)]
    url = f"{live_server.url}/api/v1/datavalues"

    for rnd in range(ROUNDS):
        before = _stored()
        version = before.version if before else 0  # round 0: every writer creates the value (and the report)
        values = [Decimal(rnd * 100 + i + 1) for i in range(WRITERS)]
        calls = []
        for token, value in zip(tokens, values, strict=True):
            body = json.dumps({"values": [{"unit": "01", "period": "202603", "indicator": "RETAIL",
                                           "value": str(value), "version": version}]}).encode()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Language": "en"}
            calls.append(lambda body=body, headers=headers: _post(url, body, headers))

        results = together(calls)

        _assert_round(results, values, before)
        for status, body in results:
            if status == 409:
                answer = json.loads(body)
                assert answer["code"] == "version_conflict"
                assert "changed by someone else" in answer["message"]
    assert Submission.objects.count() == 1
    _assert_history_is_a_chain()


def test_concurrent_row_saves_of_the_entry_form_one_wins_the_others_get_409(w, live_server):
    people = _officers(w)
    report = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=people[0])
    url = f"{live_server.url}/reporting/submissions/{report.pk}/values/"
    headers = [{**_session_headers(p), "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"} for p in people]

    for rnd in range(ROUNDS):
        before = _stored()
        version = before.version if before else 0
        values = [Decimal(rnd * 100 + i + 1) for i in range(WRITERS)]
        calls = []
        for head, value in zip(headers, values, strict=True):
            body = f"row=RETAIL&value-RETAIL={value}&version-RETAIL={version}".encode()
            calls.append(lambda body=body, head=head: _post(url, body, head))

        results = together(calls)

        _assert_round(results, values, before)
        for status, body in results:
            if status == 409:
                assert 'data-testid="error-RETAIL"' in body
    _assert_history_is_a_chain()


PERIODS = [f"2026{m:02d}" for m in range(1, 8)]
ROWS = ["RETAIL", "EXPORT", "IIP"]


def _assert_all_saved(results: list[Any], expected: dict[tuple[str, str], Decimal]) -> None:
    failed = [r if isinstance(r, Exception) else (r[0], r[1][:300]) for r in results if isinstance(r, Exception) or r[0] != 200]
    assert not failed, failed
    stored = {(dv.period.code, dv.indicator.code): dv.value for dv in DataValue.objects.select_related("period", "indicator")}
    assert stored == expected
    assert DataValueAudit.objects.count() == len(expected)


def test_twenty_one_concurrent_row_saves_of_the_form_give_no_error_and_lose_no_value(w, live_server):
    """Seven reports of one unit, three rows each, all saved at the same moment (SQLite included)."""
    person = w.users["hanoi_officer"]
    head = {**_session_headers(person), "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}
    calls = []
    expected: dict[tuple[str, str], Decimal] = {}
    for n, period in enumerate(PERIODS):
        report = submission_open(dataset=w.monthly, unit=w.hanoi, period_code=period, actor=person)
        url = f"{live_server.url}/reporting/submissions/{report.pk}/values/"
        for k, row in enumerate(ROWS):
            value = Decimal(n * 10 + k + 1)
            body = f"row={row}&value-{row}={value}&version-{row}=0".encode()
            calls.append(lambda url=url, body=body: _post(url, body, head))
            expected[(period, row)] = value

    results = together(calls)

    _assert_all_saved(results, expected)


def test_twenty_one_concurrent_api_writes_give_no_error_and_lose_no_value(w, live_server):
    """Without a version the API writes what it is given; concurrent writers that also create the reports
    (submissions) of seven periods at once all succeed."""
    token = token_for(w.users["hanoi_officer"])
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Language": "en"}
    url = f"{live_server.url}/api/v1/datavalues"
    calls = []
    expected: dict[tuple[str, str], Decimal] = {}
    for n, period in enumerate(PERIODS):
        for k, row in enumerate(ROWS):
            value = Decimal(n * 10 + k + 1)
            body = json.dumps({"values": [{"unit": "01", "period": period, "indicator": row, "value": str(value)}]}).encode()
            calls.append(lambda body=body: _post(url, body, headers))
            expected[(period, row)] = value

    results = together(calls)

    _assert_all_saved(results, expected)
    assert Submission.objects.count() == len(PERIODS)


def test_concurrent_imports_of_one_cell_are_applied_one_after_the_other(w):
    people = _officers(w)
    template = build(w, w.hanoi)

    for rnd in range(ROUNDS):
        before = _stored()
        values = [rnd * 100 + i + 1 for i in range(WRITERS)]
        jobs = [import_job_create(actor=p, filename=f"bieu-{i}.xlsx", data=fill(template, {"F7": v}), dry_run=False)
                for i, (p, v) in enumerate(zip(people, values, strict=True))]
        calls = [lambda job=job: import_job_run(job_id=job.pk) for job in jobs]

        results = together(calls)

        errors = [r for r in results if isinstance(r, Exception)]
        assert not errors, errors
        statuses = [ImportJob.objects.get(pk=job.pk) for job in jobs]
        assert [j.status for j in statuses] == [ImportJob.Status.DONE] * WRITERS, [j.errors for j in statuses]
        after = _stored()
        assert after is not None
        assert after.version == (before.version if before else 0) + WRITERS
        history = list(DataValueAudit.objects.filter(indicator__code="RETAIL").order_by("pk"))
        assert history[-1].new_value == after.value
        assert sorted(h.new_value for h in history[-WRITERS:]) == [Decimal(v) for v in values]
    _assert_history_is_a_chain()


def test_a_value_saved_while_the_report_is_submitted_is_in_it_or_refused_never_written_after(w, clock):
    """Submit and a row save of the same report at the same moment: the save either lands before the submit
    (and is part of what was submitted) or is refused because the report is no longer a draft."""
    from lienket.core.errors import ApplicationError
    from lienket.reporting.models import DataSet
    from lienket.reporting.services import ValueItem, datavalues_apply, submission_transition

    # This compares two real instants (a value's auto_now updated_at, the report's submitted_at): real time, and a
    # data set that stays editable whatever the date is.
    clock.reset()
    DataSet.objects.filter(pk=w.monthly.pk).update(edit_days_after_due=30000)

    officer, director = w.users["hanoi_officer"], w.users["hanoi_director"]
    outcomes = {"saved": 0, "refused": 0}
    for n in range(1, ROUNDS + 1):
        period = f"2025{n:02d}"
        datavalues_apply(actor=officer, source="form", items=[
            ValueItem(unit=w.hanoi, period=period, indicator=code, value=v) for code, v in (("RETAIL", 10), ("EXPORT", 5), ("IIP", 100))
        ])
        report = Submission.objects.get(period__code=period)

        def submit(report: Submission = report) -> Any:
            return submission_transition(submission=report, actor=officer, action="submit", expected_version=report.version)

        def save(period: str = period) -> Any:
            try:
                return datavalues_apply(actor=director, source="form", items=[
                    ValueItem(unit=w.hanoi, period=period, indicator="RETAIL", value=11, expected_version=1)])
            except ApplicationError as exc:
                return exc

        submitted, saved = together([submit, save])

        assert isinstance(submitted, Submission), submitted
        report.refresh_from_db()
        assert report.status == "submitted"
        value = DataValue.objects.get(period__code=period, indicator__code="RETAIL")
        if isinstance(saved, ApplicationError):
            assert saved.code == "invalid_values"
            assert saved.details["errors"][0]["code"] == "locked"
            assert value.value == 10
            outcomes["refused"] += 1
        else:
            assert value.value == 11
            assert value.updated_at <= report.submitted_at, "a value changed after the report was submitted"
            outcomes["saved"] += 1
    assert sum(outcomes.values()) == ROUNDS
