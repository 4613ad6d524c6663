"""/api/v1/cooperation/: the same rules as the pages."""

import datetime as dt
import json
from decimal import Decimal

from ..models import Activity, Programme
from ..selectors import search_documents
from .factories import activity, programme

BODY = {
    "title": "Đưa sản phẩm Nghệ An vào Hà Nội", "kind": "bilateral", "field": "distribution",
    "start_on": "2026-01-01", "end_on": "2026-12-31", "is_published": True,
    "parties": [{"ref": "unit:01", "role": "lead"}, {"ref": "unit:40", "role": "member"}],
    "objectives": [{"title": "Sản phẩm lên kệ", "unit_of_measure": "sản phẩm", "target_value": "200", "weight": "1"}],
}


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_create_then_add_an_activity_then_read(cw, client):
    client.force_login(cw.users["hanoi"])
    r = post(client, "/api/v1/cooperation/programmes", BODY)
    assert r.status_code == 201, r.content
    p = r.json()
    assert [x["name"] for x in p["parties"]] == ["Hà Nội", "Nghệ An"]
    assert p["version"] == 1
    r = post(client, "/api/v1/cooperation/activities", {
        "programme_id": p["id"], "kind": "trade_week", "title": "Tuần hàng", "start_on": "2026-05-04",
        "end_on": "2026-05-10", "place": "01", "participants": [x["key"] for x in p["parties"]],
        "results": [{"objective_id": p["objectives"][0]["id"], "actual": "50"}]})
    assert r.status_code == 201, r.content
    detail = client.get(f"/api/v1/cooperation/programmes/{p['id']}").json()
    assert Decimal(detail["progress"]) == Decimal("0.25")
    assert Decimal(detail["objectives"][0]["actual"]) == 50
    assert client.get("/api/v1/cooperation/activities", {"from": "2026-05-01", "to": "2026-05-31"}).json()["count"] == 1
    listing = client.get("/api/v1/cooperation/programmes", {"unit": "40"}).json()
    assert listing["count"] == 1
    assert Decimal(listing["programmes"][0]["progress"]) == Decimal("0.25")


def test_patch_with_a_stale_version_is_409(cw, client):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")])
    client.force_login(cw.users["hanoi"])
    url = f"/api/v1/cooperation/programmes/{p.pk}"
    ok = client.patch(url, json.dumps({"version": 1, "title": "Mới"}), content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = client.patch(url, json.dumps({"version": 1, "title": "Cũ"}), content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "programme_changed"
    assert Programme.objects.get(pk=p.pk).title == "Mới"


def test_refusals_and_bad_input(cw, client):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")], published=False)
    client.force_login(cw.users["phutho"])
    assert client.get(f"/api/v1/cooperation/programmes/{p.pk}").status_code == 404
    r = post(client, "/api/v1/cooperation/programmes", BODY)
    assert r.status_code == 403
    assert Programme.objects.count() == 1
    client.force_login(cw.users["hanoi"])
    r = post(client, "/api/v1/cooperation/programmes", {**BODY, "end_on": "2025-01-01"})
    assert r.status_code == 422
    assert r.json()["code"] == "end_before_start"
    r = post(client, "/api/v1/cooperation/programmes", {**BODY, "parties": [{"ref": "unit:01"}, {"ref": "unit:01"}]})
    assert r.status_code == 422
    assert r.json()["code"] == "duplicate_party"
    r = post(client, "/api/v1/cooperation/activities", {"programme_id": p.pk, "kind": "fair", "title": "x",
                                                        "start_on": "2026-05-01", "end_on": "2026-05-01",
                                                        "place": "99"})
    assert r.status_code == 422
    assert r.json()["code"] == "unknown_unit"
    assert Activity.objects.count() == 0
    assert client.get("/api/v1/cooperation/programmes", {"unit": "99"}).status_code == 404


def test_anonymous_reads_published_only_and_may_not_write(cw, client):
    programme(cw.users["hanoi"], parties=[("unit:01", "lead")], published=False)
    programme(cw.users["hanoi"], parties=[("unit:01", "lead")], title="Công khai")
    assert [p["title"] for p in client.get("/api/v1/cooperation/programmes").json()["programmes"]] == ["Công khai"]
    assert post(client, "/api/v1/cooperation/programmes", BODY).status_code == 401


def test_the_network_endpoint(cw, client):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")], end=None)
    activity(cw.users["hanoi"], p, place="40", start=dt.date(2026, 3, 1))
    r = client.get("/api/v1/cooperation/network", {"from": "2026-01-01", "to": "2026-04-10", "field": "trade_promotion"})
    assert r.status_code == 200
    data = r.json()
    assert data["from"] == "2026-01-01"
    assert data["to"] == "2026-04-10"
    assert len(data["edges"]) == 1
    assert {"degree", "weighted_degree", "betweenness", "eigenvector", "community"} <= set(data["nodes"][0])
    assert data["hubs"]["proposed"]
    assert data["data_version"] >= 2
    assert client.get("/api/v1/cooperation/network", {"from": "2026-05-01", "to": "2026-04-10"}).status_code == 422
    assert client.get("/api/v1/cooperation/network", {"from": "tomorrow"}).status_code == 400


def test_search_documents(cw):
    p = programme(cw.users["hanoi"], parties=[("unit:40", "member"), ("unit:01", "lead")], published=False)
    (doc,) = list(search_documents())
    assert (doc.kind, doc.key, doc.title, doc.unit_id, doc.visibility, doc.url) == (
        "programme", str(p.pk), p.title, cw.hanoi.pk, "unit", f"/hop-tac/{p.pk}/")
    assert "Nghệ An" in doc.body
