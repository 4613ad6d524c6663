"""Input hygiene (issue 14): only ASCII digits are numbers; invisible and bidi-control characters never reach storage."""

from __future__ import annotations

import pytest

from lienket.core.errors import ValidationFailed
from lienket.core.formats import parse_number
from lienket.core.text import foreign_digit, is_ascii_int, nfc


@pytest.mark.parametrize("text", ["١٢", "１２", "۱۲", "१२", "²", "1_000", "٣,٥"])
def test_digits_other_than_ascii_are_refused_with_a_clear_message(text):
    with pytest.raises(ValidationFailed) as exc:
        parse_number(text)

    assert exc.value.code == "invalid_number"
    assert "0–9" in exc.value.message


@pytest.mark.parametrize(("text", "expected"), [("12", "12"), ("1.234,5", "1234.5"), ("\u200b1\u202e2", "12"), ("-3,5", "-3.5")])
def test_ascii_numbers_still_parse(text, expected):
    assert str(parse_number(text)) == expected


def test_digit_helpers():
    assert foreign_digit("١٢") == "١"
    assert foreign_digit("12 abc") is None
    assert is_ascii_int("2026")
    assert not is_ascii_int("٢٠٢٦")
    assert not is_ascii_int("²")
    assert not is_ascii_int("")


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f",
                                  "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_nfc_removes_invisible_and_bidi_control_characters(char):
    assert nfc(f"Hà{char} Nội{char}") == "Hà Nội"


def test_nfc_keeps_vietnamese_and_normalises():
    decomposed = "Ha\u0300 N\u00f4\u0323i"

    assert nfc(f"  {decomposed}  ") == "Hà Nội"
    assert nfc(None) == ""
