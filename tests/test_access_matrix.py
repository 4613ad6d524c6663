"""The permission matrix: every HTML route and every API operation, for every role, against tests/access.py.

One world is built per test; every request runs inside a savepoint that is rolled back, so each one sees the
same world, and a refused write is checked to have changed nothing (row counts and a hash of every row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lienket.conferences.models import Conference, ConferenceSeries
from lienket.cooperation.services import document_add as coop_document_add
from lienket.cooperation.tests.factories import activity as coop_activity
from lienket.cooperation.tests.factories import programme as coop_programme
from lienket.reporting.models import ImportJob, Submission
from lienket.reporting.services import datavalues_apply
from lienket.reporting.tests.factories import PASSWORD, user, world
from lienket.reporting.values import ValueItem
from lienket.users.models import ApiToken, Membership, Role, User
from lienket.users.tokens import token_generate

from .access import API, HTML, ROLES, expected

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

API_PREFIX = "api/v1/"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
VOLATILE_FIELDS = {"last_login", "last_used_at", "session_data", "expire_date"}  # touched by logging in / using a token


# --- discovery ------------------------------------------------------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}".strip(":") if p.name else ""
            yield prefix + str(p.pattern), name


def _openapi_paths() -> dict[str, dict[str, Any]]:
    from config.api import api

    return api.get_openapi_schema()["paths"]


def _api_route(route: str) -> str:
    """ninja's `api/v1/units/<code>` → the schema's `/api/v1/units/{code}`."""
    import re

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def discovered_html_routes() -> set[str]:
    """Every URL pattern's name (or route when unnamed), except the API operations (covered by the schema) and the
    admin's inner views (they share its staff gate; /admin/ itself is checked)."""
    api_paths = set(_openapi_paths())
    routes = set()
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") and name != "admin:index":
            continue
        if route.startswith(API_PREFIX) and _api_route(route) in api_paths:
            continue
        if route.startswith(("static/", "media/")):
            continue
        routes.add(name or route)
    return routes


def _hidden_api_operations() -> set[tuple[str, str]]:
    """Operations left out of the schema (include_in_schema=False) are endpoints too."""
    import re

    from config.api import api

    found = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                if not op.include_in_schema:
                    parts = [part.strip("/") for part in ("/api/v1", prefix, path) if part.strip("/")]
                    full = re.sub(r"{(?:\w+:)?(\w+)}", r"{\1}", "/" + "/".join(parts))
                    found |= {(method.upper(), full) for method in op.methods}
    return found


def discovered_api_operations() -> set[tuple[str, str]]:
    in_schema = {(method.upper(), path) for path, ops in _openapi_paths().items() for method in ops}
    return in_schema | _hidden_api_operations()


def test_every_html_route_is_in_the_access_table_and_every_entry_exists():
    discovered = discovered_html_routes()
    declared = {name for _method, name in HTML}
    assert not discovered - declared, f"routes without an entry in tests/access.py HTML: {sorted(discovered - declared)}"
    assert not declared - discovered, f"entries in tests/access.py HTML for routes that are gone: {sorted(declared - discovered)}"


def test_every_api_operation_is_in_the_access_table_and_every_entry_exists():
    discovered = discovered_api_operations()
    declared = set(API)
    assert not discovered - declared, f"API operations without an entry in tests/access.py API: {sorted(discovered - declared)}"
    assert not declared - discovered, f"entries in tests/access.py API that are gone: {sorted(declared - discovered)}"


def test_every_table_entry_has_a_request_to_check_it():
    assert set(HTML) <= set(HTML_REQUESTS) | {k for k in HTML if k[1] not in _HTML_KWARGS_NEEDED}
    assert set(API) <= set(API_REQUESTS) | {k for k in API if "{" not in k[1]}
    for spec in [*HTML.values(), *API.values()]:
        expected(spec)


# --- the world ------------------------------------------------------------------------------------------------------


