"""Personal API tokens: created once, stored hashed, usable as Bearer, revocable; the account page and the API."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lienket.core.errors import Conflict, PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry
from lienket.users import services
from lienket.users.models import ApiToken

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me"
TOKENS = "/api/v1/users/tokens"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_is_stored_only_as_a_hash(officer):
    token, raw = services.token_create(actor=officer, user=officer, name="script")

    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw.startswith("lk_")
    assert all(raw not in str(value) for value in row.values())
    assert row["token_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    entry = AuditEntry.objects.get(action="token_create")
    assert raw not in str(entry.after)
    assert entry.actor_id == officer.pk


def test_bearer_token_reads_me_with_roles_and_scopes(client, officer, ref):
    _, raw = services.token_create(actor=officer, user=officer, name="script")

    response = client.get(ME, **bearer(raw))

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "hanoi.cb"
    assert body["auth_method"] == "token"
    assert body["roles"] == [{
        "role": "province_officer", "role_label": body["roles"][0]["role_label"],
        "unit": {"id": ref.hanoi.pk, "code": "01", "name": "Hà Nội", "valid_from": None, "valid_to": None},
        "ministry_unit": None, "conference": None,
    }]
    assert body["is_coordinator"] is False


def test_me_needs_authentication(client, db):
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_me_with_a_session(officer_client):
    response = officer_client.get(ME)
    assert response.status_code == 200
    assert response.json()["auth_method"] == "session"


@pytest.mark.parametrize("state", ["revoked", "expired", "garbage", "tampered", "basic"])
def test_unusable_tokens_get_401_json(client, officer, state):
    token, raw = services.token_create(actor=officer, user=officer, name="script")
    header = f"Bearer {raw}"
    if state == "revoked":
        services.token_revoke(actor=officer, token=token)
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif state == "garbage":
        header = "Bearer not-a-token"
    elif state == "tampered":
        header = f"Bearer {raw[:-2]}xx"
    elif state == "basic":
        header = "Basic dXNlcjpwYXNz"

    response = client.get(ME, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_token_of_a_deactivated_user_is_refused(client, officer):
    _, raw = services.token_create(actor=officer, user=officer, name="script")
    officer.is_active = False
    officer.save()

    assert client.get(ME, **bearer(raw)).status_code == 401


def test_api_lists_only_my_tokens(officer_client, officer, other_officer):
    services.token_create(actor=officer, user=officer, name="mine")
    services.token_create(actor=other_officer, user=other_officer, name="theirs")

    body = officer_client.get(TOKENS).json()

    assert [t["name"] for t in body] == ["mine"]
    assert "token" not in body[0]
    assert body[0]["prefix"].startswith("lk_")


def test_api_creates_a_token_shown_once(client, officer):
    _, raw = services.token_create(actor=officer, user=officer, name="bootstrap")

    response = client.post(TOKENS, {"name": "nightly import", "expires_days": 30}, content_type="application/json",
                           **bearer(raw))

    assert response.status_code == 201
    created = response.json()
    assert created["token"].startswith("lk_")
    assert client.get(ME, **bearer(created["token"])).status_code == 200
    listed = client.get(TOKENS, **bearer(raw)).json()
    assert all("token" not in t for t in listed)
    expires = dt.datetime.fromisoformat(created["expires_at"])
    assert dt.timedelta(days=29) < expires - timezone.now() <= dt.timedelta(days=30)


@pytest.mark.parametrize("payload", [{"name": ""}, {"name": "x", "expires_days": 0}, {}, {"name": "x" * 101}])
def test_api_refuses_bad_token_input_and_creates_nothing(officer_client, officer, payload):
    response = officer_client.post(TOKENS, payload, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert not ApiToken.objects.exists()


def test_session_post_without_csrf_token_is_refused(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)

    response = client.post(TOKENS, {"name": "x"}, content_type="application/json")

    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_session_post_with_csrf_token_is_accepted(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    client.get(reverse("users:account"))  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value

    response = client.post(TOKENS, {"name": "x"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)

    assert response.status_code == 201


def test_bearer_post_needs_no_csrf_token(officer):
    _, raw = services.token_create(actor=officer, user=officer, name="bootstrap")
    client = Client(enforce_csrf_checks=True)

    response = client.post(TOKENS, {"name": "x"}, content_type="application/json", **bearer(raw))

    assert response.status_code == 201


def test_api_revokes_my_token(officer_client, officer):
    token, raw = services.token_create(actor=officer, user=officer, name="old")

    response = officer_client.delete(f"{TOKENS}/{token.pk}")

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="token_revoke", object_id=str(token.pk), actor_id=officer.pk).exists()
    assert Client().get(ME, **bearer(raw)).status_code == 401
    assert officer_client.delete(f"{TOKENS}/{token.pk}").status_code == 409


def test_api_cannot_revoke_someone_elses_token(officer_client, other_officer):
    token, _ = services.token_create(actor=other_officer, user=other_officer, name="theirs")

    response = officer_client.delete(f"{TOKENS}/{token.pk}")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_cannot_revoke(client, officer):
    token, _ = services.token_create(actor=officer, user=officer, name="t")
    assert client.delete(f"{TOKENS}/{token.pk}").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_may_revoke_anyones_token_but_an_officer_may_not(admin_user, officer, other_officer):
    token, _ = services.token_create(actor=officer, user=officer, name="t")
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=other_officer, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None

    services.token_revoke(actor=admin_user, token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_create_a_token_for_someone_else(officer, other_officer):
    with pytest.raises(PermissionDenied):
        services.token_create(actor=officer, user=other_officer, name="sneaky")
    assert not ApiToken.objects.exists()


def test_token_expiry_must_be_in_the_future(officer):
    with pytest.raises(ValidationFailed):
        services.token_create(actor=officer, user=officer, name="x", expires_at=timezone.now() - dt.timedelta(days=1))
    assert not ApiToken.objects.exists()


def test_revoking_twice_is_a_conflict(officer):
    token, _ = services.token_create(actor=officer, user=officer, name="x")
    services.token_revoke(actor=officer, token=token)
    with pytest.raises(Conflict):
        services.token_revoke(actor=officer, token=token)


# ----------------------------------------------------------------------------------------- account page


def test_account_page_shows_roles_and_tokens(officer_client, officer):
    services.token_create(actor=officer, user=officer, name="nightly import")

    response = officer_client.get(reverse("users:account"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Hà Nội" in html
    assert "nightly import" in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_account_page_needs_login(client, db):
    response = client.get(reverse("users:account"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_account_page_creates_a_token_and_shows_it_once(officer_client, officer):
    response = officer_client.post(reverse("users:token_create"), {"name": "excel", "expires_days": "30"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=officer)
    raw = response.context["new_token"]
    assert raw.startswith(f"lk_{token.lookup}_")
    assert raw in response.content.decode()
    assert raw not in officer_client.get(reverse("users:account")).content.decode()
    assert Client().get(ME, **bearer(raw)).status_code == 200


def test_account_page_token_form_over_htmx_returns_the_partial(officer_client, officer):
    response = officer_client.post(reverse("users:token_create"), {"name": "htmx"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="tokens"')
    assert "<html" not in html
    assert ApiToken.objects.filter(user=officer, name="htmx", expires_at__isnull=True).exists()


def test_account_page_token_without_name_shows_an_error(officer_client, officer):
    response = officer_client.post(reverse("users:token_create"), {"name": ""})

    assert response.status_code == 422
    assert 'aria-describedby="id_name_helptext id_name_error"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_account_page_revokes_a_token(officer_client, officer):
    token, _ = services.token_create(actor=officer, user=officer, name="old")

    response = officer_client.post(reverse("users:token_revoke", args=[token.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = officer_client.post(reverse("users:token_revoke", args=[token.pk]))
    assert response.status_code == 302  # already revoked: message, nothing changes


def test_account_page_cannot_revoke_someone_elses_token(officer_client, other_officer):
    token, _ = services.token_create(actor=other_officer, user=other_officer, name="theirs")

    response = officer_client.post(reverse("users:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_is_post_only(officer_client, officer):
    token, _ = services.token_create(actor=officer, user=officer, name="old")
    assert officer_client.get(reverse("users:token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
