"""Vietnamese text handling: store NFC with full diacritics, search without them."""

from __future__ import annotations

import unicodedata

# Older ("old style") and newer tone placement differ only in where the mark sits (Hoà / Hòa);
# after NFC the two strings are still different, so matching goes through `fold` or `tone_normalize`.
_OLD_TONE_PLACEMENT = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}


# Invisible characters that have no business in data typed by people: zero-width space / non-joiner / joiner,
# word joiner, BOM; left-to-right / right-to-left marks; bidirectional embeddings, overrides and isolates
# (U+202A–U+202E, U+2066–U+2069), which can make text display in another order than it is stored
# ("Trojan Source"). Removed from every free-text input by `nfc`.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_INVISIBLE_TABLE = dict.fromkeys(map(ord, INVISIBLE))


def strip_invisible(value: str) -> str:
    """`value` without the INVISIBLE characters."""
    return value.translate(_INVISIBLE_TABLE)


def nfc(value: str | None) -> str:
    """The one normaliser of text input: NFC, invisible and bidi-control characters removed, stripped; None
    becomes the empty string."""
    if value is None:
        return ""
    return strip_invisible(unicodedata.normalize("NFC", str(value))).strip()


def foreign_digit(value: str) -> str | None:
    """The first digit in `value` that is not an ASCII 0–9 (Arabic-Indic "١", fullwidth "１", superscript "²",
    ...), or None. Python's int() and Decimal() read most of them as numbers; we refuse them instead."""
    for ch in value:
        if ch not in "0123456789" and (ch.isdigit() or ch.isnumeric() or unicodedata.category(ch) == "Nd"):
            return ch
    return None


def is_ascii_int(value: str) -> bool:
    """`value` is one or more ASCII digits (str.isdigit() alone also accepts "١٢", "１２" and "²")."""
    return bool(value) and value.isascii() and value.isdigit()


def tone_normalize(value: str) -> str:
    """Map old-style tone placement (Hoà) to the form our reference files use (Hòa)."""
    text = nfc(value)
    lowered = text.lower()
    for old, new in _OLD_TONE_PLACEMENT.items():
        if old in lowered:
            # rebuild preserving case of the first letter of each occurrence
            out = []
            i = 0
            while i < len(text):
                chunk = text[i : i + 2]
                if chunk.lower() == old:
                    replacement = new if chunk[0].islower() else new[0].upper() + new[1]
                    out.append(replacement)
                    i += 2
                else:
                    out.append(text[i])
                    i += 1
            text = "".join(out)
            lowered = text.lower()
    return text


def fold(value: str | None) -> str:
    """Accent-insensitive key: lower case, no combining marks, đ → d, single spaces."""
    text = unicodedata.normalize("NFD", nfc(value)).lower()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d")
    return " ".join(text.split())
