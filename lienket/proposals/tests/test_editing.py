"""Editing a draft: the submitting unit's people change it on the page (prefilled, the checks of writing it) and
through PATCH /api/v1/proposals/{id} (the version they saw; 409 when stale, checked in the UPDATE itself). Once
submitted it is no longer editable; other provinces and the Ministry are refused; every edit is audited."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.db.models import F

from lienket.conferences.models import Conference
from lienket.core.errors import Conflict, PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry
from lienket.proposals import permissions, services
from lienket.proposals.models import Proposal

from .factories import advance, draft
from .helpers import db_state


def _patch(client, pk, body):
    return client.patch(f"/api/v1/proposals/{pk}", body, content_type="application/json")


def _form(p, **extra):
    return {"title": p.title, "body": p.body, "field": p.field, "kind": p.kind, "legal_references": p.legal_references,
            "speaker": p.speaker, "speaker_role": p.speaker_role, "raised_on": p.raised_on.strftime("%d/%m/%Y"),
            "version": p.version, **extra}


def test_the_officer_edits_the_draft_on_a_prefilled_page(pw, client):
    p = draft(pw, legal_references="Nghị định 32/2024/NĐ-CP", speaker="Nguyễn Văn A")
    client.force_login(pw.officer)
    detail = client.get(f"/kien-nghi/{p.pk}/").content.decode()
    assert f'href="/kien-nghi/{p.pk}/sua/"' in detail
    page = client.get(f"/kien-nghi/{p.pk}/sua/").content.decode()
    assert 'data-testid="edit-form"' in page
    assert p.title in page
    assert "Nghị định 32/2024/NĐ-CP" in page
    assert "Nguyễn Văn A" in page
    assert 'name="submitter"' not in page  # whose proposal it is never changes
    conference = Conference.objects.order_by("year").first()
    new_title = unicodedata.normalize("NFD", "Hỗ trợ vốn nâng cấp chợ biên giới Lào Cai")
    r = client.post(f"/kien-nghi/{p.pk}/sua/", _form(p, title=new_title, body="Nội dung mới.", field="logistics",
                                                     kind="policy", conference=conference.pk if conference else "",
                                                     raised_on="02/04/2026"))
    assert r.status_code == 302, r.content.decode()[:3000]
    assert r["Location"] == f"/kien-nghi/{p.pk}/"
    p2 = Proposal.objects.get(pk=p.pk)
    assert p2.title == unicodedata.normalize("NFC", new_title)
    assert p2.title_folded == "ho tro von nang cap cho bien gioi lao cai"
    assert (p2.body, p2.field, p2.kind, p2.raised_on) == ("Nội dung mới.", "logistics", "policy", dt.date(2026, 4, 2))
    assert p2.conference == conference
    assert p2.version == p.version + 1
    entry = AuditEntry.objects.get(action="proposal.update", object_id=str(p.pk))
    assert entry.before["title"] == p.title
    assert entry.after["title"] == p2.title
    assert entry.before["version"] == p.version
    assert entry.after["version"] == p2.version
    assert "speaker" not in entry.after  # only what changed


def test_bad_input_on_the_edit_page_is_a_clear_422_and_changes_nothing(pw, client):
    p = draft(pw)
    client.force_login(pw.officer)
    before = db_state()
    r = client.post(f"/kien-nghi/{p.pk}/sua/", _form(p, title="  "))
    assert r.status_code == 422
    assert 'data-testid="create-error"' in r.content.decode()
    r = client.post(f"/kien-nghi/{p.pk}/sua/", _form(p, body="x" * 20_001))
    assert r.status_code == 422
    assert "20.000" in r.content.decode()
    r = client.post(f"/kien-nghi/{p.pk}/sua/", _form(p, field="khong-co"))
    assert r.status_code == 422
    assert db_state() == before


def test_a_stale_edit_page_is_a_409(pw, client):
    p = draft(pw)
    client.force_login(pw.officer)
    assert client.post(f"/kien-nghi/{p.pk}/sua/", _form(p, title="Lần một")).status_code == 302
    before = db_state()
    r = client.post(f"/kien-nghi/{p.pk}/sua/", _form(p, title="Lần hai"))  # the version the page showed before
    assert r.status_code == 409
    assert db_state() == before
    assert Proposal.objects.get(pk=p.pk).title == "Lần một"


def test_a_submitted_proposal_is_no_longer_editable(pw, client):
    p = advance(pw, draft(pw), "submitted")
    client.force_login(pw.officer)
    assert 'data-testid="edit-draft"' not in client.get(f"/kien-nghi/{p.pk}/").content.decode()
    r = client.get(f"/kien-nghi/{p.pk}/sua/")
    assert r.status_code == 409
    assert "Only a draft can be edited" in r.content.decode() or "Chỉ sửa được kiến nghị khi còn là bản nháp" in r.content.decode()
    before = db_state()
    assert client.post(f"/kien-nghi/{p.pk}/sua/", _form(p, title="Sửa sau khi gửi")).status_code == 409
    r = _patch(client, p.pk, {"version": p.version, "title": "Sửa sau khi gửi"})
    assert r.status_code == 409
    assert r.json()["code"] == "proposal_not_editable"
    assert db_state() == before


@pytest.mark.parametrize("who", ["other_officer", "other_director", "coordinator", "market_staff", "local_staff"])
def test_other_provinces_and_the_ministry_cannot_edit_a_province_draft(pw, client, who):
    p = draft(pw)
    client.force_login(getattr(pw, who))
    before = db_state()
    assert client.get(f"/kien-nghi/{p.pk}/sua/").status_code == 403
    assert client.post(f"/kien-nghi/{p.pk}/sua/", _form(p, title="Không được")).status_code == 403
    assert _patch(client, p.pk, {"version": p.version, "title": "Không được"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.proposal_update(proposal=p, actor=getattr(pw, who), expected_version=p.version, title="Không được")
    assert db_state() == before
    client.logout()
    assert _patch(client, p.pk, {"version": p.version, "title": "Không được"}).status_code == 401
    assert db_state() == before


def test_the_director_edits_through_the_api_only_what_is_sent(pw, client):
    p = draft(pw, speaker="Nguyễn Văn A", legal_references="Luật Thương mại")
    earlier = advance(pw, draft(pw, title="Lần trước"), "answered")
    client.force_login(pw.director)
    r = _patch(client, p.pk, {"version": p.version, "title": "Tiêu đề mới", "kind": "guidance", "previous": earlier.pk})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["title"], body["kind"], body["previous"], body["version"]) == ("Tiêu đề mới", "guidance", earlier.pk, p.version + 1)
    assert (body["speaker"], body["legal_references"], body["body"]) == ("Nguyễn Văn A", "Luật Thương mại", p.body)
    r = _patch(client, p.pk, {"version": body["version"], "previous": None, "speaker": ""})
    assert r.status_code == 200, r.content
    assert (r.json()["previous"], r.json()["speaker"], r.json()["title"]) == (None, "", "Tiêu đề mới")
    assert AuditEntry.objects.filter(action="proposal.update", object_id=str(p.pk)).count() == 2


def test_api_edit_refusals_and_bad_input(pw, client):
    p = draft(pw)
    client.force_login(pw.officer)
    before = db_state()
    cases = [({"version": p.version + 5, "title": "Cũ"}, 409, "proposal_version_conflict"),
             ({"version": p.version, "title": ""}, 422, "empty_title"),
             ({"version": p.version, "body": ""}, 422, "empty_text"),
             ({"version": p.version, "field": "nope"}, 422, "invalid_choice"),
             ({"version": p.version, "conference_year": 1991}, 422, "invalid_choice"),
             ({"version": p.version, "previous": p.pk}, 422, "unknown_proposal"),
             ({"version": p.version, "title": "x" * 301}, 422, "text_too_long")]
    for body, status, code in cases:
        r = _patch(client, p.pk, body)
        assert r.status_code == status, (body, r.content)
        assert r.json()["code"] == code, (body, r.content)
    assert _patch(client, p.pk, {"title": "Không có version"}).status_code == 422
    assert db_state() == before


def test_the_version_is_checked_in_the_update_itself(pw, monkeypatch):
    """Someone else's edit lands between our read and our UPDATE: ours is a 409 and writes nothing."""
    p = draft(pw)
    real = permissions.edit_refusal

    def racing(user, proposal):
        Proposal.objects.filter(pk=proposal.pk).update(title="Của người khác", version=F("version") + 1)
        return real(user, proposal)

    monkeypatch.setattr(permissions, "edit_refusal", racing)
    with pytest.raises(Conflict) as exc:
        services.proposal_update(proposal=p, actor=pw.officer, expected_version=p.version, title="Của tôi")
    assert exc.value.code == "proposal_version_conflict"
    assert Proposal.objects.get(pk=p.pk).title == p.title  # the service's transaction rolled back, the race with it
    assert not AuditEntry.objects.filter(action="proposal.update").exists()


