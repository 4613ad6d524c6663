"""Helpers shared by the reporting API tests (test_api_*.py); no tests here.

`ApiClient` talks to /api/v1/ with a real Bearer token (or a logged-in session) through the whole middleware
stack, so authentication, CSRF and the error handlers of config/api.py are part of every test.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.test import Client

from lienket.reporting.models import DataValue, DataValueAudit, Submission
from lienket.users.models import ApiToken, User
from lienket.users.tokens import token_generate

BASE = "/api/v1"


def token_for(user: User, name: str = "test") -> str:
    raw, lookup, token_hash = token_generate()
    ApiToken.objects.create(user=user, name=name, lookup=lookup, token_hash=token_hash)
    return raw


class ApiClient:
    """A Django test client bound to one way of authenticating: a Bearer token, a session, or nothing."""

    def __init__(self, client: Client, *, token: str | None = None, lang: str = "en") -> None:
        self.client = client
        # Messages are asserted in English (the msgids); the site itself defaults to Vietnamese.
        self.headers = {"HTTP_ACCEPT_LANGUAGE": lang}
        if token:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def url(self, path: str, query: dict[str, Any] | None = None) -> str:
        query = {k: v for k, v in (query or {}).items() if v is not None}
        return f"{BASE}{path}" + (f"?{urlencode(query)}" if query else "")

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(self.url(path, query), **self.headers)

    def post_json(self, path: str, data: Any = None, **query: Any) -> Any:
        body = "" if data is None else data if isinstance(data, str | bytes) else json.dumps(data)
        return self.client.post(self.url(path, query), body, content_type="application/json", **self.headers)

    def post_csv(self, path: str, text: str | bytes, content_type: str = "text/csv", **query: Any) -> Any:
        return self.client.post(self.url(path, query), text, content_type=content_type, **self.headers)

    def post_raw(self, path: str, body: str | bytes, content_type: str, **query: Any) -> Any:
        return self.client.post(self.url(path, query), body, content_type=content_type, **self.headers)

    def post_empty(self, path: str, **query: Any) -> Any:
        return self.client.generic("POST", self.url(path, query), b"", **self.headers)


def as_token(user: User, lang: str = "en") -> ApiClient:
    return ApiClient(Client(), token=token_for(user), lang=lang)


def as_session(user: User) -> ApiClient:
    client = Client()
    client.force_login(user)
    return ApiClient(client)


def anonymous() -> ApiClient:
    return ApiClient(Client())


def csv_text(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8")


def value_row(unit: str, period: str, indicator: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {"unit": unit, "period": period, "indicator": indicator, "value": value, **extra}


def db_state() -> tuple[Any, ...]:
    """Everything a write could change, to compare before and after a refused request."""
    return (
        sorted(DataValue.objects.values_list("unit_id", "indicator_id", "period__code", "option_id", "value", "is_estimate",
                                             "comment", "version")),
        sorted(Submission.objects.values_list("id", "status", "version")),
        DataValueAudit.objects.count(),
    )
