"""Sample products for demonstrations, clearly labelled: `is_sample` on every producer and product, "(mẫu)" in
every name, decision numbers and issuers, and the "Dữ liệu mẫu" badge on every page that shows them.

Nothing here is a fact about a real product: the issue's seed only says that Phú Thọ exhibited its products
beside the conference, so names are generic kinds of local produce and every rating, score and decision is
invented. Decision dates are placed relative to today so the demo always shows a valid, an expiring and an
expired certificate. Written directly (the sample user may not log in, so it manages no unit), keeping every
invariant the services keep: the rows pass `values.product_problems`, the validity and the folded search text
are computed as `services.product_write` computes them, and one audit entry records the load. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageDraw

from lienket.core import clock
from lienket.core.audit import audit_log
from lienket.core.text import fold
from lienket.regions.keys import unit_key_resolve

from . import images
from .codes import AuditAction
from .models import Producer, Product, ProductPhoto
from .ocop import OcopGroup, certificate_valid_until
from .selectors import search_text
from .values import ProductInput, product_problems

S = "(mẫu)"
#: (unit code, producer, product, group, category, stars, score, days since the decision or None, colour)
SAMPLES: list[tuple[str, str, str, str, str, int | None, int | None, int | None, tuple[int, int, int]]] = [
    ("25", f"Hợp tác xã chè {S}", f"Chè xanh búp khô {S}", OcopGroup.FOOD, "Chè", 4, 78, 400, (46, 110, 60)),
    ("25", f"Hợp tác xã bưởi {S}", f"Bưởi đặc sản {S}", OcopGroup.FOOD, "Quả tươi", 3, 62, 36 * 30 - 20, (196, 170, 40)),
    ("25", f"Hộ kinh doanh mật ong {S}", f"Mật ong rừng {S}", OcopGroup.FOOD, "Mật ong", 3, 55, 36 * 31 + 30, (190, 120, 20)),
    ("25", f"Cơ sở rượu men lá {S}", f"Rượu men lá {S}", OcopGroup.DRINKS, "Rượu", 4, 72, 200, (120, 60, 90)),
    ("25", f"Hợp tác xã dược liệu {S}", f"Trà hoa vàng {S}", OcopGroup.HERBAL, "Trà thảo dược", 5, 91, 100, (210, 160, 0)),
    ("25", f"Hợp tác xã mây tre đan {S}", f"Làn mây tre đan {S}", OcopGroup.DECORATION, "Mây tre đan", None, None, None, (150, 110, 70)),
    ("01", f"Làng nghề gốm {S}", f"Bình gốm men lam {S}", OcopGroup.DECORATION, "Gốm sứ", 4, 80, 700, (40, 80, 160)),
    ("01", f"Hợp tác xã nông sản {S}", f"Ổi lê {S}", OcopGroup.FOOD, "Quả tươi", 3, 65, 36 * 30 - 45, (110, 160, 60)),
]


def _image(colour: tuple[int, int, int]) -> bytes:
    im = Image.new("RGB", (900, 600), colour)
    draw = ImageDraw.Draw(im)
    for i in range(0, 600, 40):
        draw.line([(0, i), (900, i + 200)], fill=tuple(min(255, c + 25) for c in colour), width=10)
    draw.rectangle([(0, 480), (900, 560)], fill=(255, 255, 255))
    draw.text((450, 520), "Du lieu mau / sample", fill=(30, 30, 30), font_size=40, anchor="mm")
    out = io.BytesIO()
    im.save(out, format="PNG")
    return out.getvalue()


@transaction.atomic
def load_sample_products(*, actor: Any, today: dt.date | None = None, photos: bool = True) -> dict[str, int]:
    """Create the sample producers and products that are missing (by unit, producer and name)."""
    today = today or clock.today()
    created = skipped = 0
    for code, producer_name, name, group, category, stars, score, days, colour in SAMPLES:
        unit = unit_key_resolve(code, on=today)
        if unit is None:
            skipped += 1
            continue
        producer, _new = Producer.objects.get_or_create(
            unit=unit, name_folded=fold(producer_name),
            defaults={"name": producer_name, "address": f"{unit.name} {S}", "contact": "0000 000 000 (mẫu)",
                      "contact_public": True, "is_sample": True})
        if Product.objects.filter(producer=producer, name_folded=fold(name)).exists():
            skipped += 1
            continue
        decided = today - dt.timedelta(days=days) if days is not None else None
        issuer = ("Bộ Nông nghiệp và Môi trường " if stars == 5 else f"UBND {unit.name} ") + S if stars else ""
        data = ProductInput(
            name=name, unit=unit, producer_name=producer_name, category=category, ocop_group=group, stars=stars, score=score,
            decision_number=f"MẪU-{created + 1:02d}/QĐ" if stars else "", decision_date=decided if stars else None,
            decision_issuer=issuer, description=f"Sản phẩm mẫu để minh họa danh mục, không phải thông tin thật {S}.",
        ).cleaned()
        problems = product_problems(data, today=today)
        if problems:
            raise ValueError(f"sample product {name}: {problems}")
        product = Product(unit=unit, producer=producer, name=name, category=category, ocop_group=group, stars=stars,
                          score=score, decision_number=data.decision_number, decision_date=data.decision_date,
                          decision_issuer=issuer, description=data.description, is_sample=True,
                          certificate_valid_until=certificate_valid_until(decided) if stars and decided else None)
        product.search_folded = search_text(product)
        product.save()
        if photos:
            prepared = images.photo_prepare(data=_image(colour), filename="mau.png")
            stem = f"products/{product.pk}/sample"
            image = default_storage.save(f"{stem}.jpg", ContentFile(prepared.image))
            thumb = default_storage.save(f"{stem}-thumb.jpg", ContentFile(prepared.thumbnail))
            ProductPhoto.objects.create(product=product, image=image, thumbnail=thumb, width=prepared.width,
                                        height=prepared.height, size=len(prepared.image), sha256=prepared.sha256,
                                        original_name="mau.png", alt_text=f"Ảnh minh họa {S}")
        created += 1
    if created:
        audit_log(actor=actor, action=AuditAction.PRODUCTS_SAMPLE_LOAD, object_type="products.product",
                  object_repr="Dữ liệu mẫu / sample", after={"created": created, "skipped": skipped})
    return {"created": created, "skipped": skipped}
