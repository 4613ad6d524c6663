"""Input limits and attachment checks (pure functions; no writes)."""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from lienket.core.errors import ValidationFailed

from .codes import ErrorCode

MAX_TITLE = 300
MAX_BODY = 20_000
MAX_SHORT = 500
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

#: extension → (content type, check of the first bytes / the archive)
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def _ooxml_is(content: bytes, part: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)


def content_matches(ext: str, content: bytes) -> bool:
    if ext == "pdf":
        return content.startswith(b"%PDF-")
    if ext == "png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    if ext == "docx":
        return _ooxml_is(content, "word/")
    if ext == "xlsx":
        return _ooxml_is(content, "xl/")
    return False


def attachment_check(name: str, content: bytes) -> str:
    """The content type of a valid attachment, or ValidationFailed saying what is wrong."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise ValidationFailed(
            _("“%(name)s”: only PDF, Word (.docx), Excel (.xlsx), PNG and JPEG files can be attached.") % {"name": name},
            {"field": "file"}, code=ErrorCode.ATTACHMENT_TYPE,
        )
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(
            _("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            {"field": "file"}, code=ErrorCode.ATTACHMENT_TOO_LARGE,
        )
    if not content_matches(ext, content):
        raise ValidationFailed(
            _("“%(name)s” is not a real .%(ext)s file: its content does not match its extension.") % {"name": name, "ext": ext},
            {"field": "file"}, code=ErrorCode.ATTACHMENT_MISMATCH,
        )
    return ALLOWED_TYPES[ext]


def text_check(value: str, *, field: str, label: str, limit: int, required: bool = False,
               empty_code: str = ErrorCode.EMPTY_TEXT) -> str:
    if required and not value:
        raise ValidationFailed(_("%(label)s is required.") % {"label": label}, {"field": field}, code=empty_code)
    if len(value) > limit:
        raise ValidationFailed(
            _("%(label)s is too long: %(n)s characters, at most %(max)s.") % {"label": label, "n": f"{len(value):,}".replace(",", "."),
                                                                              "max": f"{limit:,}".replace(",", ".")},
            {"field": field, "max": limit}, code=ErrorCode.TEXT_TOO_LONG,
        )
    return value
