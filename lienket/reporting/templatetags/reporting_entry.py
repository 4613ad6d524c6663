"""The rows of the entry form, rendered in Python (issue #17: a 104-indicator form has 520 rows, and rendering
them through `{% include %}` cost about a second). `{% entry_rows %}` writes the whole `<tbody>` content,
`{% entry_row row %}` one row (the HTMX response of a saved row); both give the markup the former
`_entry_row.html` + `_row_rules.html` templates gave. Everything that is the same on every row — translated
labels, the save URL, the language — is worked out once per page; each number is formatted once; every value
from the data is escaped (`escape`), exactly as the template's autoescape did.

Keep `_row_rules.html` (still used on its own for the out-of-band refresh of a row's checks) in step with
`_rules_html` below."""

from __future__ import annotations

import html
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lienket.core.formats import format_number

register = template.Library()

_PLAIN_CODE = re.compile(r"^[A-Za-z0-9_.\-]+$")
_PLACEHOLDER = "LKCODEPLACEHOLDER"
_VI_MARKS = str.maketrans({",": ".", ".": ","})
_QUANT = [Decimal(1).scaleb(-d) for d in range(12)]


def escape(value: Any) -> str:
    """What autoescape writes (django.utils.html.escape is html.escape of str(value)), without its lazy wrapper."""
    return html.escape(str(value))