@dataclass
class MatrixWorld:
    users: dict[str, User | None]
    tokens: dict[str, str]
    own_submission: Submission
    other_submission: Submission
    own_token: ApiToken
    own_job: ImportJob
    extra: dict[str, Any] = field(default_factory=dict)


def build_world() -> MatrixWorld:
    w = world()
    conference = Conference.objects.order_by("-year").first()  # from the reference data
    if conference is None:
        series = ConferenceSeries.objects.create(key="matrix", name="Hội nghị các tỉnh phía Bắc")
        conference = Conference.objects.create(series=series, ordinal=11, year=2025, title="Hội nghị lần thứ XI",
                                               confidence=Conference.Confidence.CONFIRMED)
    secretariat = user("secretariat")
    Membership.objects.create(user=secretariat, role=Role.SECRETARIAT, conference=conference)
    users: dict[str, User | None] = {
        "anonymous": None,
        "officer": w.users["hanoi_officer"],
        "director": w.users["hanoi_director"],
        "other": w.users["phutho_officer"],
        "coordinator": w.users["coordinator"],
        "ministry": w.users["ministry_unit"],
        "secretariat": secretariat,
        "admin": w.users["admin"],
    }
    tokens = {}
    for role, u in users.items():
        if u is not None:
            raw, lookup, token_hash = token_generate()
            ApiToken.objects.create(user=u, name="matrix", lookup=lookup, token_hash=token_hash)
            tokens[role] = raw
    raw, lookup, token_hash = token_generate()
    own_token = ApiToken.objects.create(user=users["officer"], name="script", lookup=lookup, token_hash=token_hash)
    datavalues_apply(actor=users["officer"], items=[ValueItem(unit=w.hanoi.key, period="202603", indicator="RETAIL", value=10)],
                     source="form")
    datavalues_apply(actor=users["other"], items=[ValueItem(unit=w.phutho.key, period="202603", indicator="RETAIL", value=20)],
                     source="form")
    own = Submission.objects.get(unit=w.hanoi, period__code="202603")
    other = Submission.objects.get(unit=w.phutho, period__code="202603")
    job = ImportJob.objects.create(created_by=users["officer"], filename="bieu.xlsx", content=b"", sha256="0" * 64,
                                   dry_run=True, status=ImportJob.Status.VALIDATED)
    from lienket.proposals.tests.matrix import proposals_matrix_world

    coop = coop_programme(users["coordinator"], parties=[("unit:01", "lead"), ("unit:40", "member")], published=False,
                          objectives=[("Doanh số", "tỷ đồng", "10", "1")])
    coop_act = coop_activity(users["coordinator"], coop, place="01", start=dt.date(2026, 4, 1))
    coop_doc = coop_document_add(actor=users["coordinator"], programme_id=coop.pk, title="Biên bản ký kết",
                                 file=_pdf_upload())
    extra = {**_products_world(w.hanoi, users["officer"]), **proposals_matrix_world(users, w.hanoi), "programme": coop,
             "coop_activity": coop_act, "coop_document": coop_doc}
    return MatrixWorld(users, tokens, own, other, own_token, job, extra)


def _products_world(hanoi: Any, officer: Any) -> dict[str, Any]:
    """A published product of Hà Nội with one stored photo."""
    from lienket.products import services as product_services
    from lienket.products.values import ProductInput

    product = product_services.product_create(actor=officer, data=_product_input(hanoi))
    photo = product_services.product_photo_add(actor=officer, product_id=product.pk, data=_jpeg(), filename="a.jpg")
    return {"product": product, "photo": photo, "ProductInput": ProductInput}


def _product_input(unit: Any, name: str = "Gốm Bát Tràng") -> Any:
    import datetime as dt

    from lienket.products.values import ProductInput

    return ProductInput(name=name, unit=unit, producer_name="HTX gốm", ocop_group="luu_niem_trang_tri", stars=4, score=80,
                        decision_number="1/QĐ-UBND", decision_date=dt.date(2025, 1, 6), decision_issuer="UBND TP Hà Nội")


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


