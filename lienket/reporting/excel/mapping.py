"""The layout of a LienKet Excel template and its hidden, signed mapping.

A template is an ordinary .xlsx workbook: one sheet per reporting unit (title block, Vietnamese headers,
one row per indicator × disaggregation option, locked labels, data validation) plus a very hidden sheet
`_lienket` that says what every row means: the data set, the period, the unit of each sheet (by its
`AdminUnit.key`, never the bare GSO code) and the indicator + option of each row. The mapping is signed
with an HMAC of settings.SECRET_KEY, so a hand-edited mapping is detected instead of writing numbers to the
wrong unit or indicator; the visible code column is checked against it, so moved rows are detected too.
(The HMAC salt keeps the name of the module it was born in, so templates downloaded before still verify.)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from lienket.core.formats import format_number

FORMAT_VERSION = 1
MAPPING_SHEET = "_lienket"
MAPPING_MAGIC = "LIENKET"
_HMAC_SALT = "lienket.reporting.xlsx.mapping"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Layout of a data sheet. Values live in column F from row 7: `Biểu 01 - Hà Nội!F7`.
FIRST_DATA_ROW = 7
HEADER_ROW = 6
COL_STT, COL_CODE, COL_NAME, COL_UOM, COL_OPTION, COL_VALUE, COL_ESTIMATE, COL_COMMENT, COL_LAST_YEAR, COL_PLAN = range(1, 11)
LETTER = {COL_VALUE: "F", COL_ESTIMATE: "G", COL_COMMENT: "H", COL_CODE: "B", COL_OPTION: "E"}
COLUMN_WIDTHS = {"A": 6, "B": 16, "C": 52, "D": 12, "E": 18, "F": 18, "G": 10, "H": 32, "I": 18, "J": 18}
READ_COLUMNS = COL_COMMENT  # columns A..H are read back; I and J are for information only
_READ_SET = frozenset({COL_CODE, COL_OPTION, COL_VALUE, COL_ESTIMATE, COL_COMMENT})

DELETE_MARKERS = frozenset({"-", "–", "—"})  # en/em dashes: Excel autocorrects a lone "-" sometimes
ESTIMATE_MARKERS = frozenset({"x", "X"})
MAX_UNCOMPRESSED_RATIO = 250  # a real sheet compresses 5-30×; a zip bomb thousands of times
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
_REF = re.compile(r"^(?P<sheet>.*)!(?P<col>[A-Z]{1,3})(?P<row>\d+)$")


# ---------------------------------------------------------------------------------------------------------
# Limits


def max_upload_bytes() -> int:
    return int(settings.LIENKET_MAX_UPLOAD_BYTES)


def max_uncompressed_bytes() -> int:
    """How much the members of an uploaded zip may expand to in total (zip bomb guard)."""
    configured = getattr(settings, "LIENKET_MAX_UNCOMPRESSED_BYTES", None)
    return int(configured) if configured else max(25 * max_upload_bytes(), 64 * 1024 * 1024)


def _mb(n: int) -> str:
    return format_number(Decimal(n) / Decimal(1024 * 1024), 1)


# ---------------------------------------------------------------------------------------------------------
# The mapping and its signature


@dataclass(frozen=True)
class RowSpec:
    """One data row of every unit sheet: which indicator and option its value cell holds."""

    row: int
    indicator: str
    option: str  # "" = no disaggregation (the indicator's total)
    option_label: str  # what column E shows, checked on upload


@dataclass
class Mapping:
    version: int
    dataset: str
    period: str
    first_row: int
    sheets: list[tuple[str, str]]  # (sheet title, AdminUnit.key)
    rows: list[RowSpec]
    signature: str = ""
    generated_at: str = ""

    def payload(self) -> str:
        return json.dumps(
            {
                "v": self.version, "dataset": self.dataset, "period": self.period, "first_row": self.first_row,
                "sheets": [list(s) for s in self.sheets],
                "rows": [[r.row, r.indicator, r.option, r.option_label] for r in self.rows],
            },
            ensure_ascii=False, separators=(",", ":"), sort_keys=True,
        )

    def sign(self) -> str:
        return salted_hmac(_HMAC_SALT, self.payload(), algorithm="sha256").hexdigest()

    def signature_ok(self) -> bool:
        return bool(self.signature) and constant_time_compare(self.signature, self.sign())
