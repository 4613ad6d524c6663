"""XLSX import of products, with the reporting import's behaviour: the whole file is validated before anything is
written, every problem is reported with its cell (`Sản phẩm!J5`), a dry run shows what would change, and a real
run writes everything in one transaction or nothing.

Reading goes through reporting's upload reader (`lienket.reporting.excel.tables.table_read`: size, zip-bomb and
damaged-file guards, the same cell reader) and errors use its shape (`reader.error_dict`, sorted by
`reader.error_sort_key`); writing through `services.product_write`, the path of the form and the API. The same
columns are written by the export (`exports.py`), so an exported file can be corrected and imported again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lienket.core import clock
from lienket.core.audit import audit_log
from lienket.core.errors import PermissionDenied, ValidationFailed
from lienket.core.formats import parse_number
from lienket.core.text import fold, nfc
from lienket.regions.keys import unit_key_resolve
from lienket.reporting.excel.reader import EXCEL_ERRORS, error_dict, error_sort_key
from lienket.reporting.excel.tables import Formula, TableRefused, table_read

from . import permissions
from .codes import AuditAction, ErrorCode
from .models import Product
from .ocop import GROUP_NAMES_VI, OcopGroup
from .services import product_write
from .values import ProductInput, product_problems

SHEET = "Sản phẩm"
MAX_ROWS = 5000
YES = frozenset({"x", "có", "co", "yes", "1", "true"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Vietnamese, as written in the template and the export
    label: Any  # for the people reading the errors


COLUMNS: tuple[Column, ...] = (
    Column("unit", "Mã đơn vị", gettext_lazy("Unit code")),
    Column("unit_name", "Tên đơn vị", gettext_lazy("Unit name")),
    Column("producer_name", "Cơ sở sản xuất", gettext_lazy("Producer")),
    Column("producer_address", "Địa chỉ", gettext_lazy("Address")),
    Column("producer_contact", "Liên hệ", gettext_lazy("Contact")),
    Column("contact_public", "Công khai liên hệ (x)", gettext_lazy("Publish the contact")),
    Column("name", "Tên sản phẩm", gettext_lazy("Product")),
    Column("category", "Danh mục", gettext_lazy("Category")),
    Column("ocop_group", "Nhóm sản phẩm OCOP", gettext_lazy("OCOP product group")),
    Column("stars", "Số sao OCOP", gettext_lazy("OCOP stars")),
    Column("score", "Điểm", gettext_lazy("OCOP score")),
    Column("decision_number", "Số quyết định công nhận", gettext_lazy("Certifying decision number")),
    Column("decision_date", "Ngày quyết định", gettext_lazy("Certifying decision date")),
    Column("decision_issuer", "Cơ quan ban hành", gettext_lazy("Issued by")),
    Column("is_published", "Công khai (x)", gettext_lazy("Published")),
    Column("description", "Mô tả", gettext_lazy("Description")),
)
LETTERS = {c.key: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}
INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
REQUIRED_HEADERS = ("unit", "producer_name", "name")


def group_value(text: str) -> str | None:
    """An OCOP group from its code or its Vietnamese name (as in the Decision) or English label, accents and case
    optional; None when unknown."""
    key = fold(text)
    for group in OcopGroup:
        if key in (fold(group.value), fold(GROUP_NAMES_VI[group]), fold(str(group.label))):
            return group.value
    return None


@dataclass
class ImportResult:
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    row: int
    data: ProductInput
    existing: Product | None = None


def _plain(value: Any, ref: str, result: ImportResult) -> tuple[bool, Any]:
    """A formula's saved result is used (the uploader is told); one without a result or with an error is refused."""
    if not isinstance(value, Formula):
        return True, value
    if value.cached is None or (isinstance(value.cached, str) and value.cached.strip() in EXCEL_ERRORS):
        result.errors.append(error_dict(ref=ref, code=ErrorCode.IMPORT_INVALID, message=_(
            "the formula =%(formula)s has no usable value; type the value instead.") % {"formula": value.text[:60]}))
        return False, None
    result.warnings.append(error_dict(ref=ref, code=ErrorCode.IMPORT_INVALID, message=_(
        "the formula =%(formula)s was not kept; its saved value was used.") % {"formula": value.text[:60]}))
    return True, value.cached


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    text = _text(value).replace("★", "").strip()
    if not text:
        return None
    try:
        number = parse_number(text, lang="vi")
    except (ValidationFailed, InvalidOperation, ValueError):
        raise ValueError from None
    if number != number.to_integral_value():
        raise ValueError
    return int(Decimal(number))


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError


