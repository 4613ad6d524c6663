"""Search keys, trigrams and highlighted snippets — pure functions shared by both database engines.

`search_fold` is `lienket.core.text.fold` made one character per character: every character of the NFC text
maps to exactly one of a–z, 0–9 or a space (đ → d, ư → u, ố → o, punctuation → space), so a match found in
the folded text points at the same positions in the original (used by `highlight`). The PostgreSQL function
`lienket_fold()` (migration 0002) computes the same key with `unaccent`; tests check the two agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lienket.core.text import nfc

_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@lru_cache(maxsize=4096)
def _char_fold(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[:1].lower()
    if base == "đ":
        base = "d"
    return base if base in _KEEP else " "


def char_fold(text: str) -> str:
    """`text` (already NFC) with each character folded to one character: same length, same positions."""
    return "".join(_char_fold(ch) for ch in text)


def search_fold(text: str | None) -> str:
    """The search key of `text`: NFC, lower case, no diacritics, đ → d, only a–z 0–9 words, single spaces."""
    return " ".join(char_fold(nfc(text)).split())


def query_tokens(query: str | None) -> list[str]:
    return search_fold(query).split()


@lru_cache(maxsize=65536)
def _word_trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def trigrams(folded: str) -> set[str]:
    """pg_trgm's trigrams of an already folded text (each word padded with two spaces before, one after)."""
    out: set[str] = set()
    for word in folded.split():
        out |= _word_trigrams(word)
    return out


def similarity(a: str, b: str, b_grams: set[str] | None = None) -> float:
    """pg_trgm's `similarity()` of two folded texts: shared trigrams over all trigrams."""
    ta, tb = trigrams(a), (b_grams if b_grams is not None else trigrams(b))
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def _pattern(tokens: list[str]) -> re.Pattern[str]:
    """Any token at a word start; every token but the last whole, the last also as a prefix (typing)."""
    parts = [rf"{re.escape(t)}(?![a-z0-9])" for t in tokens[:-1]] + [re.escape(tokens[-1])] if tokens else []
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")")


def _spans(folded: str, tokens: list[str]) -> list[tuple[int, int]]:
    if not tokens:
        return []
    # the last token matches as a prefix: extend it to the end of the word it starts
    spans = []
    for m in _pattern(tokens).finditer(folded):
        spans.append((m.start(), m.end()))
    return spans


def highlight(text: str, tokens: list[str], *, width: int = 0) -> SafeString:
    """`text` escaped, with every matched token in <mark>; with `width`, a window of about that many characters
    around the first match (… where cut)."""
    folded = char_fold(text)
    spans = _spans(folded, tokens)
    start, end = 0, len(text)
    if width and len(text) > width:
        first = spans[0][0] if spans else 0
        start = max(0, first - width // 3)
        # start at a word boundary
        while 0 < start < len(text) and not text[start - 1].isspace():
            start -= 1
        end = min(len(text), start + width)
        while end < len(text) and not text[end].isspace():
            end += 1
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # every piece of text is escaped above


def phrase_in(words: list[str], tokens: list[str]) -> bool:
    """The tokens appear consecutively in `words` (the last one as a prefix)."""
    n = len(tokens)
    if not n or n > len(words):
        return False
    for i in range(len(words) - n + 1):
        if words[i : i + n - 1] == tokens[:-1] and words[i + n - 1].startswith(tokens[-1]):
            return True
    return False


def all_in(words: list[str], tokens: list[str]) -> bool:
    """Every token is a word of `words` (the last one as a prefix of a word)."""
    if not tokens:
        return False
    present = set(words)
    if any(t not in present for t in tokens[:-1]):
        return False
    return any(w.startswith(tokens[-1]) for w in words)


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau–Levenshtein distance (optimal string alignment: a swap of two neighbours counts 1), capped at
    `limit` + 1 so that long different words cost little."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)