def _product_form(m: MatrixWorld, **extra: Any) -> dict[str, Any]:
    return {"unit": m.extra["product"].unit_id, "name": "Gốm men lam", "producer_name": "HTX gốm", "stars": "4",
            "score": "80", "ocop_group": "luu_niem_trang_tri", "decision_number": "2/QĐ-UBND", "decision_date": "2025-02-01",
            "decision_issuer": "UBND TP Hà Nội", "is_published": "on", **extra}


def _products_xlsx(m: MatrixWorld) -> Any:
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lienket.products.exports import import_template_xlsx

    wb = openpyxl.load_workbook(io.BytesIO(import_template_xlsx()))
    wb["Sản phẩm"].append(["01", "Hà Nội", "HTX mây tre", "", "", "", "Làn mây", "Mây tre", "", None, None, "", "", "", "x", ""])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("san-pham.xlsx", out.getvalue())


# --- the requests ---------------------------------------------------------------------------------------------------
# Each entry: (path kwargs or query, body) built from the world. Bodies of writes are VALID requests of the own
# unit, so a role the table denies would really change something if the gate were missing.

Build = Callable[[MatrixWorld], dict[str, Any]]
_HTML_KWARGS_NEEDED = {
    "regions:unit_detail", "analytics:unit", "reporting:dataset_detail", "reporting:entry_open", "reporting:submission_detail",
    "reporting:values_save", "reporting:value_history", "reporting:submission_transition", "reporting:completeness",
    "reporting:import_detail", "reporting:import_apply", "users:token_revoke",
    "products:detail", "products:photo", "products:edit", "products:delete", "products:photo_add", "products:photo_delete",
    "library:document_detail", "library:document_edit", "library:relation_add", "library:relation_remove",
    "proposals:attachment", "proposals:detail", "proposals:answer_file", "proposals:transition", "proposals:endorse",
    "proposals:note", "proposals:attach", "proposals:link_previous", "proposals:edit", "proposals:contribute",
    "proposals:contribution_file",
    "cooperation:programme_detail", "cooperation:programme_edit", "cooperation:programme_status",
    "cooperation:activity_create", "cooperation:activity_edit", "cooperation:activity_delete",
    "cooperation:document_add", "cooperation:document_file", "cooperation:document_remove",
}


def _decree_pk() -> int:
    from lienket.library.selectors import document_find

    doc = document_find(number="32/2024/NĐ-CP")  # from the reference data
    assert doc is not None
    return doc.pk


def _doc_pk(number: str) -> int:
    from lienket.library.selectors import document_find

    doc = document_find(number=number)  # from the reference data
    assert doc is not None
    return doc.pk


def _decree_relation_pk() -> int:
    from lienket.library.models import DocumentRelation

    return DocumentRelation.objects.get(target_id=_decree_pk(), kind="guides").pk  # 14/2024/TT-BCT guides it


def _coop(m: MatrixWorld) -> dict[str, Any]:
    return {"pk": m.extra["programme"].pk}


def _coop_act(m: MatrixWorld) -> dict[str, Any]:
    return {"pk": m.extra["programme"].pk, "aid": m.extra["coop_activity"].pk}


def _coop_doc(m: MatrixWorld) -> dict[str, Any]:
    return {"pk": m.extra["programme"].pk, "did": m.extra["coop_document"].pk}


COOP_FORM = {"title": "Liên kết Hà Nội – Nghệ An", "kind": "bilateral", "field": "trade_promotion",
             "start_on": "2026-01-01", "end_on": "2026-12-31", "party-0-ref": "unit:01", "party-0-role": "lead",
             "party-1-ref": "unit:40", "party-1-role": "member"}
COOP_API = {"title": "Liên kết Hà Nội – Nghệ An", "kind": "bilateral", "field": "trade_promotion",
            "start_on": "2026-01-01", "parties": [{"ref": "unit:01", "role": "lead"}, {"ref": "unit:40"}]}


def _sub(m: MatrixWorld) -> dict[str, Any]:
    return {"pk": m.own_submission.pk}


