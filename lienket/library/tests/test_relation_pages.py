"""Editing the relations between documents on the site: the relations page (search a document, accents optional,
say how it relates, either way), removing one after a confirmation step; only for the library's editors; the
service's rules (not itself, not twice, not both ways) answered as form errors; every change audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lienket.core.errors import NotFound, PermissionDenied
from lienket.core.models import AuditEntry
from lienket.library import selectors, services
from lienket.library.models import Document, DocumentRelation
from lienket.reporting.tests.factories import unit
from lienket.users.models import MinistryUnit, Role
from lienket.users.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():  # type: ignore[no-untyped-def]
    return make_user("coord", Role.MINISTRY_COORDINATOR)


def _doc(number: str) -> Document:
    doc = selectors.document_find(number=number)
    assert doc is not None
    return doc


def _state() -> tuple[object, ...]:
    return (list(DocumentRelation.objects.order_by("pk").values_list("source_id", "target_id", "kind", "note")),
            AuditEntry.objects.count())


def test_an_editor_sees_the_links_on_the_document_page(reference_data, coordinator, client) -> None:  # type: ignore[no-untyped-def]
    decree = _doc("32/2024/NĐ-CP")
    client.force_login(coordinator)
    html = client.get(reverse("library:document_detail", kwargs={"pk": decree.pk})).content.decode()
    assert reverse("library:relation_add", kwargs={"pk": decree.pk}) in html
    rel = DocumentRelation.objects.get(target=decree, kind="guides")
    assert reverse("library:relation_remove", kwargs={"pk": decree.pk, "rid": rel.pk}) in html


def test_a_reader_sees_no_editing_links(reference_data, client) -> None:  # type: ignore[no-untyped-def]
    decree = _doc("32/2024/NĐ-CP")
    html = client.get(reverse("library:document_detail", kwargs={"pk": decree.pk})).content.decode()
    assert "/quan-he/" not in html


def test_the_search_field_finds_documents_without_accents_and_by_number(reference_data, coordinator, client) -> None:  # type: ignore[no-untyped-def]
    decree = _doc("32/2024/NĐ-CP")
    client.force_login(coordinator)
    url = reverse("library:relation_add", kwargs={"pk": decree.pk})
    page = client.get(url, {"q": "nghi dinh 62"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    assert [d.number for d in page.context["candidates"]][:1] == ["62/2024/NĐ-CP"]
    by_number = client.get(url, {"q": "14/2024"}).context["candidates"]
    assert [d.number for d in by_number][:1] == ["14/2024/TT-BCT"]
    assert decree not in client.get(url, {"q": "32/2024"}).context["candidates"]  # never itself
    assert "Thêm quan hệ" in page.content.decode()


def test_an_editor_adds_a_relation_either_way_audited(reference_data, coordinator, client) -> None:  # type: ignore[no-untyped-def]
    decree, other = _doc("32/2024/NĐ-CP"), _doc("09/2019/NĐ-CP")
    client.force_login(coordinator)
    url = reverse("library:relation_add", kwargs={"pk": decree.pk})
    r = client.post(url, {"relation": "out:replaces", "target": other.pk, "effective_date": "2024-05-10",
                          "note": "  Điều 35  "})
    assert r.status_code == 302
    rel = DocumentRelation.objects.get(source=decree, target=other)
    assert (rel.kind, str(rel.effective_date), rel.note) == ("replaces", "2024-05-10", "Điều 35")
    entry = AuditEntry.objects.get(action="document_relation.add", object_id=str(rel.pk))
    assert entry.actor == coordinator
    # the other way: "this document is amended by …"
    amending = _doc("13/2026/NĐ-CP")
    assert client.post(url, {"relation": "in:amends", "target": amending.pk}).status_code == 302
    assert DocumentRelation.objects.filter(source=amending, target=decree, kind="amends").exists()
    # both directions shown, as before, on both documents' pages
    labels = {(r["direction"], r["kind"], r["document"].number)
              for r in selectors.document_relations(document=decree, user=coordinator)}
    assert {("out", "replaces", "09/2019/NĐ-CP"), ("in", "amends", "13/2026/NĐ-CP")} <= labels
    html = client.get(reverse("library:document_detail", kwargs={"pk": other.pk}), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "bị thay thế bởi" in html


@pytest.mark.parametrize(("post", "status", "message"), [
    ({"relation": "out:amends"}, 422, "Hãy tìm văn bản và chọn trong danh sách."),
    ({"relation": "out:likes", "target": "OTHER"}, 422, "lựa chọn hợp lệ"),
    ({"relation": "out:amends", "target": "SELF"}, 422, "không thể liên quan với chính nó"),
    ({"relation": "in:guides", "target": "CIRCULAR"}, 409, "Quan hệ này đã được ghi nhận"),
    ({"relation": "out:guides", "target": "CIRCULAR"}, 409, "Quan hệ ngược lại đã được ghi nhận"),
    ({"relation": "out:amends", "target": "999999"}, 422, "Không tìm thấy văn bản."),
    ({"relation": "out:amends", "target": "OTHER", "effective_date": "31/02/2025"}, 422, "date"),
    ({"relation": "out:amends", "target": "OTHER", "note": "x" * 301}, 422, "300"),
])
def test_bad_input_is_answered_on_the_page_and_nothing_is_written(reference_data, coordinator, client, post, status,
                                                                  message) -> None:  # type: ignore[no-untyped-def]
    decree = _doc("32/2024/NĐ-CP")
    ids = {"SELF": decree.pk, "CIRCULAR": _doc("14/2024/TT-BCT").pk, "OTHER": _doc("09/2019/NĐ-CP").pk}
    data = {k: ids.get(v, v) for k, v in post.items()}
    client.force_login(coordinator)
    before = _state()
    r = client.post(reverse("library:relation_add", kwargs={"pk": decree.pk}), data, HTTP_ACCEPT_LANGUAGE="vi")
    assert r.status_code == status
    assert message in r.content.decode()
    assert _state() == before


def test_removing_asks_first_then_removes_audited(reference_data, coordinator, client) -> None:  # type: ignore[no-untyped-def]
    decree, circular = _doc("32/2024/NĐ-CP"), _doc("14/2024/TT-BCT")
    rel = DocumentRelation.objects.get(source=circular, target=decree, kind="guides")
    client.force_login(coordinator)
    url = reverse("library:relation_remove", kwargs={"pk": decree.pk, "rid": rel.pk})
    before = _state()
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    assert "được hướng dẫn bởi" in page.content.decode()  # read from the decree's side
    assert _state() == before
    assert client.post(url).status_code == 302
    assert not DocumentRelation.objects.filter(pk=rel.pk).exists()
    assert Document.objects.filter(pk__in=[decree.pk, circular.pk]).count() == 2
    entry = AuditEntry.objects.get(action="document_relation.remove", object_id=str(rel.pk))
    assert entry.before["kind"] == "guides"
    assert client.post(url).status_code == 404  # gone already


def test_a_relation_of_another_document_is_not_found_through_this_one(reference_data, coordinator, client) -> None:  # type: ignore[no-untyped-def]
    rel = DocumentRelation.objects.get(kind="guides", target=_doc("32/2024/NĐ-CP"))
    client.force_login(coordinator)
    url = reverse("library:relation_remove", kwargs={"pk": _doc("62/2024/NĐ-CP").pk, "rid": rel.pk})
    before = _state()
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("role", [Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR, Role.MINISTRY_UNIT])
def test_people_who_do_not_edit_the_library_are_refused_and_nothing_changes(reference_data, client, role) -> None:  # type: ignore[no-untyped-def]
    if role == Role.MINISTRY_UNIT:
        who = make_user("nope", role, ministry_unit=MinistryUnit.objects.create(slug="vu", name="Vụ"))
    else:
        who = make_user("nope", role, unit=unit("01", "Hà Nội"))
    decree, other = _doc("32/2024/NĐ-CP"), _doc("09/2019/NĐ-CP")
    rel = DocumentRelation.objects.get(kind="guides", target=decree)
    before = _state()
    client.force_login(who)
    add = reverse("library:relation_add", kwargs={"pk": decree.pk})
    remove = reverse("library:relation_remove", kwargs={"pk": decree.pk, "rid": rel.pk})
    assert client.get(add, {"q": "nghi dinh"}).status_code == 403
    assert client.post(add, {"relation": "out:amends", "target": other.pk}).status_code == 403
    assert client.get(remove).status_code == 403
    assert client.post(remove).status_code == 403
    with pytest.raises(PermissionDenied):
        services.relation_add(actor=who, source=decree, target=other, kind="amends")
    with pytest.raises(PermissionDenied):
        services.relation_remove(actor=who, relation_id=rel.pk)
    assert _state() == before


def test_anonymous_is_sent_to_log_in(reference_data, client) -> None:  # type: ignore[no-untyped-def]
    r = client.get(reverse("library:relation_add", kwargs={"pk": _doc("32/2024/NĐ-CP").pk}))
    assert r.status_code == 302
    assert "/login/" in r["Location"]


def test_removing_a_missing_relation_is_not_found(coordinator, db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound) as exc:
        services.relation_remove(actor=coordinator, relation_id=987654)
    assert exc.value.code == "document_relation_not_found"
