"""Sample cooperation programmes and activities for demonstrations (`manage.py load_sample`), every one labelled
as sample (`is_sample`, the title prefix "[Mẫu]" and a description that says so).

What the seed article says, and nothing more, is used as a frame: at edition X (2024) Central Retail reported six
programmes run with the Ministry and the provinces to bring local products into its stores, EVN thanked the
provinces for coordinating power saving, and Nghệ An proposed Hà Nội, Nghệ An and Quảng Ninh as the region's hubs.
The titles, provinces, dates, targets and results below are **invented** to show the features; none is a fact.

Written through the cooperation services (validated and audited), by a sample account that cannot log in.
Dates follow `clock.today()`, so the calendar always has current activities. Idempotent: does nothing when sample
programmes exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from lienket.cooperation.codes import AuditAction
from lienket.cooperation.models import Programme
from lienket.cooperation.services import activity_create, programme_create, programme_set_status
from lienket.cooperation.values import ObjectiveIn, PartyIn, ResultIn
from lienket.core import clock
from lienket.core.audit import audit_log
from lienket.users.models import Membership, Role, User

SAMPLE_LABEL = "Dữ liệu mẫu / sample"
SAMPLE_USERNAME = "sample.cooperation"
NOTE = ("Dữ liệu mẫu để minh họa tính năng: tên, địa phương, thời gian, chỉ tiêu và kết quả đều là giả định, "
        "không phải số liệu thật.")

# title, kind, field, start (days from today), end (days from today or None), status, parties, objectives
PROGRAMMES: list[dict[str, Any]] = [
    {"title": "Đưa sản phẩm địa phương vào hệ thống siêu thị Central Retail (minh họa 1/6)", "kind": "business",
     "field": "distribution", "start": -420, "end": 300, "status": "active",
     "parties": [("org:central-retail-viet-nam", "lead"), ("ministry:vu-thi-truong-trong-nuoc", "sponsor"),
                 ("unit:40", "member"), ("unit:38", "member"), ("unit:14", "member")],
     "objectives": [("Sản phẩm lên kệ", "sản phẩm", "300", "2"), ("Doanh nghiệp tham gia", "doanh nghiệp", "60", "1"),
                    ("Doanh số", "tỷ đồng", "50", "2")]},
    {"title": "Phối hợp tiết kiệm điện và bảo đảm cung ứng điện", "kind": "business", "field": "energy",
     "start": -500, "end": 200, "status": "active",
     "parties": [("org:evn", "lead"), ("ministry:cuc-dien-luc", "sponsor"), ("unit:01", "member"),
                 ("unit:22", "member"), ("unit:31", "member"), ("unit:40", "member")],
     "objectives": [("Hội nghị tuyên truyền", "hội nghị", "12", "1"), ("Điện tiết kiệm", "triệu kWh", "40", "3")]},
    {"title": "Tuần hàng Nghệ An tại Hà Nội", "kind": "bilateral", "field": "trade_promotion", "start": -200,
     "end": 160, "status": "active", "parties": [("unit:40", "lead"), ("unit:01", "member")],
     "objectives": [("Doanh nghiệp tham gia", "doanh nghiệp", "80", "1"), ("Hợp đồng ký kết", "hợp đồng", "30", "1")]},
    {"title": "Liên kết thương mại biên giới Quảng Ninh – Lạng Sơn – Hải Phòng", "kind": "multilateral",
     "field": "trade_promotion", "start": -150, "end": 400, "status": "active",
     "parties": [("unit:22", "lead"), ("unit:20", "member"), ("unit:31", "member")],
     "objectives": [("Đoàn doanh nghiệp kết nối", "đoàn", "10", "1")]},
    {"title": "Kết nối cung cầu nông sản Bắc Giang – Hà Nam (trước sáp nhập)", "kind": "bilateral",
     "field": "distribution", "start_date": dt.date(2024, 3, 1), "end_date": dt.date(2025, 12, 31),
     "status": "completed", "parties": [("unit:24", "lead"), ("unit:35", "member"), ("unit:01", "member")],
     "objectives": [("Hợp đồng ký kết", "hợp đồng", "20", "1")]},
    {"title": "Chương trình xúc tiến thương mại vùng phía Bắc", "kind": "ministry", "field": "trade_promotion",
     "start": -90, "end": 270, "status": "planned",
     "parties": [("ministry:cuc-xuc-tien-thuong-mai", "lead"), ("unit:37", "member"),
                 ("unit:25", "member"), ("unit:19", "member")],
     "objectives": [("Hội chợ tổ chức", "hội chợ", "4", "1")]},
]

# programme index, kind, title, place, start (days from today), length (days), results by objective index
ACTIVITIES: list[tuple[int, str, str, str, int, int, dict[int, str]]] = [
    (0, "business_matching", "Kết nối nhà cung cấp Nghệ An với Central Retail", "40", -300, 2, {0: "80", 1: "22"}),
    (0, "fair", "Tuần lễ sản phẩm địa phương tại siêu thị GO! Thanh Hóa", "38", -120, 7, {0: "60", 2: "12.5"}),
    (0, "training", "Tập huấn tiêu chuẩn nhà cung cấp cho hợp tác xã Sơn La", "14", 10, 2, {1: "15"}),
    (1, "training", "Hội nghị tuyên truyền tiết kiệm điện", "22", -200, 1, {0: "4", 1: "12"}),
    (1, "training", "Hội nghị tiết kiệm điện khu công nghiệp", "31", 5, 1, {0: "2"}),
    (2, "trade_week", "Tuần hàng Nghệ An tại Hà Nội", "01", 3, 7, {0: "65", 1: "18"}),
    (2, "business_matching", "Kết nối giao thương Hà Nội – Nghệ An", "40", -60, 2, {1: "6"}),
    (3, "study_visit", "Khảo sát cửa khẩu Hữu Nghị", "20", -30, 2, {0: "3"}),
    (3, "business_matching", "Kết nối doanh nghiệp logistics Hải Phòng – Quảng Ninh", "22", 6, 3, {0: "2"}),
    (4, "fair", "Hội chợ nông sản Bắc Giang tại Hà Nội", "01", None, 3, {0: "14"}),  # type: ignore[list-item]
    (5, "fair", "Hội chợ xúc tiến thương mại tại Ninh Bình", "37", 40, 4, {}),
]


def _sample_actor() -> User:
    """An account that cannot log in (unusable password), acting as the Ministry coordinator for the loader."""
    user, created = User.objects.get_or_create(username=SAMPLE_USERNAME, defaults={"full_name": SAMPLE_LABEL})
    if created:
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, role=Role.MINISTRY_COORDINATOR)
    return user


@transaction.atomic
def load_sample_cooperation(*, today: dt.date | None = None) -> dict[str, int]:
    if Programme.objects.filter(is_sample=True).exists():
        return {"programmes": 0, "activities": 0}
    day = today or clock.today()
    actor = _sample_actor()
    made: list[Programme] = []
    for spec in PROGRAMMES:
        start = spec.get("start_date") or day + dt.timedelta(days=spec["start"])
        end = spec.get("end_date") or day + dt.timedelta(days=spec["end"])
        p = programme_create(
            actor=actor, title=f"[Mẫu] {spec['title']}", kind=spec["kind"], field=spec["field"], start_on=start,
            end_on=end, signed_on=start, description=NOTE, is_published=True, is_sample=True,
            parties=[PartyIn(ref, role) for ref, role in spec["parties"]],
            objectives=[ObjectiveIn(t, u, Decimal(v), Decimal(w)) for t, u, v, w in spec["objectives"]],
        )
        if spec["status"] != "planned":
            p = programme_set_status(actor=actor, programme_id=p.pk, version=p.version, status="active", on=start)
        if spec["status"] == "completed":
            p = programme_set_status(actor=actor, programme_id=p.pk, version=p.version, status="completed", on=end)
        made.append(p)
    count = 0
    for index, kind, title, place, offset, length, results in ACTIVITIES:
        p = made[index]
        start = dt.date(2024, 10, 15) if offset is None else day + dt.timedelta(days=offset)
        objectives = list(p.objectives.order_by("position"))
        activity_create(
            actor=actor, programme_id=p.pk, kind=kind, title=f"[Mẫu] {title}", start_on=start,
            end_on=start + dt.timedelta(days=length - 1), place=place, participants=[x.key for x in p.parties.all()],
            results=[ResultIn(objectives[i].pk, Decimal(v)) for i, v in results.items()], description=NOTE,
            is_sample=True,
        )
        count += 1
    audit_log(actor=actor, action=AuditAction.COOPERATION_SAMPLE_LOAD, object_type="cooperation.programme",
              object_id="sample", after={"programmes": len(made), "activities": count}, reason=SAMPLE_LABEL)
    return {"programmes": len(made), "activities": count}
