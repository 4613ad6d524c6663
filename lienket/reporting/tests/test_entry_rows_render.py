"""The entry form's rows are rendered in Python (issue #17): the same numbers as the `num` filter, every data value
escaped as autoescape did."""

from __future__ import annotations

import random
from decimal import Decimal
from types import SimpleNamespace

from django.template import Context
from django.utils import translation

from lienket.core.formats import format_number
from lienket.reporting.entry import EntryRow, fingerprint
from lienket.reporting.models import Indicator
from lienket.reporting.templatetags.reporting_entry import entry_rows, fast_number


def test_fast_number_writes_what_format_number_writes() -> None:
    # given values of every sign, scale and size, and the edge cases of rounding and negative zero
    rng = random.Random(17)
    values: list[Decimal | int] = [Decimal("0"), Decimal("-0.00"), Decimal("-0.04"), Decimal("0.05"), Decimal("1E+3"),
                                   Decimal("1.20E+5"), Decimal("-999.5"), Decimal("12.3450"), 0, -5, 1234567]
    values += [Decimal(rng.randint(-10**12, 10**12)).scaleb(-rng.randint(0, 6)) for _ in range(2000)]
    # then the fast path gives the same text in both languages for every number of decimals
    for value in values:
        for decimals in (None, 0, 1, 2, 3):
            assert fast_number(value, decimals, True) == format_number(value, decimals, "vi")
            assert fast_number(value, decimals, False) == format_number(value, decimals, "en")


def _row(**overrides: object) -> EntryRow:
    indicator = Indicator(code="RETAIL", name="Bán lẻ", decimals=1)
    fields: dict[str, object] = {
        "key": "RETAIL", "indicator": indicator, "option": None, "section": "A <b>", "label": "Bán lẻ <script>x</script>",
        "option_label": "", "uom": "tỷ đồng", "decimals": 1, "required": True, "value": Decimal("1234.56"), "version": 3,
        "is_estimate": False, "comment": 'say "hi" & <go>', "updated_at": None, "updated_by": "", "previous": Decimal("1000"),
        "last_year": None, "last_year_from_predecessors": False, "change_previous_pct": Decimal("23.456"),
        "change_last_year_pct": None, "target": None, "achieved": None, "plan_pct": None, "plan_basis": "",
        "input_value": "1234,56",
    }
    fields.update(overrides)
    row = EntryRow(**fields)  # type: ignore[arg-type]
    row.seen = fingerprint(row.input_value, row.is_estimate, row.comment)
    return row


def test_rows_escape_every_value_and_format_numbers() -> None:
    # given a row whose texts hold markup, on an editable form
    with translation.override("vi"):
        context = Context({"submission": SimpleNamespace(pk=7), "can_edit": True, "year": 2026})
        html = entry_rows(context, [_row()])
    # then no markup from the data reaches the page, and numbers are Vietnamese
    assert "<script>" not in html
    assert "<b>" not in html
    assert "Bán lẻ &lt;script&gt;x&lt;/script&gt;" in html
    assert 'value="say &quot;hi&quot; &amp; &lt;go&gt;"' in html
    assert '<th colspan="7" scope="rowgroup">A &lt;b&gt;</th>' in html
    assert 'data-testid="previous-RETAIL">1.000,0<' in html
    assert "+23,5 %" in html
    assert 'hx-post="/reporting/submissions/7/values/"' in html
    assert 'href="/reporting/submissions/7/history/RETAIL/"' in html


def test_read_only_rows_show_the_formatted_value() -> None:
    # given a form the user cannot edit
    with translation.override("vi"):
        html = entry_rows(Context({"submission": SimpleNamespace(pk=7), "can_edit": False, "year": 2026}), [_row(is_estimate=True)])
    # then the value is shown, formatted, with the estimate mark and the comment as text
    assert '<span data-testid="value-RETAIL">1.234,6</span> <span class="small muted">(' in html
    assert "<input" not in html
    assert "say &quot;hi&quot; &amp; &lt;go&gt;" in html
