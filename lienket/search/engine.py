"""The query engine: one interface, two databases.

1. The database finds candidates with its own full-text index — PostgreSQL: a stored tsvector over
   `lienket_fold()` (unaccent) with a GIN index; SQLite: an FTS5 table over the pre-folded columns — every query
   word must appear (the last one as a prefix, so results follow the typing), best `CANDIDATES` by the
   database's rank (ts_rank / bm25, title weighted above the text).
2. When nothing matches, names are looked up typo-tolerantly: PostgreSQL `pg_trgm` (`%` on the folded title,
   GIN trigram index); SQLite an FTS5 trigram table over the same padded words; both kept only when the
   trigram similarity computed here (pg_trgm's definition) is ≥ FUZZY_MIN.
3. Python ranks the candidates the same way on both: the whole title, the title starting with the exact phrase, the phrase in the title, every word
   in the title, the phrase in the text, every word anywhere, then typo matches; ties by similarity of the
   title to the query, shorter title, title, type, key. Same candidates → same order on both databases.

Permission filtering (visibility × the viewer's SearchScope), type and unit filters are applied in SQL in both
steps, so a hidden item is never a candidate.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from lienket.core.errors import ValidationFailed

from .codes import ErrorCode
from .folding import all_in, highlight, phrase_in, query_tokens, similarity
from .models import SearchEntry
from .values import SearchHit, SearchResults, SearchScope

MAX_QUERY = 200
MAX_TOKENS = 8
CANDIDATES = 300
FUZZY_BELOW = 1  # typo lookup only when the words themselves find nothing
FUZZY_CANDIDATES = 100
FUZZY_MIN = 0.3
TABLE = SearchEntry._meta.db_table

PG_VECTOR = "fts"  # the stored tsvector column (migration 0002)


def _filters(scope: SearchScope, kinds: list[str] | None, unit_key: str | None, alias: str = "e") -> tuple[str, list[Any]]:
    """SQL for what the viewer may see and the type/unit filters, same on both databases."""
    allowed = [f"{alias}.visibility = 'public'"]
    params: list[Any] = []
    if scope.signed_in:
        allowed.append(f"{alias}.visibility = 'signed_in'")
    if scope.ministry:
        allowed.append(f"{alias}.visibility = 'ministry'")
    if scope.all_units:
        allowed.append(f"{alias}.visibility = 'unit'")
    elif scope.unit_ids:
        ids = sorted(int(i) for i in scope.unit_ids)
        allowed.append(f"({alias}.visibility = 'unit' AND {alias}.unit_id IN ({', '.join(['%s'] * len(ids))}))")
        params.extend(ids)
    clauses = ["(" + " OR ".join(allowed) + ")"]
    if kinds:
        clauses.append(f"{alias}.kind IN ({', '.join(['%s'] * len(kinds))})")
        params.extend(kinds)
    if unit_key:
        clauses.append(f"{alias}.unit_key = %s")
        params.append(unit_key)
    return " AND ".join(clauses), params


def _pg_candidates(tokens: list[str], where: str, params: list[Any]) -> list[int]:
    tsquery = " & ".join([*tokens[:-1], f"{tokens[-1]}:*"])
    sql = (
        f"SELECT e.id FROM {TABLE} e WHERE e.{PG_VECTOR} @@ to_tsquery('simple', %s) AND {where} "  # noqa: S608 - constants and placeholders only
        f"ORDER BY ts_rank(e.{PG_VECTOR}, to_tsquery('simple', %s)) DESC, e.id LIMIT {CANDIDATES}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [tsquery, *params, tsquery])
        return [r[0] for r in cur.fetchall()]


def _pg_fuzzy(phrase: str, where: str, params: list[Any]) -> list[int]:
    sql = (
        f"SELECT e.id FROM {TABLE} e WHERE lienket_fold(e.title) %% %s AND {where} "  # noqa: S608 - constants and placeholders only
        f"ORDER BY similarity(lienket_fold(e.title), %s) DESC, e.id LIMIT {FUZZY_CANDIDATES}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [phrase, *params, phrase])
        return [r[0] for r in cur.fetchall()]


def _sqlite_candidates(tokens: list[str], where: str, params: list[Any]) -> list[int]:
    match = " ".join([*(f'"{t}"' for t in tokens[:-1]), f'"{tokens[-1]}"*'])
    sql = (
        f"SELECT e.id FROM search_fts JOIN {TABLE} e ON e.id = search_fts.rowid "  # noqa: S608 - constants and placeholders only
        f"WHERE search_fts MATCH %s AND {where} ORDER BY bm25(search_fts, 10.0, 1.0), e.id LIMIT {CANDIDATES}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [match, *params])
        return [r[0] for r in cur.fetchall()]


def _sqlite_fuzzy(phrase: str, where: str, params: list[Any]) -> list[int]:
    from .folding import trigrams

    grams = sorted(trigrams(phrase))
    if not grams:
        return []
    match = " OR ".join(f'"{g}"' for g in grams)
    sql = (
        f"SELECT e.id FROM search_trgm JOIN {TABLE} e ON e.id = search_trgm.rowid "  # noqa: S608 - constants and placeholders only
        f"WHERE search_trgm MATCH %s AND {where} ORDER BY bm25(search_trgm), e.id LIMIT {FUZZY_CANDIDATES}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [match, *params])
        return [r[0] for r in cur.fetchall()]


def _score(row: dict[str, Any], tokens: list[str], phrase: str) -> tuple[Any, ...] | None:
    title_words = row["title_folded"].split()
    body_words = row["body_folded"].split()
    sim = similarity(row["title_folded"], phrase)
    if len(title_words) == len(tokens) and phrase_in(title_words, tokens):
        tier = 0
    elif phrase_in(title_words[: len(tokens)], tokens):
        tier = 1  # the title starts with the phrase
    elif phrase_in(title_words, tokens):
        tier = 1.5
    elif all_in(title_words, tokens):
        tier = 2
    elif phrase_in(body_words, tokens):
        tier = 3
    elif all_in(title_words + body_words, tokens):
        tier = 4
    elif sim >= FUZZY_MIN:
        tier = 5
    else:
        return None
    return (tier, -round(sim, 6), len(row["title"]), row["title_folded"], row["kind"], row["key"])


def search(*, query: str, scope: SearchScope, kinds: list[str] | None = None, unit_key: str | None = None,
           limit: int = 20, offset: int = 0) -> SearchResults:
    """The items the viewer may see that match `query`, best first (see the module docstring)."""
    if len(query or "") > MAX_QUERY:
        raise ValidationFailed(
            _("The search text is too long (at most %(n)d characters).") % {"n": MAX_QUERY}, code=ErrorCode.SEARCH_QUERY_TOO_LONG
        )
    tokens = query_tokens(query)[:MAX_TOKENS]
    if not tokens:
        return SearchResults(query=query or "", tokens=[], hits=[], count=0, capped=False, fuzzy=False)
    phrase = " ".join(tokens)
    where, params = _filters(scope, kinds, unit_key)
    postgres = connection.vendor == "postgresql"
    ids = (_pg_candidates if postgres else _sqlite_candidates)(tokens, where, params)
    capped = len(ids) >= CANDIDATES
    fuzzy = False
    if len(ids) < FUZZY_BELOW:
        extra = (_pg_fuzzy if postgres else _sqlite_fuzzy)(phrase, where, params)
        fuzzy = bool(set(extra) - set(ids))
        ids = list(dict.fromkeys([*ids, *extra]))
    rows = SearchEntry.objects.filter(pk__in=ids).values(
        "id", "kind", "key", "title", "body", "title_folded", "body_folded", "url", "unit_key", "unit_name"
    )
    scored = []
    for row in rows:
        score = _score(row, tokens, phrase)
        if score is not None:
            scored.append((score, row))
    scored.sort(key=lambda item: item[0])
    hits = [
        SearchHit(
            id=row["id"], kind=row["kind"], key=row["key"], title=row["title"], url=row["url"],
            unit_key=row["unit_key"], unit_name=row["unit_name"], score=score,
            title_html=highlight(row["title"], tokens), snippet_html=highlight(row["body"], tokens, width=180),
        )
        for score, row in scored[offset : offset + limit]
    ]
    return SearchResults(query=query, tokens=tokens, hits=hits, count=len(scored), capped=capped,
                         fuzzy=fuzzy and any(s[0] == 5 for s, _r in scored))
