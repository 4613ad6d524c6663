"""Validation: the rule expression language, and validate_submission / validate_values on real data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from lienket.core.errors import ValidationFailed
from lienket.reporting.models import DataSetElement, Indicator, Submission, ValidationRule
from lienket.reporting.services import datavalues_apply, submission_open, submission_transition
from lienket.reporting.validation.expressions import (
    ExpressionError,
    evaluate,
    expression_check,
    expression_codes,
    parse_expression,
)
from lienket.reporting.validation.rules import validate_submission, validate_values
from lienket.reporting.values import ValueItem

D = Decimal


def _ok(expression: str, **values: int | str) -> bool | None:
    result = evaluate(expression, {k: D(str(v)) for k, v in values.items()})
    return None if result is None else result.passed


# ---------------------------------------------------------------------------------------------------------
# The expression language (pure)


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("A + B * 2 == 7", {"A": 1, "B": 3}, True),  # * before +
        ("(A + B) * 2 == 8", {"A": 1, "B": 3}, True),
        ("A - B - C == 0", {"A": 6, "B": 3, "C": 3}, True),  # left-associative
        ("A / B / C == 1", {"A": 8, "B": 4, "C": 2}, True),
        ("A - B * C / 2 == 1", {"A": 4, "B": 3, "C": 2}, True),
        ("-A + 5 == 3", {"A": 2}, True),  # unary minus binds tighter than +
        ("--A == A", {"A": 2}, True),
        ("A * -2 == -4", {"A": 2}, True),
        ("-(A - 5) == 3", {"A": 2}, True),
        ("+A == 2", {"A": 2}, True),
        ("0.1 + 0.2 == 0.3", {}, True),  # Decimal, not float
        ("CCN_OCCUPIED <= CCN_AREA", {"CCN_OCCUPIED": 120, "CCN_AREA": 100}, False),
        ("A ≤ B", {"A": 1, "B": 2}, True),  # typographic aliases
        ("A ≥ B", {"A": 1, "B": 2}, False),
        ("A ≠ B", {"A": 1, "B": 2}, True),
        ("A != B", {"A": 2, "B": 2}, False),
        ("A < B", {"A": 2, "B": 2}, False),
        ("A > .5", {"A": 1}, True),
    ],
)
def test_expressions_follow_arithmetic_precedence(expression, values, expected):
    assert _ok(expression, **values) is expected


def test_division_by_zero_skips_the_rule():
    assert _ok("A / B > 1", A=1, B=0) is None
    assert _ok("A / (B - B) > 1", A=1, B=3) is None
    assert _ok("0 / B == 0", B=0) is None


def test_missing_value_skips_the_rule():
    assert _ok("A <= B", A=1) is None
    assert _ok("A <= 100") is None


@pytest.mark.parametrize(
    "expression",
    [
        "", "   ", "A", "A + B", "A <", "< A", "A < B < C", "A = B", "A << B", "A <> B", "(A + B <= C", "A + B) <= C",
        "1,5 <= A", "a <= B", "A ** 2 > 1", "A; B > 1", "A.B > 1", "ABS(A) > 0", "A > 'x'", "A > \"x\"", "A % 2 == 0",
        "__import__('os')", "__import__('os').system('id') == 0", "[A] > 1", "A > 1 and B > 1", "A if B else C > 1",
        "lambda: 1 > 0", "A >= 1e5", "A >= 1 2",
    ],
)
def test_syntax_errors_are_refused_with_a_message(expression):
    with pytest.raises(ExpressionError) as exc:
        parse_expression(expression)
    assert exc.value.message
    assert expression_codes(expression) == frozenset()


def test_an_expression_cannot_run_code(tmp_path: Path, db):
    marker = tmp_path / "pwned"
    hostile = f"__import__('os').system('touch {marker}') == 0"

    problems = expression_check(hostile)

    assert problems
    assert problems[0].startswith(("Syntax error", "Lỗi cú pháp"))
    with pytest.raises(ExpressionError):
        evaluate(hostile, {})
    assert not marker.exists()


def test_a_function_call_gets_a_specific_message():
    with translation.override("en"), pytest.raises(ExpressionError) as exc:
        parse_expression("ABS(A) > 0")
    assert "function call" in exc.value.message


def test_deep_nesting_and_long_expressions_are_refused_cleanly():
    with pytest.raises(ExpressionError):
        parse_expression("(" * 300 + "A" + ")" * 300 + " > 1")
    with pytest.raises(ExpressionError):
        parse_expression("-" * 300 + "A > 1")
    with pytest.raises(ExpressionError):
        parse_expression("A" + " + A" * 200 + " > 1")  # longer than 500 characters


def test_expression_codes_lists_the_indicators():
    assert expression_codes("CCN_RATE - CCN_OCCUPIED / CCN_AREA * 100 <= 0.5") == {"CCN_RATE", "CCN_OCCUPIED", "CCN_AREA"}


def test_expression_check_names_unknown_indicator_codes(w):
    with translation.override("en"):
        assert expression_check("CCN_OCCUPIED <= CCN_AREA") == []
        problems = expression_check("CCN_OCCUPIED <= NOPE + ALSO_NOPE")
    assert len(problems) == 1
    assert "ALSO_NOPE, NOPE" in problems[0]


# ---------------------------------------------------------------------------------------------------------
# validate_submission, and the submit action that uses it


def _save(w, who: str, period: str, unit: str = "01", **values):
    items = []
    comments = values.pop("comments", {})
    for code, value in values.items():
        indicator, _sep, option = code.partition("__")
        items.append(ValueItem(unit=unit, period=period, indicator=indicator, option=option or None, value=value,
                               comment=comments.get(code)))
    return datavalues_apply(actor=w.users[who], items=items, source="form")


def _submission(w, dataset, period, unit=None) -> Submission:
    return Submission.objects.get(dataset=dataset, unit=unit or w.hanoi, period__code=period)


def test_rule_violation_blocks_submit_and_nothing_changes(w):
    _save(w, "hanoi_officer", "2026S1", CCN_AREA=100, CCN_OCCUPIED=120)
    sub = _submission(w, w.half_year, "2026S1")

    with pytest.raises(ValidationFailed) as exc:
        submission_transition(submission=sub, actor=w.users["hanoi_officer"], action="submit")

    assert exc.value.code == "validation_failed"
    violations = exc.value.details["violations"]
    assert [v["rule"] for v in violations] == ["CCN_OCC_LE_AREA"]
    assert violations[0]["severity"] == "error"
    assert set(violations[0]["indicators"]) == {"CCN_AREA", "CCN_OCCUPIED"}
    sub.refresh_from_db()
    assert (sub.status, sub.version, sub.submitted_at) == ("draft", 1, None)


def test_fixing_the_value_lets_the_report_be_submitted(w):
    _save(w, "hanoi_officer", "2026S1", CCN_AREA=100, CCN_OCCUPIED=120)
    _save(w, "hanoi_officer", "2026S1", CCN_OCCUPIED=80)
    sub = _submission(w, w.half_year, "2026S1")

    sub = submission_transition(submission=sub, actor=w.users["hanoi_officer"], action="submit")

    assert sub.status == "submitted"


def test_rule_with_a_missing_value_is_skipped_not_failed(w):
    _save(w, "hanoi_officer", "2026S1", CCN_AREA=100)
    sub = _submission(w, w.half_year, "2026S1")

    report = validate_submission(submission=sub)

    assert report.violations == []
    assert report.skipped_rules == ["CCN_OCC_LE_AREA"]


def test_global_rule_applies_only_to_data_sets_holding_its_indicators(w):
    _save(w, "hanoi_officer", "202603", RETAIL=10)

    report = validate_submission(submission=_submission(w, w.monthly, "202603"))

    assert report.violations == []
    assert report.skipped_rules == []  # not even considered: the monthly form has no cluster indicators


def test_rule_division_by_zero_is_skipped(w):
    ValidationRule.objects.create(code="RATIO_RULE", name="r", dataset=w.half_year, expression="CCN_OCCUPIED / CCN_AREA <= 1",
                                  message="Tỷ lệ quá 1")
    _save(w, "hanoi_officer", "2026S1", CCN_AREA=0, CCN_OCCUPIED=0)

    report = validate_submission(submission=_submission(w, w.half_year, "2026S1"))

    assert "RATIO_RULE" in report.skipped_rules
    assert report.blocking == []


def test_rule_message_follows_the_language(w):
    ValidationRule.objects.create(code="EXP_LE_RETAIL", name="x", dataset=w.monthly, expression="EXPORT <= RETAIL",
                                  message="Xuất khẩu lớn hơn bán lẻ", message_en="Exports above retail")
    _save(w, "hanoi_officer", "202603", RETAIL=10, EXPORT=20)
    sub = _submission(w, w.monthly, "202603")

    with translation.override("vi"):
        vi = validate_submission(submission=sub).violations[0].message
    with translation.override("en"):
        en = validate_submission(submission=sub).violations[0].message

    assert vi.startswith("Xuất khẩu lớn hơn bán lẻ")
    assert en.startswith("Exports above retail")
    assert "EXPORT <= RETAIL" in en


def test_warning_rule_needs_a_comment_then_no_longer_blocks(w):
    ValidationRule.objects.create(code="EXP_LE_RETAIL", name="x", dataset=w.monthly, expression="EXPORT <= RETAIL",
                                  severity="warning", message="Xuất khẩu lớn hơn bán lẻ")
    _save(w, "hanoi_officer", "202603", RETAIL=10, EXPORT=20)
    sub = _submission(w, w.monthly, "202603")
    assert [v.needs_comment for v in validate_submission(submission=sub).blocking] == [True]

    _save(w, "hanoi_officer", "202603", EXPORT=20, comments={"EXPORT": "Xuất khẩu qua cảng, doanh nghiệp đăng ký ở tỉnh"})
    report = validate_submission(submission=sub)

    assert report.blocking == []
    assert [(v.code, v.severity) for v in report.violations] == [("rule", "warning")]


def test_rules_see_a_disaggregated_indicator_as_the_sum_of_its_options(w):
    ValidationRule.objects.create(code="FEW_MARKETS", name="x", dataset=w.half_year, expression="MARKETS <= 10",
                                  message="Quá nhiều chợ")
    _save(w, "hanoi_officer", "2026S1", MARKETS__I=4, MARKETS__II=7)

    report = validate_submission(submission=_submission(w, w.half_year, "2026S1"))

    assert [v.rule for v in report.errors] == ["FEW_MARKETS"]
    assert report.errors[0].details["left"] == "11.000000"


def test_required_value_missing_blocks_submit(w):
    DataSetElement.objects.filter(dataset=w.monthly, indicator__code="RETAIL").update(required=True)
    _save(w, "hanoi_officer", "202603", EXPORT=5)
    sub = _submission(w, w.monthly, "202603")

    with pytest.raises(ValidationFailed) as exc:
        submission_transition(submission=sub, actor=w.users["hanoi_officer"], action="submit")

    assert [v["code"] for v in exc.value.details["violations"]] == ["required"]


def test_indicator_no_longer_in_use_is_not_required(w):
    DataSetElement.objects.filter(dataset=w.monthly, indicator__code="RETAIL").update(required=True)
    Indicator.objects.filter(code="RETAIL").update(used_to="2020-12-31")
    sub = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=w.users["hanoi_officer"])

    assert validate_submission(submission=sub).violations == []


# ---------------------------------------------------------------------------------------------------------
# Outliers against the unit's own history


def test_outlier_vs_same_period_last_year_needs_a_comment_then_passes(w):
    officer = w.users["hanoi_officer"]
    _save(w, "hanoi_officer", "202503", RETAIL=100)
    _save(w, "hanoi_officer", "202603", RETAIL=200)
    sub = _submission(w, w.monthly, "202603")

    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        submission_transition(submission=sub, actor=officer, action="submit")
    violation = exc.value.details["violations"][0]
    assert (violation["code"], violation["severity"], violation["needs_comment"]) == ("outlier_last_year", "warning", True)
    assert "+100.0 %" in violation["message"]
    sub.refresh_from_db()
    assert sub.status == "draft"

    _save(w, "hanoi_officer", "202603", RETAIL=200, comments={"RETAIL": "Khai trương trung tâm thương mại mới"})
    sub = submission_transition(submission=sub, actor=officer, action="submit")

    assert sub.status == "submitted"
    report = validate_submission(submission=sub)
    assert [(v.code, v.needs_comment) for v in report.warnings] == [("outlier_last_year", False)]


def test_change_within_the_threshold_is_not_an_outlier(w):
    _save(w, "hanoi_officer", "202503", RETAIL=100)
    _save(w, "hanoi_officer", "202603", RETAIL=140)

    assert validate_submission(submission=_submission(w, w.monthly, "202603")).violations == []


def test_outlier_against_the_units_history_uses_standard_deviations(w):
    for month, value in enumerate([98, 101, 100, 99, 102, 100], start=7):
        _save(w, "hanoi_officer", f"2025{month:02d}", EXPORT=value)
    _save(w, "hanoi_officer", "202601", EXPORT=135)  # no January 2025 value: only the history check applies

    report = validate_submission(submission=_submission(w, w.monthly, "202601"))

    assert [v.code for v in report.violations] == ["outlier_history"]
    assert report.violations[0].needs_comment
    assert Decimal(report.violations[0].details["n"]) == 6


def test_history_of_fewer_than_four_periods_is_not_used(w):
    for month, value in enumerate([100, 100, 100], start=10):
        _save(w, "hanoi_officer", f"2025{month:02d}", EXPORT=value)
    _save(w, "hanoi_officer", "202601", EXPORT=140)

    assert validate_submission(submission=_submission(w, w.monthly, "202601")).violations == []


def test_history_is_the_units_own(w):
    # Phú Thọ's big numbers are no history for Hà Nội.
    for month in range(7, 13):
        _save(w, "phutho_officer", f"2025{month:02d}", unit="25", EXPORT=5000)
    _save(w, "hanoi_officer", "202601", EXPORT=100)

    assert validate_submission(submission=_submission(w, w.monthly, "202601")).violations == []


def test_year_to_date_values_are_compared_with_the_same_period_only(w):
    # RETAIL is cumulative (lũy kế) in this world: December's total is no yardstick for January.
    assert w.indicators["RETAIL"].cumulative_ytd
    for month in range(7, 13):
        _save(w, "hanoi_officer", f"2025{month:02d}", RETAIL=100 * month)
    _save(w, "hanoi_officer", "202601", RETAIL=95)

    assert validate_submission(submission=_submission(w, w.monthly, "202601")).violations == []


# ---------------------------------------------------------------------------------------------------------
# validate_values: the entry form, before saving


def test_validate_values_checks_unsaved_values_over_the_stored_ones(w):
    _save(w, "hanoi_officer", "2026S1", CCN_AREA=100)
    sub = _submission(w, w.half_year, "2026S1")

    merged = validate_values(submission=sub, values={("CCN_OCCUPIED", None): D("150")})
    alone = validate_values(submission=sub, values={("CCN_OCCUPIED", None): D("150")}, merge=False)

    assert [v.rule for v in merged.errors] == ["CCN_OCC_LE_AREA"]
    assert alone.errors == []
    assert not Submission.objects.get(pk=sub.pk).values.filter(indicator__code="CCN_OCCUPIED").exists()


def test_validate_values_reports_bounds_and_type(w):
    sub = submission_open(dataset=w.half_year, unit=w.hanoi, period_code="2026S1", actor=w.users["hanoi_officer"])

    with translation.override("en"):
        report = validate_values(submission=sub, values={
            ("MARKETS", "I"): D("2.5"), ("EXPORT", None): D("-1"), ("RETAIL", None): D("10"),
        })

    found = sorted((v.code, v.indicators[0], v.option) for v in report.errors)
    assert found == [("bounds", "EXPORT", None), ("type", "MARKETS", "I")]
    assert "whole number" in next(v.message for v in report.errors if v.code == "type")


def test_validate_values_emptying_a_cell_removes_it_from_the_check(w):
    _save(w, "hanoi_officer", "2026S1", CCN_AREA=100, CCN_OCCUPIED=120)
    sub = _submission(w, w.half_year, "2026S1")

    report = validate_values(submission=sub, values={("CCN_OCCUPIED", None): None})

    assert report.errors == []


def test_validate_values_comment_clears_an_outlier_warning(w):
    _save(w, "hanoi_officer", "202503", RETAIL=100)
    sub = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=w.users["hanoi_officer"])

    without = validate_values(submission=sub, values={("RETAIL", None): D("300")})
    with_comment = validate_values(submission=sub, values={("RETAIL", None): D("300")},
                                   comments={("RETAIL", None): "Giá tăng mạnh"})

    assert [v.needs_comment for v in without.warnings] == [True]
    assert [v.needs_comment for v in with_comment.warnings] == [False]
    assert with_comment.blocking == []
