"""Benchmark: the search engine over ≥ 100 000 index items, beside a plain LIKE/ILIKE scan of the same data.

    .venv/bin/python bench/search.py [--items 100000] [--repeat 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienket_x .venv/bin/python bench/search.py

Builds its own index in a throw-away database (a temporary SQLite file, or `test_<name>` on the server of
DATABASE_URL, created and dropped here): `--items` synthetic Vietnamese items (units, products, documents,
indicators: names of the northern provinces, product and document vocabulary, document numbers), written through
`search_index_rebuild` (so the FTS5 triggers / the PostgreSQL generated tsvector do their work). Then, for a fixed
set of queries typed without diacritics (common and rare words, a document number, prefixes while typing, typos),
it measures in the same run:

  ours  lienket.search.engine.search(): candidates from the full-text index, typo lookup when few, ranking,
        highlighted snippets — what the page and the API do
  scan  the plain way: every query word as `LIKE '%word%'` (ILIKE on PostgreSQL) over the folded title and text,
        the 20 shortest titles (a scan must read every row to rank)

and prints p50/p95 of each and the ratio. Goals (issue #21): ours p95 ≤ 50 ms and ≥ 10× faster than the scan.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._django import setup_django  # noqa: E402

PROVINCES = ["Hà Nội", "Phú Thọ", "Hòa Bình", "Hải Phòng", "Quảng Ninh", "Bắc Ninh", "Hưng Yên", "Ninh Bình", "Lào Cai",
             "Yên Bái", "Tuyên Quang", "Thái Nguyên", "Lạng Sơn", "Cao Bằng", "Điện Biên", "Lai Châu", "Sơn La",
             "Hà Giang", "Bắc Kạn", "Bắc Giang", "Vĩnh Phúc", "Hải Dương", "Thái Bình", "Nam Định", "Hà Nam",
             "Thanh Hóa", "Nghệ An", "Hà Tĩnh"]
PRODUCTS = ["chè", "bưởi", "mật ong", "gạo", "nước mắm", "miến dong", "cam", "vải thiều", "nhãn", "măng", "rượu",
            "gốm", "mây tre đan", "thổ cẩm", "trà hoa vàng", "đặc sản", "nấm", "tương", "bánh", "quế", "hồi", "mận"]
WORDS = ["phát triển", "cụm công nghiệp", "quản lý", "báo cáo", "định kỳ", "thương mại", "xúc tiến", "sản xuất",
         "tiêu dùng", "bán lẻ", "hàng hóa", "dịch vụ", "liên kết", "hợp tác", "vùng", "tỉnh", "doanh nghiệp",
         "hạ tầng", "đầu tư", "năng lượng", "tiết kiệm điện", "xuất khẩu", "thị trường", "nông thôn", "làng nghề",
         "chương trình", "hội chợ", "kinh nghiệm", "chính sách", "hỗ trợ", "công nghiệp hỗ trợ", "sao OCOP"]
DOC_TYPES = [("Nghị định", "NĐ-CP"), ("Thông tư", "TT-BCT"), ("Quyết định", "QĐ-TTg"), ("Chỉ thị", "CT-TTg")]
QUERIES = ["phu tho", "nghi dinh 32", "dac san che", "ha noi", "ban le hang hoa", "hoa binh", "cum cong nghiep",
           "thong tu 14 2024", "mat ong", "xuc tien thuong mai", "lang nghe", "cum cong ng", "phu th", "tiet kiem dien",
           "phu tjo", "quang nihn", "bac ninh vai thieu", "nuoc mam", "chinh sach ho tro doanh nghiep", "ocop 4 sao",
           "hai phong", "hoi cho", "nang luong", "tra hoa vang", "dien bien"]



def _documents(n: int, rng: random.Random):  # type: ignore[no-untyped-def]
    from lienket.search.values import SearchDocument

    for i in range(n):
        province = rng.choice(PROVINCES)
        unit_id = PROVINCES.index(province) + 1
        r = i % 10
        if r < 5:
            title = f"{rng.choice(PRODUCTS).capitalize()} {rng.choice(PRODUCTS)} {province} {rng.randint(1, 999)}"
            kind, body = "product", f"{rng.choice(WORDS)} {rng.choice(WORDS)} của tỉnh {province}, OCOP {rng.randint(3, 5)} sao"
        elif r < 8:
            label, suffix = rng.choice(DOC_TYPES)
            title = f"{label} {rng.randint(1, 400)}/{rng.randint(2010, 2026)}/{suffix} về {rng.choice(WORDS)} {rng.choice(WORDS)}"
            kind, body = "document", " ".join(rng.choice(WORDS) for _ in range(25)) + f" {province}"
        else:
            title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {province} {i}"
            kind, body = "indicator", " ".join(rng.choice(WORDS) for _ in range(10))
        visibility = "unit" if i % 17 == 0 else "public"
        yield SearchDocument(kind=kind, key=str(i), title=title, body=body, url=f"/x/{i}", visibility=visibility,
                             unit_id=unit_id, unit_key=f"{unit_id:02d}", unit_name=province)


def _scan(query: str, postgres: bool) -> list[int]:
    from django.db import connection

    from lienket.search.folding import query_tokens

    op = "ILIKE" if postgres else "LIKE"
    tokens = query_tokens(query)
    where = " AND ".join(f"(title_folded {op} %s OR body_folded {op} %s)" for _ in tokens)
    params = [p for t in tokens for p in (f"%{t}%", f"%{t}%")]
    sql = (f"SELECT id FROM search_searchentry WHERE visibility = 'public' AND {where} "  # noqa: S608 - constants only
           "ORDER BY length(title), id LIMIT 20")
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [r[0] for r in cur.fetchall()]


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine_name, original_name = setup_django(Path(tmp))
        from django.db import connection

        from lienket.search import engine
        from lienket.search.services import search_index_rebuild
        from lienket.search.values import PUBLIC

        try:
            t0 = time.perf_counter()
            count = search_index_rebuild(documents=_documents(args.items, random.Random(21)))
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("VACUUM ANALYZE search_searchentry")
            print(f"{engine_name}: {count:,} items indexed in {time.perf_counter() - t0:.1f} s")
            postgres = connection.vendor == "postgresql"
            for q in QUERIES:  # warm the caches once
                engine.search(query=q, scope=PUBLIC)
                _scan(q, postgres)
            ours: list[float] = []
            scan: list[float] = []
            per_query: list[tuple[str, float, float, int]] = []
            for q in QUERIES:
                mine, theirs = [], []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    result = engine.search(query=q, scope=PUBLIC)
                    mine.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    _scan(q, postgres)
                    theirs.append((time.perf_counter() - t) * 1000)
                ours += mine
                scan += theirs
                per_query.append((q, statistics.median(mine), statistics.median(theirs), result.count))
            for q, m, s, n in per_query:
                print(f"  {q!r:34} ours {m:7.1f} ms   scan {s:8.1f} ms   {n:4d} results{'+' if n >= engine.CANDIDATES else ''}")
            p95_ours, p95_scan = _p(ours, 0.95), _p(scan, 0.95)
            print(f"ours: p50 {_p(ours, 0.5):.1f} ms, p95 {p95_ours:.1f} ms   |   scan: p50 {_p(scan, 0.5):.1f} ms, "
                  f"p95 {p95_scan:.1f} ms   |   p95 ratio scan/ours {p95_scan / p95_ours:.1f}×")
            print(f"goals: p95 ≤ 50 ms {'met' if p95_ours <= 50 else 'NOT met'}; ≥ 10× faster than the scan "
                  f"{'met' if p95_scan / p95_ours >= 10 else 'NOT met'}")
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
