"""The rules of the OCOP programme (Chương trình Mỗi xã một sản phẩm) that LienKet checks, as data.

Source: Quyết định số 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ ban hành Bộ Tiêu chí và Quy trình đánh giá,
phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm (replacing Decision 1048/QĐ-TTg of 2019):

* products fall into six groups (nhóm sản phẩm): food; drinks; herbal products; fabrics and garments; souvenirs,
  furniture and decoration; community tourism, agricultural tourism services and tourist sites;
* a product is rated on a 100-point scale: 3 stars for 50–69 points, 4 stars for 70–89, 5 stars for 90–100
  (below 50 it is not rated; 3- and 4-star products are recognised by the provincial People's Committee, 5-star
  products by the central level);
* the recognition (giấy chứng nhận) is valid for 36 months.

Pure functions; models.py repeats the star/score bands as a database check constraint.
"""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

SOURCE = "Quyết định 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ"
VALIDITY_MONTHS = 36
EXPIRING_WITHIN_DAYS = 90
MIN_SCORE, MAX_SCORE = 0, 100

#: stars → (lowest, highest) score, both included.
STAR_BANDS: dict[int, tuple[int, int]] = {3: (50, 69), 4: (70, 89), 5: (90, 100)}


class OcopGroup(models.TextChoices):
    """The six OCOP product groups of Decision 148/QĐ-TTg (2023)."""

    FOOD = "thuc_pham", _("Food")
    DRINKS = "do_uong", _("Drinks")
    HERBAL = "thao_duoc", _("Herbal products")
    TEXTILES = "vai_may_mac", _("Fabrics and garments")
    DECORATION = "luu_niem_trang_tri", _("Souvenirs, furniture and decoration")
    TOURISM = "du_lich", _("Community and agricultural tourism services, tourist sites")


#: The groups' names as the Decision writes them (used in the XLSX files, whatever the page's language).
GROUP_NAMES_VI: dict[str, str] = {
    OcopGroup.FOOD: "Thực phẩm",
    OcopGroup.DRINKS: "Đồ uống",
    OcopGroup.HERBAL: "Thảo dược",
    OcopGroup.TEXTILES: "Vải và may mặc",
    OcopGroup.DECORATION: "Lưu niệm - nội thất - trang trí",
    OcopGroup.TOURISM: "Dịch vụ du lịch cộng đồng, du lịch nông nghiệp và điểm du lịch",
}


class CertificateStatus(StrEnum):
    NONE = "none"
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"


def stars_for_score(score: int) -> int | None:
    """The stars a score earns (None below 50: not rated). Raises ValueError outside 0–100."""
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(score)
    for stars, (low, high) in STAR_BANDS.items():
        if low <= score <= high:
            return stars
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; when that month is shorter (31/1 + 1 month, 29/2 + 12), the first day of the
    next month — the day on which that many months have fully passed."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    if day.day > calendar.monthrange(year, month)[1]:
        return dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, day.day)


def certificate_valid_until(decided_on: dt.date) -> dt.date:
    """The last day a recognition decided on `decided_on` is valid: 36 months, the anniversary itself excluded
    (decided 15/3/2024 → valid to 14/3/2027 included, expired from 15/3/2027)."""
    return add_months(decided_on, VALIDITY_MONTHS) - dt.timedelta(days=1)


def certificate_status(valid_until: dt.date | None, *, today: dt.date) -> CertificateStatus:
    """valid / expiring (its last day within 90 days of `today`, today included) / expired / none."""
    if valid_until is None:
        return CertificateStatus.NONE
    if valid_until < today:
        return CertificateStatus.EXPIRED
    if (valid_until - today).days < EXPIRING_WITHIN_DAYS:
        return CertificateStatus.EXPIRING
    return CertificateStatus.VALID