HTML_REQUESTS: dict[tuple[str, str], dict[str, Build]] = {
    ("POST", "set_language"): {"data": lambda m: {"language": "en", "next": "/"}},
    ("GET", "search:search"): {"query": lambda m: {"q": "phu tho"}},
    ("GET", "library:document_detail"): {"kwargs": lambda m: {"pk": _decree_pk()}},
    ("POST", "library:document_create"): {"data": lambda m: {"doc_type": "decree", "number": "99/2025/NĐ-CP", "title": "Thử",
                                                             "status": "unknown", "visibility": "public"}},
    ("GET", "library:document_edit"): {"kwargs": lambda m: {"pk": _decree_pk()}},
    ("POST", "library:document_edit"): {"kwargs": lambda m: {"pk": _decree_pk()},
                                        "data": lambda m: {"doc_type": "decree", "number": "32/2024/NĐ-CP", "title": "Sửa",
                                                           "status": "in_force", "visibility": "public", "version": "1"}},
    ("GET", "library:relation_add"): {"kwargs": lambda m: {"pk": _decree_pk()}, "query": lambda m: {"q": "nghi dinh"}},
    ("POST", "library:relation_add"): {"kwargs": lambda m: {"pk": _decree_pk()},
                                       "data": lambda m: {"relation": "out:amends", "target": _doc_pk("09/2019/NĐ-CP")}},
    ("GET", "library:relation_remove"): {"kwargs": lambda m: {"pk": _decree_pk(), "rid": _decree_relation_pk()}},
    ("POST", "library:relation_remove"): {"kwargs": lambda m: {"pk": _decree_pk(), "rid": _decree_relation_pk()}},
    ("POST", "users:login"): {"data": lambda m: {"username": "nobody", "password": "wrong"}},
    ("POST", "users:password_change"): {"data": lambda m: {"old_password": "wrong", "new_password1": "x",
                                                             "new_password2": "y"}},
    ("POST", "users:token_create"): {"data": lambda m: {"name": "matrix-new"}},
    ("POST", "users:token_revoke"): {"kwargs": lambda m: {"token_id": m.own_token.pk}},
    ("GET", "regions:unit_detail"): {"kwargs": lambda m: {"code": "01"}},
    ("GET", "regions:profile"): {"query": lambda m: {"group": "north", "year": "2022"}},
    ("GET", "analytics:unit"): {"kwargs": lambda m: {"key": "01"}},
    ("GET", "reporting:dataset_detail"): {"kwargs": lambda m: {"code": "BC-THANG"}},
    ("GET", "reporting:entry_open"): {"kwargs": lambda m: {"dataset_code": "BC-THANG", "unit_key": "01", "period": "202604"}},
    ("POST", "reporting:entry_open"): {"kwargs": lambda m: {"dataset_code": "BC-THANG", "unit_key": "01", "period": "202604"}},
    ("GET", "reporting:submission_detail"): {"kwargs": _sub},
    ("POST", "reporting:values_save"): {
        "kwargs": _sub,
        "data": lambda m: {"value-RETAIL": "11", "version-RETAIL": "1", "value-EXPORT": "5", "version-EXPORT": "0",
                           "value-IIP": "", "version-IIP": "0", "change_reason": "matrix"},
    },
    ("GET", "reporting:value_history"): {"kwargs": lambda m: {"pk": m.own_submission.pk, "indicator": "RETAIL"}},
    ("POST", "reporting:submission_transition"): {
        "kwargs": _sub, "data": lambda m: {"action": "submit", "version": str(m.own_submission.version)},
    },
    ("GET", "reporting:completeness"): {"kwargs": lambda m: {"dataset_code": "BC-THANG", "period": "202603"}},
    ("GET", "reporting:targets"): {"query": lambda m: {}},
    ("POST", "reporting:targets"): {"data": lambda m: {"unit": "01", "year": "2026", "target-RETAIL": "100"}},
    ("GET", "reporting:template_download"): {"query": lambda m: {"dataset": "BC-THANG", "period": "202603", "unit": "01"}},
    ("GET", "reporting:workbook_download"): {"query": lambda m: {"dataset": "BC-THANG", "period": "202603"}},
    ("GET", "reporting:import_detail"): {"kwargs": lambda m: {"pk": m.own_job.pk}},
    ("POST", "reporting:import_apply"): {"kwargs": lambda m: {"pk": m.own_job.pk}},
    ("GET", "products:detail"): {"kwargs": lambda m: {"pk": m.extra["product"].pk}},
    ("GET", "products:photo"): {"kwargs": lambda m: {"pk": m.extra["photo"].pk, "size": "thumb"}},
    ("POST", "products:create"): {"data": lambda m: _product_form(m)},
    ("GET", "products:edit"): {"kwargs": lambda m: {"pk": m.extra["product"].pk}},
    ("POST", "products:edit"): {"kwargs": lambda m: {"pk": m.extra["product"].pk},
                                "data": lambda m: _product_form(m, name="Gốm Bát Tràng", version="1")},
    ("GET", "products:delete"): {"kwargs": lambda m: {"pk": m.extra["product"].pk}},
    ("POST", "products:delete"): {"kwargs": lambda m: {"pk": m.extra["product"].pk}, "data": lambda m: {"version": "1"}},
    ("POST", "products:photo_add"): {"kwargs": lambda m: {"pk": m.extra["product"].pk},
                                     "data": lambda m: {"photo": __import__("django.core.files.uploadedfile", fromlist=["x"])
                                                        .SimpleUploadedFile("b.jpg", _jpeg(), "image/jpeg")}},
    ("POST", "products:photo_delete"): {"kwargs": lambda m: {"pk": m.extra["photo"].pk}},
    ("POST", "products:import"): {"data": lambda m: {"file": _products_xlsx(m)}},
    ("POST", "proposals:create"): {"data": lambda m: {"submitter": f"unit:{m.own_submission.unit_id}", "title": "Kiến nghị mới",
                                                      "body": "Nội dung", "field": "energy", "kind": "policy"}},
    ("GET", "proposals:similar"): {"query": lambda m: {"title": "dien mat troi"}},
    ("POST", "proposals:group"): {"data": lambda m: {"proposals": [m.extra["p_received"].pk, m.extra["p_assigned"].pk]}},
    ("GET", "proposals:attachment"): {"kwargs": lambda m: {"pk": m.extra["p_attachment"].pk}},
    ("GET", "proposals:detail"): {"kwargs": lambda m: {"pk": m.extra["p_draft"].pk}},
    ("GET", "proposals:answer_file"): {"kwargs": lambda m: {"pk": m.extra["p_answered"].pk}},
    ("POST", "proposals:transition"): {"kwargs": lambda m: {"pk": m.extra["p_draft"].pk},
                                       "data": lambda m: {"action": "submit", "version": m.extra["p_draft"].version}},
    ("POST", "proposals:endorse"): {"kwargs": lambda m: {"pk": m.extra["p_received"].pk}, "data": lambda m: {"comment": "x"}},
    ("POST", "proposals:note"): {"kwargs": lambda m: {"pk": m.extra["p_received"].pk}, "data": lambda m: {"text": "Ghi chú"}},
    ("POST", "proposals:attach"): {"kwargs": lambda m: {"pk": m.extra["p_draft"].pk},
                                   "data": lambda m: {"file": _pdf_upload()}},
    ("POST", "proposals:link_previous"): {"kwargs": lambda m: {"pk": m.extra["p_received"].pk},
                                          "data": lambda m: {"previous": m.extra["p_answered"].pk}},
    ("GET", "proposals:edit"): {"kwargs": lambda m: {"pk": m.extra["p_draft"].pk}},
    ("POST", "proposals:edit"): {"kwargs": lambda m: {"pk": m.extra["p_draft"].pk}, "data": lambda m: {
        "title": "Bản nháp đã sửa", "body": "Nội dung", "field": "energy", "kind": "policy", "version": m.extra["p_draft"].version}},
    ("POST", "proposals:contribute"): {"kwargs": lambda m: {"pk": m.extra["p_cooperating"].pk},
                                       "data": lambda m: {"text": "Ý kiến phối hợp", "file": _pdf_upload()}},
    ("GET", "proposals:contribution_file"): {"kwargs": lambda m: {"pk": m.extra["p_contribution"].pk}},
    ("POST", "cooperation:programme_create"): {"data": lambda m: COOP_FORM},
    ("GET", "cooperation:programme_detail"): {"kwargs": _coop},
    ("GET", "cooperation:programme_edit"): {"kwargs": _coop},
    ("POST", "cooperation:programme_edit"): {"kwargs": _coop, "data": lambda m: {**COOP_FORM, "version": "1"}},
    ("POST", "cooperation:programme_status"): {"kwargs": _coop, "data": lambda m: {"status": "active", "version": "1"}},
    ("GET", "cooperation:activity_create"): {"kwargs": _coop},
    ("POST", "cooperation:activity_create"): {"kwargs": _coop, "data": lambda m: {
        "kind": "fair", "title": "Hội chợ", "start_on": "2026-05-01", "end_on": "2026-05-02", "place": "01"}},
    ("GET", "cooperation:activity_edit"): {"kwargs": _coop_act},
    ("POST", "cooperation:activity_edit"): {"kwargs": _coop_act, "data": lambda m: {
        "version": "1", "kind": "fair", "title": "Hội chợ đổi tên", "start_on": "2026-05-01", "end_on": "2026-05-02",
        "place": "01"}},
    ("GET", "cooperation:activity_delete"): {"kwargs": _coop_act},
    ("POST", "cooperation:activity_delete"): {"kwargs": _coop_act, "data": lambda m: {"version": "1"}},
    ("POST", "cooperation:document_add"): {"kwargs": _coop, "data": lambda m: {
        "doc_title": "Kế hoạch", "doc_url": "https://example.org/ke-hoach.pdf"}},
    ("GET", "cooperation:document_file"): {"kwargs": _coop_doc},
    ("POST", "cooperation:document_remove"): {"kwargs": _coop_doc},
}


