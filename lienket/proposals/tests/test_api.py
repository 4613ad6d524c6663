"""The whole lifecycle through /api/v1/proposals, with the same permission functions as the pages."""

from __future__ import annotations

from lienket.core.models import AuditEntry
from lienket.proposals.models import Proposal

from .factories import advance, draft
from .helpers import db_state


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_lifecycle_through_the_api(pw, client):
    client.force_login(pw.officer)
    r = _post(client, "/api/v1/proposals", {"title": "Hỗ trợ vốn chợ biên giới", "body": "Đề nghị hỗ trợ vốn.",
                                            "field": "border_trade", "kind": "funding", "unit": "01",
                                            "legal_references": "Nghị định 32/2024/NĐ-CP"})
    assert r.status_code == 201, r.content
    p = r.json()
    assert p["status"] == "draft"
    assert p["allowed_actions"] == []
    assert p["submitter_name"] == "Hà Nội"
    steps = [(pw.director, "submit", {}), (pw.coordinator, "receive", {}),
             (pw.coordinator, "assign", {"lead_unit": "vu-thi-truong-trong-nuoc", "co_units": ["cuc-cong-thuong-dia-phuong"],
                                          "deadline": "2026-05-10"}),
             (pw.market_staff, "answer", {"answer": "Bộ đã bố trí vốn."}), (pw.director, "accept", {})]
    for who, action, extra in steps:
        client.force_login(who)
        r = _post(client, f"/api/v1/proposals/{p['id']}/{action}", {"version": p["version"], **extra})
        assert r.status_code == 200, (action, r.content)
        p = r.json()
    assert p["status"] == "closed"
    assert p["answer"] == "Bộ đã bố trí vốn."
    assert p["answered_on_time"] is True
    assert p["co_units"] == ["cuc-cong-thuong-dia-phuong"]
    assert "internal" not in str(p).lower()
    assert AuditEntry.objects.filter(action__startswith="proposal.", object_id=str(p["id"])).count() == 6


def test_api_refusals_change_nothing(pw, client):
    p = advance(pw, draft(pw), "assigned")
    before = db_state()
    client.force_login(pw.director)
    r = _post(client, f"/api/v1/proposals/{p.pk}/answer", {"answer": "Tự trả lời", "version": p.version})
    assert r.status_code == 403
    client.force_login(pw.local_staff)
    r = _post(client, f"/api/v1/proposals/{p.pk}/answer", {"answer": "Không phải của tôi", "version": p.version})
    assert r.status_code == 403
    client.force_login(pw.market_staff)
    r = _post(client, f"/api/v1/proposals/{p.pk}/answer", {"answer": "Cũ", "version": p.version - 1})
    assert r.status_code == 409
    assert r.json()["code"] == "proposal_version_conflict"
    r = _post(client, f"/api/v1/proposals/{p.pk}/frobnicate", {})
    assert r.status_code == 422
    assert db_state() == before


def test_endorse_group_similar_and_statistics_through_the_api(pw, client):
    a = advance(pw, draft(pw, title="Điện mặt trời mái nhà"), "received")
    b = advance(pw, draft(pw, title="Cơ chế điện mặt trời mái nhà", unit=pw.phutho, actor=pw.other_officer), "received")
    client.force_login(pw.other_officer)
    r = _post(client, f"/api/v1/proposals/{a.pk}/endorsements", {"comment": "Ủng hộ"})
    assert r.status_code == 201
    assert r.json()["endorsement_count"] == 1
    r = client.get("/api/v1/proposals/similar", {"q": "dien mat troi mai nha"})
    assert [s["id"] for s in r.json()][:2]
    assert all(0 < s["score"] <= 1 for s in r.json())
    r = _post(client, "/api/v1/proposals/groups", {"proposals": [a.pk, b.pk]})
    assert r.status_code == 403
    client.force_login(pw.coordinator)
    r = _post(client, "/api/v1/proposals/groups", {"proposals": [a.pk, b.pk], "title": "Điện mặt trời"})
    assert r.status_code == 201
    assert r.json()["members"] == sorted([a.pk, b.pk])
    r = client.get("/api/v1/proposals/statistics", {"by": "year"})
    assert r.json()["rows"][0]["received"] == 2
    assert client.get("/api/v1/proposals/statistics", {"by": "nonsense"}).status_code == 422
    assert Proposal.objects.filter(group__isnull=False).count() == 2