def _header_ok(values: list[Any]) -> list[str]:
    """The required headers that are missing or moved."""
    seen = {fold(_text(v)): i for i, v in enumerate(values) if v is not None}
    missing = []
    for key in REQUIRED_HEADERS:
        col = COLUMNS[INDEX[key]]
        if seen.get(fold(col.header)) != INDEX[key]:
            missing.append(col.header)
    return missing


def _parse(table_rows: list[tuple[int, list[Any]]], sheet: str, result: ImportResult, today: dt.date) -> list[_Row]:
    rows: list[_Row] = []
    for row_no, values in table_rows[1:]:
        values = values + [None] * (len(COLUMNS) - len(values))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        result.rows += 1
        raw: dict[str, Any] = {}
        usable = True
        for col in COLUMNS:
            ok, raw[col.key] = _plain(values[INDEX[col.key]], f"{sheet}!{LETTERS[col.key]}{row_no}", result)
            usable &= ok
        if not usable:
            continue

        def err(key: str, code: ErrorCode, message: str, row_no: int = row_no) -> None:
            result.errors.append(error_dict(ref=f"{sheet}!{LETTERS[key]}{row_no}", code=code, message=message, field_name=key))

        unit = None
        unit_text = _text(raw["unit"])
        if not unit_text:
            err("unit", ErrorCode.UNIT_REQUIRED, _("the unit code is missing"))
        else:
            try:
                unit = unit_key_resolve(unit_text, on=today)
            except ValidationFailed as exc:
                err("unit", ErrorCode.UNKNOWN_UNIT, exc.message)
            else:
                if unit is None:
                    err("unit", ErrorCode.UNKNOWN_UNIT, _("no province or city has the code “%(code)s” today")
                        % {"code": unit_text[:20]})
        numbers: dict[str, int | None] = {}
        for key in ("stars", "score"):
            try:
                numbers[key] = _int(raw[key])
            except ValueError:
                numbers[key] = None
                err(key, ErrorCode.INVALID_NUMBER, _('"%(value)s" is not a whole number') % {"value": _text(raw[key])[:30]})
        try:
            decided = _date(raw["decision_date"])
        except ValueError:
            decided = None
            err("decision_date", ErrorCode.INVALID_DATE, _('"%(value)s" is not a date; write it as dd/mm/yyyy')
                % {"value": _text(raw["decision_date"])[:30]})
        group_text = _text(raw["ocop_group"])
        group = group_value(group_text) if group_text else ""
        if group is None:
            err("ocop_group", ErrorCode.INVALID_GROUP, _("“%(group)s” is not an OCOP product group; see the sheet “Nhóm OCOP”")
                % {"group": group_text[:40]})
            group = ""
        data = ProductInput(
            name=_text(raw["name"]), unit=unit, producer_name=_text(raw["producer_name"]),
            producer_address=_text(raw["producer_address"]), producer_contact=_text(raw["producer_contact"]),
            contact_public=fold(_text(raw["contact_public"])) in YES, category=_text(raw["category"]),
            description=_text(raw["description"]), ocop_group=group, stars=numbers["stars"], score=numbers["score"],
            decision_number=_text(raw["decision_number"]), decision_date=decided, decision_issuer=_text(raw["decision_issuer"]),
            is_published=(fold(_text(raw["is_published"])) in YES) if _text(raw["is_published"]) else True,
        ).cleaned()
        for p in product_problems(data, today=today):
            if p["field"] == "unit" and unit_text:
                continue  # already reported
            key = p["field"] if p["field"] in LETTERS else "name"
            err(key, p["code"], p["message"])
        rows.append(_Row(row_no, data))
    return rows


