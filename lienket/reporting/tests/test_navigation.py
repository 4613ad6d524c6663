"""Where people land after logging in, and buttons shown only to those who can use them (#16)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lienket.conferences.models import Conference, ConferenceSeries
from lienket.reporting.services import submission_open, submission_transition
from lienket.users.models import Role
from lienket.users.tests.factories import make_user

from .factories import PASSWORD


def _login(client, username):
    return client.post(reverse("users:login"), {"username": username, "password": PASSWORD})


@pytest.mark.parametrize("who", ["hanoi_officer", "hanoi_director", "coordinator"])
def test_people_who_report_land_on_their_work(client, w, who):
    response = _login(client, w.users[who].username)

    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:home")


def test_ministry_units_land_on_their_proposals_work_list(client, w):
    response = _login(client, w.users["ministry_unit"].username)

    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:work_list")
    assert client.get(response["Location"]).status_code == 200


def test_a_conference_secretariat_lands_on_the_proposals_work_list(client, w):
    series = ConferenceSeries.objects.create(key="north", name="Hội nghị các tỉnh phía Bắc")
    conference = Conference.objects.create(series=series, ordinal=11, year=2025, title="Hội nghị lần thứ XI",
                                           confidence=Conference.Confidence.CONFIRMED)
    make_user("thuky", Role.SECRETARIAT, password=PASSWORD, conference=conference)

    response = _login(client, "thuky")

    assert response["Location"] == reverse("proposals:work_list")
    assert client.get(response["Location"]).status_code == 200


def test_other_roles_land_on_the_home_page_and_next_still_wins(client, w):
    make_user("no_role", None, password=PASSWORD)
    assert _login(client, "no_role")["Location"] == reverse("home")
    client.logout()
    response = client.post(reverse("users:login") + "?next=/regions/",
                           {"username": w.users["ministry_unit"].username, "password": PASSWORD, "next": "/regions/"})
    assert response["Location"] == "/regions/"
    client.logout()
    response = client.post(reverse("users:login") + "?next=/regions/",
                           {"username": w.users["hanoi_officer"].username, "password": PASSWORD, "next": "/regions/"})
    assert response["Location"] == "/regions/"


def test_a_report_of_another_province_shows_no_template_button(client, w):
    hanoi = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=w.users["hanoi_officer"])
    url = reverse("reporting:submission_detail", args=[hanoi.pk])

    client.force_login(w.users["hanoi_officer"])
    own = client.get(url).content.decode()
    client.force_login(w.users["coordinator"])
    coordinator = client.get(url).content.decode()

    assert 'data-testid="template-download"' in own
    assert 'data-testid="template-download"' in coordinator
    # an accepted report is read by every province; the template download refuses a Phú Thọ officer (403),
    # so the button is not shown to them
    for actor, action in (("hanoi_officer", "submit"), ("hanoi_director", "approve"), ("coordinator", "accept")):
        hanoi = submission_transition(submission=hanoi, actor=w.users[actor], action=action)
    client.force_login(w.users["phutho_officer"])
    other = client.get(url)
    assert other.status_code == 200
    assert 'data-testid="template-download"' not in other.content.decode()
    assert client.get(reverse("reporting:template_download"), {"dataset": "BC-THANG", "unit": "01", "period": "202603"}).status_code == 403


def test_pages_without_a_reporting_role_hide_targets_and_upload(client, w):
    client.force_login(w.users["ministry_unit"])
    page = client.get(reverse("reporting:indicator_list")).content.decode()
    assert 'data-testid="nav-excel-upload"' not in page

    client.force_login(w.users["hanoi_officer"])
    assert 'data-testid="nav-excel-upload"' in client.get(reverse("reporting:indicator_list")).content.decode()
