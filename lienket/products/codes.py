"""Audit actions and error codes of lienket.products. Values are stored (AuditEntry.action) or part of the API:
never change one (docs/CONVENTIONS.md, "Error codes and audit actions")."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """`<object>.<verb>`, as stored in AuditEntry.action."""

    PRODUCER_CREATE = "producer.create"
    PRODUCER_DELETE = "producer.delete"
    PRODUCER_UPDATE = "producer.update"
    PRODUCT_CREATE = "product.create"
    PRODUCT_DELETE = "product.delete"
    PRODUCT_IMPORT = "product.import"
    PRODUCT_UPDATE = "product.update"
    PRODUCT_PHOTO_ADD = "product_photo.add"
    PRODUCT_PHOTO_DELETE = "product_photo.delete"
    PRODUCTS_SAMPLE_LOAD = "products.sample_load"


class ErrorCode(StrEnum):
    """The `code` of every ApplicationError lienket.products raises (and of its import's cell errors)."""

    CERTIFICATE_INCOMPLETE = "certificate_incomplete"
    IMAGE_DECOMPRESSION_BOMB = "image_decompression_bomb"
    IMAGE_EMPTY = "image_empty"
    IMAGE_NOT_AN_IMAGE = "image_not_an_image"
    IMAGE_TOO_LARGE = "image_too_large"
    IMAGE_TOO_MANY_PIXELS = "image_too_many_pixels"
    IMAGE_UNSUPPORTED_FORMAT = "image_unsupported_format"
    IMPORT_BAD_HEADER = "import_bad_header"
    IMPORT_DUPLICATE_ROW = "import_duplicate_row"
    IMPORT_EMPTY = "import_empty"
    IMPORT_FILE = "import_file"
    IMPORT_INVALID = "import_invalid"
    INVALID_DATE = "invalid_date"
    INVALID_GROUP = "invalid_group"
    INVALID_NUMBER = "invalid_number"
    NAME_REQUIRED = "name_required"
    PRODUCER_REQUIRED = "producer_required"
    PRODUCT_EXISTS = "product_exists"
    PRODUCT_NOT_FOUND = "product_not_found"
    PHOTO_NOT_FOUND = "photo_not_found"
    STALE_VERSION = "stale_version"
    STARS_SCORE_MISMATCH = "stars_score_mismatch"
    TEXT_TOO_LONG = "text_too_long"
    TOO_MANY_PHOTOS = "too_many_photos"
    UNIT_REQUIRED = "unit_required"
    UNKNOWN_UNIT = "unknown_unit"
    VERSION_REQUIRED = "version_required"