def _pdf_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n% matrix upload\n", content_type="application/pdf")

API_REQUESTS: dict[tuple[str, str], dict[str, Build]] = {
    ("GET", "/api/v1/regions/units/{code}"): {"kwargs": lambda m: {"code": "01"}},
    ("GET", "/api/v1/search"): {"query": lambda m: {"q": "nghi dinh 32"}},
    ("GET", "/api/v1/library/documents/{document_id}"): {"kwargs": lambda m: {"document_id": _decree_pk()}},
    ("GET", "/api/v1/regions/profile"): {"query": lambda m: {"group": "north", "year": "2022"}},
    ("GET", "/api/v1/analytics"): {"query": lambda m: {"indicator": "RETAIL", "period": "202603", "unit": "01"}},
    ("POST", "/api/v1/users/tokens"): {"json": lambda m: {"name": "matrix-new"}},
    ("DELETE", "/api/v1/users/tokens/{token_id}"): {"kwargs": lambda m: {"token_id": m.own_token.pk}},
    ("GET", "/api/v1/indicators/{code}"): {"kwargs": lambda m: {"code": "RETAIL"}},
    ("GET", "/api/v1/datasets/{code}"): {"kwargs": lambda m: {"code": "BC-THANG"}},
    ("POST", "/api/v1/datavalues"): {"json": lambda m: {"values": [
        {"unit": "01", "period": "202603", "indicator": "EXPORT", "value": "5"}]}},
    ("POST", "/api/v1/submissions"): {"json": lambda m: {"dataset": "BC-THANG", "unit": "01", "period": "202604"}},
    ("GET", "/api/v1/submissions/{submission_id}"): {"kwargs": lambda m: {"submission_id": m.own_submission.pk}},
    ("POST", "/api/v1/submissions/{submission_id}/{action}"): {
        "kwargs": lambda m: {"submission_id": m.own_submission.pk, "action": "submit"},
        "json": lambda m: {"version": m.own_submission.version},
    },
    ("GET", "/api/v1/completeness"): {"query": lambda m: {"dataset": "BC-THANG", "period": "202603"}},
    ("GET", "/api/v1/products/{product_id}"): {"kwargs": lambda m: {"product_id": m.extra["product"].pk}},
    ("POST", "/api/v1/products"): {"json": lambda m: {"unit": "01", "name": "Gốm men lam", "producer_name": "HTX gốm"}},
    ("PUT", "/api/v1/products/{product_id}"): {
        "kwargs": lambda m: {"product_id": m.extra["product"].pk},
        "json": lambda m: {"unit": "01", "name": "Gốm Bát Tràng", "producer_name": "HTX gốm", "version": 1,
                           "ocop_group": "luu_niem_trang_tri", "stars": 4, "score": 81, "decision_number": "1/QĐ-UBND",
                           "decision_date": "2025-01-06", "decision_issuer": "UBND TP Hà Nội"},
    },
    ("DELETE", "/api/v1/products/{product_id}"): {"kwargs": lambda m: {"product_id": m.extra["product"].pk},
                                                  "query": lambda m: {"version": 1}},
    ("POST", "/api/v1/proposals"): {"json": lambda m: {"title": "Kiến nghị mới", "body": "Nội dung", "field": "energy",
                                                       "kind": "policy", "unit": "01"}},
    ("GET", "/api/v1/proposals/similar"): {"query": lambda m: {"q": "dien mat troi"}},
    ("POST", "/api/v1/proposals/groups"): {"json": lambda m: {"proposals": [m.extra["p_received"].pk, m.extra["p_assigned"].pk]}},
    ("GET", "/api/v1/proposals/{proposal_id}"): {"kwargs": lambda m: {"proposal_id": m.extra["p_draft"].pk}},
    ("PATCH", "/api/v1/proposals/{proposal_id}"): {"kwargs": lambda m: {"proposal_id": m.extra["p_draft"].pk},
                                                    "json": lambda m: {"version": m.extra["p_draft"].version, "title": "Đã sửa"}},
    ("POST", "/api/v1/proposals/{proposal_id}/endorsements"): {"kwargs": lambda m: {"proposal_id": m.extra["p_received"].pk},
                                                               "json": lambda m: {"comment": "x"}},
    ("POST", "/api/v1/proposals/{proposal_id}/{action}"): {
        "kwargs": lambda m: {"proposal_id": m.extra["p_draft"].pk, "action": "submit"},
        "json": lambda m: {"version": m.extra["p_draft"].version},
    },
    ("POST", "/api/v1/cooperation/programmes"): {"json": lambda m: COOP_API},
    ("GET", "/api/v1/cooperation/programmes/{programme_id}"): {"kwargs": lambda m: {"programme_id": _coop(m)["pk"]}},
    ("PATCH", "/api/v1/cooperation/programmes/{programme_id}"): {
        "kwargs": lambda m: {"programme_id": _coop(m)["pk"]}, "json": lambda m: {"version": 1, "title": "Đổi tên"}},
    ("POST", "/api/v1/cooperation/programmes/{programme_id}/status"): {
        "kwargs": lambda m: {"programme_id": _coop(m)["pk"]}, "json": lambda m: {"version": 1, "status": "active"}},
    ("POST", "/api/v1/cooperation/activities"): {"json": lambda m: {
        "programme_id": _coop(m)["pk"], "kind": "fair", "title": "Hội chợ", "start_on": "2026-05-01",
        "end_on": "2026-05-02", "place": "01"}},
    ("PATCH", "/api/v1/cooperation/activities/{activity_id}"): {
        "kwargs": lambda m: {"activity_id": m.extra["coop_activity"].pk}, "json": lambda m: {
            "version": 1, "kind": "fair", "title": "Hội chợ đổi tên", "start_on": "2026-05-01", "end_on": "2026-05-02",
            "place": "01"}},
    ("DELETE", "/api/v1/cooperation/activities/{activity_id}"): {
        "kwargs": lambda m: {"activity_id": m.extra["coop_activity"].pk}},
}


