"""Test factories for products: the reporting world's units and users, and products of those units."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lienket.core import clock
from lienket.regions.models import AdminUnit
from lienket.reporting.tests.factories import World, world

from ..models import Producer, Product
from ..ocop import certificate_valid_until
from ..selectors import search_text
from ..values import ProductInput


def product_input(unit: AdminUnit | None, **extra: Any) -> ProductInput:
    fields: dict[str, Any] = {
        "name": "Chè xanh Long Cốc", "unit": unit, "producer_name": "HTX chè Long Cốc", "category": "Chè",
        "ocop_group": "thuc_pham", "stars": 4, "score": 75, "decision_number": "123/QĐ-UBND",
        "decision_date": dt.date(2025, 3, 15), "decision_issuer": "UBND tỉnh Phú Thọ",
    }
    fields.update(extra)
    return ProductInput(**fields)


def make_product(unit: AdminUnit, name: str = "Bưởi Đoan Hùng", *, producer: str = "HTX bưởi", stars: int | None = 3,
                 score: int | None = 60, decided: dt.date | None = dt.date(2024, 5, 1), group: str = "thuc_pham",
                 is_published: bool = True, contact_public: bool = False, category: str = "Quả tươi") -> Product:
    """A product written directly (the services are what the tests test); the invariants kept as product_write keeps them."""
    prod, _ = Producer.objects.get_or_create(unit=unit, name=producer, defaults={"contact": "0210 3 123 456",
                                                                                "address": "Đoan Hùng",
                                                                                "contact_public": contact_public})
    p = Product(unit=unit, producer=prod, name=name, category=category, ocop_group=group if stars or group else "",
                stars=stars, score=score, decision_number="45/QĐ-UBND" if stars else "", decision_date=decided if stars else None,
                decision_issuer="UBND tỉnh" if stars else "", is_published=is_published,
                certificate_valid_until=certificate_valid_until(decided) if stars and decided else None)
    p.search_folded = search_text(p)
    p.save()
    return p


def products_world() -> World:
    w = world()
    assert clock.today() == dt.date(2026, 4, 10)  # the root `clock` fixture
    return w
