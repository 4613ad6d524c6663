"""Document numbers: parsed as written into their parts. Pure functions, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lienket.core.errors import ValidationFailed
from lienket.core.text import nfc

from .codes import ErrorCode

# The abbreviation a type's number carries (Nghị định → NĐ, Thông tư → TT, ...). Laws and the National
# Assembly's resolutions carry none (`202/2025/QH15`); official letters carry the issuer's unit instead.
TYPE_ABBREVIATIONS = {
    "decree": {"NĐ"},
    "circular": {"TT", "TTLT"},
    "decision": {"QĐ"},
    "resolution": {"NQ", ""},
    "directive": {"CT"},
    "law": {""},
    "consolidated": {"VBHN"},
}

_ISSUER = r"[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-Za-zĐđ0-9]+)*"
_PATTERNS = [
    # 32/2024/NĐ-CP, 14/2024/TT-BCT, 19/2025/QĐ-TTg
    re.compile(rf"^(?P<seq>\d{{1,6}}[a-z]?)/(?P<year>\d{{4}})/(?P<type>[A-Za-zĐđ]{{2,5}})-(?P<issuer>{_ISSUER})$"),
    # 202/2025/QH15 (laws, National Assembly resolutions)
    re.compile(r"^(?P<seq>\d{1,6})/(?P<year>\d{4})/(?P<issuer>QH\d{1,2}|UBTVQH\d{1,2})$"),
    # 60-NQ/TW (Party resolutions)
    re.compile(r"^(?P<seq>\d{1,6})-(?P<type>[A-ZĐ]{2,5})/(?P<issuer>[A-ZĐ]{1,10})$"),
    # 55/VBHN-BCT (consolidated texts)
    re.compile(rf"^(?P<seq>\d{{1,6}})/(?P<type>VBHN)-(?P<issuer>{_ISSUER})$"),
    # 1234/BCT-CCT (official letters: issuer and its unit)
    re.compile(rf"^(?P<seq>\d{{1,6}})/(?P<issuer>{_ISSUER})$"),
]


@dataclass(frozen=True)
class DocumentNumber:
    written: str
    seq: str
    year: int | None
    type_abbr: str
    issuer_abbr: str

    @property
    def key(self) -> str:
        return number_key(self.written)


def number_normalize(value: str | None) -> str:
    """NFC, no spaces around / and -, Ð (eth, a look-alike often typed) → Đ, dashes → -."""
    text = nfc(value).replace("Ð", "Đ").replace("ð", "đ")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"\s*([/-])\s*", r"\1", text)
    text = re.sub(r"^(số|so|no\.?)\s*", "", text, flags=re.IGNORECASE)
    return text


def number_key(value: str | None) -> str:
    """Case- and Đ-insensitive identity of a number: `32/2024/nd-cp`."""
    return number_normalize(value).lower().replace("đ", "d")


def number_parse(value: str | None) -> DocumentNumber:
    """The parts of a document number as written; ValidationFailed when it follows no known pattern."""
    text = number_normalize(value)
    if len(text) <= 60:
        for pattern in _PATTERNS:
            m = pattern.match(text)
            if m:
                parts = m.groupdict()
                year = int(parts["year"]) if parts.get("year") else None
                if year is not None and not 1945 <= year <= 2100:
                    break
                type_abbr = (parts.get("type") or "").upper()
                if type_abbr and parts.get("type") != type_abbr:  # "nđ" typed for "NĐ": written as it should be
                    text = text.replace(f"/{parts['type']}-", f"/{type_abbr}-", 1)
                return DocumentNumber(written=text, seq=parts["seq"], year=year, type_abbr=type_abbr,
                                      issuer_abbr=parts["issuer"])
    raise ValidationFailed(
        _("“%(number)s” is not a document number we can read (for example 32/2024/NĐ-CP, 202/2025/QH15, 60-NQ/TW).")
        % {"number": nfc(value)[:80]},
        details={"field": "number"}, code=ErrorCode.DOCUMENT_NUMBER_INVALID,
    )


def number_check_type(number: DocumentNumber, doc_type: str) -> None:
    """Refuse a number whose abbreviation contradicts the type (a Decree numbered …/TT-BCT)."""
    from .models import DocType  # the type's name in the reader's language

    expected = TYPE_ABBREVIATIONS.get(doc_type)
    if expected is not None and number.type_abbr not in expected:
        raise ValidationFailed(
            _("The number %(number)s does not match the type: a %(type)s's number carries %(abbr)s.")
            % {"number": number.written, "type": str(DocType(doc_type).label).lower(), "abbr": " / ".join(sorted(a for a in expected if a)) or "—"},
            details={"field": "number"}, code=ErrorCode.DOCUMENT_NUMBER_TYPE_MISMATCH,
        )