# --- checking -------------------------------------------------------------------------------------------------------


def database_state() -> tuple[Any, ...]:
    """Row counts of every table and a hash of every row (minus the columns logging in or using a token touch)."""
    state = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE_FIELDS]
        rows = list(model._default_manager.order_by("pk").values_list(*fields))
        digest = hashlib.md5(repr(rows).encode(), usedforsecurity=False).hexdigest()
        state.append((model._meta.label, len(rows), digest))
    return tuple(state)


def is_refusal(response: Any) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code in (301, 302, 303):
        return "/login/" in response.get("Location", "")
    return False


def _client(m: MatrixWorld, role: str, *, api: bool) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    u = m.users[role]
    if u is not None:
        if api:
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {m.tokens[role]}"
        else:
            client.force_login(u)
    return client


def _send(client: Client, method: str, url: str, spec: dict[str, Build], m: MatrixWorld) -> Any:
    query = spec["query"](m) if "query" in spec else {}
    if "json" in spec:
        return client.generic(method, url + _qs(query), json.dumps(spec["json"](m)), content_type="application/json")
    if method == "GET":
        return client.get(url, query)
    if method == "POST":
        return client.post(url + _qs(query), spec["data"](m) if "data" in spec else {})
    return client.generic(method, url + _qs(query))


