"""Accent-insensitive similarity of proposal titles: pg_trgm's `similarity()` on PostgreSQL, the same
trigram algorithm as a registered SQL function on SQLite — one expression (`TrigramScore`), one ranking.

Both sides compare `fold()`ed text (lower case, no diacritics, đ → d), so "co che dien mat troi mai nha" finds
"Cơ chế, chính sách điện mặt trời mái nhà". pg_trgm splits text into words of letters and digits, pads each word
with two spaces before and one after and takes the set of 3-character windows; similarity is
|shared trigrams| / |all trigrams|. `trigrams()` below does the same for ASCII text (fold's output is ASCII
for Vietnamese), so both databases give the same scores to the same strings.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.db import connection
from django.db.models import BooleanField, FloatField, Func, Value

_WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=100_000)
def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigram set of `text` (cached: SQLite calls this once per row and query)."""
    grams: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: str | None, b: str | None) -> float:
    """pg_trgm's similarity(a, b), in Python (also the SQLite function `lk_similarity`)."""
    ga, gb = trigrams(a or ""), trigrams(b or "")
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


class TrigramScore(Func):
    """similarity(field, text) on PostgreSQL (pg_trgm), lk_similarity(field, text) on SQLite."""

    function = "similarity"
    output_field = FloatField()

    def __init__(self, expression: Any, text: str, **extra: Any) -> None:
        super().__init__(expression, Value(text), **extra)

    def as_sqlite(self, compiler: Any, conn: Any, **extra: Any) -> Any:  # type: ignore[override]
        return self.as_sql(compiler, conn, function="lk_similarity", **extra)


#: pg_trgm's default `pg_trgm.similarity_threshold`, the one its `%` operator (and the GIN index) uses.
PG_TRGM_THRESHOLD = 0.3


class TrigramMatches(Func):
    """`field % text` on PostgreSQL — the indexable pre-filter (similarity ≥ 0.3) — and the same test on SQLite."""

    arg_joiner = " %% "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, expression: Any, text: str, **extra: Any) -> None:
        super().__init__(expression, Value(text), **extra)

    def as_sqlite(self, compiler: Any, conn: Any, **extra: Any) -> Any:  # type: ignore[override]
        return self.as_sql(compiler, conn, template=f"(lk_similarity(%(expressions)s) >= {PG_TRGM_THRESHOLD})",
                           arg_joiner=", ", **extra)


def ensure_sqlite_function() -> None:
    """Register lk_similarity on this SQLite connection (once per connection; harmless elsewhere)."""
    if connection.vendor != "sqlite":
        return
    connection.ensure_connection()
    # Registering again replaces the function; cheap, and sqlite3.Connection cannot carry a "done" mark.
    connection.connection.create_function("lk_similarity", 2, similarity, deterministic=True)
