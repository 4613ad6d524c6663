"""Accounts in the admin: membership inline (audited, constraint errors shown as form errors), tokens read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from lienket.core.models import AuditEntry
from lienket.users import services
from lienket.users.models import ApiToken, Membership, Role, User

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def _inline(prefix: str = "memberships", **row: str) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    data.update({f"{prefix}-0-{key}": value for key, value in row.items()})
    return data


def _change_data(user: User, **extra: str) -> dict[str, str]:
    return {
        "username": user.username, "full_name": user.full_name, "email": user.email, "is_active": "on",
        **extra,
    }


def test_admin_pages_render(admin_client, officer):
    for url in ["/admin/users/user/", f"/admin/users/user/{officer.pk}/change/", "/admin/users/user/add/",
                "/admin/users/ministryunit/", "/admin/users/apitoken/", "/admin/core/auditentry/"]:
        assert admin_client.get(url).status_code == 200, url


def test_admin_adds_a_user_and_it_is_audited(admin_client, admin_user):
    response = admin_client.post("/admin/users/user/add/", {
        "username": "moi.tao", "full_name": "Người Mới", "email": "moi@example.vn",
        "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true",
        **_inline(),
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="moi.tao")
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="user_create", object_id=str(user.pk), actor_id=admin_user.pk).exists()


def test_admin_grants_a_role_through_the_inline_and_it_is_audited(admin_client, officer, ref):
    data = _change_data(officer, **_inline(role="province_director", unit=str(ref.hanoi.pk)))
    data["memberships-INITIAL_FORMS"] = "0"

    response = admin_client.post(f"/admin/users/user/{officer.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.filter(user=officer, role=Role.PROVINCE_DIRECTOR, unit=ref.hanoi).exists()
    assert AuditEntry.objects.filter(action="membership_add").exists()


def test_admin_inline_refuses_a_province_role_without_unit(admin_client, officer):
    data = _change_data(officer, **_inline(role="province_director"))

    response = admin_client.post(f"/admin/users/user/{officer.pk}/change/", data)

    assert response.status_code == 200
    assert not Membership.objects.filter(user=officer, role=Role.PROVINCE_DIRECTOR).exists()
    assert not AuditEntry.objects.filter(action="membership_add").exists()


def test_admin_tokens_are_read_only_and_revoked_through_the_service(admin_client, officer):
    token, raw = services.token_create(actor=officer, user=officer, name="script")
    base = "/admin/users/apitoken/"

    page = admin_client.get(f"{base}{token.pk}/change/").content.decode()
    assert 'name="token_hash"' not in page
    assert raw not in page
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.get(f"{base}{token.pk}/delete/").status_code == 403

    response = admin_client.post(base, {"action": "revoke_tokens", "_selected_action": [str(token.pk)]})

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="token_revoke", object_id=str(token.pk)).exists()
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_admin_unlocks_an_account(admin_client, officer, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    Client().post("/accounts/login/", {"username": "hanoi.cb", "password": "wrong"})
    officer.refresh_from_db()
    assert officer.is_locked()

    admin_client.post("/admin/users/user/", {"action": "unlock_accounts", "_selected_action": [str(officer.pk)]})

    officer.refresh_from_db()
    assert not officer.is_locked()
    assert AuditEntry.objects.filter(action="account_unlock", object_id=str(officer.pk)).exists()


def test_non_staff_cannot_open_the_admin(officer_client):
    response = officer_client.get("/admin/core/auditentry/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
