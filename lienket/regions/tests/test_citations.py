"""The public pages cite sources cleanly; the working notes stay with the administrators (#16)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lienket.regions.loader import public_citation
from lienket.regions.models import AdminUnit, GroupMembership, UnitStat, UnitSuccession

NOTES = ("seed article", "legal text not seen", "not rearranged", "unconfirmed", "see README", "conferences.md", "SGGP")


@pytest.mark.parametrize(("source", "citation"), [
    ("NQ-202-2025 (not rearranged); QD-19-2025-TTg", "Nghị quyết 202/2025/QH15; Quyết định 19/2025/QĐ-TTg"),
    ("seed article; conference plan 2024 (see conferences.md)",
     "Kế hoạch tổ chức Hội nghị hợp tác phát triển công nghiệp, thương mại các tỉnh phía Bắc 2024"),
    ("Prime Minister at the Red River Delta coordination council, 20/9/2025 (SGGP); legal text not seen",
     "Phát biểu của Thủ tướng Chính phủ tại Hội đồng điều phối vùng Đồng bằng sông Hồng, 20/9/2025"),
    ("GSO-E0201", "Tổng cục Thống kê, biểu E02.01 (2022)"),
])
def test_a_citation_keeps_the_documents_and_drops_the_notes(source, citation):
    assert public_citation(source) == citation


def test_every_loaded_source_has_a_clean_citation(reference_data):
    for model in (AdminUnit, GroupMembership, UnitStat, UnitSuccession):
        for source, citation in model.objects.exclude(source="").values_list("source", "citation"):
            assert citation, f"{model.__name__}: no citation for {source!r}"
            assert not any(note.lower() in citation.lower() for note in NOTES), citation


@pytest.mark.parametrize("path", [
    "/regions/profile/", "/regions/profile/?group=north&date=2025-08-01", "/regions/units/01/", "/regions/units/25/",
    "/regions/?q=Phú",
])
def test_public_pages_show_no_working_notes(client, reference_data, path):
    page = client.get(path).content.decode()

    assert not any(note in page for note in NOTES), [n for n in NOTES if n in page]
    assert "Nghị quyết" in page or "Tổng cục Thống kê" in page


def test_administrators_still_read_the_working_notes(admin_client, reference_data):
    page = admin_client.get(reverse("regions:unit_detail", args=["01"])).content.decode()
    assert re.search(r'data-testid="working-notes">[^<]*not rearranged', page)
