"""Internal notes are seen by Ministry staff only: never by provinces, the public page, the API or an export.
Drafts stay with their unit; published answers are public."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from lienket.core.errors import PermissionDenied
from lienket.proposals import services

from .factories import advance, draft
from .helpers import db_state

SECRET = "Ghi chú nội bộ: chờ ý kiến Vụ Pháp chế"


@pytest.fixture
def noted(pw):
    p = advance(pw, draft(pw), "closed")
    services.note_add(proposal=p, actor=pw.coordinator, text=SECRET)
    return p


def _xlsx_text(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return json.dumps([list(row) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)], default=str,
                      ensure_ascii=False)


def test_ministry_staff_see_internal_notes_on_the_page(pw, noted, client):
    for who in (pw.coordinator, pw.market_staff, pw.local_staff):
        client.force_login(who)
        assert SECRET in client.get(f"/kien-nghi/{noted.pk}/").content.decode()


def test_nobody_outside_the_ministry_sees_internal_notes_via_page_api_or_export(pw, noted, client):
    urls = [f"/kien-nghi/{noted.pk}/", "/kien-nghi/", "/kien-nghi/xu-ly/", f"/api/v1/proposals/{noted.pk}", "/api/v1/proposals"]
    client.logout()
    for url in urls[:2] + urls[3:]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert SECRET not in r.content.decode(), url
    for who in (pw.officer, pw.director, pw.other_officer):
        client.force_login(who)
        for url in urls:
            r = client.get(url)
            assert r.status_code == 200, (who, url)
            assert SECRET not in r.content.decode(), (who, url)
    for who in (pw.director, pw.coordinator, pw.market_staff):  # not even staff get notes in exports or the API
        client.force_login(who)
        for url in ("/kien-nghi/danh-sach.xlsx", "/kien-nghi/thong-ke.xlsx"):
            r = client.get(url)
            assert r.status_code == 200, (who, url)
            assert SECRET not in _xlsx_text(r.content), (who, url)
        assert SECRET not in client.get(f"/api/v1/proposals/{noted.pk}").content.decode()
    from lienket.proposals.selectors import search_documents

    assert all(SECRET not in doc.body for doc in search_documents())
    from lienket.search.models import SearchEntry

    assert not any(SECRET in e.body for e in SearchEntry.objects.filter(kind="proposal"))


def test_a_province_cannot_write_an_internal_note(pw, noted):
    before = db_state()
    with pytest.raises(PermissionDenied):
        services.note_add(proposal=noted, actor=pw.director, text="Không được")
    assert db_state() == before


def test_drafts_stay_with_their_unit_and_answers_are_public(pw, client):
    d = draft(pw, title="Bản nháp của Hà Nội")
    answered = advance(pw, draft(pw, title="Đã trả lời"), "answered")
    client.force_login(pw.other_officer)
    assert client.get(f"/kien-nghi/{d.pk}/").status_code == 403
    assert client.get(f"/api/v1/proposals/{d.pk}").status_code == 403
    client.logout()
    assert client.get(f"/kien-nghi/{d.pk}/").status_code == 404
    public = client.get("/kien-nghi/").content.decode()
    assert "Đã trả lời" in public
    assert "Bản nháp của Hà Nội" not in public
    assert client.get(f"/kien-nghi/{answered.pk}/").status_code == 200
    body = client.get("/api/v1/proposals").json()
    assert [p["id"] for p in body["proposals"]] == [answered.pk]


def test_search_documents_yields_each_submitted_proposal(pw):
    from lienket.proposals.selectors import search_documents

    draft(pw, title="Nháp")
    p = advance(pw, draft(pw, title="Đã nhận"), "received")
    docs = list(search_documents())
    assert [(d.key, d.title, d.body, d.unit_id, d.visibility, d.url) for d in docs] == [
        (str(p.pk), "Đã nhận", p.body, pw.hanoi.pk, "signed_in", f"/kien-nghi/{p.pk}/")]


def test_the_search_index_follows_the_proposal_from_received_to_published(pw):
    from lienket.search.models import SearchEntry

    p = advance(pw, draft(pw, title="Cơ chế liên kết vùng"), "received")
    assert SearchEntry.objects.get(kind="proposal", key=str(p.pk)).visibility == "signed_in"
    answered = advance(pw, draft(pw, title="Điện mặt trời mái nhà"), "answered")
    entry = SearchEntry.objects.get(kind="proposal", key=str(answered.pk))
    assert entry.visibility == "public"
    assert answered.answer in entry.body


def test_a_declined_proposal_is_published_with_its_reason(pw, client):
    from lienket.proposals import services as s

    p = advance(pw, draft(pw, title="Không thuộc thẩm quyền"), "received")
    s.proposal_transition(proposal=p, actor=pw.coordinator, action="decline", reason="Thuộc thẩm quyền của UBND tỉnh.",
                          expected_version=p.version)
    client.logout()
    html = client.get("/kien-nghi/").content.decode()
    assert "Thuộc thẩm quyền của UBND tỉnh." in html
    assert client.get(f"/kien-nghi/{p.pk}/").status_code == 200
