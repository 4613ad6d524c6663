"""Every integer the API reads from a URL is bounded: out of range is a 400 naming it, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet
from ninja import NinjaAPI, Router
from ninja.pagination import paginate
from ninja.testing import TestClient

from config.api import api
from lienket.core.api import MAX_OFFSET, BoundedLimitOffsetPagination, BoundedPageNumberPagination
from lienket.core.models import AuditEntry


def _integer_schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The integer alternatives of a parameter schema (`int` or `int | None`)."""
    options = schema.get("anyOf") or schema.get("oneOf") or [schema]
    return [o for o in options if o.get("type") == "integer"]


def test_every_integer_query_and_path_parameter_declares_a_maximum():
    schema = api.get_openapi_schema()
    unbounded, seen = [], 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["in"] not in ("query", "path"):
                    continue
                for option in _integer_schemas(param.get("schema", {})):
                    seen += 1
                    if "maximum" not in option and "exclusiveMaximum" not in option:
                        unbounded.append(f"{method.upper()} {path} {param['name']}")
    assert seen >= 8  # the walk found the parameters it is meant to check
    assert unbounded == []


def test_the_project_pagination_class_is_the_bounded_one(settings):
    from ninja.conf import settings as ninja_settings

    assert ninja_settings.PAGINATION_CLASS == "lienket.core.api.BoundedLimitOffsetPagination"


@pytest.fixture
def paged_client() -> TestClient:
    """A throw-away API with one `@paginate` endpoint per bounded pagination class."""
    router = Router()

    @router.get("/default", response=list[int])
    @paginate
    def default(request: Any) -> QuerySet[AuditEntry]:
        return AuditEntry.objects.order_by("pk").values_list("pk", flat=True)

    @router.get("/pages", response=list[int])
    @paginate(BoundedPageNumberPagination)
    def pages(request: Any) -> QuerySet[AuditEntry]:
        return AuditEntry.objects.order_by("pk").values_list("pk", flat=True)

    local = NinjaAPI(urls_namespace="bounds-test")
    local.add_router("/", router)
    return TestClient(local)


@pytest.mark.parametrize("pagination", [BoundedLimitOffsetPagination, BoundedPageNumberPagination])
def test_the_pagination_inputs_declare_maxima(pagination):
    properties = pagination.Input.model_json_schema()["properties"]

    assert properties
    for name, prop in properties.items():
        assert all("maximum" in o for o in _integer_schemas(prop)), name


@pytest.mark.django_db
def test_paginate_uses_bounded_limit_and_offset(paged_client):
    ok = paged_client.get("/default?limit=10&offset=" + str(MAX_OFFSET))
    huge = paged_client.get("/default?offset=" + str(2**63))
    too_many = paged_client.get("/default?limit=100000")
    negative = paged_client.get("/default?offset=-1")

    assert (ok.status_code, ok.json()["items"]) == (200, [])
    assert huge.status_code == too_many.status_code == negative.status_code == 422  # config/api.py makes it a 400
    assert BoundedLimitOffsetPagination().max_limit == 1000


@pytest.mark.django_db
def test_page_numbers_are_bounded(paged_client):
    assert paged_client.get("/pages?page=1").status_code == 200
    assert paged_client.get("/pages?page=" + str(2**63)).status_code == 422
    assert paged_client.get("/pages?page_size=" + str(2**63)).status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize("page", [str(2**63), str(2**64), "-1", "0", "١٢", "²", "abc"])
@pytest.mark.parametrize("path", ["/audit/", "/reporting/submissions/"])
def test_html_pages_take_any_page_number_without_a_500(coordinator, path, page):
    from django.test import Client

    client = Client()
    client.force_login(coordinator)

    response = client.get(path, {"page": page})

    assert response.status_code == 200
