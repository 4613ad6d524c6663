"""Property-based API tests with schemathesis: every operation of /api/v1/openapi.json, with generated valid and
invalid input, as the Ministry coordinator and as a province officer (Bearer tokens), through the whole Django
stack (WSGI, middleware, error handlers). Checks: no 5xx, every status code is declared, every response body
matches its declared schema, content types and headers conform.

Bounded for `make test` (a few examples per operation, derandomized so CI is stable). `make fuzz` runs the same
tests with LIENKET_FUZZ_EXAMPLES=200 and randomized input.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from lienket.reporting.services import datavalues_apply
from lienket.reporting.tests.factories import world
from lienket.reporting.values import ValueItem
from lienket.users.models import ApiToken, User
from lienket.users.tokens import token_generate

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

EXAMPLES = int(os.environ.get("LIENKET_FUZZ_EXAMPLES", "5"))
RANDOM = bool(os.environ.get("LIENKET_FUZZ_EXAMPLES"))  # the long profile explores; the default run is repeatable

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)


def _token(user: User) -> str:
    raw, lookup, token_hash = token_generate()
    ApiToken.objects.create(user=user, name="fuzz", lookup=lookup, token_hash=token_hash)
    return raw


@pytest.fixture
def fuzz_world(db, clock) -> Iterator[dict[str, str]]:
    """A small world with one value of Hà Nội and tokens of the coordinator and of Hà Nội's officer.

    Requests go through the real WSGI handler, whose request_started/finished signals close "old" database
    connections — on PostgreSQL that would be the test's own connection, inside its transaction. Django's test
    client detaches the same handler for the same reason."""
    w = world()
    datavalues_apply(actor=w.users["hanoi_officer"], source="form",
                     items=[ValueItem(unit=w.hanoi.key, period="202603", indicator="RETAIL", value=10)])
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"coordinator": _token(w.users["coordinator"]), "officer": _token(w.users["hanoi_officer"])}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# What the gate promises: no server error, only declared status codes, bodies and headers as declared (invalid
# input is still generated: it must end in a declared 4xx, never a 5xx). Left out on purpose:
# `positive_data_acceptance` (several parameters are plain strings in the schema whose format — a period code,
# `app.model:id` — the server checks with a declared 400/422) and `negative_data_rejection` (unknown query
# parameters are ignored, as HTTP APIs commonly do, and POST /datavalues reads its body leniently, e.g. a null
# "reason" is no reason).
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def _call(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}, checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_ministry_coordinator(case, fuzz_world):
    _call(case, fuzz_world["coordinator"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_province_officer(case, fuzz_world):
    _call(case, fuzz_world["officer"])