def test_a_draft_submitted_meanwhile_is_refused_in_the_update(pw, monkeypatch):
    p = draft(pw)
    real = permissions.edit_refusal

    def racing(user, proposal):
        Proposal.objects.filter(pk=proposal.pk).update(status="submitted", submitted_at=proposal.created_at)
        return real(user, proposal)

    monkeypatch.setattr(permissions, "edit_refusal", racing)
    with pytest.raises(Conflict) as exc:
        services.proposal_update(proposal=p, actor=pw.officer, expected_version=p.version, title="Của tôi")
    assert exc.value.code == "proposal_not_editable"


def test_an_edited_draft_stays_out_of_the_search_index(pw):
    from lienket.search.models import SearchEntry

    p = draft(pw)
    services.proposal_update(proposal=p, actor=pw.officer, expected_version=p.version, title="Bí mật của bản nháp")
    assert not SearchEntry.objects.filter(kind="proposal", key=str(p.pk)).exists()
    p = advance(pw, Proposal.objects.get(pk=p.pk), "submitted")
    assert SearchEntry.objects.get(kind="proposal", key=str(p.pk)).title == "Bí mật của bản nháp"


def test_the_coordinator_edits_the_draft_of_an_organisation(pw):
    from lienket.users.models import Organisation

    org = Organisation.objects.create(slug="hiep-hoi-ban-le", name="Hiệp hội các nhà bán lẻ Việt Nam")
    p = services.proposal_create(actor=pw.coordinator, title="Mặt bằng bán lẻ", body="Đề nghị.", field="domestic_trade",
                                 kind="policy", organisation=org)
    p = services.proposal_update(proposal=p, actor=pw.coordinator, expected_version=p.version, body="Đề nghị đã sửa.")
    assert p.body == "Đề nghị đã sửa."
    with pytest.raises(PermissionDenied):
        services.proposal_update(proposal=p, actor=pw.officer, expected_version=p.version, body="Không được")
    with pytest.raises(ValidationFailed):
        services.proposal_update(proposal=p, actor=pw.coordinator, expected_version=p.version, kind="khac")
