"""The audit trail: append-only in the model, queryset and admin; readable through the API and the page with
the same rules (coordinator and admin: everything; others: their own actions; anonymous: nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lienket.core.audit import audit_log
from lienket.core.models import AuditEntry
from lienket.reporting.codes import AuditAction as ReportingAction
from lienket.users import services

pytestmark = pytest.mark.django_db

API = "/api/v1/audit"


@pytest.fixture
def entries(officer, other_officer, admin_user):
    """Three actions by three people, plus one old entry."""
    mine, _ = services.token_create(actor=officer, user=officer, name="mine")
    theirs, _ = services.token_create(actor=other_officer, user=other_officer, name="theirs")
    services.token_revoke(actor=admin_user, token=theirs)
    audit_log(actor=officer, action=ReportingAction.SUBMISSION_SUBMIT, object_type="reporting.submission", object_id=12,
              before={"status": "draft"}, after={"status": "submitted"})
    return {"mine": mine, "theirs": theirs}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ------------------------------------------------------------------------------------------ immutability


def test_entry_cannot_be_changed_or_deleted_through_the_model(officer):
    entry = audit_log(actor=officer, action=ReportingAction.TARGET_SET, object_type="reporting.target", object_id=1)

    entry.action = "y"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()

    entry.refresh_from_db()
    assert entry.action == "target.set"


def test_entries_cannot_be_changed_or_deleted_through_the_queryset(officer):
    audit_log(actor=officer, action=ReportingAction.TARGET_SET, object_type="reporting.target", object_id=1)

    with pytest.raises(TypeError):
        AuditEntry.objects.filter(action="target.set").update(action="y")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.get().action == "target.set"


def test_admin_shows_entries_read_only(admin_user, entries):
    client = client_for(admin_user)
    entry = AuditEntry.objects.filter(action="token_create").first()
    base = "/admin/core/auditentry/"

    assert client.get(base).status_code == 200
    assert client.get(f"{base}?action=token_create&q=mine").status_code == 200
    page = client.get(f"{base}{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content

    assert client.post(f"{base}{entry.pk}/change/", {"action": "forged"}).status_code == 403
    assert client.get(f"{base}{entry.pk}/delete/").status_code == 403
    assert client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{base}add/").status_code == 403
    response = client.post(base, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.action == "token_create"
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


# --------------------------------------------------------------------------------------------------- API


def test_coordinator_reads_every_entry(coordinator, entries):
    body = client_for(coordinator).get(API).json()

    assert body["count"] == AuditEntry.objects.count() == 4
    assert {e["actor"] for e in body["items"]} == {"hanoi.cb", "laocai.cb", "quantri"}
    assert body["items"][0]["action"] == "submission.submit"  # newest first


def test_officer_reads_only_own_actions(officer, officer_client, entries):
    body = officer_client.get(API).json()

    assert body["count"] == 2
    assert {e["actor"] for e in body["items"]} == {"hanoi.cb"}
    assert {e["action"] for e in body["items"]} == {"token_create", "submission.submit"}


def test_officer_asking_for_another_actor_is_refused(officer_client, entries):
    response = officer_client.get(API, {"actor": "laocai.cb"})

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert officer_client.get(API, {"actor": "hanoi.cb"}).json()["count"] == 2


def test_officer_filtering_by_someone_elses_object_sees_nothing_of_theirs(officer_client, entries):
    theirs = entries["theirs"]
    body = officer_client.get(API, {"object": f"users.apitoken:{theirs.pk}"}).json()
    assert body["count"] == 0


def test_filter_by_object_type_and_id(coordinator, entries):
    client = client_for(coordinator)
    theirs = entries["theirs"]

    by_object = client.get(API, {"object": f"users.apitoken:{theirs.pk}"}).json()
    by_type = client.get(API, {"object": "users.apitoken"}).json()
    by_action = client.get(API, {"action": "token_revoke", "actor": "quantri"}).json()
    by_submission = client.get(API, {"object": "reporting.submission:12"}).json()

    assert [e["action"] for e in by_object["items"]] == ["token_revoke", "token_create"]
    assert by_type["count"] == 3
    assert by_action["count"] == 1
    assert by_submission["items"][0]["before"] == {"status": "draft"}
    assert by_submission["items"][0]["after"] == {"status": "submitted"}


def test_filter_by_date_range_and_paging(coordinator, entries):
    client = client_for(coordinator)
    today = timezone.localdate().isoformat()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    assert client.get(API, {"since": today, "until": today}).json()["count"] == 4
    assert client.get(API, {"since": tomorrow}).json()["count"] == 0
    assert client.get(API, {"until": "2020-01-01"}).json()["count"] == 0
    assert client.get(API, {"since": timezone.now().isoformat()}).json()["count"] == 0
    page = client.get(API, {"limit": 1, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (4, 1, 1, 1)


def test_anonymous_gets_401(client, entries):
    response = client.get(API)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_token_user_reads_own_entries(client, officer, entries):
    _, raw = services.token_create(actor=officer, user=officer, name="reader")

    body = client.get(API, HTTP_AUTHORIZATION=f"Bearer {raw}").json()

    assert {e["actor"] for e in body["items"]} == {"hanoi.cb"}


@pytest.mark.parametrize(
    "params",
    [
        {"object": "submission"},
        {"object": "reporting.submission:"},
        {"object": "reporting.submission:1:2"},
        {"object": "reporting submission"},
        {"since": "yesterday"},
        {"until": "2025-02-30"},
        {"since": "2025-07-02", "until": "2025-07-01"},
    ],
)
def test_bad_parameters_get_422_json(coordinator, entries, params):
    response = client_for(coordinator).get(API, params)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] in {"invalid", "invalid_object", "invalid_date", "invalid_range"}
    assert body["message"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"limit": "many"}, "limit"),
        ({"offset": str(2**63)}, "offset"),
        ({"offset": "9223372036854775808"}, "offset"),
        ({"offset": str(2**31)}, "offset"),
    ],
)
def test_bad_paging_parameters_get_400_naming_the_parameter(coordinator, entries, params, name):
    response = client_for(coordinator).get(API, params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert name in body["message"]
    assert [d["field"] for d in body["details"]] == [name]


def test_the_largest_offset_is_an_empty_page(coordinator, entries):
    body = client_for(coordinator).get(API, {"offset": str(2**31 - 1)}).json()

    assert (body["offset"], body["items"]) == (2**31 - 1, [])


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_writes_through_the_api(admin_user, entries, method):
    client = client_for(admin_user)
    count = AuditEntry.objects.count()

    response = getattr(client, method)(API, {}, content_type="application/json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert AuditEntry.objects.count() == count


# -------------------------------------------------------------------------------------------------- page


def test_page_shows_everything_to_the_coordinator_with_a_readable_diff(coordinator, entries):
    response = client_for(coordinator).get(reverse("audit:list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["rows"]) == 4
    assert "reporting.submission:12" in html
    assert "<del" in html
    assert "draft" in html
    assert "submitted" in html


def test_page_shows_an_officer_only_own_actions(officer_client, entries):
    response = officer_client.get(reverse("audit:list"))

    rows = response.context["rows"]
    assert {r["entry"].actor_label for r in rows} == {"hanoi.cb"}
    assert officer_client.get(reverse("audit:list"), {"actor": "quantri"}).status_code == 403


def test_page_filters_and_reports_bad_input(coordinator, entries):
    client = client_for(coordinator)

    filtered = client.get(reverse("audit:list"), {"object": "users.apitoken", "action": "token_revoke"})
    bad_object = client.get(reverse("audit:list"), {"object": "nonsense"})
    bad_date = client.get(reverse("audit:list"), {"since": "31/02/2025"})

    assert [r["entry"].action for r in filtered.context["rows"]] == ["token_revoke"]
    assert bad_object.status_code == 422
    assert 'aria-describedby="id_object_helptext id_object_error"' in bad_object.content.decode()
    assert bad_date.status_code == 422
    assert 'aria-invalid="true"' in bad_date.content.decode()


def test_page_paginates(coordinator, officer):
    for i in range(55):
        audit_log(actor=officer, action=ReportingAction.TARGET_SET, object_type="reporting.target", object_id=i)
    client = client_for(coordinator)

    first = client.get(reverse("audit:list"), {"action": "target.set"})
    second = client.get(reverse("audit:list"), {"action": "target.set", "page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 5
    assert "action=target.set&amp;page=2" in first.content.decode()


def test_page_needs_login(client, db):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_diff_shows_dates_and_times_readably(coordinator, officer):
    audit_log(actor=officer, action=ReportingAction.TARGET_SET, object_type="reporting.target", object_id=1,
              before={"due": "2025-07-01", "at": None}, after={"due": "2025-08-01", "at": "2025-07-01T03:00:00+00:00"})

    html = client_for(coordinator).get(reverse("audit:list")).content.decode()

    assert "01/07/2025" in html
    assert "01/08/2025" in html
    assert "01/07/2025 10:00:00" in html  # Vietnam time