def _qs(query: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return f"?{urlencode(query)}" if query else ""


def _check(m: MatrixWorld, method: str, key: str, url: str, spec: dict[str, Build], access: str, *, api: bool) -> list[str]:
    problems = []
    for role, outcome in expected(access).items():
        # Rolled back after each request. Like the atomic block Django's TestCase wraps a test in, it does not
        # count as nesting for the services' durable blocks (transaction.atomic(durable=True)).
        rollback = transaction.atomic()
        rollback._from_testcase = True
        with rollback:
            client = _client(m, role, api=api)
            before = database_state() if method in WRITE_METHODS else None
            response = _send(client, method, url, spec, m)
            after = database_state() if before is not None else None
            transaction.set_rollback(True)
        got = "D" if is_refusal(response) else "A"
        where = f"{method} {key} as {role}"
        if response.status_code >= 500:
            problems.append(f"{where}: server error {response.status_code}")
        elif got != outcome:
            problems.append(f"{where}: expected {'allow' if outcome == 'A' else 'deny'}, got {response.status_code} "
                            f"{response.get('Location', '')}".rstrip())
        if got == "D" and before != after:
            changed = [b[0] for b, a in zip(before or (), after or (), strict=True) if b != a]
            problems.append(f"{where}: refused ({response.status_code}) but changed {changed}")
    return problems


@pytest.fixture
def matrix(reference_data, clock) -> MatrixWorld:
    return build_world()


def test_html_routes_give_each_role_what_the_table_says(matrix):
    problems = []
    for (method, key), access in sorted(HTML.items()):
        spec = HTML_REQUESTS.get((method, key), {})
        kwargs = spec["kwargs"](matrix) if "kwargs" in spec else {}
        url = reverse(key, kwargs=kwargs) if ":" in key or not key.endswith("/") else "/" + key
        problems += _check(matrix, method, key, url, spec, access, api=False)
    assert not problems, "\n".join(["access differs from tests/access.py:", *problems])


def test_api_operations_give_each_role_what_the_table_says(matrix):
    problems = []
    for (method, path), access in sorted(API.items()):
        spec = API_REQUESTS.get((method, path), {})
        url = path.format(**spec["kwargs"](matrix)) if "kwargs" in spec else path
        problems += _check(matrix, method, path, url, spec, access, api=True)
    assert not problems, "\n".join(["access differs from tests/access.py:", *problems])


def test_the_matrix_world_has_every_role():
    assert set(ROLES) == {"anonymous", "officer", "director", "other", "coordinator", "ministry", "secretariat", "admin"}
    assert PASSWORD  # the factories' password; the matrix logs in with force_login / tokens
