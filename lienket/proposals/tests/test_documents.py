"""A proposal names the library documents it is about: Hải Phòng's request for the circular guiding Decree
32/2024/NĐ-CP shows that decree with a link to /thu-vien/<id>/ (issue #21)."""

from __future__ import annotations

import json

from lienket.library.models import Document
from lienket.proposals.models import Proposal
from lienket.proposals.selectors import proposal_documents
from lienket.users.models import Role
from lienket.users.tests.factories import make_user


def test_haiphongs_request_for_the_guiding_circular_shows_the_decree(reference_data, client):
    decree = Document.objects.get(number="32/2024/NĐ-CP")
    p = Proposal.objects.get(ref="x2024-haiphong-thong-tu-ccn")
    coordinator = make_user("coord.docs", Role.MINISTRY_COORDINATOR)
    assert proposal_documents(proposal=p, user=coordinator) == [decree]
    client.force_login(coordinator)
    page = client.get(f"/kien-nghi/{p.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="linked-documents"' in html
    assert f'href="/thu-vien/{decree.pk}/"' in html
    data = client.get(f"/api/v1/proposals/{p.pk}").json()
    assert data["documents"] == [{"id": decree.pk, "number": "32/2024/NĐ-CP", "title": decree.title,
                                  "url": f"/thu-vien/{decree.pk}/"}]


def test_a_document_the_reader_may_not_see_or_an_unknown_number_links_nothing(pw, client):
    hidden = Document.objects.create(doc_type="decree", number="77/2025/NĐ-CP", number_key="77/2025/nd-cp",
                                     number_seq="77", number_year=2025, title="Nội bộ", visibility="ministry")
    client.force_login(pw.officer)
    r = client.post("/api/v1/proposals", json.dumps({
        "title": "Hướng dẫn Nghị định 77/2025/NĐ-CP", "body": "Ngày 15/3/2024, tỷ lệ 1/2; Nghị định 1/2099/NĐ-CP.",
        "field": "border_trade", "kind": "guidance", "unit": "01", "legal_references": "Nghị định 9/2099",
    }), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["documents"] == []  # the province officer may not see the Ministry-only decree
    page = client.get(f"/kien-nghi/{r.json()['id']}/")
    assert page.status_code == 200
    assert 'data-testid="linked-documents"' not in page.content.decode()
    p = Proposal.objects.get(pk=r.json()["id"])
    assert proposal_documents(proposal=p, user=pw.coordinator) == [hidden]
