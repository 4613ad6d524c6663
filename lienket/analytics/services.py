"""Writes of analytics: the upload of official unit boundaries (admin only, validated, audited)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lienket.core.audit import audit_log
from lienket.core.errors import PermissionDenied, ValidationFailed
from lienket.core.text import nfc
from lienket.regions.models import AdminUnit

from . import permissions
from .codes import AuditAction, ErrorCode
from .models import Boundaries

MAX_BYTES = 20 * 1024 * 1024
# Viet Nam with Hoàng Sa and Trường Sa: longitude 102–118 °E, latitude 6–24 °N
LON, LAT = (100.0, 118.0), (6.0, 24.0)


def _problem(message: str, **details: Any) -> ValidationFailed:
    return ValidationFailed(message, details, code=ErrorCode.BOUNDARIES_INVALID)


def _check_ring(ring: Any, where: str) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise _problem(_("%(where)s: a ring needs at least 4 positions") % {"where": where})
    for pos in ring:
        if (not isinstance(pos, list) or len(pos) < 2 or not all(isinstance(c, int | float) for c in pos[:2])
                or not (LON[0] <= pos[0] <= LON[1] and LAT[0] <= pos[1] <= LAT[1])):
            raise _problem(_("%(where)s: position %(pos)s is not a longitude/latitude in Viet Nam") % {
                "where": where, "pos": str(pos)[:40]})


def boundaries_parse(content: bytes, *, valid_on: dt.date) -> dict[str, Any]:
    """The FeatureCollection if it is valid: every feature a Polygon/MultiPolygon in Viet Nam whose
    `properties.code` is a province valid on `valid_on`, each code once. ValidationFailed naming the problem."""
    if len(content) > MAX_BYTES:
        raise _problem(_("The file is larger than 20 MB."))
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise _problem(_("The file is not JSON (UTF-8).")) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise _problem(_("The file must be a GeoJSON FeatureCollection."))
    codes = set(AdminUnit.objects.provinces().valid_on(valid_on).values_list("code", flat=True))
    seen: set[str] = set()
    for n, feature in enumerate(data["features"], 1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = nfc(str((props or {}).get("code", ""))).strip()
        where = _("feature %(n)s (%(code)s)") % {"n": n, "code": code or "?"}
        if code not in codes:
            raise _problem(_("%(where)s: no province has the code on %(date)s") % {"where": where, "date": valid_on.strftime("%d/%m/%Y")})
        if code in seen:
            raise _problem(_("%(where)s: the code appears twice") % {"where": where})
        seen.add(code)
        geometry = feature.get("geometry") or {}
        kind, coords = geometry.get("type"), geometry.get("coordinates")
        polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
        if not isinstance(polygons, list) or not polygons:
            raise _problem(_("%(where)s: the geometry must be a Polygon or a MultiPolygon") % {"where": where})
        for polygon in polygons:
            if not isinstance(polygon, list) or not polygon:
                raise _problem(_("%(where)s: an empty polygon") % {"where": where})
            for ring in polygon:
                _check_ring(ring, where)
    if not seen:
        raise _problem(_("The file has no feature."))
    return data


@transaction.atomic
def boundaries_upload(*, actor: Any, name: str, valid_on: dt.date, source: str, content: bytes) -> Boundaries:
    if not permissions.can_upload_boundaries(actor):
        raise PermissionDenied(_("Only an administrator can upload boundaries."))
    data = boundaries_parse(content, valid_on=valid_on)
    obj = Boundaries.objects.create(name=nfc(name).strip(), valid_on=valid_on, source=nfc(source).strip(), geojson=data,
                                    uploaded_by=actor)
    audit_log(actor=actor, action=AuditAction.BOUNDARIES_UPLOAD, obj=obj,
              after={"name": obj.name, "valid_on": valid_on.isoformat(), "source": obj.source, "features": len(data["features"])})
    return obj
