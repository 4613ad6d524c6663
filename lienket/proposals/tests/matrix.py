"""The proposals of the access-matrix world (tests/test_access_matrix.py): Hà Nội's draft (with an attachment),
a received one, one assigned to the matrix's Ministry unit, an answered one with a signed file, and one led by another
Ministry unit with the matrix's unit co-operating (with its opinion and a file)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile

from lienket.proposals import services
from lienket.proposals.models import Attachment, Proposal
from lienket.users.models import MinistryUnit

PDF = b"%PDF-1.4\n% matrix\n"


def proposals_matrix_world(users: dict[str, Any], hanoi: Any) -> dict[str, Any]:
    officer, director, coordinator, ministry = users["officer"], users["director"], users["coordinator"], users["ministry"]
    mu = MinistryUnit.objects.get(pk=ministry.memberships.get().ministry_unit_id)

    def make(title: str) -> Proposal:
        return services.proposal_create(actor=officer, title=title, body="Nội dung", field="energy", kind="policy", unit=hanoi)

    def step(p: Proposal, actor: Any, action: str, **kw: Any) -> Proposal:
        return services.proposal_transition(proposal=p, actor=actor, action=action, expected_version=p.version, **kw)

    draft = make("Bản nháp của Hà Nội")
    attachment = Attachment(proposal=draft, name="to-trinh.pdf", content_type="application/pdf", size=len(PDF), uploaded_by=officer)
    attachment.file.save("to-trinh.pdf", ContentFile(PDF), save=True)
    received = step(step(make("Đã nhận"), director, "submit"), coordinator, "receive")
    assigned = step(step(step(make("Đã giao"), director, "submit"), coordinator, "receive"), coordinator, "assign",
                    lead_unit=mu, deadline=dt.date(2026, 5, 1))
    answered = step(step(step(step(make("Đã trả lời"), director, "submit"), coordinator, "receive"), coordinator, "assign",
                         lead_unit=mu, deadline=dt.date(2026, 5, 1)), ministry, "answer", answer="Trả lời",
                    answer_file=("tra-loi.pdf", PDF))
    lead = MinistryUnit.objects.exclude(pk=mu.pk).order_by("slug").first() or MinistryUnit.objects.create(
        slug="vu-chu-tri-ma-tran", name="Vụ chủ trì")
    cooperating = step(step(step(make("Phối hợp"), director, "submit"), coordinator, "receive"), coordinator, "assign",
                       lead_unit=lead, co_units=[mu], deadline=dt.date(2026, 5, 1))
    contribution = services.contribution_add(proposal=cooperating, actor=ministry, text="Ý kiến", file=("y-kien.pdf", PDF))
    return {"p_draft": draft, "p_received": received, "p_assigned": assigned, "p_answered": answered,
            "p_attachment": attachment, "p_cooperating": cooperating, "p_contribution": contribution}
