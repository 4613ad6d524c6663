"""The proposals raised at edition X are loaded as real records: received, 17/5/2024, linked to the edition."""

from __future__ import annotations

import datetime as dt

from lienket.core.clock import VN
from lienket.proposals.loader import load_proposals
from lienket.proposals.models import Proposal


def test_edition_x_proposals_are_loaded_as_received_records(reference_data):
    ps = Proposal.objects.filter(ref__startswith="x2024-")
    assert ps.count() == 11
    assert {p.status for p in ps} == {"received"}
    assert {p.raised_on for p in ps} == {dt.date(2024, 5, 17)}
    assert {p.received_at.astimezone(VN).date() for p in ps} == {dt.date(2024, 5, 17)}
    assert {p.conference.ordinal for p in ps} == {10}
    assert not any(p.is_sample for p in ps)
    names = {p.submitter_name for p in ps}
    assert names == {"Nghệ An", "Hải Phòng", "Quảng Ninh", "Lào Cai", "Hòa Bình", "Hà Nội", "Tập đoàn Central Retail Việt Nam"}
    circular = ps.get(ref="x2024-haiphong-thong-tu-ccn")
    assert circular.speaker == "Nguyễn Văn Thành"
    assert "32/2024/NĐ-CP" in circular.legal_references
    assert circular.submitting_unit.valid_to == dt.date(2025, 6, 30)  # Hải Phòng before the merger
    assert all(p.source and p.answer == "" and p.lead_unit_id is None for p in ps)


def test_loading_again_changes_nothing(reference_data):
    assert load_proposals()["proposals"] == {"created": 0, "updated": 0, "unchanged": 11}
