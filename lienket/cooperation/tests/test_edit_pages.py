"""Pages and API of editing / deleting activities, programme documents and dated status changes."""

import datetime as dt
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from ..models import Activity, Document
from .factories import activity, programme
from .test_services import state

PDF = b"%PDF-1.4\n% programme document\n"


def _prog(cw):
    return programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")],
                     objectives=[("Doanh số", "tỷ đồng", "10", "1")])


def _form(a, **over):
    return {"version": str(a.version), "kind": a.kind, "title": a.title, "start_on": a.start_on.isoformat(),
            "end_on": a.end_on.isoformat(), "place": a.place.key, "participants": [p.key for p in a.participants.all()],
            **over}


def test_edit_an_activity_through_its_page(cw, client):
    p = _prog(cw)
    oid = p.objectives.get().pk
    a = activity(cw.users["hanoi"], p, place="40", start=dt.date(2026, 5, 1), results={oid: "2.5"})
    client.force_login(cw.users["hanoi"])
    page = client.get(f"/hop-tac/{p.pk}/")
    assert f'/hop-tac/{p.pk}/hoat-dong/{a.pk}/sua/' in page.content.decode()
    form = client.get(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/sua/")
    assert form.status_code == 200
    assert 'value="2,5"' in form.content.decode()
    r = client.post(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/sua/", _form(a, title="Hội chợ OCOP", **{f"result-{oid}": "5"}))
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.title == "Hội chợ OCOP"
    assert a.version == 2
    assert "50,0 %" in client.get(f"/hop-tac/{p.pk}/").content.decode()


def test_the_edit_page_shows_clear_errors_and_a_stale_version_as_409(cw, client):
    p = _prog(cw)
    a = activity(cw.users["hanoi"], p, place="40", start=dt.date(2026, 5, 1))
    client.force_login(cw.users["hanoi"])
    before = state()
    r = client.post(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/sua/", _form(a, start_on="2027-02-01", end_on="2027-02-02"))
    assert r.status_code == 422
    assert 'data-testid="form-error"' in r.content.decode()
    r = client.post(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/sua/", _form(a, start_on="2026-05-03", end_on="2026-05-01"))
    assert r.status_code == 422
    assert state() == before
    client.post(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/sua/", _form(a, title="Một"))
    r = client.post(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/sua/", _form(a, title="Hai"))  # version 1 again
    assert r.status_code == 409
    a.refresh_from_db()
    assert a.title == "Một"


def test_delete_an_activity_after_a_confirmation_step(cw, client):
    p = _prog(cw)
    a = activity(cw.users["hanoi"], p, place="40", start=dt.date(2026, 5, 1))
    client.force_login(cw.users["hanoi"])
    confirm = client.get(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/xoa/")
    assert confirm.status_code == 200
    assert 'data-testid="confirm-delete"' in confirm.content.decode()
    assert Activity.objects.filter(pk=a.pk).exists()  # the GET changed nothing
    r = client.post(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/xoa/", {"version": "1"})
    assert r.status_code == 302
    assert not Activity.objects.filter(pk=a.pk).exists()


def test_pages_refuse_a_non_party_unit_and_an_activity_of_another_programme(cw, client):
    p = _prog(cw)
    other = programme(cw.users["coordinator"], parties=[("unit:40", "lead")], title="Khác")
    a = activity(cw.users["hanoi"], p, place="40", start=dt.date(2026, 5, 1))
    before = state()
    client.force_login(cw.users["phutho"])
    assert client.get(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/sua/").status_code == 403
    assert client.post(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/sua/", _form(a, title="X")).status_code == 403
    assert client.post(f"/hop-tac/{p.pk}/hoat-dong/{a.pk}/xoa/").status_code == 403
    assert client.post(f"/hop-tac/{p.pk}/tai-lieu/", {"doc_title": "X", "doc_url": "https://x.vn"}).status_code == 403
    client.force_login(cw.users["coordinator"])
    assert client.get(f"/hop-tac/{other.pk}/hoat-dong/{a.pk}/sua/").status_code == 404
    assert state() == before


def test_add_download_and_remove_a_document_on_the_programme_page(cw, client):
    p = _prog(cw)
    client.force_login(cw.users["hanoi"])
    assert 'enctype="multipart/form-data"' in client.get(f"/hop-tac/{p.pk}/").content.decode()
    r = client.post(f"/hop-tac/{p.pk}/tai-lieu/", {"doc_title": "Biên bản", "doc_issued_on": "2026-01-05",
                                                   "doc_file": SimpleUploadedFile("bien-ban.pdf", PDF)})
    assert r.status_code == 302
    doc = Document.objects.get()
    got = client.get(f"/hop-tac/{p.pk}/tai-lieu/{doc.pk}/")
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF
    client.logout()  # the programme is published: anyone reads its documents
    assert client.get(f"/hop-tac/{p.pk}/tai-lieu/{doc.pk}/").status_code == 200
    client.force_login(cw.users["hanoi"])
    assert client.post(f"/hop-tac/{p.pk}/tai-lieu/{doc.pk}/xoa/").status_code == 302
    assert not Document.objects.exists()


def test_a_document_whose_content_is_not_its_extension_is_refused_on_the_page(cw, client):
    p = _prog(cw)
    client.force_login(cw.users["hanoi"])
    r = client.post(f"/hop-tac/{p.pk}/tai-lieu/", {"doc_title": "Giả", "doc_file": SimpleUploadedFile("gia.pdf", b"MZ\x90")})
    assert r.status_code == 422
    html = r.content.decode()
    assert 'data-testid="document-error"' in html
    assert 'value="Giả"' in html
    assert not Document.objects.exists()


def test_the_status_form_explains_a_change_dated_before_the_previous_one(cw, client):
    p = _prog(cw)
    client.force_login(cw.users["hanoi"])
    r = client.post(f"/hop-tac/{p.pk}/trang-thai/", {"status": "active", "version": "1", "on": "2025-06-01"})
    assert r.status_code == 422
    assert 'data-testid="status-error"' in r.content.decode()
    assert "01/01/2026" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "planned"


def test_api_patch_and_delete_an_activity(cw, client):
    p = _prog(cw)
    oid = p.objectives.get().pk
    a = activity(cw.users["hanoi"], p, place="40", start=dt.date(2026, 5, 1))
    url = f"/api/v1/cooperation/activities/{a.pk}"
    body = {"version": 1, "kind": "fair", "title": "Hội chợ OCOP", "start_on": "2026-05-01", "end_on": "2026-05-02",
            "place": "40", "results": [{"objective_id": oid, "actual": "4"}]}
    client.force_login(cw.users["phutho"])
    assert client.patch(url, json.dumps(body), content_type="application/json").status_code == 403
    assert client.delete(url).status_code == 403
    client.force_login(cw.users["hanoi"])
    r = client.patch(url, json.dumps(body), content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["title"] == "Hội chợ OCOP"
    assert r.json()["results"][0]["actual"] in ("4", "4.000", 4)
    stale = client.patch(url, json.dumps(body), content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "activity_changed"
    bad = client.patch(url, json.dumps({**body, "version": 2, "end_on": "2026-04-30"}), content_type="application/json")
    assert bad.status_code in (400, 422)
    assert bad.json()["code"] == "end_before_start"
    assert client.delete(url + "?version=1").status_code == 409
    assert client.delete(url + "?version=2").status_code == 204
    assert client.delete(url).status_code == 404
