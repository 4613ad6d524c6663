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


# Document numbers written inside free text ("... hướng dẫn Nghị định số 32/2024/NĐ-CP ngày 15/3/2024 ..."): a
# token that starts with a digit and holds a / (spaces around / and - closed first); each candidate must then parse.
_TOKEN = re.compile(r"(?<![\w/])\d[\w/-]*/[\w/-]*", re.UNICODE)
# "Nghị định 32/2024" (the type written, the number without its issuer part): the type's name → its code.
TYPE_WORDS = {
    "nghị định": "decree", "thông tư liên tịch": "circular", "thông tư": "circular", "quyết định": "decision",
    "nghị quyết": "resolution", "chỉ thị": "directive", "luật": "law",
    "decree": "decree", "circular": "circular", "decision": "decision", "resolution": "resolution",
    "directive": "directive", "law": "law",
}
_SHORT = re.compile(
    r"(?P<word>" + "|".join(sorted((re.escape(w) for w in TYPE_WORDS), key=len, reverse=True)) + r")"
    r"\s+(?:(?:số|so|no\.?)\s*)?(?P<seq>\d{1,6})/(?P<year>\d{4})(?![\w/-])",
    re.IGNORECASE | re.UNICODE,
)
MAX_CITED_TEXT = 50_000


@dataclass(frozen=True)
class NumberCited:
    """A number found in free text: a full number (`number` parsed) or a short one (`doc_type`, `seq`, `year`)."""

    number: DocumentNumber | None = None
    doc_type: str = ""
    seq: str = ""
    year: int | None = None


def numbers_in_text(text: str | None) -> list[NumberCited]:
    """The document numbers written in `text`, in the order they appear, each once: full numbers
    (`32/2024/NĐ-CP`, `202/2025/QH15`, `60-NQ/TW`) and a type's name with a short number (`Nghị định 32/2024`).
    Dates (`15/3/2024`) and other slashed tokens that follow no number pattern are skipped."""
    body = nfc(text)[:MAX_CITED_TEXT].replace("Ð", "Đ").replace("ð", "đ")
    body = re.sub(r"[\u2010-\u2015\u2212]", "-", body)
    body = re.sub(r"(?<=\w)\s*([/])\s*(?=\w)", r"\1", body)
    body = re.sub(r"(/[A-Za-zĐđ]{2,5})\s*-\s*(?=[A-ZĐ])", r"\1-", body)  # "NĐ - CP"
    found: list[tuple[int, NumberCited]] = []
    seen: set[str] = set()
    for m in _TOKEN.finditer(body):
        token = m.group(0).rstrip("/-")
        try:
            number = number_parse(token)
        except ValidationFailed:
            continue
        if number.key not in seen:
            seen.add(number.key)
            found.append((m.start(), NumberCited(number=number)))
    for m in _SHORT.finditer(body):
        doc_type = TYPE_WORDS[m.group("word").lower()]
        key = f"{doc_type}:{m.group('seq')}/{m.group('year')}"
        year = int(m.group("year"))
        if key not in seen and 1945 <= year <= 2100:
            seen.add(key)
            found.append((m.start(), NumberCited(doc_type=doc_type, seq=m.group("seq"), year=year)))
    return [c for _pos, c in sorted(found, key=lambda x: x[0])]


@dataclass(frozen=True)
class CitedBy:
    """An item of another app that names a library document (a proposal, a programme), as the document page lists
    it: the item's type, title and address."""

    kind: str
    title: str
    url: str


def cites(cited: NumberCited, *, number_key: str, doc_type: str, seq: str, year: int | None) -> bool:
    """Whether a number found in text names this document (by its number, or by its type and short number)."""
    if cited.number is not None:
        return bool(number_key) and cited.number.key == number_key
    return (cited.doc_type, cited.seq, cited.year) == (doc_type, seq, year)
