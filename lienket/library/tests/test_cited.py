"""Document numbers written in other apps' free text, linked to the library (issue #21's cross-links)."""

from __future__ import annotations

import pytest

from lienket.library.models import Document
from lienket.library.selectors import document_link, documents_cited
from lienket.library.values import numbers_in_text
from lienket.users.models import Role
from lienket.users.tests.factories import make_user


def written(text: str | None) -> list[str]:
    return [c.number.written if c.number else f"{c.doc_type} {c.seq}/{c.year}" for c in numbers_in_text(text)]


def test_numbers_in_text_finds_full_and_short_numbers_in_order_once() -> None:
    text = ("Đề nghị ban hành thông tư hướng dẫn Nghị định số 32/2024/NĐ-CP ngày 15/3/2024; Luật 202/2025/QH15, "
            "Nghị quyết 60-NQ/TW, văn bản 55/VBHN-BCT, công văn 1234/BCT-CCT, Thông tư 14 / 2024 / TT - BCT; "
            "nhắc lại 32/2024/nđ-cp và Nghị định 8/2023.")
    assert written(text) == ["32/2024/NĐ-CP", "202/2025/QH15", "60-NQ/TW", "55/VBHN-BCT", "1234/BCT-CCT",
                             "14/2024/TT-BCT", "decree 8/2023"]


@pytest.mark.parametrize("text", ["", None, "ngày 15/3/2024", "tỷ lệ 1/2", "a/b/c", "Nghị định 32/1800", "x" * 60_000,
                                  "99999999/2024/NĐ-CP", "32/2024/NĐ-CP-" * 3000])
def test_text_without_a_readable_number_gives_nothing_and_never_fails(text: str | None) -> None:
    assert written(text) in ([], ["32/2024/NĐ-CP"])


def test_documents_cited_resolves_numbers_and_short_numbers_to_visible_documents(reference_data: None) -> None:
    decree = Document.objects.get(number="32/2024/NĐ-CP")
    circular = Document.objects.get(number="14/2024/TT-BCT")
    hidden = Document.objects.create(doc_type="decree", number="77/2025/NĐ-CP", number_key="77/2025/nd-cp",
                                     number_seq="77", number_year=2025, title="Nội bộ", visibility="ministry")
    texts = ["Thông tư 14/2024/TT-BCT và Nghị định 32/2024", "Nghị định 32/2024/NĐ-CP; 77/2025/NĐ-CP; 1/2099/NĐ-CP"]
    assert documents_cited(texts=texts, user=None) == [circular, decree]
    coordinator = make_user("coord.cited", Role.MINISTRY_COORDINATOR)
    assert documents_cited(texts=texts, user=coordinator) == [circular, decree, hidden]
    assert documents_cited(texts=["", None, "không có số"], user=None) == []
    assert document_link(decree) == {"id": decree.pk, "number": "32/2024/NĐ-CP", "title": decree.title,
                                     "url": f"/thu-vien/{decree.pk}/"}
