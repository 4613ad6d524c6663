"""The demo's sample proposals: labelled, consistent with the constraints, idempotent, the real records untouched."""

from __future__ import annotations

from lienket.demo.sample_proposals import load_sample_proposals
from lienket.proposals import selectors
from lienket.proposals.models import Proposal


def test_sample_proposals_are_labelled_and_leave_the_real_records_alone(reference_data, clock):
    real = {p.pk: (p.status, p.version, p.answer) for p in Proposal.objects.filter(ref__startswith="x2024-")}
    assert load_sample_proposals() == {"created": 5}
    assert load_sample_proposals() == {"created": 0}
    samples = Proposal.objects.filter(is_sample=True)
    assert samples.count() == 5
    assert all(p.body.startswith("Dữ liệu mẫu") for p in samples)
    assert {p.pk: (p.status, p.version, p.answer) for p in Proposal.objects.filter(ref__startswith="x2024-")} == real
    assert {p.status for p in samples} == {"closed", "answered", "assigned", "declined"}
    again = samples.get(ref="sample-phutho-ccn")
    assert [e.ref for e in selectors.history(again)] == ["x2024-haiphong-thong-tu-ccn"]
    assert any(row["overdue"] for row in selectors.escalation())
