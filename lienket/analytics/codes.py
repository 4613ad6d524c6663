"""Error codes of lienket.analytics (part of the API: never change one). Analytics only reads: no audit actions
except the boundary upload."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    ANALYTICS_BAD_PARAMETER = "analytics_bad_parameter"
    BOUNDARIES_INVALID = "boundaries_invalid"


class AuditAction(StrEnum):
    BOUNDARIES_UPLOAD = "boundaries.upload"
