"""Bad input gives a clear error and stores nothing: empty title, unknown Ministry unit, a deadline in the past,
an attachment that is not what its extension says, a 5 MB text."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from lienket.core.errors import ApplicationError, ValidationFailed
from lienket.proposals import selectors, services
from lienket.proposals.models import Attachment, Proposal

from .factories import advance, draft
from .helpers import db_state

FIVE_MB = "Đề nghị " * (5 * 1024 * 1024 // 8)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("title", ["", "   ", "\u200b"])
def test_an_empty_title_is_refused(pw, title):
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        draft(pw, title=title)
    assert exc.value.code == "empty_title"
    assert "tiêu đề" in exc.value.message.lower()
    assert db_state() == before


def test_a_5_mb_text_is_refused(pw):
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        draft(pw, body=FIVE_MB)
    assert exc.value.code == "text_too_long"
    assert "20.000" in exc.value.message
    assert db_state() == before


def test_an_unknown_ministry_unit_is_refused(pw):
    with pytest.raises(ValidationFailed) as exc:
        selectors.ministry_unit_get("vu-khong-ton-tai")
    assert exc.value.code == "unknown_ministry_unit"
    assert "vu-khong-ton-tai" in exc.value.message


def test_a_deadline_in_the_past_is_refused(pw):
    p = advance(pw, draft(pw), "received")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.proposal_transition(proposal=p, actor=pw.coordinator, action="assign", lead_unit=pw.market,
                                     deadline=dt.date(2026, 4, 9), expected_version=p.version)
    assert exc.value.code == "deadline_in_past"
    assert "09/04/2026" in exc.value.message
    assert db_state() == before
    p = services.proposal_transition(proposal=p, actor=pw.coordinator, action="assign", lead_unit=pw.market,
                                     deadline=dt.date(2026, 4, 10), expected_version=p.version)  # today is fine
    assert p.deadline == dt.date(2026, 4, 10)


@pytest.mark.parametrize(("name", "content"), [
    ("cong-van.pdf", b"MZ\x90\x00 this is an executable"),
    ("bang.xlsx", b"%PDF-1.4 not a workbook"),
    ("anh.png", b"GIF89a"),
    ("to-trinh.docx", b"PK\x03\x04 broken zip"),
    ("script.exe", b"MZ"),
])
def test_an_attachment_that_is_not_what_its_extension_says_is_refused(pw, name, content):
    p = draft(pw)
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.attachment_add(proposal=p, actor=pw.officer, name=name, content=content)
    assert exc.value.code in {"attachment_mismatch", "attachment_type"}
    assert name in exc.value.message
    assert db_state() == before


def test_a_real_attachment_is_stored(pw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = draft(pw)
    a = services.attachment_add(proposal=p, actor=pw.officer, name="to-trinh.docx", content=_docx())
    assert a.size > 0
    assert Attachment.objects.filter(proposal=p).count() == 1


def test_bad_input_through_the_page_shows_the_error_and_stores_nothing(pw, client):
    client.force_login(pw.officer)
    before = Proposal.objects.count()
    r = client.post("/kien-nghi/moi/", {"submitter": f"unit:{pw.hanoi.pk}", "title": "", "body": "x", "field": "energy",
                                        "kind": "policy"})
    assert r.status_code == 422
    assert 'data-testid="create-error"' in r.content.decode()
    r = client.post("/kien-nghi/moi/", {"submitter": f"unit:{pw.hanoi.pk}", "title": "Điện", "body": FIVE_MB,
                                        "field": "energy", "kind": "policy"})
    assert r.status_code == 422
    assert Proposal.objects.count() == before


def test_bad_input_through_the_api(pw, client):
    client.force_login(pw.coordinator)
    p = advance(pw, draft(pw), "received")
    before = db_state()
    r = client.post(f"/api/v1/proposals/{p.pk}/assign", {"lead_unit": "khong-co", "version": p.version},
                    content_type="application/json")
    assert r.status_code == 422
    assert r.json()["code"] == "unknown_ministry_unit"
    r = client.post(f"/api/v1/proposals/{p.pk}/assign", {"lead_unit": "vu-thi-truong-trong-nuoc", "deadline": "2020-01-01",
                                                        "version": p.version}, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["code"] == "deadline_in_past"
    r = client.post("/api/v1/proposals", {"title": " ", "body": "x", "field": "energy", "kind": "policy", "unit": "01"},
                    content_type="application/json")
    assert r.status_code == 422
    assert r.json()["code"] == "empty_title"
    assert db_state() == before


def test_unknown_action_is_a_clear_error(pw):
    p = draft(pw)
    with pytest.raises(ApplicationError) as exc:
        services.proposal_transition(proposal=p, actor=pw.director, action="approve")
    assert exc.value.code == "proposal_unknown_action"
    assert exc.value.status == 422
