"""Opinions of the co-operating units (ý kiến phối hợp): staff of a unit assigned alongside the lead give their
opinion (text, optional file checked like attachments) while the proposal is assigned; the lead unit reads them on
the page while drafting the answer. Internal to the Ministry, like internal notes: never on the public page, to the
submitter, through the API, in an export or in the search index."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from lienket.core.errors import Conflict, PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry
from lienket.proposals import services
from lienket.proposals.models import Contribution

from .factories import advance, draft
from .helpers import db_state

OPINION = "Ý kiến phối hợp: Cục thống nhất, đề nghị bổ sung số liệu chợ biên giới"
PDF = b"%PDF-1.4\n% y kien\n"


@pytest.fixture
def assigned(pw):
    return advance(pw, draft(pw), "assigned", lead=pw.market, co_units=(pw.local,))


def test_a_co_operating_unit_gives_its_opinion_and_the_lead_unit_reads_it(pw, assigned, client):
    client.force_login(pw.local_staff)
    page = client.get(f"/kien-nghi/{assigned.pk}/").content.decode()
    assert 'data-testid="contribute-form"' in page
    r = client.post(f"/kien-nghi/{assigned.pk}/y-kien-phoi-hop/", {"text": OPINION, "file": _upload("so-lieu.pdf", PDF)})
    assert r.status_code == 302, r.content.decode()[:2000]
    c = Contribution.objects.get()
    assert (c.unit, c.author, c.text, c.file_name, c.content_type, c.size) == (
        pw.local, pw.local_staff, OPINION, "so-lieu.pdf", "application/pdf", len(PDF))
    entry = AuditEntry.objects.get(action="proposal.contribute", object_id=str(assigned.pk))
    assert entry.after["contribution"] == c.pk
    assert OPINION not in json.dumps(entry.after, ensure_ascii=False)  # the audit trail names it, never its text
    client.force_login(pw.market_staff)  # the lead unit, drafting the answer
    page = client.get(f"/kien-nghi/{assigned.pk}/").content.decode()
    assert OPINION in page
    assert page.index(OPINION) < page.index('data-testid="form-answer"')
    assert 'data-testid="contribute-form"' not in page  # the lead answers; it does not give itself an opinion
    r = client.get(f"/kien-nghi/y-kien-phoi-hop/{c.pk}/tep/")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF


@pytest.mark.parametrize("who", ["officer", "director", "other_officer", "coordinator", "market_staff"])
def test_only_the_co_operating_units_staff_may_give_an_opinion(pw, assigned, client, who):
    client.force_login(getattr(pw, who))
    before = db_state()
    r = client.post(f"/kien-nghi/{assigned.pk}/y-kien-phoi-hop/", {"text": "Không được"})
    assert r.status_code == 403
    with pytest.raises(PermissionDenied):
        services.contribution_add(proposal=assigned, actor=getattr(pw, who), text="Không được")
    assert db_state() == before


def test_an_opinion_only_while_assigned_and_bad_input_is_refused(pw, assigned, client):
    client.force_login(pw.local_staff)
    before = db_state()
    r = client.post(f"/kien-nghi/{assigned.pk}/y-kien-phoi-hop/", {"text": "  "})
    assert r.status_code == 422
    r = client.post(f"/kien-nghi/{assigned.pk}/y-kien-phoi-hop/", {"text": "Có tệp", "file": _upload("a.exe", b"MZ")})
    assert r.status_code == 422
    assert "a.exe" in r.content.decode()
    with pytest.raises(ValidationFailed) as exc:
        services.contribution_add(proposal=assigned, actor=pw.local_staff, text="Giả PDF", file=("gia.pdf", b"not a pdf"))
    assert exc.value.code == "attachment_mismatch"
    assert db_state() == before
    answered = _answer(pw, assigned)
    before = db_state()
    with pytest.raises(Conflict) as conflict:
        services.contribution_add(proposal=answered, actor=pw.local_staff, text="Muộn")
    assert conflict.value.code == "contribution_closed"
    assert client.post(f"/kien-nghi/{assigned.pk}/y-kien-phoi-hop/", {"text": "Muộn"}).status_code == 409
    assert db_state() == before


def test_opinions_never_leave_the_ministry(pw, assigned, client):
    c = services.contribution_add(proposal=assigned, actor=pw.local_staff, text=OPINION, file=("so-lieu.pdf", PDF))
    p = _answer(pw, assigned)
    urls = [f"/kien-nghi/{p.pk}/", "/kien-nghi/", "/kien-nghi/xu-ly/", f"/api/v1/proposals/{p.pk}", "/api/v1/proposals",
            "/api/v1/search?q=so+lieu+cho", "/tim-kiem/?q=so+lieu+cho"]
    client.logout()
    for url in urls:
        r = client.get(url)
        assert OPINION not in r.content.decode(), url
    assert client.get(f"/kien-nghi/y-kien-phoi-hop/{c.pk}/tep/").status_code == 404
    for who in (pw.officer, pw.director, pw.other_officer):  # the submitter included: the official answer is theirs
        client.force_login(who)
        for url in urls:
            assert OPINION not in client.get(url).content.decode(), (who, url)
        assert client.get(f"/kien-nghi/y-kien-phoi-hop/{c.pk}/tep/").status_code == 404
    for who in (pw.director, pw.coordinator, pw.market_staff, pw.local_staff):  # not even staff get them in exports/API
        client.force_login(who)
        for url in ("/kien-nghi/danh-sach.xlsx", "/kien-nghi/thong-ke.xlsx"):
            assert OPINION not in _xlsx_text(client.get(url).content), (who, url)
        assert OPINION not in client.get(f"/api/v1/proposals/{p.pk}").content.decode()
    from lienket.proposals.selectors import search_documents
    from lienket.search.models import SearchEntry

    assert all(OPINION not in doc.body for doc in search_documents())
    assert not any(OPINION in e.body for e in SearchEntry.objects.all())


def _answer(pw, p):
    return services.proposal_transition(proposal=p, actor=pw.market_staff, action="answer", expected_version=p.version,
                                        answer="Bộ đã bố trí vốn.")


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _xlsx_text(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return json.dumps([list(row) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)], default=str,
                      ensure_ascii=False)
