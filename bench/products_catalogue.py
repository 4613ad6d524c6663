"""Benchmark: the product catalogue's accent-free filter and the photo checks, against floors measured in the same run.

    .venv/bin/python bench/products_catalogue.py [--products 20000] [--repeat 30]

Builds its own world in a throw-away database (a temporary SQLite file, or `test_<name>` on the server of
DATABASE_URL, created and dropped here): 30 provinces and `--products` products with their folded search text.
Then it times, in the same run:

  filter   selectors.product_search(q="che phu tho", stars=4) — count + first page of 24, as the page does
  floor    a plain case-sensitive `name LIKE '%Chè%'` count + first page on the same table (no folding, no joins)
  photo    images.photo_prepare of a 12-megapixel JPEG (decode, re-encode, thumbnail)
  bomb     images.photo_prepare of a 30 000 × 30 000 PNG decompression bomb (refused from its header)

and prints p50/p95 and the ratio to the floor. The catalogue filter is a scan of `search_folded` (the lead wires
the indexed global search in lienket.search); this says what that scan costs at the catalogue's scale.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._django import setup_django  # noqa: E402

WORDS = ["Chè", "Bưởi", "Mật ong", "Gạo", "Miến", "Rượu", "Nấm", "Măng", "Tương", "Bánh", "Trà hoa", "Gốm", "Mây tre"]


def _setup(tmp: Path) -> str:
    engine, _original = setup_django(tmp)
    return engine


def _world(n: int) -> None:
    import datetime as dt
    import random

    from lienket.products.models import Producer, Product
    from lienket.products.ocop import OcopGroup, certificate_valid_until
    from lienket.products.selectors import search_text
    from lienket.regions.models import AdminUnit

    rng = random.Random(21)
    units = [AdminUnit.objects.create(code=f"{i:02d}", name=n_) for i, n_ in enumerate(
        ["Phú Thọ", "Hà Nội", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Lạng Sơn", "Cao Bằng", "Điện Biên", "Lai Châu",
         "Sơn La", "Quảng Ninh", "Hải Phòng", "Bắc Ninh", "Hưng Yên", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
         "Quảng Trị", "Huế", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Đắk Lắk", "Khánh Hòa", "Lâm Đồng", "Đồng Nai",
         "Tây Ninh", "Cần Thơ", "Cà Mau"], 1)]
    producers = [Producer(name=f"HTX {i}", unit=units[i % len(units)], name_folded=f"htx {i}") for i in range(n // 4)]
    Producer.objects.bulk_create(producers, batch_size=2000)
    producers = list(Producer.objects.select_related("unit"))
    groups = list(OcopGroup.values)
    batch = []
    for i in range(n):
        pr = producers[i % len(producers)]
        stars = rng.choice([None, 3, 3, 4, 5])
        score = {None: None, 3: 60, 4: 75, 5: 92}[stars]
        decided = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1500)) if stars else None
        p = Product(name=f"{rng.choice(WORDS)} số {i}", unit=pr.unit, producer=pr, producer_id=pr.pk, category="",
                    ocop_group=rng.choice(groups), stars=stars, score=score, decision_number="1/QĐ" if stars else "",
                    decision_date=decided, decision_issuer="UBND" if stars else "",
                    certificate_valid_until=certificate_valid_until(decided) if decided else None)
        from lienket.core.text import fold

        p.name_folded = fold(p.name)
        p.search_folded = search_text(p)
        batch.append(p)
    Product.objects.bulk_create(batch, batch_size=2000)


def _png_bomb(side: int = 30_000) -> bytes:
    """A valid PNG header of side × side grey pixels over a few kilobytes of compressed zeros."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = zlib.compress(b"\0" * (side + 1) * 64, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    runs.sort()
    return statistics.median(runs), runs[min(len(runs) - 1, int(len(runs) * 0.95))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = _setup(Path(tmp))
        from django.db import connection

        from lienket.products import images, selectors
        from lienket.products.models import Product

        t0 = time.perf_counter()
        _world(args.products)
        print(f"{engine}: {args.products} products built in {time.perf_counter() - t0:.1f} s")

        def ours() -> object:
            qs = selectors.product_search(user=None, q="che phu tho", stars=4)
            return qs.count(), list(qs[:24])

        def floor() -> object:
            qs = Product.objects.filter(name__contains="Chè").order_by("id")
            return qs.count(), list(qs[:24])

        from PIL import Image

        photo = io.BytesIO()
        Image.effect_mandelbrot((4000, 3000), (-2.0, -1.2, 1.0, 1.2), 100).convert("RGB").save(photo, format="JPEG", quality=90)
        bomb = _png_bomb()

        def prepare() -> object:
            return images.photo_prepare(data=photo.getvalue(), filename="p.jpg")

        def refuse() -> object:
            try:
                images.photo_prepare(data=bomb, filename="b.png")
            except Exception as exc:  # noqa: BLE001 - the refusal is what is timed
                return exc
            raise SystemExit("the bomb was not refused")

        f50, f95 = _time(floor, args.repeat)
        o50, o95 = _time(ours, args.repeat)
        p50, p95 = _time(prepare, max(3, args.repeat // 10))
        b50, b95 = _time(refuse, args.repeat)
        print(f"floor  name LIKE scan        p50 {f50:8.1f} ms  p95 {f95:8.1f} ms")
        print(f"filter product_search (fold) p50 {o50:8.1f} ms  p95 {o95:8.1f} ms  = {o95 / f95:.2f} × floor (p95)")
        print(f"photo  12 MP JPEG prepared   p50 {p50:8.1f} ms  p95 {p95:8.1f} ms")
        print(f"bomb   30k×30k PNG refused   p50 {b50:8.1f} ms  p95 {b95:8.1f} ms  = {b95 / p95:.3f} × a real photo")
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
