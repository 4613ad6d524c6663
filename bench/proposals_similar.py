"""Duplicate suggestions at scale: `--proposals` proposals (default 20 000) with titles drawn from the fields'
vocabulary, then `--queries` suggestion lookups (`selectors.similar_proposals`, trigram similarity on the folded
title: pg_trgm with its GIN index on PostgreSQL, the Python SQL function on SQLite), against a floor measured in
the same run: the same number of plain substring lookups (`title_folded LIKE %…%`) over the same table.

Usage: .venv/bin/python bench/proposals_similar.py [--proposals 20000] [--queries 30]
(with DATABASE_URL=postgres://… for PostgreSQL; a test database is created and dropped here)."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._django import setup_django

WORDS = ["hỗ", "trợ", "vốn", "nâng", "cấp", "chợ", "hạ", "tầng", "thương", "mại", "cửa", "khẩu", "biên", "giới", "xúc", "tiến", "miền", "núi", "cơ", "chế", "chính", "sách", "phát", "triển", "điện", "mặt", "trời", "mái", "nhà", "luật", "công", "nghiệp", "hỗ", "trợ", "trọng", "điểm", "thông", "tư", "hướng", "dẫn", "nghị", "định", "cụm", "công", "nghiệp", "logistics", "đặc", "thù", "liên", "kết", "vùng", "chuyển", "đổi", "số", "kết", "nối", "dữ", "liệu", "xuất", "khẩu", "nông", "sản", "thương", "mại", "điện", "tử"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    _engine, original = setup_django(tmp)
    from django.db import connection

    try:
        _run(args.proposals, args.queries, connection.vendor)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def _run(n: int, queries: int, vendor: str) -> None:
    import datetime as dt

    from lienket.core.text import fold
    from lienket.proposals import selectors
    from lienket.proposals.models import Proposal
    from lienket.regions.models import AdminUnit
    from lienket.users.models import Role
    from lienket.users.tests.factories import make_user

    rng = random.Random(19)
    unit = AdminUnit.objects.create(code="01", name="Hà Nội", level=AdminUnit.Level.PROVINCE)
    user = make_user("bench.coordinator", Role.MINISTRY_COORDINATOR)
    rows = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
        rows.append(Proposal(submitting_unit=unit, title=title, title_folded=fold(title), body="x", field="other",
                             kind="policy", raised_on=dt.date(2024, 1, 1) + dt.timedelta(days=i % 800),
                             status="received", received_at=dt.datetime(2024, 5, 17, tzinfo=dt.UTC)))
    Proposal.objects.bulk_create(rows, batch_size=2000)
    if vendor == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE proposals_proposal")
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 8))) for _ in range(queries)]

    def timed(fn) -> float:
        times = []
        for text in texts:
            start = time.perf_counter()
            fn(text)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    floor = timed(lambda t: list(Proposal.objects.filter(title_folded__contains=fold(t).split()[0])[:5]))
    ours = timed(lambda t: selectors.similar_proposals(user=user, text=t))
    print(f"{vendor}: {n} proposals, {queries} queries")
    print(f"  floor (substring lookup, first 5): median {floor * 1000:.1f} ms")
    print(f"  similar_proposals (trigram, top 5): median {ours * 1000:.1f} ms = {ours / floor:.1f}× the floor")


if __name__ == "__main__":
    main()
