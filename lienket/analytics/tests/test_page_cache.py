"""The dashboards' cache of the published figures (issue #18): content under the figures' version (fresh on every
accept/reopen), an anonymous visitor's whole page memoised in the process with its CSRF token and CSP nonce put in
per response, a province's own people never served from it, refusals never cached."""

from __future__ import annotations

import re

import pytest
from csp.constants import NONCE, SELF
from django.conf import settings as django_settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from lienket.analytics import dashboards
from lienket.reporting.models import Submission
from lienket.reporting.services import submission_transition

from .test_dashboards import world_values

URL = "/analytics/dashboard/?period=202601"
HANOI = ("987,6", "1.047,6")  # Hà Nội's January export, alone or in its sub-region's total


def shows_hanoi(html: str) -> bool:
    return any(v in html for v in HANOI)


@pytest.fixture
def published_cache(settings):
    settings.ANALYTICS_PUBLISHED_CACHE = True
    cache.clear()
    dashboards.CONTENTS.clear()
    dashboards.PAGES.clear()
    yield
    cache.clear()
    dashboards.CONTENTS.clear()
    dashboards.PAGES.clear()


def accept_hanoi(w) -> None:
    sub = Submission.objects.get(unit=w.hanoi, period__code="202601")
    submission_transition(submission=sub, actor=w.users["coordinator"], action="accept")


@pytest.mark.django_db
def test_an_anonymous_page_is_memoised_and_fresh_after_accept_and_reopen(w, client, published_cache):
    world_values(w, hanoi_status="approved")
    first = client.get(URL).content.decode()
    assert not shows_hanoi(first)
    assert len(dashboards.PAGES.items) == 1  # memoised: the next visitor gets it without rendering
    assert not shows_hanoi(client.get(URL).content.decode())
    coordinator = Client()
    coordinator.force_login(w.users["coordinator"])
    assert not shows_hanoi(coordinator.get(URL).content.decode())

    accept_hanoi(w)  # a new figures' version: both caches start afresh
    assert shows_hanoi(client.get(URL).content.decode())
    assert shows_hanoi(coordinator.get(URL).content.decode())

    sub = Submission.objects.get(unit=w.hanoi, period__code="202601")
    submission_transition(submission=sub, actor=w.users["coordinator"], action="reopen", reason="Sửa số liệu")
    assert not shows_hanoi(client.get(URL).content.decode())


@pytest.mark.django_db
def test_each_viewer_keeps_seeing_what_they_may(w, client, published_cache):
    world_values(w, hanoi_status="approved")
    anonymous = client.get(URL).content.decode()
    assert not shows_hanoi(anonymous)
    own = Client()
    own.force_login(w.users["hanoi_officer"])  # a province's own people: their unaccepted values, never cached
    assert shows_hanoi(own.get(URL).content.decode())
    other = Client()
    other.force_login(w.users["phutho_officer"])
    assert not shows_hanoi(other.get(URL).content.decode())
    assert not shows_hanoi(client.get(URL).content.decode())  # the anonymous page did not take the officer's view
    signed_in = Client()
    signed_in.force_login(w.users["coordinator"])
    html = signed_in.get(URL).content.decode()  # same published content, their own header
    assert 'class="user-link">coordinator<' in html
    assert 'data-testid="lang-en"' in html
    anonymous_again = client.get(URL).content.decode()
    assert "coordinator" not in anonymous_again
    assert 'data-testid="lang-en"' in anonymous_again


@pytest.mark.django_db
def test_the_csrf_token_is_each_responses_own_and_valid(w, published_cache):
    world_values(w)
    tokens = []
    for _ in range(3):
        visitor = Client(enforce_csrf_checks=True)
        r = visitor.get(URL)
        html = r.content.decode()
        found = set(re.findall(r'csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', html))
        found |= set(re.findall(r'"X-CSRFToken": "([A-Za-z0-9]{64})"', html))
        assert len(found) == 1
        assert dashboards.CSRF_PLACEHOLDER not in html
        token = found.pop()
        cookie = r.cookies[django_settings.CSRF_COOKIE_NAME].value
        assert _unmask_cipher_token(token) == cookie  # the token goes with this response's cookie
        posted = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
        assert posted.status_code == 302  # accepted by the CSRF check
        tokens.append(token)
    assert len(dashboards.PAGES.items) == 1
    assert len(set(tokens)) == 3


@pytest.mark.django_db
def test_a_csp_nonce_a_template_uses_is_each_responses_own(w, client, published_cache, settings, tmp_path):
    (tmp_path / "analytics").mkdir()
    (tmp_path / "analytics" / "_page.html").write_text(
        '{% extends "base.html" %}{% block content %}<p data-nonce="{{ request.csp_nonce }}">{{ page_content }}</p>'
        "{% endblock %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**policy["DIRECTIVES"], "script-src": [SELF, NONCE]}}
    world_values(w)
    nonces = []
    for _ in range(3):
        r = client.get(URL)
        html = r.content.decode()
        nonce = re.search(r'data-nonce="([^"]+)"', html).group(1)
        assert dashboards.NONCE_PLACEHOLDER not in html
        assert f"'nonce-{nonce}'" in r["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(dashboards.PAGES.items) == 1
    assert len(set(nonces)) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/analytics/unit/nope/", "/analytics/rankings/?period=bad"])
def test_a_refusal_is_never_cached(w, client, published_cache, url):
    world_values(w)
    statuses = {client.get(url).status_code for _ in range(3)}
    assert statuses == {client.get(url).status_code}
    assert statuses != {200}
    assert not dashboards.PAGES.items
    assert not dashboards.CONTENTS.items


@pytest.mark.django_db
def test_a_units_page_keeps_its_title_when_served_from_the_cache(w, client, published_cache):
    world_values(w)
    titles = {re.search(r"<title>(.*?)</title>", client.get("/analytics/unit/01/?period=202601").content.decode()).group(1)
              for _ in range(3)}
    assert titles == {"Hà Nội · LienKet"}


@pytest.mark.django_db
def test_messages_waiting_are_shown_not_memoised(w, client, published_cache):
    world_values(w)
    client.get(URL)  # the anonymous page, memoised
    storage = CookieStorage(HttpRequest())
    storage.add(constants.INFO, "Xin chào")
    response = HttpResponse()
    storage.update(response)
    anonymous = Client()
    anonymous.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value
    assert "Xin chào" in anonymous.get(URL).content.decode()  # not the memoised page: it has no messages
    assert "Xin chào" not in anonymous.get(URL).content.decode()  # shown once, as ever
    assert "Xin chào" not in client.get(URL).content.decode()
