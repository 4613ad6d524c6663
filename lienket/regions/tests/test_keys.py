"""Unit keys: one parser for `code` and `code@valid-from`, one look-up."""

from __future__ import annotations

import datetime as dt

import pytest

from lienket.core.errors import ValidationFailed
from lienket.regions.keys import UnitKey, unit_key_parse, unit_key_problem, unit_key_resolve


def test_a_plain_code_has_no_date():
    assert unit_key_parse("25") == UnitKey("25", None)
    assert str(unit_key_parse("25")) == "25"


def test_a_dated_key_names_the_record_starting_that_day():
    key = unit_key_parse("25@2025-07-01")
    assert key == UnitKey("25", dt.date(2025, 7, 1))
    assert str(key) == "25@2025-07-01"


@pytest.mark.parametrize("text", ["25@", "25@2025-13-01", "25@yesterday", "25@2025-07-01@2026-01-01", "@", ""])
def test_a_missing_or_bad_date_or_extra_at_is_refused(text):
    with pytest.raises(ValidationFailed) as exc:
        unit_key_parse(text)
    assert exc.value.code == "invalid_unit"
    assert "25@2025-07-01" in exc.value.message


def test_a_key_without_code_is_refused_with_its_own_message():
    with pytest.raises(ValidationFailed) as exc:
        unit_key_parse("@2025-07-01")
    assert exc.value.code == "invalid_unit"
    assert "25@2025-07-01" not in exc.value.message  # not the "what a key looks like" message
    assert unit_key_problem("@2025-07-01") == exc.value.message


def test_problem_is_none_for_valid_and_empty_text():
    assert unit_key_problem("25") is None
    assert unit_key_problem("25@2025-07-01") is None
    assert unit_key_problem("") is None


@pytest.mark.django_db
def test_resolve_a_code_on_a_date_and_a_key_across_the_merger(reference_data):
    before = unit_key_resolve("15", on=dt.date(2025, 6, 30))
    after = unit_key_resolve("15", on=dt.date(2025, 7, 1))
    assert before is not None
    assert after is not None
    assert before.pk != after.pk
    assert unit_key_resolve(after.key, on=dt.date(2020, 1, 1)) == after
    assert unit_key_resolve("99", on=dt.date(2025, 7, 1)) is None
    with pytest.raises(ValidationFailed):
        unit_key_resolve("15@x", on=dt.date(2025, 7, 1))
