"""What a form, the API and an import row hand to the services: a ProductInput, checked by `product_problems`
(pure: no database) so all three refuse the same things with the same words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lienket.core.text import nfc
from lienket.regions.models import AdminUnit

from .codes import ErrorCode
from .ocop import MAX_SCORE, MIN_SCORE, SOURCE, STAR_BANDS, OcopGroup, stars_for_score

MAX_NAME = 200
MAX_TEXT = 300


@dataclass
class ProductInput:
    name: str
    unit: AdminUnit | None
    producer_name: str
    producer_address: str = ""
    producer_contact: str = ""
    contact_public: bool = False
    category: str = ""
    description: str = ""
    ocop_group: str = ""
    stars: int | None = None
    score: int | None = None
    decision_number: str = ""
    decision_date: dt.date | None = None
    decision_issuer: str = ""
    is_published: bool = True

    def cleaned(self) -> ProductInput:
        """Text fields NFC-normalised (lienket.core.text.nfc)."""
        for name in ("name", "producer_name", "producer_address", "producer_contact", "category", "description",
                     "ocop_group", "decision_number", "decision_issuer"):
            setattr(self, name, nfc(getattr(self, name)))
        return self


def problem(field: str, code: ErrorCode, message: str) -> dict[str, Any]:
    return {"field": field, "code": str(code), "message": message}


def ocop_problems(*, group: str, stars: int | None, score: int | None, decision_number: str,
                  decision_date: dt.date | None, decision_issuer: str, today: dt.date) -> list[dict[str, Any]]:
    """The OCOP rules of Decision 148/QĐ-TTg (2023) on one product's rating; [] when consistent."""
    out: list[dict[str, Any]] = []
    if group and group not in OcopGroup.values:
        out.append(problem("ocop_group", ErrorCode.INVALID_GROUP, _("“%(group)s” is not an OCOP product group; use one "
                                                                    "of: %(groups)s.") % {
            "group": group[:40], "groups": "; ".join(str(label) for label in OcopGroup.labels)}))
    if score is not None and not MIN_SCORE <= score <= MAX_SCORE:
        out.append(problem("score", ErrorCode.INVALID_NUMBER, _("The OCOP score is between 0 and 100 points, not %(score)s.")
                           % {"score": score}))
        score = None
    if stars is not None and stars not in STAR_BANDS:
        out.append(problem("stars", ErrorCode.STARS_SCORE_MISMATCH, _(
            "OCOP products are rated 3, 4 or 5 stars (%(source)s), not %(stars)s.") % {"stars": stars, "source": SOURCE}))
        return out
    if stars is None and score is not None:
        earned = stars_for_score(score)
        message = (_("A score of %(score)s points earns %(earned)s stars: enter the stars as well.")
                   % {"score": score, "earned": earned}) if earned else \
            _("A score of %(score)s points is below 50: the product is not rated; leave stars and score empty.") % {"score": score}
        out.append(problem("stars", ErrorCode.STARS_SCORE_MISMATCH, message))
    elif stars is not None and score is None:
        low, high = STAR_BANDS[stars]
        out.append(problem("score", ErrorCode.STARS_SCORE_MISMATCH, _(
            "%(stars)s stars need a score of %(low)s–%(high)s points: enter the score as well.") % {"stars": stars, "low": low, "high": high}))
    elif stars is not None and score is not None:
        low, high = STAR_BANDS[stars]
        if not low <= score <= high:
            earned = stars_for_score(score)
            gives = (_("%(score)s points give %(earned)s stars") % {"score": score, "earned": earned}) if earned else \
                _("%(score)s points (below 50) give no rating") % {"score": score}
            out.append(problem("score", ErrorCode.STARS_SCORE_MISMATCH, _(
                "%(stars)s stars need a score of %(low)s–%(high)s points; %(gives)s (3★ 50–69, 4★ 70–89, 5★ 90–100, "
                "%(source)s).") % {"stars": stars, "low": low, "high": high, "gives": gives, "source": SOURCE}))
    if stars is not None:
        missing = [label for value, label in (
            (group, _("the OCOP product group")), (decision_number, _("the number of the certifying decision")),
            (decision_date, _("its date")), (decision_issuer, _("who issued it"))) if not value]
        if missing:
            out.append(problem("decision_number", ErrorCode.CERTIFICATE_INCOMPLETE, _(
                "A rated product needs %(missing)s.") % {"missing": ", ".join(str(m) for m in missing)}))
    elif decision_number or decision_date:
        out.append(problem("stars", ErrorCode.CERTIFICATE_INCOMPLETE, _(
            "A certifying decision is given but no stars: enter the stars and the score it awarded.")))
    if decision_date is not None and decision_date > today:
        out.append(problem("decision_date", ErrorCode.INVALID_DATE, _("The decision date %(date)s is in the future.")
                           % {"date": decision_date.strftime("%d/%m/%Y")}))
    return out


def product_problems(data: ProductInput, *, today: dt.date) -> list[dict[str, Any]]:
    """Every problem of a product's data, [] when it may be saved (permissions are the service's)."""
    out: list[dict[str, Any]] = []
    if data.unit is None:
        out.append(problem("unit", ErrorCode.UNIT_REQUIRED, _("Choose the administrative unit of the product.")))
    if not data.name:
        out.append(problem("name", ErrorCode.NAME_REQUIRED, _("Enter the product's name.")))
    elif len(data.name) > MAX_NAME:
        out.append(problem("name", ErrorCode.NAME_REQUIRED, _("The name is longer than %(n)s characters.") % {"n": MAX_NAME}))
    if not data.producer_name:
        out.append(problem("producer_name", ErrorCode.PRODUCER_REQUIRED, _("Enter the producer (business, cooperative "
                                                                           "or household) that makes the product.")))
    for field, value, limit in (("producer_name", data.producer_name, MAX_NAME), ("producer_address", data.producer_address, MAX_TEXT),
                                ("producer_contact", data.producer_contact, MAX_TEXT), ("category", data.category, 120),
                                ("decision_number", data.decision_number, 80), ("decision_issuer", data.decision_issuer, MAX_NAME),
                                ("description", data.description, 5000)):
        if len(value) > limit:
            out.append(problem(field, ErrorCode.TEXT_TOO_LONG, _("This text is longer than %(n)s characters.") % {"n": limit}))
    out += ocop_problems(group=data.ocop_group, stars=data.stars, score=data.score, decision_number=data.decision_number,
                         decision_date=data.decision_date, decision_issuer=data.decision_issuer, today=today)
    return out