def fast_number(value: Decimal | int, decimals: int | None, vi: bool) -> str:
    """lienket.core.formats.format_number for a Decimal or int (same text: half-up rounding, no sign on zero),
    through the C formatter instead of a Python loop over digit groups."""
    number = value if isinstance(value, Decimal) else Decimal(value)
    if decimals is not None:
        number = number.quantize(_QUANT[decimals] if 0 <= decimals < 12 else Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if number.is_zero() and number.is_signed():
        number = -number
    text = f"{number:,f}"
    return text.translate(_VI_MARKS) if vi else text


class _Page:
    """What every row of one page shares (translations, URLs, language, whether the form is editable)."""

    def __init__(self, context: Context) -> None:
        submission = context["submission"]
        self.can_edit = bool(context.get("can_edit"))
        self.lang = translation.get_language() or "vi"
        self.vi = self.lang.split("-")[0] == "vi"
        self.pk = submission.pk
        self.save_url = escape(reverse("reporting:values_save", args=[submission.pk]))
        self._history_base = reverse("reporting:value_history", args=[submission.pk, _PLACEHOLDER])
        self._history: dict[str, str] = {}
        year = context.get("year")
        t = {
            "required": _("required"), "History": _("History"), "Value": _("Value"), "Estimate": _("Estimate"),
            "estimate": _("estimate"), "Saved": _("Saved"), "Comment": _("Comment"),
            "Previous period": _("Previous period"), "Same period last year": _("Same period last year"),
            "% change": _("%% change").replace("%%", "%"), "vs previous period": _("vs previous period"),
            "vs same period last year": _("vs same period last year"), "% of plan": _("%% of plan").replace("%%", "%"),
            "cumulative": _("cumulative"), "year to date": _("year to date"),
            "pending": _("Not saved yet: the form was not saved because of the errors marked."),
            "explain": _("Explain this value in the comment."),
        }
        # ({% translate '% change' %} looks up "%% change")
        self.t = {k: escape(v) for k, v in t.items()}
        # {% blocktranslate %} escapes the variable, not the message
        self.t["plan"] = _("Plan %(year)s") % {"year": escape(year if year is not None else "")}

    def history_url(self, code: str) -> str:
        url = self._history.get(code)
        if url is None:
            if _PLAIN_CODE.match(code):
                url = self._history_base.replace(_PLACEHOLDER, code)
            else:
                url = reverse("reporting:value_history", args=[self.pk, code])
            url = self._history[code] = escape(url)
        return url

    def num(self, value: Any, decimals: int | None) -> str:
        """`{{ value|num:decimals }}`"""
        if value is None or value == "":
            return ""
        try:
            if (isinstance(value, Decimal) and value.is_finite()) or (isinstance(value, int) and not isinstance(value, bool)):
                return fast_number(value, decimals, self.vi)
            return escape(format_number(value, decimals, self.lang))
        except (ArithmeticError, ValueError, TypeError):
            return escape(str(value))


def _page(context: Context) -> _Page:
    cache = context.render_context
    page = cache.get("reporting_entry_page")
    if page is None or page.pk != context["submission"].pk:
        page = cache["reporting_entry_page"] = _Page(context)
    return page


def _rules_html(row: Any, t: dict[str, str], key: str, testid: str) -> str:
    """`_row_rules.html` (without `oob_rules`)."""
    out = [f'<div id="rules-{key}" class="small rules" data-testid="rules-{testid}">']
    if row.pending:
        if not row.field_error:
            out.append(f'<p class="muted" data-testid="pending-{testid}">{t["pending"]}</p>')
    else:
        out.extend(f'<p class="error">{escape(m)}</p>' for m in row.errors)
        out.extend(f'<p class="warn">⚠ {escape(m)}</p>' for m in row.warnings)
        if row.needs_comment:
            out.append(f'<p class="warn" data-testid="needs-comment-{testid}">{t["explain"]}</p>')
    out.append("</div>")
    return "".join(out)


def _pct(page: _Page, pct: Decimal | None) -> str:
    if pct is None:
        return "—"
    return f'{"+" if pct > 0 else ""}{page.num(pct, 1)} %'


def _row_html(page: _Page, row: Any) -> str:
    t = page.t
    can_edit = page.can_edit
    key = escape(row.key)
    testid = escape(row.testid)
    indicator = row.indicator
    code = indicator.code
    option = row.option
    label = escape(row.label)
    option_label = escape(row.option_label)
    uom = escape(row.uom)
    dash_option = f" — {option_label}" if row.option_label else ""
    field_error = row.field_error
    pending = row.pending
    decimals = row.decimals

    invalid = row.invalid
    is_total = row.is_total
    out: list[str] = [f'<tr id="row-{key}" data-testid="row-{testid}"']
    if invalid or is_total or option:
        kind = "total" if is_total else ("part" if option else "")
        out.append(f' class="{"invalid " if invalid else ""}{kind}"')
    if can_edit:
        out.append(
            f'\n    hx-post="{page.save_url}" hx-trigger="change" hx-target="this" hx-swap="outerHTML"\n'
            f"    hx-vals='{{\"row\": \"{key}\"}}' hx-params=\"row,change_reason,value-{key},estimate-{key},"
            f'comment-{key},version-{key}"'
        )
    out.append(">\n  <th scope=\"row\">\n    ")
    out.append(f'<span class="code muted small">{escape(code)}</span>')
    if option:
        out.append(f'<span class="visually-hidden">{label} </span>– {option_label}')
    else:
        out.append(f"{label}{dash_option}")
    if row.required:
        out.append(f' <abbr title="{t["required"]}">*</abbr>')
    history = page.history_url(code)
    out.append(
        f'\n    <span class="row-meta small"><span class="muted" data-testid="uom-{testid}">{uom}</span>\n'
        f'      · <a href="{history}" hx-get="{history}"\n'
        f'         hx-target="#history-panel" hx-swap="innerHTML show:#history-panel:top" data-testid="history-{testid}">'
        f'{t["History"]}</a></span>\n  </th>\n'
        f'  <td class="value" data-label="{t["Value"]}">\n    '
    )
    if can_edit:
        describedby = f"err-{key} " if field_error else ""
        aria_invalid = ' aria-invalid="true"' if field_error or (row.errors and not pending) else ""
        out.append(
            f'\n      <input type="text" inputmode="decimal" id="value-{key}" name="value-{key}" value="{escape(row.input_value)}"'
            f' size="10" autocomplete="off"\n'
            f'             aria-label="{label}{dash_option} ({uom})"\n'
            f'             aria-describedby="{describedby}rules-{key}"{aria_invalid}\n'
            f'             data-testid="value-{testid}">\n'
            f'      <input type="hidden" name="version-{key}" value="{escape(row.version)}" data-testid="version-{testid}">\n'
            f'      <input type="hidden" name="seen-{key}" value="{escape(row.seen)}">\n'
            f'      <span class="estimate small"><input type="checkbox" id="estimate-{key}" name="estimate-{key}" value="1"'
            f'{" checked" if row.is_estimate else ""}\n'
            f'             aria-label="{t["Estimate"]}: {label}{dash_option}" data-testid="estimate-{testid}">'
            f'<label for="estimate-{key}">{t["estimate"]}</label></span>\n    '
        )
    else:
        shown = page.num(row.value, decimals) if row.value is not None else "—"
        out.append(f'\n      <span data-testid="value-{testid}">{shown}</span>')
        if row.is_estimate and row.value is not None:
            out.append(f' <span class="small muted">({t["estimate"]})</span>')
        out.append("\n    ")
    out.append("\n    ")
    if field_error:
        out.append(f'<p class="error small" id="err-{key}" role="alert" data-testid="error-{testid}">{escape(field_error)}</p>')
    out.append("\n    ")
    out.append(_rules_html(row, t, key, testid))
    out.append("\n    ")
    if row.saved:
        out.append(f'<span class="ok small" role="status" data-testid="saved-{testid}">✓ {t["Saved"]}</span>')
    out.append("\n    ")
    if row.updated_at and not field_error:
        when = row.updated_at
        if timezone.is_aware(when):
            when = timezone.localtime(when)
        by = f" · {escape(row.updated_by)}" if row.updated_by else ""
        out.append(f'<span class="muted small block">{when.strftime("%d/%m/%Y %H:%M")}{by}</span>')  # |date:"d/m/Y H:i"
    out.append(f'\n  </td>\n  <td class="comment-cell" data-label="{t["Comment"]}">\n    ')
    if can_edit:
        comment_invalid = ' aria-invalid="true"' if row.needs_comment and not pending else ""
        out.append(
            f'\n      <input type="text" class="comment" id="comment-{key}" name="comment-{key}" value="{escape(row.comment)}"'
            f' maxlength="2000"\n'
            f'             aria-label="{t["Comment"]}: {label}{dash_option}"\n'
            f'             aria-describedby="rules-{key}"{comment_invalid} data-testid="comment-{testid}">\n    '
        )
    else:
        out.append(escape(row.comment))
    previous = page.num(row.previous, decimals) if row.previous is not None else "—"
    out.append(
        f'\n  </td>\n  <td class="num" data-label="{t["Previous period"]}" data-testid="previous-{testid}">{previous}</td>\n'
        f'  <td class="num" data-label="{t["Same period last year"]}" data-testid="last-year-{testid}">'
    )
    if row.last_year is not None:
        out.append(page.num(row.last_year, decimals))
        if row.last_year_from_predecessors:
            out.append(f'<br><span class="small muted" data-testid="last-year-note-{testid}">({escape(row.last_year_note)})</span>')
    else:
        out.append("—")
    target = page.num(row.target, decimals) if row.target is not None else "—"
    out.append(
        f'</td>\n  <td class="num" data-label="{t["% change"]}">\n'
        f'    <span data-testid="change-previous-{testid}" title="{t["vs previous period"]}">{_pct(page, row.change_previous_pct)}</span><br>\n'
        f'    <span data-testid="change-last-year-{testid}" title="{t["vs same period last year"]}">{_pct(page, row.change_last_year_pct)}</span>\n'
        f'  </td>\n  <td class="num" data-label="{t["plan"]} · {t["% of plan"]}"><span data-testid="target-{testid}">{target}</span><br>\n    '
    )
    if row.plan_pct is not None:
        if indicator.cumulative_ytd:
            basis = t["cumulative"]
        elif row.plan_basis:
            basis = t["year to date"]
        else:
            basis = ""
        out.append(
            f'<span data-testid="plan-pct-{testid}" title="{escape(row.plan_basis)}" tabindex="0">{page.num(row.plan_pct, 1)} %</span>\n'
            f'    <span class="small muted block">{basis}</span>'
        )
    else:
        out.append(f'<span data-testid="plan-pct-{testid}">—</span>')
    out.append("</td>\n</tr>")
    return "".join(out)


@register.simple_tag(takes_context=True)
def entry_row(context: Context, row: Any) -> SafeString:
    """One row of the entry form (`_entry_row.html`)."""
    return mark_safe(_row_html(_page(context), row) + "\n")  # every data value is escaped in _row_html


@register.simple_tag(takes_context=True)
def entry_rows(context: Context, rows: list[Any]) -> SafeString:
    """Every row of the entry form, each section's heading row before its first row."""
    page = _page(context)
    out: list[str] = []
    section: object = object()
    for row in rows:
        if row.section != section:
            section = row.section
            if section:
                out.append(f'<tr class="section"><th colspan="7" scope="rowgroup">{escape(section)}</th></tr>\n')
        out.append(_row_html(page, row))
        out.append("\n")
    return mark_safe("".join(out))  # every data value is escaped in _row_html
