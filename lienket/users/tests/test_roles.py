"""Roles and scopes: the database constraint, the permission helpers, and the membership services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from lienket.core.errors import Conflict, PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry
from lienket.users import permissions, services
from lienket.users.models import Membership, Role, User

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.PROVINCE_OFFICER, {}),
        (Role.PROVINCE_DIRECTOR, {}),
        (Role.PROVINCE_OFFICER, {"ministry_unit": "market"}),
        (Role.MINISTRY_UNIT, {}),
        (Role.SECRETARIAT, {}),
        (Role.ADMIN, {"unit": "hanoi"}),
        (Role.MINISTRY_COORDINATOR, {"unit": "hanoi"}),
    ],
)
def test_database_refuses_a_role_without_its_scope(ref, role, scope):
    user = User.objects.create_user(username="x", password=PASSWORD)
    values = {name: getattr(ref, attr) for name, attr in scope.items()}

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=role, **values)

    assert not Membership.objects.exists()


def test_database_refuses_the_same_role_twice(ref):
    user = make_user("x", Role.PROVINCE_OFFICER, unit=ref.hanoi)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.PROVINCE_OFFICER, unit=ref.hanoi)
    coordinator = make_user("y", Role.MINISTRY_COORDINATOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=coordinator, role=Role.MINISTRY_COORDINATOR)


def test_has_role_matches_the_unit_row_not_the_code(ref):
    officer = make_user("laocai", Role.PROVINCE_OFFICER, unit=ref.laocai)

    assert permissions.has_role(officer, Role.PROVINCE_OFFICER)
    assert permissions.has_role(officer, Role.PROVINCE_OFFICER, unit=ref.laocai)
    assert permissions.has_role(officer, "province_officer", unit=ref.laocai.pk)
    assert not permissions.has_role(officer, Role.PROVINCE_OFFICER, unit=ref.yenbai)  # same code 15, other unit
    assert not permissions.has_role(officer, Role.PROVINCE_DIRECTOR)
    assert permissions.user_roles(officer) == {Role.PROVINCE_OFFICER}


def test_province_units_and_can_act_for_unit(ref):
    user = make_user("hai.tinh", Role.PROVINCE_OFFICER, unit=ref.hanoi)
    Membership.objects.create(user=user, role=Role.PROVINCE_DIRECTOR, unit=ref.phutho)

    assert set(permissions.province_units(user)) == {ref.hanoi, ref.phutho}
    assert list(permissions.province_units(user, Role.PROVINCE_DIRECTOR)) == [ref.phutho]
    assert permissions.can_act_for_unit(user, ref.hanoi, [Role.PROVINCE_OFFICER])
    assert not permissions.can_act_for_unit(user, ref.hanoi, [Role.PROVINCE_DIRECTOR])
    assert permissions.can_act_for_unit(user, ref.phutho, [Role.PROVINCE_DIRECTOR])
    assert not permissions.can_act_for_unit(user, ref.phutho_old, [Role.PROVINCE_DIRECTOR])
    assert not permissions.can_act_for_unit(user, ref.laocai, [Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR])


def test_coordinator_and_admin_act_for_every_unit_only_when_listed(ref, coordinator, admin_user):
    assert permissions.can_act_for_unit(coordinator, ref.laocai, [Role.PROVINCE_OFFICER, Role.MINISTRY_COORDINATOR])
    assert not permissions.can_act_for_unit(coordinator, ref.laocai, [Role.PROVINCE_OFFICER])
    assert permissions.can_act_for_unit(admin_user, ref.laocai, [Role.ADMIN])
    assert not permissions.can_act_for_unit(admin_user, ref.laocai, [Role.PROVINCE_OFFICER])
    assert not permissions.province_units(coordinator).exists()


def test_admin_and_coordinator_predicates(ref, coordinator, admin_user, officer):
    superuser = User.objects.create_superuser(username="root", password=PASSWORD)

    assert permissions.is_admin(admin_user)
    assert permissions.is_admin(superuser)
    assert permissions.is_coordinator(coordinator)
    assert permissions.is_coordinator(superuser)
    assert not permissions.is_admin(coordinator)
    assert not permissions.is_coordinator(officer)
    assert permissions.can_manage_users(superuser)
    assert not permissions.can_manage_users(coordinator)
    assert permissions.can_read_audit(coordinator)
    assert permissions.can_read_audit(admin_user)
    assert not permissions.can_read_audit(officer, "reporting.submission")
    assert Role.ADMIN in permissions.user_roles(superuser)


def test_anonymous_and_inactive_users_hold_nothing(ref, admin_user):
    anonymous = AnonymousUser()
    assert permissions.user_roles(anonymous) == frozenset()
    assert not permissions.is_admin(anonymous)
    assert not permissions.province_units(anonymous).exists()
    admin_user.is_active = False
    assert not permissions.is_admin(admin_user)
    assert not permissions.can_read_audit(admin_user)


def test_user_create_service_refuses_non_admin_actor(ref, coordinator):
    with pytest.raises(PermissionDenied):
        services.user_create(actor=coordinator, username="moi", password=PASSWORD, role=Role.PROVINCE_OFFICER,
                             unit_code="01")
    assert not User.objects.filter(username="moi").exists()


def test_user_create_service_by_admin_is_audited_with_the_actor(ref, admin_user):
    user = services.user_create(actor=admin_user, username="moi", password=PASSWORD, role="province_director",
                                unit_code="25")

    assert user.generated_password is None
    assert Membership.objects.get(user=user).unit == ref.phutho  # today: the new Phú Thọ
    entry = AuditEntry.objects.get(action="user_create")
    assert entry.actor_id == admin_user.pk
    assert entry.after["roles"][0]["unit"] == "25@2025-07-01"


def test_user_create_error_leaves_nothing(ref, admin_user):
    with pytest.raises(ValidationFailed) as excinfo:
        services.user_create(actor=admin_user, username="moi", password="short", role=Role.ADMIN)
    assert excinfo.value.status == 422
    assert not User.objects.filter(username="moi").exists()
    assert not AuditEntry.objects.exists()


def test_membership_add_and_remove_are_audited(ref, admin_user):
    user = make_user("nhieu.vai")
    assert not permissions.has_role(user, Role.SECRETARIAT)

    membership = services.membership_add(actor=admin_user, user=user, role=Role.SECRETARIAT, conference=ref.conference)

    assert permissions.has_role(user, Role.SECRETARIAT, conference=ref.conference)
    with pytest.raises(Conflict):
        services.membership_add(actor=admin_user, user=user, role=Role.SECRETARIAT, conference=ref.conference)
    services.membership_remove(actor=admin_user, membership=membership)
    assert not permissions.has_role(user, Role.SECRETARIAT)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "membership_add", "membership_remove",
    ]


def test_membership_add_checks_the_scope(ref, admin_user):
    user = make_user("x")
    with pytest.raises(ValidationFailed, match="needs an administrative unit"):
        services.membership_add(actor=admin_user, user=user, role=Role.PROVINCE_OFFICER)
    with pytest.raises(ValidationFailed, match="not a province"):
        services.membership_add(actor=admin_user, user=user, role=Role.PROVINCE_OFFICER, unit=ref.region)
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=user, user=user, role=Role.ADMIN)
    assert not Membership.objects.filter(user=user).exists()


def test_admin_membership_makes_a_superuser_and_the_last_one_cannot_be_removed(ref, admin_user):
    user = make_user("phoquantri")
    membership = services.membership_add(actor=admin_user, user=user, role=Role.ADMIN)
    user.refresh_from_db()
    assert user.is_staff
    assert user.is_superuser

    services.membership_remove(actor=admin_user, membership=membership)

    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.is_staff
    with pytest.raises(Conflict):
        services.membership_remove(actor=None, membership=Membership.objects.get(user=admin_user))
    assert Membership.objects.filter(user=admin_user, role=Role.ADMIN).exists()


def test_unlock_by_admin(ref, admin_user, officer, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    with pytest.raises(ValidationFailed):
        services.user_authenticate(request=None, username="hanoi.cb", password="wrong")
    officer.refresh_from_db()
    assert officer.is_locked()

    services.user_unlock(actor=admin_user, user=officer)

    assert services.user_authenticate(request=None, username="hanoi.cb", password=PASSWORD) == officer
