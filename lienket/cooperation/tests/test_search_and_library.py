"""Programmes in the global search (public once published, else for their unit's people and the Ministry) and
their documents linked to the library."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from lienket.library.models import Document as LibraryDocument
from lienket.proposals.models import Proposal
from lienket.search.models import SearchEntry
from lienket.search.selectors import search_for_user
from lienket.search.values import SearchDocument

from ..selectors import document_views, programme_library_documents, search_documents
from ..services import programme_create, programme_update
from ..values import DocumentIn, PartyIn
from .factories import programme


def found(user, q: str) -> list[str]:
    return [h.key for h in search_for_user(user=user, q=q, kinds=["programme"]).hits]


def test_search_documents_are_search_documents_scoped_like_the_programme(cw):
    given = programme(cw.users["hanoi"], parties=[("unit:40", "member"), ("unit:01", "lead")], published=False)
    (doc,) = list(search_documents())
    assert isinstance(doc, SearchDocument)
    assert (doc.kind, doc.key, doc.title, doc.url) == ("programme", str(given.pk), given.title, f"/hop-tac/{given.pk}/")
    assert (doc.visibility, doc.unit_id, doc.unit_key, doc.unit_name) == ("unit", cw.hanoi.pk, cw.hanoi.key, "Hà Nội")
    assert "Nghệ An" in doc.body


def test_a_ministry_only_programme_is_indexed_for_the_ministry(cw):
    programme(cw.users["ministry"], parties=[(f"ministry:{cw.market.slug}", "lead")], published=False)
    (doc,) = list(search_documents())
    assert (doc.visibility, doc.unit_id) == ("ministry", None)


def test_an_old_units_programme_is_indexed_under_the_unit_it_became_part_of(cw):
    programme(cw.users["coordinator"], parties=[("unit:24", "lead")], published=False,
              start=dt.date(2025, 1, 1), title="Kết nối Bắc Giang")
    (doc,) = list(search_documents())
    assert doc.unit_id == cw.bacninh.pk
    assert found(cw.users["bacninh"], "ket noi bac giang") != []


def test_creating_and_publishing_writes_the_index_and_the_anonymous_search_sees_only_published(cw):
    from django.contrib.auth.models import AnonymousUser

    given = programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")], published=False,
                      title="Tuần hàng Nghệ An tại Hà Nội")
    anonymous = AnonymousUser()
    # refused: an unpublished programme is not found by an anonymous search, nor by another unit's officer
    assert found(anonymous, "tuan hang nghe an") == []
    assert found(cw.users["phutho"], "tuan hang nghe an") == []
    # its unit's people and the coordinator find it (a Ministry unit's officer does not: lienket.users.search gives
    # unit-scoped items to the coordinator only — the pages still show it to them)
    assert found(cw.users["hanoi"], "tuan hang nghe an") == [str(given.pk)]
    assert found(cw.users["coordinator"], "tuan hang nghe an") == [str(given.pk)]
    programme_update(actor=cw.users["hanoi"], programme_id=given.pk, version=given.version, is_published=True)
    assert found(anonymous, "tuan hang nghe an") == [str(given.pk)]
    assert SearchEntry.objects.get(kind="programme", key=str(given.pk)).visibility == "public"


def test_reindex_includes_programmes(cw):
    given = programme(cw.users["hanoi"], parties=[("unit:01", "lead")], title="Chương trình xúc tiến chè")
    SearchEntry.objects.all().delete()
    call_command("search_reindex")
    assert SearchEntry.objects.filter(kind="programme", key=str(given.pk)).exists()


def test_programme_documents_link_to_the_library(reference_data, clock):
    from .factories import coop_world

    cw = coop_world()
    decree = LibraryDocument.objects.get(number="32/2024/NĐ-CP")
    given = programme_create(
        actor=cw.users["coordinator"], title="Phát triển cụm công nghiệp", kind="bilateral", field="industry",
        start_on=dt.date(2026, 1, 1), parties=[PartyIn("unit:01", "lead")], is_published=True,
        description="Theo Nghị định 32/2024",
        documents=[DocumentIn("Nghị định số 32/2024/NĐ-CP về cụm công nghiệp", "", ""),
                   DocumentIn("Biên bản ký kết ngày 15/3/2024", "https://example.org/bien-ban", ""),
                   DocumentIn("Quyết định 9999/2099/QĐ-XYZ", "", "")],
    )
    views = document_views(programme=given, user=None)
    assert [v.library for v in views] == [decree, None, None]
    assert programme_library_documents(programme=given, user=None) == [decree]


def test_programme_page_and_api_show_the_library_link(reference_data, clock, client):
    from .factories import coop_world

    cw = coop_world()
    decree = LibraryDocument.objects.get(number="32/2024/NĐ-CP")
    given = programme_create(
        actor=cw.users["coordinator"], title="Phát triển cụm công nghiệp", kind="bilateral", field="industry",
        start_on=dt.date(2026, 1, 1), parties=[PartyIn("unit:01", "lead")], is_published=True,
        documents=[DocumentIn("Nghị định 32/2024/NĐ-CP", "", "")],
    )
    page = client.get(f"/hop-tac/{given.pk}/")
    assert page.status_code == 200
    assert f'href="/thu-vien/{decree.pk}/"' in page.content.decode()
    data = client.get(f"/api/v1/cooperation/programmes/{given.pk}").json()
    assert data["documents"] == [{"id": decree.pk, "number": "32/2024/NĐ-CP", "title": decree.title,
                                  "url": f"/thu-vien/{decree.pk}/"}]


def test_the_library_page_lists_the_programmes_and_proposals_naming_it(reference_data, clock, client):
    from lienket.users.models import Role
    from lienket.users.tests.factories import make_user

    from .factories import coop_world

    cw = coop_world()
    decree = LibraryDocument.objects.get(number="32/2024/NĐ-CP")
    shown = programme_create(
        actor=cw.users["coordinator"], title="Phát triển cụm công nghiệp", kind="bilateral", field="industry",
        start_on=dt.date(2026, 1, 1), parties=[PartyIn("unit:01", "lead")], is_published=True,
        documents=[DocumentIn("Nghị định 32/2024/NĐ-CP", "", "")],
    )
    hidden = programme_create(
        actor=cw.users["coordinator"], title="Chưa công bố", kind="bilateral", field="industry",
        start_on=dt.date(2026, 1, 1), parties=[PartyIn("unit:01", "lead")], is_published=False,
        description="Theo Nghị định 32/2024",
    )
    other = programme_create(  # 132/2024 holds "32/2024" but is another number: not listed
        actor=cw.users["coordinator"], title="Khác", kind="bilateral", field="industry",
        start_on=dt.date(2026, 1, 1), parties=[PartyIn("unit:01", "lead")], is_published=True,
        description="Nghị định 132/2024/NĐ-CP",
    )
    html = client.get(f"/thu-vien/{decree.pk}/").content.decode()
    assert f'href="/hop-tac/{shown.pk}/"' in html
    assert f'href="/hop-tac/{hidden.pk}/"' not in html  # refused: not published, anonymous reader
    assert f'href="/hop-tac/{other.pk}/"' not in html
    client.force_login(make_user("coord.lib", Role.MINISTRY_COORDINATOR))
    html = client.get(f"/thu-vien/{decree.pk}/").content.decode()
    assert f'href="/hop-tac/{hidden.pk}/"' in html
    haiphong = Proposal.objects.get(ref="x2024-haiphong-thong-tu-ccn")  # received: for signed-in readers
    assert f'href="/kien-nghi/{haiphong.pk}/"' in html
