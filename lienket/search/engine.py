"""The query engine: one interface, two databases.

1. Candidates, from the database's full-text index — PostgreSQL: stored tsvectors (title and text; title
   alone) over `lienket_fold()` (unaccent) with GIN indexes; SQLite: an FTS5 table over the pre-folded columns. Every query word must appear
   (the last one as a prefix, so results follow the typing). Three bounded steps, none of which ranks every
   match (ranking 30 000 matches of a common word costs more than the whole budget): titles that start with the
   query (byte-order index on the folded title), up to PREFIX of them; titles that contain every word, up to
   CANDIDATES; and only when those do not fill the page asked for, items whose text contains them.
2. When the words find nothing, typo correction: each word missing from the vocabulary of indexed titles
   (SearchTerm) gets its closest words (edit distance, trigram similarity; see `_corrections`: on PostgreSQL
   also `pg_trgm`'s `%` over the vocabulary, GIN trigram index) and step 1 runs again with those alternatives.
3. Python ranks the candidates the same way on both: the whole title, the title starting with the phrase, the
   phrase in the title, every word in the title, the phrase in the text, every word anywhere; corrected matches
   after all of those; ties by trigram similarity of the title to the query, shorter title, title, type, key.
   Same candidates → same order on both databases. With more matches than CANDIDATES (a common word), the
   candidates are the first ones in the index's order, which may differ between the two databases; every
   result still matches, and `capped` says that more exist.

Permission filtering (visibility × the viewer's SearchScope), type and unit filters are applied in SQL in every
step, so a hidden item is never a candidate.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from lienket.core.errors import ValidationFailed

from .codes import ErrorCode
from .folding import all_in, edit_distance, highlight, phrase_in, query_tokens, similarity, trigrams
from .models import SearchEntry, SearchTerm
from .values import SearchHit, SearchResults, SearchScope

MAX_QUERY = 200
MAX_TOKENS = 8
PREFIX = 50
CANDIDATES = 120
FUZZY_MIN = 0.3
CORRECTIONS = 3
TABLE = SearchEntry._meta.db_table
TERMS = SearchTerm._meta.db_table

PG_VECTOR = "fts"  # the stored tsvector of title and text (migration 0002)
PG_TITLE_VECTOR = "fts_title"  # the stored tsvector of the title (migration 0003)

Groups = list[list[str]]  # per query word: the word, or the words it may have meant


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


def _fetch(sql: str, params: list[Any]) -> list[Any]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [r[0] for r in cur.fetchall()]


def _prefix_titles(phrase: str, where: str, params: list[Any], postgres: bool) -> list[int]:
    """Titles starting with the phrase (the last word as typed so far): a range on the byte-ordered index."""
    column = 'e.title_folded COLLATE "C"' if postgres else "e.title_folded"
    sql = (
        f"SELECT e.id FROM {TABLE} e WHERE {column} >= %s AND {column} < %s AND {where} "  # noqa: S608 - constants and placeholders only
        f"ORDER BY {column}, e.id LIMIT {PREFIX}"
    )
    return _fetch(sql, [phrase, phrase + "~", *params])


def _sqlite_match(groups: Groups, prefix_last: bool) -> str:
    parts = []
    for i, group in enumerate(groups):
        alts = [f'"{t}"*' if (prefix_last and i == len(groups) - 1 and j == 0) else f'"{t}"' for j, t in enumerate(group)]
        parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    return " AND ".join(parts)


def _pg_tsquery(groups: Groups, prefix_last: bool) -> str:
    parts = []
    for i, group in enumerate(groups):
        alts = []
        for j, t in enumerate(group):
            prefix = prefix_last and i == len(groups) - 1 and j == 0
            alts.append(f"{t}:*" if prefix else t)
        parts.append(alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")")
    return " & ".join(parts)


def _matches(groups: Groups, prefix_last: bool, title: bool, where: str, params: list[Any], limit: int,
             postgres: bool) -> list[int]:
    if postgres:
        vector = PG_TITLE_VECTOR if title else PG_VECTOR
        sql = (
            f"SELECT e.id FROM {TABLE} e WHERE e.{vector} @@ to_tsquery('simple', %s) AND {where} "  # noqa: S608 - constants and placeholders only
            f"LIMIT {limit}"
        )
        return _fetch(sql, [_pg_tsquery(groups, prefix_last), *params])
    match = _sqlite_match(groups, prefix_last)
    if title:
        match = f"title_folded : ({match})"
    sql = (
        f"SELECT e.id FROM search_fts JOIN {TABLE} e ON e.id = search_fts.rowid "  # noqa: S608 - constants and placeholders only
        f"WHERE search_fts MATCH %s AND {where} LIMIT {limit}"
    )
    return _fetch(sql, [match, *params])


def _candidates(groups: Groups, *, prefix_last: bool, phrase: str | None, where: str, params: list[Any],
                postgres: bool, wanted: int) -> tuple[list[int], bool]:
    """Up to PREFIX + 2 × CANDIDATES ids, and whether there may be more matches than those. Matches in the text
    only are looked for when the titles give fewer than `wanted` (they rank after every title match)."""
    ids = _prefix_titles(phrase, where, params, postgres) if phrase else []
    in_title = _matches(groups, prefix_last, True, where, params, CANDIDATES, postgres)
    ids = list(dict.fromkeys([*ids, *in_title]))
    capped = len(in_title) >= CANDIDATES or len(ids) >= wanted
    if not capped:
        anywhere = _matches(groups, prefix_last, False, where, params, CANDIDATES, postgres)
        capped = len(anywhere) >= CANDIDATES
        ids = list(dict.fromkeys([*ids, *anywhere]))
    return ids, capped


def _known(token: str, last: bool) -> bool:
    """Is the word (or, for the word being typed, a word it starts) in the vocabulary?"""
    if last:
        sql = f"SELECT term FROM {TERMS} WHERE term >= %s AND term < %s LIMIT 1"  # noqa: S608 - constant table name
        return bool(_fetch(sql, [token, token + "~"]))
    return bool(_fetch(f"SELECT term FROM {TERMS} WHERE term = %s", [token]))  # noqa: S608 - constant table name


def _corrections(token: str, postgres: bool) -> list[str]:
    """The vocabulary's words closest to a misspelt word, best first: words with the same first letter and a
    length within 2 (both databases), plus on PostgreSQL the words pg_trgm finds similar (`%`, which also
    catches a wrong first letter); kept when at most 1 edit away (2 for words longer than 4 letters) or with a
    trigram similarity ≥ FUZZY_MIN."""
    column = 'term COLLATE "C"' if postgres else "term"
    sql = f"SELECT term FROM {TERMS} WHERE {column} >= %s AND {column} < %s AND length(term) BETWEEN %s AND %s"  # noqa: S608 - constant table name
    first = token[0]
    words = set(_fetch(sql, [first, chr(ord(first) + 1), max(2, len(token) - 2), len(token) + 2]))
    if postgres:
        words |= set(_fetch(f"SELECT term FROM {TERMS} WHERE term %% %s LIMIT 50", [token]))  # noqa: S608 - constant table name
    grams = trigrams(token)
    allowed = 1 if len(token) <= 4 else 2
    scored = []
    for word in words:
        distance, sim = edit_distance(word, token, allowed), similarity(word, token, grams)
        if distance <= allowed or sim >= FUZZY_MIN:
            scored.append((distance, -sim, word))
    return [w for _d, _s, w in sorted(scored)][:CORRECTIONS]


def _effective(words: list[str], group: list[str], last: bool) -> str:
    """The alternative of a query word that this item contains (the typed word when none)."""
    present = set(words)
    for j, t in enumerate(group):
        if t in present or (last and j == 0 and any(w.startswith(t) for w in words)):
            return t
    return group[0]


def _score(row: Any, groups: Groups, corrected: bool) -> tuple[Any, ...] | None:
    title_words = row["title_folded"].split()
    body_words: list[str] | None = None
    if corrected:
        body_words = row["body_folded"].split()
        both = title_words + body_words
        tokens = [_effective(both, g, i == len(groups) - 1) for i, g in enumerate(groups)]
    else:
        tokens = [g[0] for g in groups]
    if len(title_words) == len(tokens) and phrase_in(title_words, tokens):
        tier = 0.0
    elif phrase_in(title_words[: len(tokens)], tokens):
        tier = 1.0  # the title starts with the phrase
    elif phrase_in(title_words, tokens):
        tier = 1.5
    elif all_in(title_words, tokens):
        tier = 2.0
    else:
        body_words = body_words if body_words is not None else row["body_folded"].split()
        if phrase_in(body_words, tokens):
            tier = 3.0
        elif all_in(title_words + body_words, tokens):
            tier = 4.0
        else:
            return None
    if corrected:
        tier += 10
    sim = similarity(row["title_folded"], " ".join(tokens))
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
    where, params = _filters(scope, kinds, unit_key)
    postgres = connection.vendor == "postgresql"
    groups: Groups = [[t] for t in tokens]
    wanted = max(offset + limit + 1, 20)
    ids, capped = _candidates(groups, prefix_last=True, phrase=" ".join(tokens), where=where, params=params,
                              postgres=postgres, wanted=wanted)
    corrected = False
    if not ids:
        for i, token in enumerate(tokens):
            if not token.isdigit() and not _known(token, last=i == len(tokens) - 1):
                groups[i] = [token, *_corrections(token, postgres)]
        if any(len(g) > 1 for g in groups):
            corrected = True
            ids, capped = _candidates(groups, prefix_last=True, phrase=None, where=where, params=params,
                                      postgres=postgres, wanted=wanted)
    rows = SearchEntry.objects.filter(pk__in=ids).values(
        "id", "kind", "key", "title", "title_folded", "body_folded", "url", "unit_key", "unit_name"
    )
    scored = []
    for row in rows:
        score = _score(row, groups, corrected)
        if score is not None:
            scored.append((score, row))
    scored.sort(key=lambda item: item[0])
    marked = [t for g in groups for t in g]
    page = scored[offset : offset + limit]
    bodies = dict(SearchEntry.objects.filter(pk__in=[row["id"] for _s, row in page]).values_list("id", "body"))
    hits = [
        SearchHit(
            id=row["id"], kind=row["kind"], key=row["key"], title=row["title"], url=row["url"],
            unit_key=row["unit_key"], unit_name=row["unit_name"], score=score,
            title_html=highlight(row["title"], marked), snippet_html=highlight(bodies.get(row["id"], ""), marked, width=180),
        )
        for score, row in page
    ]
    return SearchResults(query=query, tokens=tokens, hits=hits, count=len(scored), capped=capped, fuzzy=corrected and bool(scored))
