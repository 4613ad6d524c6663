"""Product photos: checked by their content (never by the file name), re-encoded, thumbnailed.

`photo_prepare` reads the upload with Pillow and refuses, before anything is stored:
* more bytes than PRODUCT_PHOTO_MAX_BYTES (5 MB);
* anything Pillow does not recognise as an image (a PDF or a script named `.jpg`), or a damaged/truncated image;
* a format other than JPEG, PNG or WebP;
* more pixels than PRODUCT_PHOTO_MAX_PIXELS (40 megapixels) or a side above 10 000 px — checked from the header,
  before decoding, so a decompression bomb (a few kilobytes that decode to gigabytes) is refused without being
  decoded; Pillow's own DecompressionBombWarning/Error are refusals too.

What is kept is a new JPEG encoded from the pixels (orientation applied, so EXIF — GPS position, camera serial —
is not carried over) plus a thumbnail of at most 480 px. Storing is the service's business (default_storage).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lienket.core.errors import ValidationFailed

from .codes import ErrorCode

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_SIDE = 10_000
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 85


def max_bytes() -> int:
    return int(getattr(settings, "PRODUCT_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def max_pixels() -> int:
    return int(getattr(settings, "PRODUCT_PHOTO_MAX_PIXELS", 40_000_000))


@dataclass(frozen=True)
class PreparedPhoto:
    image: bytes  # JPEG, no EXIF
    thumbnail: bytes  # JPEG, no EXIF
    width: int
    height: int
    sha256: str  # of the upload


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",")


def _refuse(code: ErrorCode, message: str, **details: object) -> ValidationFailed:
    return ValidationFailed(message, {"field": "photo", **details}, code=code)


def size_refusal(*, size: int, filename: str = "") -> ValidationFailed | None:
    """The refusal of an upload of `size` bytes, or None: lets a view refuse a huge upload without reading it."""
    if size <= max_bytes():
        return None
    name = filename.replace("\\", "/").rsplit("/", 1)[-1][:100] or _("the photo")
    return _refuse(ErrorCode.IMAGE_TOO_LARGE, _("“%(file)s” is %(size)s MB; a photo may have at most %(limit)s MB.")
                   % {"file": name, "size": _mb(size), "limit": _mb(max_bytes())}, size=size, limit=max_bytes())


def photo_prepare(*, data: bytes, filename: str = "") -> PreparedPhoto:
    """The upload checked and re-encoded, or ValidationFailed (nothing is stored by this function)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1][:100] or _("the photo")
    if not data:
        raise _refuse(ErrorCode.IMAGE_EMPTY, _("“%(file)s” is empty.") % {"file": name})
    too_large = size_refusal(size=len(data), filename=filename)
    if too_large is not None:
        raise too_large
    not_image = _("“%(file)s” is not a photo LienKet can read (JPEG, PNG or WebP); whatever its name says, its content "
                  "is not an image, or the image is damaged.") % {"file": name}
    bomb = _("“%(file)s” would expand to too many pixels when opened (a “decompression bomb”); it was refused.") % {"file": name}
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or ""
                width, height = probe.size
                if fmt not in ALLOWED_FORMATS:
                    raise _refuse(ErrorCode.IMAGE_UNSUPPORTED_FORMAT, _("“%(file)s” is a %(format)s image; upload a JPEG, "
                                                                       "PNG or WebP photo.") % {"file": name, "format": fmt or "?"})
                if width * height > max_pixels() or max(width, height) > MAX_SIDE:
                    ratio = width * height / max(len(data), 1)
                    if ratio > 1000:  # a few bytes per million pixels: built to exhaust memory
                        raise _refuse(ErrorCode.IMAGE_DECOMPRESSION_BOMB, bomb, width=width, height=height)
                    raise _refuse(ErrorCode.IMAGE_TOO_MANY_PIXELS, _(
                        "“%(file)s” is %(width)s × %(height)s pixels; a photo may have at most %(mp)s megapixels and "
                        "%(side)s pixels a side. Reduce it and upload it again.") % {
                            "file": name, "width": width, "height": height, "mp": max_pixels() // 1_000_000, "side": MAX_SIDE},
                        width=width, height=height)
                probe.verify()
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                upright = ImageOps.exif_transpose(im)
                rgb = _rgb(upright)
        except ValidationFailed:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(ErrorCode.IMAGE_DECOMPRESSION_BOMB, bomb) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError):
            raise _refuse(ErrorCode.IMAGE_NOT_AN_IMAGE, not_image) from None
    image = _jpeg(rgb)
    thumb = rgb.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return PreparedPhoto(image=image, thumbnail=_jpeg(thumb), width=rgb.width, height=rgb.height,
                         sha256=hashlib.sha256(data).hexdigest())


def _rgb(im: Image.Image) -> Image.Image:
    """RGB pixels only: transparency laid on white, palettes and greyscale expanded. A new image: no metadata."""
    if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return im.convert("RGB")


def _jpeg(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)  # no exif= argument: nothing is carried over
    return out.getvalue()
