"""Sample proposals for the demo (Dữ liệu mẫu / sample): a few proposals of 2025–2026 that raise again those of
edition X, with assignments, answers, endorsements, a declined one and an overdue one. Every row is
`is_sample=True` and every invented text starts with "Dữ liệu mẫu"; the real records of edition X (loaded by
load_reference) are never changed. Idempotent (the sample proposals have a `ref` starting with "sample-")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from lienket.core import clock
from lienket.core.audit import audit_log
from lienket.core.clock import VN
from lienket.core.text import fold
from lienket.proposals.codes import AuditAction
from lienket.proposals.models import Endorsement, Proposal, Status
from lienket.regions.models import AdminUnit
from lienket.users.models import MinistryUnit

LABEL = "Dữ liệu mẫu / sample"


def _unit(code: str, on: dt.date) -> AdminUnit:
    return AdminUnit.objects.provinces().valid_on(on).get(code=code)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=VN)


@transaction.atomic
def load_sample_proposals() -> dict[str, int]:
    today = clock.today()
    if Proposal.objects.filter(ref__startswith="sample-").exists():
        return {"created": 0}
    mu = {m.slug: m for m in MinistryUnit.objects.all()}
    earlier = {p.ref: p for p in Proposal.objects.filter(ref__startswith="x2024-")}
    xi = dt.date(2025, 10, 17)
    specs: list[dict[str, Any]] = [
        {"ref": "sample-phutho-ccn", "unit": _unit("25", xi), "raised_on": xi, "previous": earlier.get("x2024-haiphong-thong-tu-ccn"),
         "title": "Hướng dẫn thực hiện Nghị định 32/2024/NĐ-CP về quản lý, phát triển cụm công nghiệp",
         "field": "industrial_clusters", "kind": "guidance", "lead": "cuc-cong-thuong-dia-phuong", "status": Status.CLOSED,
         "deadline": xi + dt.timedelta(days=30), "answered": xi + dt.timedelta(days=21),
         "answer": "Dữ liệu mẫu / sample: nội dung trả lời minh họa cho bản trình diễn, không phải văn bản thật của Bộ."},
        {"ref": "sample-tuyenquang-dmt", "unit": _unit("08", xi), "raised_on": xi, "previous": earlier.get("x2024-quangninh-dien-mat-troi"),
         "title": "Cơ chế, chính sách phát triển điện mặt trời mái nhà tại địa phương", "field": "energy", "kind": "policy",
         "lead": "cuc-dien-luc", "status": Status.ANSWERED, "deadline": xi + dt.timedelta(days=60), "answered": xi + dt.timedelta(days=75),
         "answer": "Dữ liệu mẫu / sample: nội dung trả lời minh họa (trả lời muộn hạn), không phải văn bản thật của Bộ.",
         "endorse": ["25", "15"]},
        {"ref": "sample-laocai-logistics", "unit": _unit("15", today), "raised_on": today - dt.timedelta(days=40),
         "previous": earlier.get("x2024-laocai-logistics"), "title": "Cơ chế đặc thù cho phát triển dịch vụ logistics vùng biên giới",
         "field": "logistics", "kind": "policy", "lead": "vu-thi-truong-trong-nuoc", "status": Status.ASSIGNED,
         "deadline": today + dt.timedelta(days=5), "endorse": ["08"]},
        {"ref": "sample-hanoi-cds", "unit": _unit("01", today), "raised_on": today - dt.timedelta(days=70),
         "previous": earlier.get("x2024-hanoi-chuyen-doi-so"), "title": "Kết nối dữ liệu chuyển đổi số của ngành từ Bộ đến các Sở",
         "field": "digital_transformation", "kind": "coordination", "lead": "cuc-thuong-mai-dien-tu-va-kinh-te-so",
         "status": Status.ASSIGNED, "deadline": today - dt.timedelta(days=10)},
        {"ref": "sample-nghean-decline", "unit": _unit("40", today), "raised_on": today - dt.timedelta(days=20),
         "title": "Hỗ trợ kinh phí tổ chức hội chợ thương mại biên giới", "field": "border_trade", "kind": "funding",
         "status": Status.DECLINED, "decline": "Dữ liệu mẫu / sample: lý do từ chối minh họa."},
    ]
    created = 0
    for s in specs:
        received = _at(s["raised_on"], 17)
        p = Proposal(
            ref=s["ref"], submitting_unit=s["unit"], title=s["title"], title_folded=fold(s["title"]),
            body=f"{LABEL}: nội dung minh họa cho bản trình diễn — {s['title'].lower()}.", field=s["field"], kind=s["kind"],
            raised_on=s["raised_on"], previous=s.get("previous"), status=s["status"], received_at=received,
            submitted_at=received, is_sample=True, source=LABEL, speaker=LABEL,
        )
        if s.get("lead"):
            p.lead_unit = mu.get(s["lead"])
            p.deadline = s["deadline"]
            p.assigned_at = received + dt.timedelta(days=1)
        if s.get("answered"):
            p.answer, p.answered_at = s["answer"], _at(s["answered"], 10)
        if s["status"] == Status.CLOSED:
            p.closed_at = _at(s["answered"] + dt.timedelta(days=3), 10)
        if s.get("decline"):
            p.decline_reason, p.decided_at = s["decline"], received + dt.timedelta(days=2)
        if s.get("lead") and p.lead_unit is None:
            continue  # the Ministry unit is not in the reference data
        p.save()
        created += 1
        for code in s.get("endorse", []):
            Endorsement.objects.create(proposal=p, unit=_unit(code, today), comment=LABEL, is_sample=True)
    audit_log(actor=None, action=AuditAction.PROPOSAL_SAMPLE_LOAD, object_type="proposals.proposal", object_repr=LABEL,
              after={"created": created})
    return {"created": created}
