"""The demo accounts: one per role, labelled as sample data, one documented password, idempotent."""

from __future__ import annotations

import pytest
from django.test import Client

from lienket.conferences.models import Conference
from lienket.core.models import AuditEntry
from lienket.users import permissions
from lienket.users.demo import DEMO_PASSWORD, SAMPLE_SUFFIX, create_demo_users
from lienket.users.models import Role, User

pytestmark = pytest.mark.django_db


def test_demo_users_cover_every_role_and_scope(ref):
    created = create_demo_users()

    usernames = [u for u, _, _ in created]
    assert usernames == [
        "admin", "bo.dieuphoi", "bo.thitruong", "hanoi.canbo", "hanoi.giamdoc", "phutho.canbo", "phutho.giamdoc",
        "tuyenquang.canbo", "thuky.2025",
    ]
    assert {p for _, p, _ in created} == {DEMO_PASSWORD}
    assert all(u.full_name.endswith(SAMPLE_SUFFIX) for u in User.objects.filter(username__in=usernames))
    get = User.objects.get
    assert permissions.is_admin(get(username="admin"))
    assert permissions.is_coordinator(get(username="bo.dieuphoi"))
    assert permissions.has_role(get(username="bo.thitruong"), Role.MINISTRY_UNIT, ministry_unit=ref.market)
    assert permissions.has_role(get(username="hanoi.canbo"), Role.PROVINCE_OFFICER, unit=ref.hanoi)
    assert permissions.has_role(get(username="hanoi.giamdoc"), Role.PROVINCE_DIRECTOR, unit=ref.hanoi)
    assert permissions.has_role(get(username="phutho.canbo"), Role.PROVINCE_OFFICER, unit=ref.phutho)
    assert permissions.has_role(get(username="phutho.giamdoc"), Role.PROVINCE_DIRECTOR, unit=ref.phutho)
    assert permissions.has_role(get(username="tuyenquang.canbo"), Role.PROVINCE_OFFICER, unit=ref.tuyenquang)
    assert permissions.has_role(get(username="thuky.2025"), Role.SECRETARIAT, conference=ref.conference)
    assert Client().login(username="phutho.giamdoc", password=DEMO_PASSWORD)


def test_demo_users_are_idempotent(ref):
    first = create_demo_users()
    entries = AuditEntry.objects.count()
    users = User.objects.count()

    second = create_demo_users()

    assert second == first
    assert User.objects.count() == users
    assert AuditEntry.objects.count() == entries


def test_demo_users_restore_a_missing_role(ref):
    create_demo_users()
    User.objects.get(username="hanoi.canbo").memberships.all().delete()

    create_demo_users()

    assert permissions.has_role(User.objects.get(username="hanoi.canbo"), Role.PROVINCE_OFFICER, unit=ref.hanoi)


def test_demo_skips_the_secretariat_without_a_2025_conference(ref):
    Conference.objects.all().delete()

    created = create_demo_users()

    assert "thuky.2025" not in [u for u, _, _ in created]
    assert not User.objects.filter(username="thuky.2025").exists()
