"""XLSX files of products, every cell through lienket.core.xlsx_safe: the catalogue export (the import's columns
plus the certificate's validity, so an export can be corrected and imported again) and the empty import template."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from lienket.core import xlsx_safe

from .importing import COLUMNS, SHEET
from .models import Product
from .ocop import GROUP_NAMES_VI, SOURCE, STAR_BANDS, CertificateStatus, OcopGroup, certificate_status

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTRA_HEADERS = ("Hiệu lực đến", "Tình trạng chứng nhận", "Dữ liệu mẫu")
STATUS_VI = {CertificateStatus.NONE: "", CertificateStatus.VALID: "Còn hiệu lực",
             CertificateStatus.EXPIRING: "Sắp hết hạn (≤ 90 ngày)", CertificateStatus.EXPIRED: "Hết hiệu lực"}


def _x(flag: bool) -> str:
    return "x" if flag else ""


def _groups_sheet(wb: object) -> None:
    ws = wb.create_sheet("Nhóm OCOP")  # type: ignore[attr-defined]
    xlsx_safe.append(ws, ["Mã nhóm", "Nhóm sản phẩm OCOP", f"Nguồn: {SOURCE}"])
    for group in OcopGroup:
        xlsx_safe.append(ws, [group.value, GROUP_NAMES_VI[group]])
    xlsx_safe.append(ws, [])
    xlsx_safe.append(ws, ["Số sao", "Điểm"])
    for stars, (low, high) in STAR_BANDS.items():
        xlsx_safe.append(ws, [stars, f"{low}–{high}"])


def products_xlsx(products: Iterable[Product], *, today: dt.date, contact_visible: object = None) -> bytes:
    """The catalogue as the user sees it. `contact_visible(product) -> bool` hides contacts the user may not see."""
    wb = xlsx_safe.new_workbook()
    ws = wb.create_sheet(SHEET)
    xlsx_safe.append(ws, [c.header for c in COLUMNS] + list(EXTRA_HEADERS))
    from django.utils import translation

    with translation.override("vi"):
        for p in products:
            show = contact_visible(p) if callable(contact_visible) else True
            producer = p.producer
            xlsx_safe.append(ws, [
                p.unit.key, p.unit.name, producer.name, producer.address if show else "", producer.contact if show else "",
                _x(producer.contact_public) if show else "", p.name, p.category,
                GROUP_NAMES_VI.get(p.ocop_group, ""), p.stars, p.score, p.decision_number,
                p.decision_date.strftime("%d/%m/%Y") if p.decision_date else "", p.decision_issuer, _x(p.is_published),
                p.description, p.certificate_valid_until.strftime("%d/%m/%Y") if p.certificate_valid_until else "",
                STATUS_VI[certificate_status(p.certificate_valid_until, today=today)], _x(p.is_sample),
            ])
    _groups_sheet(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_template_xlsx() -> bytes:
    wb = xlsx_safe.new_workbook()
    ws = wb.create_sheet(SHEET)
    xlsx_safe.append(ws, [c.header for c in COLUMNS])
    help_ws = wb.create_sheet("Hướng dẫn")
    for line in (
        "Một dòng cho một sản phẩm, từ dòng 2 của sheet “Sản phẩm”; không đổi tên, thứ tự các cột tiêu đề.",
        "Mã đơn vị: mã tỉnh/thành phố (ví dụ 25 là tỉnh Phú Thọ từ 01/7/2025).",
        "Số sao và điểm theo Quyết định 148/QĐ-TTg: 3 sao 50–69 điểm, 4 sao 70–89 điểm, 5 sao 90–100 điểm.",
        "Sản phẩm đã xếp hạng phải có nhóm OCOP, số, ngày (dd/mm/yyyy) và cơ quan ban hành quyết định công nhận.",
        "Chứng nhận có hiệu lực 36 tháng kể từ ngày quyết định.",
        "Sản phẩm trùng đơn vị, cơ sở sản xuất và tên được cập nhật; các sản phẩm khác được thêm mới.",
        "Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi thì không ghi gì.",
    ):
        xlsx_safe.append(help_ws, [line])
    _groups_sheet(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
