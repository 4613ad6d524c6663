"""Vietnamese text and number handling shared by every domain."""

from decimal import Decimal

import pytest
from django.utils import translation

from lienket.core.errors import ValidationFailed
from lienket.core.formats import format_date, format_number, parse_iso_date, parse_number
from lienket.core.text import fold, nfc, tone_normalize


def test_nfc_turns_decomposed_input_into_composed_text():
    decomposed = "Ha\u0300 No\u0323\u0302i"
    assert nfc(decomposed) == "Hà Nội"


def test_fold_ignores_diacritics_and_d_stroke():
    assert fold("Đồng bằng sông Hồng") == "dong bang song hong"
    assert fold("Hoà Bình") == fold("Hòa Bình") == "hoa binh"


def test_old_tone_placement_matches_new():
    assert tone_normalize("Hoà Bình") == "Hòa Bình"
    assert tone_normalize("Thuỷ") == "Thủy"


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (Decimal("150058.44"), 2, "vi", "150.058,44"),
        (Decimal("150058.44"), 1, "vi", "150.058,4"),
        (Decimal("150058.44"), 2, "en", "150,058.44"),
        (Decimal("-1234567.85"), 1, "vi", "-1.234.567,9"),
        (299, None, "vi", "299"),
        (Decimal("0.5"), 1, "vi", "0,5"),
    ],
)
def test_format_number(value, decimals, lang, expected):
    assert format_number(value, decimals, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("1.234,5", "vi", Decimal("1234.5")),
        ("1234,5", "vi", Decimal("1234.5")),
        ("1.234.567", "vi", Decimal("1234567")),
        ("1,234.5", "en", Decimal("1234.5")),
        ("12.5", "vi", Decimal("12.5")),
        ("0.123", "vi", Decimal("0.123")),
        (" 7 ", "vi", Decimal("7")),
    ],
)
def test_parse_number_reads_both_conventions(text, lang, expected):
    assert parse_number(text, lang) == expected


@pytest.mark.parametrize("text", ["abc", "", "1,2,3,x", "NaN", "inf"])
def test_parse_number_refuses_garbage(text):
    with pytest.raises(ValidationFailed):
        parse_number(text, "vi")


def test_dates_are_dd_mm_yyyy_and_parse_both_forms():
    d = parse_iso_date("2025-07-01")
    assert format_date(d) == "01/07/2025"
    assert parse_iso_date("01/07/2025") == d
    with pytest.raises(ValidationFailed) as exc:
        parse_iso_date("2025-13-45")
    assert exc.value.code == "invalid_date"


def test_template_filter_follows_the_active_language():
    from django.template import engines

    tpl = engines["django"].from_string("{{ v|num:2 }}")
    with translation.override("vi"):
        assert tpl.render({"v": Decimal("1234.5")}) == "1.234,50"
    with translation.override("en"):
        assert tpl.render({"v": Decimal("1234.5")}) == "1,234.50"
