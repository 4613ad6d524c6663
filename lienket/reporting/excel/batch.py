"""The parsed batch of an upload, kept between its dry run and its apply.

Users run an upload twice: the dry run (check, show what would change) and then the apply. The file does not
change in between, so the apply reuses what the dry run read instead of parsing the workbook again. The batch
is kept server-side in Django's cache (Redis in production; never a public file), keyed by the job and
guarded by the SHA-256 of the stored file: when the checksum differs, the entry is missing (expired, evicted,
another cache) or anything in it no longer resolves (a unit or data set changed), the apply simply parses the
file again. Nothing is trusted beyond "these cells held these values": datavalues_apply validates every item
again when the apply writes.
"""

from __future__ import annotations

import json
import zlib
from decimal import Decimal
from typing import Any

from django.core.cache import cache

from lienket.regions.models import AdminUnit

from ..models import DataSet
from ..values import ValueItem
from .reader import ParsedWorkbook, SheetInfo

#: How long a dry run's batch is kept for its apply (a day: people check the dry run, then apply).
KEEP_SECONDS = 24 * 3600
_VERSION = 1


def _key(job_id: int) -> str:
    return f"lienket:reporting:import-batch:{job_id}"


def _value_out(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return ["d", str(value)]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return ["d", repr(value)]
    return ["s", str(value)]


def _value_in(raw: Any) -> Decimal | str | None:
    if raw is None:
        return None
    kind, text = raw
    return Decimal(text) if kind == "d" else str(text)


def batch_save(*, job_id: int, checksum: str, parsed: ParsedWorkbook) -> None:
    """Keep what a dry run read (only for a file without errors: an invalid file is never applied)."""
    units = {s.title: s.unit.pk for s in parsed.sheets if s.unit is not None}
    sheet_no = {s.title: n for n, s in enumerate(parsed.sheets)}
    items = []
    for it in parsed.items:
        sheet, _sep, cell = (it.ref or "").rpartition("!")
        items.append([sheet_no.get(sheet, -1), cell, it.indicator, it.option, _value_out(it.value), it.is_estimate, it.comment])
    payload = {
        "v": _VERSION, "sha256": checksum, "filename": parsed.filename, "kind": parsed.kind,
        "dataset": parsed.dataset.code if parsed.dataset else None, "period": parsed.period,
        "sheets": [[s.title, s.unit_key, units.get(s.title)] for s in parsed.sheets],
        "rows_total": parsed.rows_total, "warnings": parsed.warnings, "items": items,
        "rows": [[ind, opt, row] for (ind, opt), row in parsed.rows.items()],
    }
    blob = zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), 1)
    cache.set(_key(job_id), blob, KEEP_SECONDS)


def batch_load(*, job_id: int, checksum: str) -> ParsedWorkbook | None:
    """The batch the dry run of `job_id` kept, if it was read from a file with this checksum; else None."""
    blob = cache.get(_key(job_id))
    if not blob:
        return None
    try:
        payload = json.loads(zlib.decompress(blob))
        if payload.get("v") != _VERSION or payload.get("sha256") != checksum:
            return None
        dataset = DataSet.objects.filter(code=payload["dataset"], is_active=True).select_related("reporting_group").first()
        if dataset is None:
            return None
        wanted = [pk for _t, _k, pk in payload["sheets"]]
        units = AdminUnit.objects.in_bulk(wanted)
        if len(units) != len(set(wanted)):
            return None
        parsed = ParsedWorkbook(filename=payload["filename"], dataset=dataset, period=payload["period"],
                                rows_total=int(payload["rows_total"]), warnings=list(payload["warnings"]), kind=payload["kind"])
        parsed.sheets = [SheetInfo(title, key, units[pk]) for title, key, pk in payload["sheets"]]
        if any(s.unit is None or s.unit.key != s.unit_key for s in parsed.sheets):
            return None  # a unit's key changed since the dry run: read the file again
        parsed.rows = {(ind, opt): row for ind, opt, row in payload["rows"]}
        period = parsed.period
        sheets = parsed.sheets
        parsed.items = [
            ValueItem(unit=sheets[n].unit, period=period, indicator=ind, value=_value_in(value), option=opt,
                      is_estimate=est, comment=comment, ref=f"{sheets[n].title}!{cell}")
            for n, cell, ind, opt, value, est, comment in payload["items"]
        ]
    except (ValueError, KeyError, TypeError, IndexError, zlib.error):
        return None
    return parsed


def batch_forget(*, job_id: int) -> None:
    cache.delete(_key(job_id))
