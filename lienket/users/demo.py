"""Demo accounts, one per role, clearly labelled as sample data. Idempotent: running it again creates
nothing new and leaves existing accounts (and their passwords) as they are.

All demo accounts share one documented password, DEMO_PASSWORD. Never load this on a production site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from .models import Role, User
from .services import conference_resolve, membership_add, ministry_unit_resolve, unit_resolve, user_create

DEMO_PASSWORD = "LienKet@2025"  # noqa: S105 - the documented password of the sample accounts
SAMPLE_SUFFIX = " (Dữ liệu mẫu / sample)"
MERGER_DATE = dt.date(2025, 7, 1)  # the units as they stand from 1/7/2025


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    description: str
    unit_code: str | None = None
    ministry_unit_slug: str | None = None
    conference_year: int | None = None


DEMO_USERS: list[DemoUser] = [
    DemoUser("admin", "Quản trị hệ thống", Role.ADMIN, "Administrator (quản trị hệ thống)"),
    DemoUser("bo.dieuphoi", "Cục Công Thương địa phương – điều phối", Role.MINISTRY_COORDINATOR,
             "Ministry coordinator, all provinces (điều phối của Bộ, mọi tỉnh)"),
    DemoUser("bo.thitruong", "Vụ Thị trường trong nước", Role.MINISTRY_UNIT,
             "Ministry unit: Domestic Market Department (Vụ Thị trường trong nước)",
             ministry_unit_slug="vu-thi-truong-trong-nuoc"),
    DemoUser("hanoi.canbo", "Cán bộ Sở Công Thương Hà Nội", Role.PROVINCE_OFFICER,
             "Province officer, Hà Nội 01 (cán bộ Sở)", unit_code="01"),
    DemoUser("hanoi.giamdoc", "Giám đốc Sở Công Thương Hà Nội", Role.PROVINCE_DIRECTOR,
             "Province director, Hà Nội 01 (giám đốc Sở)", unit_code="01"),
    DemoUser("phutho.canbo", "Cán bộ Sở Công Thương Phú Thọ", Role.PROVINCE_OFFICER,
             "Province officer, Phú Thọ 25 from 01/07/2025 (cán bộ Sở)", unit_code="25"),
    DemoUser("phutho.giamdoc", "Giám đốc Sở Công Thương Phú Thọ", Role.PROVINCE_DIRECTOR,
             "Province director, Phú Thọ 25 from 01/07/2025 (giám đốc Sở)", unit_code="25"),
    DemoUser("tuyenquang.canbo", "Cán bộ Sở Công Thương Tuyên Quang", Role.PROVINCE_OFFICER,
             "Province officer, Tuyên Quang 08 from 01/07/2025 (cán bộ Sở)", unit_code="08"),
    DemoUser("thuky.2025", "Thư ký Hội nghị 2025", Role.SECRETARIAT,
             "Secretariat of the 2025 conference (thư ký hội nghị)", conference_year=2025),
]


def _conference_exists(year: int) -> bool:
    from lienket.conferences.models import Conference

    return Conference.objects.filter(year=year).exists()


@transaction.atomic
def create_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo accounts that are missing. Returns (username, password, description) for every demo
    account present afterwards. The secretariat account is skipped when no 2025 conference is loaded;
    province and Ministry-unit accounts need the reference data (load_reference) and fail clearly without it."""
    result: list[tuple[str, str, str]] = []
    for spec in DEMO_USERS:
        if spec.conference_year is not None and not _conference_exists(spec.conference_year):
            continue
        full_name = spec.full_name + SAMPLE_SUFFIX
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user_create(
                actor=None, username=spec.username, password=DEMO_PASSWORD, full_name=full_name, role=spec.role,
                unit_code=spec.unit_code, unit_date=MERGER_DATE if spec.unit_code else None,
                ministry_unit_slug=spec.ministry_unit_slug, conference=spec.conference_year,
            )
        else:
            _ensure_membership(user, spec)
        result.append((spec.username, DEMO_PASSWORD, spec.description))
    return result


def _ensure_membership(user: User, spec: DemoUser) -> None:
    """An existing demo account keeps its password; only a missing role is added back."""
    unit = unit_resolve(code=spec.unit_code, on=MERGER_DATE) if spec.unit_code else None
    ministry_unit = ministry_unit_resolve(slug=spec.ministry_unit_slug) if spec.ministry_unit_slug else None
    conference = conference_resolve(conference=spec.conference_year) if spec.conference_year else None
    if user.memberships.filter(role=spec.role, unit=unit, ministry_unit=ministry_unit, conference=conference).exists():
        return
    membership_add(actor=None, user=user, role=spec.role, unit=unit, ministry_unit=ministry_unit, conference=conference)
