"""Log in, log out, change password, and the lockout after repeated failures (site and admin)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lienket.core.models import AuditEntry
from lienket.users import services
from lienket.users.forms import AdminLoginForm
from lienket.users.models import User

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str, url: str = LOGIN):
    return client.post(url, {"username": username, "password": password})


def test_login_page_has_labelled_fields(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'for="id_username"' in html
    assert 'for="id_password"' in html


def test_officer_logs_in_and_is_audited(client, officer):
    response = _login(client, "hanoi.cb", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    entry = AuditEntry.objects.get(action="login")
    assert entry.actor_id == officer.pk
    assert entry.object_id == str(officer.pk)


def test_wrong_password_is_refused_with_a_form_error(client, officer):
    response = _login(client, "hanoi.cb", "not-the-password")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'role="alert"' in response.content.decode()
    officer.refresh_from_db()
    assert officer.failed_login_count == 1
    assert AuditEntry.objects.filter(action="login_failed", object_id=str(officer.pk)).count() == 1


def test_success_resets_the_failure_counter(client, officer):
    _login(client, "hanoi.cb", "wrong-1")
    _login(client, "hanoi.cb", "wrong-2")

    _login(client, "hanoi.cb", PASSWORD)

    officer.refresh_from_db()
    assert officer.failed_login_count == 0
    assert officer.locked_until is None


def test_account_is_locked_after_the_limit_and_refuses_the_right_password(client, officer, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_MINUTES = 15
    for attempt in range(3):
        response = _login(client, "hanoi.cb", f"wrong-{attempt}")

    officer.refresh_from_db()
    assert officer.locked_until is not None
    assert officer.locked_until > timezone.now() + dt.timedelta(minutes=14)
    until = services.format_local(officer.locked_until)
    assert until in response.content.decode()  # the message says until when (dd/mm/yyyy HH:MM, Vietnam time)
    assert AuditEntry.objects.filter(action="account_locked", object_id=str(officer.pk)).count() == 1

    response = _login(client, "hanoi.cb", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert until in response.content.decode()


def test_lock_message_is_in_vietnam_time(officer, settings, rf):
    settings.LOGIN_FAILURE_LIMIT = 1
    with pytest.raises(services.ValidationFailed) as excinfo:
        services.user_authenticate(request=rf.post(LOGIN), username="hanoi.cb", password="wrong")

    officer.refresh_from_db()
    local = officer.locked_until.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert local.strftime("%d/%m/%Y %H:%M") in excinfo.value.message
    assert excinfo.value.code == "account_locked"


def test_lock_expires(client, officer, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    _login(client, "hanoi.cb", "wrong-1")
    _login(client, "hanoi.cb", "wrong-2")
    officer.refresh_from_db()
    assert officer.is_locked()
    # time passes: the lock ends
    User.objects.filter(pk=officer.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))

    response = _login(client, "hanoi.cb", PASSWORD)

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.locked_until is None
    assert officer.failed_login_count == 0


def _alert(response) -> str:
    return response.content.decode().split('role="alert">')[1].split("</div>")[0]


def test_unknown_username_gets_the_same_error_as_a_wrong_password(client, officer):
    wrong_password = _alert(_login(client, "hanoi.cb", "wrong"))

    unknown_user = _alert(_login(client, "nobody", "whatever"))

    assert unknown_user == wrong_password
    assert AuditEntry.objects.filter(action="login_failed", object_repr="nobody").count() == 1
    assert not User.objects.filter(username="nobody").exists()


def _attempt(request, username: str = "nobody") -> str:
    with pytest.raises(services.ValidationFailed) as excinfo:
        services.user_authenticate(request=request, username=username, password="whatever")
    return excinfo.value.code


def test_unknown_username_is_locked_out_too_and_the_lock_expires(settings, rf, monkeypatch, db):
    settings.LOGIN_FAILURE_LIMIT = 2
    request = rf.post(LOGIN, REMOTE_ADDR="10.0.0.1")

    assert _attempt(request) == "invalid_login"
    assert _attempt(request) == "account_locked"
    assert _attempt(request) == "account_locked"

    later = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1)
    monkeypatch.setattr(services, "_now", lambda: later)
    assert _attempt(request) == "invalid_login"


def test_unknown_username_limit_is_per_client_ip(officer, settings, rf):
    settings.LOGIN_FAILURE_LIMIT = 1
    with pytest.raises(services.ValidationFailed) as excinfo:
        services.user_authenticate(request=rf.post(LOGIN, REMOTE_ADDR="10.0.0.1"), username="ghost", password="x")
    assert excinfo.value.code == "account_locked"

    with pytest.raises(services.ValidationFailed) as excinfo:
        services.user_authenticate(request=rf.post(LOGIN, REMOTE_ADDR="10.0.0.2"), username="ghost", password="x")

    assert excinfo.value.code == "account_locked"  # its own first failure reaches the limit of 1 …
    settings.LOGIN_FAILURE_LIMIT = 5
    with pytest.raises(services.ValidationFailed) as excinfo:
        services.user_authenticate(request=rf.post(LOGIN, REMOTE_ADDR="10.0.0.3"), username="ghost", password="x")
    assert excinfo.value.code == "invalid_login"  # … while a third address starts from zero


def test_inactive_user_cannot_log_in(client, officer):
    User.objects.filter(pk=officer.pk).update(is_active=False)

    response = _login(client, "hanoi.cb", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_admin_login_uses_the_lockout(client, admin_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    assert admin.site.login_form is AdminLoginForm
    _login(client, "quantri", "wrong-1", url="/admin/login/")
    _login(client, "quantri", "wrong-2", url="/admin/login/")

    response = _login(client, "quantri", PASSWORD, url="/admin/login/")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    admin_user.refresh_from_db()
    assert admin_user.is_locked()


def test_admin_login_works_for_staff_and_refuses_non_staff(client, admin_user, officer):
    assert _login(client, "quantri", PASSWORD, url="/admin/login/").status_code == 302
    other = Client()
    response = _login(other, "hanoi.cb", PASSWORD, url="/admin/login/")
    assert response.status_code == 200
    assert "_auth_user_id" not in other.session


def test_logout_is_post_only(officer_client):
    assert officer_client.get("/accounts/logout/").status_code == 405

    response = officer_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in officer_client.session


def test_password_change_happy_path_is_audited(officer_client, officer):
    new = "Mật-khẩu-mới-2026"
    response = officer_client.post(
        reverse("users:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("users:password_change_done")
    officer.refresh_from_db()
    assert officer.check_password(new)
    assert AuditEntry.objects.filter(action="password_change", actor_id=officer.pk).count() == 1
    assert officer_client.get(reverse("users:account")).status_code == 200  # session kept
    assert officer_client.get(reverse("users:password_change_done")).status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(officer_client, officer):
    response = officer_client.post(
        reverse("users:password_change"),
        {"old_password": "wrong", "new_password1": "Mật-khẩu-mới-2026", "new_password2": "Mật-khẩu-mới-2026"},
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert 'aria-describedby="id_old_password_error"' in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="password_change").exists()


def test_password_change_refuses_a_weak_password(officer_client, officer):
    response = officer_client.post(
        reverse("users:password_change"), {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )

    assert response.status_code == 200
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_password_change_needs_login(client):
    response = client.get(reverse("users:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
