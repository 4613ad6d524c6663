"""manage.py add_user and create_token."""

from __future__ import annotations

import io

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.test import Client

from lienket.core.models import AuditEntry
from lienket.users.models import ApiToken, Membership, Role, User

pytestmark = pytest.mark.django_db

GOOD = "Mật-khẩu-tốt-2025"


def add_user(*args: str) -> str:
    out = io.StringIO()
    call_command("add_user", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "role", "scope"),
    [
        (["--role", "province_officer", "--unit", "01"], Role.PROVINCE_OFFICER, ("unit", "hanoi")),
        (["--role", "province_director", "--unit", "1"], Role.PROVINCE_DIRECTOR, ("unit", "hanoi")),
        (["--role", "ministry_coordinator"], Role.MINISTRY_COORDINATOR, None),
        (["--role", "ministry_unit", "--ministry-unit", "vu-thi-truong-trong-nuoc"], Role.MINISTRY_UNIT,
         ("ministry_unit", "market")),
        (["--role", "secretariat", "--conference", "2025"], Role.SECRETARIAT, ("conference", "conference")),
        (["--role", "admin"], Role.ADMIN, None),
    ],
)
def test_add_user_for_each_role(ref, args, role, scope):
    output = add_user("nguoi.moi", *args, "--password", GOOD, "--full-name", "Nguyễn Văn A", "--email", "a@example.vn")

    user = User.objects.get(username="nguoi.moi")
    assert "Created user" in output
    assert user.check_password(GOOD)
    assert user.full_name == "Nguyễn Văn A"
    membership = Membership.objects.get(user=user)
    assert membership.role == role
    if scope is not None:
        field, attr = scope
        assert getattr(membership, field) == getattr(ref, attr)
    assert user.is_superuser is (role == Role.ADMIN)
    assert user.is_staff is (role == Role.ADMIN)
    entry = AuditEntry.objects.get(action="user_create", object_id=str(user.pk))
    assert entry.actor_label == "system"
    assert entry.after["roles"][0]["role"] == role.value
    assert "password" not in str(entry.after).replace("password_generated", "")


def test_add_user_resolves_the_code_on_the_date(ref):
    add_user("laocai", "--role", "province_officer", "--unit", "15", "--password", GOOD)
    add_user("yenbai", "--role", "province_officer", "--unit", "15", "--date", "2025-01-15", "--password", GOOD)

    assert Membership.objects.get(user__username="laocai").unit == ref.laocai
    assert Membership.objects.get(user__username="yenbai").unit == ref.yenbai


def test_add_user_generates_and_prints_a_password_once(ref):
    output = add_user("sinhpass", "--role", "ministry_coordinator")

    line = next(line for line in output.splitlines() if "Generated password" in line)
    password = line.rsplit(" ", 1)[1]
    assert User.objects.get(username="sinhpass").check_password(password)
    assert output.count(password) == 1
    assert Client().login(username="sinhpass", password=password)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "king"], "Unknown role"),
        (["--role", "province_officer"], "--unit"),
        (["--role", "province_officer", "--unit", "99"], "99"),
        (["--role", "province_officer", "--unit", "R-DBSH"], "not a province"),
        (["--role", "ministry_unit"], "--ministry-unit"),
        (["--role", "ministry_unit", "--ministry-unit", "vu-khong-co"], "vu-khong-co"),
        (["--role", "secretariat", "--conference", "1999"], "1999"),
        (["--role", "secretariat", "--conference", "next"], "next"),
        (["--role", "ministry_coordinator", "--unit", "01"], "not scoped"),
        (["--role", "admin", "--conference", "2025"], "not scoped"),
        (["--role", "province_officer", "--unit", "01", "--date", "2025-13-01"], "--date"),
        (["--role", "ministry_coordinator", "--date", "2025-07-01"], "--date"),
        (["--role", "ministry_coordinator", "--password", "12345"], "password"),
        (["--role", "ministry_coordinator", "--email", "not-an-email"], "e-mail"),
    ],
)
def test_add_user_refuses_bad_input_and_creates_nothing(ref, args, message):
    with pytest.raises(CommandError) as excinfo:
        add_user("hong", *args)

    assert message in str(excinfo.value)
    assert not User.objects.filter(username="hong").exists()
    assert not Membership.objects.exists()
    assert not AuditEntry.objects.exists()


def test_add_user_names_the_period_of_a_code_valid_only_in_the_past(ref):
    with pytest.raises(CommandError) as excinfo:
        add_user("hagiang", "--role", "province_officer", "--unit", "02", "--password", GOOD)

    message = str(excinfo.value)
    assert "past" in message
    assert "Hà Giang" in message
    assert "…–30/06/2025" in message
    assert "--date" in message
    assert not User.objects.filter(username="hagiang").exists()


def test_add_user_refuses_a_taken_username(ref):
    add_user("trung", "--role", "ministry_coordinator", "--password", GOOD)

    with pytest.raises(CommandError, match="already exists"):
        add_user("Trung", "--role", "admin", "--password", GOOD)

    assert User.objects.filter(username__iexact="trung").count() == 1
    assert not User.objects.get(username="trung").is_superuser


def test_add_user_exits_non_zero_on_error(ref, capsys, monkeypatch):
    # run_from_argv closes the database connections when it ends, which would end the test's transaction
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(["manage.py", "add_user", "hong", "--role", "king"]).execute()

    assert excinfo.value.code != 0
    assert "Unknown role" in capsys.readouterr().err
    assert not User.objects.filter(username="hong").exists()


def test_create_token_prints_a_working_token(officer):
    out, err = io.StringIO(), io.StringIO()

    call_command("create_token", "hanoi.cb", "--name", "cron", "--expires-days", "7", stdout=out, stderr=err)

    raw = out.getvalue().strip()
    assert raw.startswith("lk_")
    assert "Shown once" in err.getvalue()
    token = ApiToken.objects.get(user=officer)
    assert token.name == "cron"
    assert token.expires_at is not None
    response = Client().get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["username"] == "hanoi.cb"


def test_create_token_for_an_unknown_user_fails(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_token", "ghost", stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()


def test_create_token_refuses_a_non_positive_expiry(officer):
    with pytest.raises(CommandError, match="expires-days"):
        call_command("create_token", "hanoi.cb", "--expires-days", "0", stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()
