"""The library: document numbers, relations both ways, writes (permission, validation, audit, search index),
pages and API, and the reference documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lienket.core.errors import Conflict, PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry
from lienket.library import selectors, services
from lienket.library.loader import load_documents
from lienket.library.models import Document, DocumentRelation
from lienket.library.values import number_parse
from lienket.reporting.tests.factories import unit
from lienket.search import engine
from lienket.search.models import SearchEntry
from lienket.search.values import PUBLIC
from lienket.users.models import MinistryUnit, Role
from lienket.users.tests.factories import make_user

pytestmark = pytest.mark.django_db


# --- numbers --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "parts"), [
    ("32/2024/NĐ-CP", ("32", 2024, "NĐ", "CP")),
    ("14/2024/TT-BCT", ("14", 2024, "TT", "BCT")),
    ("19/2025/QĐ-TTg", ("19", 2025, "QĐ", "TTg")),
    ("202/2025/QH15", ("202", 2025, "", "QH15")),
    ("60-NQ/TW", ("60", None, "NQ", "TW")),
    ("55/VBHN-BCT", ("55", None, "VBHN", "BCT")),
    ("1234/BCT-CCT", ("1234", None, "", "BCT-CCT")),
    (" số 32 / 2024 / NÐ – CP ", ("32", 2024, "NĐ", "CP")),  # spaces, eth look-alike, en dash, "số"
])
def test_number_parse(written: str, parts: tuple[object, ...]) -> None:
    n = number_parse(written)
    assert (n.seq, n.year, n.type_abbr, n.issuer_abbr) == parts


@pytest.mark.parametrize("bad", ["", "abc", "32/24/NĐ-CP", "32/1800/NĐ-CP", "/2024/NĐ-CP", "32/2024/", "x" * 200, "32/2024/NĐ-CP; DROP"])
def test_bad_numbers_are_refused(bad: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        number_parse(bad)
    assert exc.value.code == "document_number_invalid"


# --- reference documents and relations --------------------------------------------------------------------------------

def test_reference_documents_load_with_relations_both_ways(reference_data: None) -> None:
    decree = selectors.document_find(number="32/2024/NĐ-CP")
    circular = selectors.document_find(number="14/2024/tt-bct")
    amending = selectors.document_find(number="38/2025/TT-BCT")
    assert decree
    assert circular
    assert amending
    assert decree.issue_date == dt.date(2024, 3, 15)
    assert decree.issuer == "Chính phủ"
    assert decree.source
    assert (circular.issue_date, circular.effective_date) == (dt.date(2024, 8, 15), dt.date(2024, 10, 1))
    assert selectors.document_find(number="32/2024/ND-CP") == decree  # D for Đ, any case
    assert selectors.document_find(number="99/2024/NĐ-CP") is None
    on_decree = selectors.document_relations(document=decree, user=None)
    assert [(r["kind"], r["direction"], r["document"]) for r in on_decree] == [("guides", "in", circular)]
    on_circular = {(r["kind"], r["direction"], r["document"]) for r in selectors.document_relations(document=circular, user=None)}
    assert on_circular == {("guides", "out", decree), ("amends", "in", amending)}
    assert Document.objects.filter(conference__year=2024).count() == 2


def test_loading_twice_changes_nothing(reference_data: None) -> None:
    counts = load_documents()
    assert counts["library_documents"]["created"] == counts["library_documents"]["updated"] == 0
    assert counts["library_relations"]["created"] == 0


def test_reference_documents_are_searchable_without_diacritics(reference_data: None) -> None:
    hits = engine.search(query="nghi dinh 32", scope=PUBLIC).hits
    assert hits[0].title.startswith("Nghị định 32/2024/NĐ-CP")
    assert hits[0].url == reverse("library:document_detail", kwargs={"pk": selectors.document_find(number="32/2024/NĐ-CP").pk})


# --- writes ---------------------------------------------------------------------------------------------------------

DECREE = {"doc_type": "decree", "number": "32/2024/NĐ-CP", "title": "Về quản lý, phát triển cụm công nghiệp",
          "issuer": "Chính phủ", "issue_date": dt.date(2024, 3, 15), "status": "in_force"}


@pytest.fixture
def coordinator():  # type: ignore[no-untyped-def]
    return make_user("coord", Role.MINISTRY_COORDINATOR)


def test_coordinator_creates_a_document_audited_and_indexed(coordinator) -> None:  # type: ignore[no-untyped-def]
    doc = services.document_create(actor=coordinator, data=DECREE)
    assert (doc.number_seq, doc.number_year, doc.type_abbr, doc.issuer_abbr) == ("32", 2024, "NĐ", "CP")
    assert AuditEntry.objects.filter(action="document.create", object_id=str(doc.pk)).exists()
    assert [h.key for h in engine.search(query="nghi dinh 32", scope=PUBLIC).hits] == [str(doc.pk)]


def test_a_province_officer_cannot_create_and_nothing_changes() -> None:
    officer = make_user("officer", Role.PROVINCE_OFFICER, unit=unit("01", "Hà Nội"))
    with pytest.raises(PermissionDenied):
        services.document_create(actor=officer, data=DECREE)
    assert not Document.objects.exists()
    assert not SearchEntry.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("change", "code"), [
    ({"number": "32/2024/TT-BCT"}, "document_number_type_mismatch"),
    ({"number": "nonsense"}, "document_number_invalid"),
    ({"number": ""}, "document_number_invalid"),
    ({"effective_date": dt.date(2024, 1, 1)}, "document_dates_invalid"),
    ({"title": "  "}, "invalid"),
    ({"visibility": "unit"}, "document_unit_required"),
])
def test_bad_input_is_refused_and_nothing_is_written(coordinator, change: dict, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as exc:
        services.document_create(actor=coordinator, data={**DECREE, **change})
    assert exc.value.code == code
    assert not Document.objects.exists()
    assert not SearchEntry.objects.exists()


def test_a_number_is_taken_once_whatever_its_spelling(coordinator) -> None:  # type: ignore[no-untyped-def]
    services.document_create(actor=coordinator, data=DECREE)
    with pytest.raises(Conflict):
        services.document_create(actor=coordinator, data={**DECREE, "number": "32/2024/nđ-CP"})
    assert Document.objects.count() == 1


def test_update_checks_the_version_and_reindexes(coordinator) -> None:  # type: ignore[no-untyped-def]
    doc = services.document_create(actor=coordinator, data=DECREE)
    services.document_update(actor=coordinator, document=doc, version=1, data={"title": "Quản lý cụm công nghiệp (sửa)"})
    with pytest.raises(Conflict):
        services.document_update(actor=coordinator, document=doc, version=1, data={"title": "Lạc hậu"})
    doc.refresh_from_db()
    assert doc.version == 2
    assert doc.title == "Quản lý cụm công nghiệp (sửa)"
    assert [h.key for h in engine.search(query="cum cong nghiep sua", scope=PUBLIC).hits] == [str(doc.pk)]


def test_relations_are_validated(coordinator) -> None:  # type: ignore[no-untyped-def]
    decree = services.document_create(actor=coordinator, data=DECREE)
    circular = services.document_create(actor=coordinator, data={**DECREE, "doc_type": "circular", "number": "14/2024/TT-BCT"})
    services.relation_add(actor=coordinator, source=circular, target=decree, kind="guides")
    with pytest.raises(ValidationFailed) as self_relation:
        services.relation_add(actor=coordinator, source=decree, target=decree, kind="amends")
    assert self_relation.value.code == "document_relation_self"
    with pytest.raises(Conflict) as reverse_relation:
        services.relation_add(actor=coordinator, source=decree, target=circular, kind="guides")
    assert reverse_relation.value.code == "document_relation_exists"
    with pytest.raises(Conflict) as twice:
        services.relation_add(actor=coordinator, source=circular, target=decree, kind="guides")
    assert twice.value.code == "document_relation_exists"
    with pytest.raises(ValidationFailed) as unknown:
        services.relation_add(actor=coordinator, source=circular, target=decree, kind="likes")
    assert unknown.value.code == "document_relation_invalid"
    assert DocumentRelation.objects.count() == 1


@pytest.mark.parametrize(("name", "content"), [
    ("nghi-dinh.pdf", b"MZ\x90\x00 not a pdf"),
    ("nghi-dinh.exe", b"%PDF-1.7"),
    ("nghi-dinh.docx", b"%PDF-1.7"),
])
def test_a_file_must_be_what_its_name_says(coordinator, name: str, content: bytes) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as exc:
        services.document_create(actor=coordinator, data={**DECREE, "file": SimpleUploadedFile(name, content)})
    assert exc.value.code == "document_file_invalid"
    assert not Document.objects.exists()


def test_a_too_large_file_is_refused(coordinator, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LIENKET_LIBRARY_MAX_FILE_BYTES = 10
    with pytest.raises(ValidationFailed) as exc:
        services.document_create(actor=coordinator, data={**DECREE, "file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 " * 5)})
    assert exc.value.code == "document_file_too_large"


def test_a_pdf_is_stored(coordinator, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    doc = services.document_create(actor=coordinator, data={**DECREE, "file": SimpleUploadedFile("nd32.pdf", b"%PDF-1.7\n")})
    assert doc.file.name.endswith(".pdf")
    assert doc.file.size == 9


# --- visibility, pages and API --------------------------------------------------------------------------------------

def test_hidden_documents_are_not_shown_to_who_may_not_see_them(coordinator, client) -> None:  # type: ignore[no-untyped-def]
    secret = services.document_create(actor=coordinator, data={**DECREE, "visibility": "ministry"})
    assert client.get(reverse("library:document_detail", kwargs={"pk": secret.pk})).status_code == 404
    assert client.get(f"/api/v1/library/documents/{secret.pk}").status_code == 404
    assert client.get("/api/v1/library/documents").json()["count"] == 0
    assert engine.search(query="nghi dinh 32", scope=PUBLIC).hits == []
    client.force_login(make_user("vu", Role.MINISTRY_UNIT, ministry_unit=MinistryUnit.objects.create(slug="vu", name="Vụ")))
    assert client.get(reverse("library:document_detail", kwargs={"pk": secret.pk})).status_code == 200
    assert client.get("/api/v1/search?q=nghi+dinh+32").json()["count"] == 1


def test_pages_and_api(reference_data: None, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("library:document_list"), {"type": "circular"})
    assert page.status_code == 200
    assert "14/2024/TT-BCT" in page.content.decode()
    assert ">32/2024/NĐ-CP</a>" not in page.content.decode()
    assert client.get(reverse("library:document_list"), {"year": "abc", "type": "zzz", "status": "?"}).status_code == 200
    decree = selectors.document_find(number="32/2024/NĐ-CP")
    detail = client.get(reverse("library:document_detail", kwargs={"pk": decree.pk})).content.decode()
    assert "14/2024/TT-BCT" in detail
    body = client.get(f"/api/v1/library/documents/{decree.pk}").json()
    assert body["number_parts"] == {"number": "32", "year": 2024, "type": "NĐ", "issuer": "CP"}
    assert [(r["relation"], r["direction"], r["document"]["number"]) for r in body["relations"]] == [("guides", "in", "14/2024/TT-BCT")]
    listing = client.get("/api/v1/library/documents", {"number": "32/2024/nd-cp"}).json()
    assert [d["number"] for d in listing["documents"]] == ["32/2024/NĐ-CP"]
    assert client.get("/api/v1/library/documents/999999").status_code == 404
    assert client.get("/api/v1/library/documents", {"year": "x"}).status_code == 400


def test_search_page_and_api(reference_data: None, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("search:search"), {"q": "phu tho"})
    assert page.status_code == 200
    assert "<mark>Phú</mark> <mark>Thọ</mark>" in page.content.decode()
    partial = client.get(reverse("search:search"), {"q": "nghi dinh 32"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert "NĐ-CP" in partial.content.decode()
    assert client.get(reverse("search:search"), {"q": "x" * 300}).status_code == 400
    api = client.get("/api/v1/search", {"q": "phu tho", "type": "unit"}).json()
    assert api["results"][0]["title"] == "Phú Thọ"
    assert all(r["type"] == "unit" for r in api["results"])
    assert client.get("/api/v1/search", {"q": "x" * 300}).status_code == 400
    assert client.get("/").status_code == 200
    assert 'data-testid="header-search"' in client.get("/").content.decode()


def test_editor_pages_create_and_edit_through_the_services(coordinator, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(coordinator)
    assert client.get(reverse("library:document_create")).status_code == 200
    bad = client.post(reverse("library:document_create"), {**{k: str(v) for k, v in DECREE.items()}, "number": "32/2024/TT-BCT",
                                                            "visibility": "public"})
    assert bad.status_code == 400
    assert "không khớp" in bad.content.decode() or "does not match" in bad.content.decode()
    assert not Document.objects.exists()
    created = client.post(reverse("library:document_create"), {**{k: str(v) for k, v in DECREE.items()}, "visibility": "public"})
    doc = Document.objects.get()
    assert created.status_code == 302
    assert created["Location"] == reverse("library:document_detail", kwargs={"pk": doc.pk})
    edit = reverse("library:document_edit", kwargs={"pk": doc.pk})
    assert client.get(edit).status_code == 200
    data = {**{k: str(v) for k, v in DECREE.items()}, "visibility": "public", "title": "Sửa lại", "version": "1"}
    assert client.post(edit, data).status_code == 302
    stale = client.post(edit, {**data, "title": "Cũ"})
    assert stale.status_code == 409
    doc.refresh_from_db()
    assert (doc.title, doc.version) == ("Sửa lại", 2)


def test_editor_pages_refuse_other_roles(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("library:document_create")).status_code == 302  # to the login page
    client.force_login(make_user("officer", Role.PROVINCE_OFFICER, unit=unit("01", "Hà Nội")))
    assert client.get(reverse("library:document_create")).status_code == 403
    assert client.post(reverse("library:document_create"), {k: str(v) for k, v in DECREE.items()}).status_code == 403
    assert not Document.objects.exists()