def products_import(*, actor: Any, data: bytes, filename: str, dry_run: bool = True) -> ImportResult:
    """Validate the whole file; report (dry run) or write all of it in one transaction. Rows for units the actor
    does not manage make the whole upload a refusal (PermissionDenied), before anything else."""
    if not permissions.can_manage_some_unit(actor):
        raise PermissionDenied(_("Only province officers and directors and the Ministry's coordinator can import products."))
    result = ImportResult(filename=nfc(filename).replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload.xlsx", dry_run=dry_run)
    today = clock.today()
    try:
        table = table_read(data=data, filename=result.filename, max_col=len(COLUMNS), sheet=None, max_rows=MAX_ROWS + 1)
    except TableRefused as exc:
        raise ValidationFailed(exc.message, {"field": "file", "reason": exc.code}, code=ErrorCode.IMPORT_FILE) from None
    sheet = table.sheet
    if not table.rows or _header_ok(table.rows[0][1]):
        missing = _header_ok(table.rows[0][1]) if table.rows else [COLUMNS[INDEX[k]].header for k in REQUIRED_HEADERS]
        raise ValidationFailed(_("The first row of “%(sheet)s” must hold the template's headers (missing or moved: %(missing)s). "
                                 "Download the template and copy your rows into it.") % {"sheet": sheet, "missing": ", ".join(missing)},
                               {"field": "file", "missing": missing}, code=ErrorCode.IMPORT_BAD_HEADER)
    rows = _parse(table.rows, sheet, result, today)
    if not result.rows:
        raise ValidationFailed(_("“%(file)s” has no product rows under its headers.") % {"file": result.filename},
                               {"field": "file"}, code=ErrorCode.IMPORT_EMPTY)
    foreign = sorted({r.data.unit.name for r in rows if r.data.unit is not None and not permissions.can_manage_unit(actor, r.data.unit)})
    if foreign:
        raise PermissionDenied(_("This file has products of %(units)s, whose products you do not manage; nothing was imported.")
                               % {"units": ", ".join(foreign)}, {"units": foreign})
    _match(rows, sheet, result)
    result.errors.sort(key=error_sort_key({sheet: 0}))
    if result.errors or dry_run:
        return result
    _write(actor=actor, rows=rows, result=result)
    return result


def _match(rows: list[_Row], sheet: str, result: ImportResult) -> None:
    """Existing products (same unit, producer and name, accents and case aside) are updated; duplicates refused."""
    seen: dict[tuple[int, str, str], int] = {}
    for r in rows:
        if r.data.unit is None:
            continue
        key = (r.data.unit.pk, fold(r.data.producer_name), fold(r.data.name))
        if key in seen:
            result.errors.append(error_dict(ref=f"{sheet}!{LETTERS['name']}{r.row}", code=ErrorCode.IMPORT_DUPLICATE_ROW,
                                            field_name="name", message=_("the same product as row %(row)s") % {"row": seen[key]}))
            continue
        seen[key] = r.row
        r.existing = (Product.objects.select_related("producer", "unit")
                      .filter(unit=r.data.unit, producer__name_folded=key[1], name_folded=key[2]).first())
        if r.existing is None:
            result.created += 1
        elif _same(r.existing, r.data):
            result.unchanged += 1
        else:
            result.updated += 1


def _same(product: Product, data: ProductInput) -> bool:
    from .services import PRODUCT_FIELDS

    producer = product.producer
    return all(getattr(product, f) == getattr(data, f) for f in PRODUCT_FIELDS) and \
        (not data.producer_address or producer.address == data.producer_address) and \
        (not data.producer_contact or producer.contact == data.producer_contact) and producer.contact_public == data.contact_public


@transaction.atomic(durable=True)
def _write(*, actor: Any, rows: list[_Row], result: ImportResult) -> None:
    for r in rows:
        if r.existing is not None and _same(r.existing, r.data):
            continue
        existing = Product.objects.select_for_update().filter(pk=r.existing.pk).first() if r.existing else None
        product_write(actor=actor, data=r.data, product=existing)
    audit_log(actor=actor, action=AuditAction.PRODUCT_IMPORT, object_type="products.product", object_repr=result.filename,
              after={"filename": result.filename, "rows": result.rows, "created": result.created, "updated": result.updated,
                     "unchanged": result.unchanged})
    result.written = True
