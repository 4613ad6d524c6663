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


def nfc(value: str | None) -> str:
    """NFC-normalise and strip; None becomes the empty string."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


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
