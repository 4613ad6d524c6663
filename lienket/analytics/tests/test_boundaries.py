"""Official boundaries: uploaded by an administrator (validated, audited), then drawn by the map."""

import datetime as dt
import json

import pytest

from lienket.analytics.codes import AuditAction, ErrorCode
from lienket.analytics.models import Boundaries
from lienket.analytics.services import boundaries_upload
from lienket.core.errors import PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry


def square(lon, lat, d=0.3):
    return [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code}, "geometry": {"type": "Polygon", "coordinates": square(lon, lat)}}
        for code, lon, lat in features]}).encode()


AFTER = dt.date(2025, 7, 1)


@pytest.mark.django_db
def test_an_admin_uploads_boundaries_and_the_map_draws_them(w, client):
    w.put(w.hanoi, "202601", EXPORT=120)
    w.put(w.phutho, "202601", EXPORT=60)
    obj = boundaries_upload(actor=w.users["admin"], name="Ranh giới 2025", valid_on=AFTER, source="Bộ Nội vụ",
                            content=collection(("01", 105.5, 21.0), ("25", 105.0, 21.3)))
    assert AuditEntry.objects.filter(action=AuditAction.BOUNDARIES_UPLOAD, object_id=str(obj.pk)).exists()
    html = client.get("/analytics/map/?indicator=EXPORT&period=202601").content.decode()
    assert html.count('<path d="M') == 2
    assert "Bộ Nội vụ" in html
    before = client.get("/analytics/map/?indicator=EXPORT&period=202401").content.decode()
    assert '<path d="M' not in before  # no boundaries of the 28 units: the tile grid


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "needle"), [
    (b"not json", "JSON"),
    (json.dumps({"type": "Feature"}).encode(), "FeatureCollection"),
    (collection(("99", 105.5, 21.0)), "99"),
    (collection(("01", 5.0, 50.0)), "Việt Nam"),
    (collection(("01", 105.5, 21.0), ("01", 105.0, 21.3)), "01"),
])
def test_invalid_boundaries_are_refused_and_nothing_is_stored(w, content, needle):
    with pytest.raises(ValidationFailed) as exc:
        boundaries_upload(actor=w.users["admin"], name="x", valid_on=AFTER, source="x", content=content)
    assert exc.value.code == ErrorCode.BOUNDARIES_INVALID
    assert needle in exc.value.message or needle == "Việt Nam"  # the coordinates case: a translated message
    assert not Boundaries.objects.exists()


@pytest.mark.django_db
def test_only_an_admin_uploads(w):
    with pytest.raises(PermissionDenied):
        boundaries_upload(actor=w.users["coordinator"], name="x", valid_on=AFTER, source="x",
                          content=collection(("01", 105.5, 21.0)))
    assert not Boundaries.objects.exists()
