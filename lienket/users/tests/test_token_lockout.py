"""A locked-out account's API tokens are refused while the lock lasts (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from lienket.core.errors import ApplicationError
from lienket.users import services
from lienket.users.models import User

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


def _fail_logins_until_locked(user: User, settings) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        with pytest.raises(ApplicationError):
            services.user_authenticate(request=None, username=user.username, password="wrong-password-x")
    user.refresh_from_db()
    assert user.is_locked()


def test_a_locked_accounts_token_is_refused_with_a_clear_403(officer, settings):
    _token, raw = services.token_create(actor=officer, user=officer, name="script")
    assert Client().get(ME, **bearer(raw)).status_code == 200
    _fail_logins_until_locked(officer, settings)

    response = Client().get(ME, **bearer(raw))

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "account_locked"
    assert "locked" in body["message"]
    assert body["details"]["locked_until"]


def test_a_locked_account_cannot_write_through_the_api_either(officer, settings):
    _token, raw = services.token_create(actor=officer, user=officer, name="script")
    _fail_logins_until_locked(officer, settings)

    response = Client().post("/api/v1/users/tokens", {"name": "another"}, content_type="application/json", **bearer(raw))

    assert (response.status_code, response.json()["code"]) == (403, "account_locked")
    assert officer.api_tokens.count() == 1


def test_the_token_works_again_when_the_lock_has_expired(officer):
    _token, raw = services.token_create(actor=officer, user=officer, name="script")
    User.objects.filter(pk=officer.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1), failed_login_count=5)

    assert Client().get(ME, **bearer(raw)).status_code == 200


def test_an_unlocked_account_uses_its_token_again(officer, admin_user, settings):
    _token, raw = services.token_create(actor=officer, user=officer, name="script")
    _fail_logins_until_locked(officer, settings)

    services.user_unlock(actor=admin_user, user=officer)

    assert Client().get(ME, **bearer(raw)).status_code == 200
