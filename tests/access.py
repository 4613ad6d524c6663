"""THE expected-access table: who may reach every HTML route and every API operation.

tests/test_access_matrix.py discovers every URL pattern (django.urls.get_resolver) and every operation of
/api/v1/openapi.json and fails when one is missing here or when an entry here no longer exists — so a new
endpoint cannot land without saying who may use it. Columns (one word each, in this order):

    anonymous  officer  director  other  coordinator  ministry  secretariat  admin

* officer / director: province officer / director of the unit that owns the objects in the URL (Hà Nội);
* other: a province officer of another unit (Phú Thọ) — the "own unit only" check;
* coordinator: ministry coordinator (all units); ministry: a ministry unit (department); secretariat: the
  secretariat of a conference; admin: the superuser.

Outcomes: ``A`` allow (any answer except a refusal; bad input 400/409/422 passed the gate) and ``D`` deny
(401, 403, 404, 405 or a redirect to a login page). A refused write must change nothing (the test checks it).
HTML keys are ``(method, "namespace:name")`` (or the route when unnamed); API keys are ``(method, "/api/v1/...")``
exactly as in the OpenAPI schema (plus the
operations hidden from it). The requests themselves (path parameters, bodies) are in the test module.
"""

from __future__ import annotations

ROLES = ("anonymous", "officer", "director", "other", "coordinator", "ministry", "secretariat", "admin")

EVERYONE = "A A A A A A A A"
SIGNED_IN = "D A A A A A A A"
OWN_UNIT = "D A A D A D D A"  # the unit's own people, the coordinator and the admin
OWN_UNIT_PEOPLE = "D A A D D D D D"  # the unit's own officers and director only (entering values, submitting)
REPORTING_UNITS = "D A A A A D D A"  # province people see their own, the coordinator and admin all
STAFF_ONLY = "D D D D D D D A"
NOBODY = "D D D D D D D D"

HTML: dict[tuple[str, str], str] = {
    ("GET", "home"): EVERYONE,
    ("GET", "healthz"): EVERYONE,
    ("GET", "healthz/"): EVERYONE,
    ("POST", "set_language"): EVERYONE,
    ("GET", "javascript-catalog"): EVERYONE,
    ("GET", "api:openapi-json"): EVERYONE,
    ("GET", "api:openapi-view"): EVERYONE,
    ("GET", "api:api-root"): NOBODY,  # ninja's mount point: nothing there (404)
    # accounts
    ("GET", "users:account"): SIGNED_IN,
    ("GET", "users:login"): EVERYONE,
    ("POST", "users:login"): EVERYONE,
    ("POST", "users:logout"): EVERYONE,
    ("GET", "users:password_change"): SIGNED_IN,
    ("POST", "users:password_change"): SIGNED_IN,
    ("GET", "users:password_change_done"): SIGNED_IN,
    ("POST", "users:token_create"): SIGNED_IN,
    ("POST", "users:token_revoke"): "D A D D D D D A",  # the token's owner and the admin
    # regions: public statistics
    ("GET", "regions:unit_list"): EVERYONE,
    ("GET", "regions:unit_detail"): EVERYONE,
    ("GET", "regions:profile"): EVERYONE,
    # analytics: published figures (accepted for everybody; a province also its own, marked)
    ("GET", "analytics:pivot"): EVERYONE,
    ("GET", "analytics:overview"): EVERYONE,
    ("GET", "analytics:unit"): EVERYONE,
    ("GET", "analytics:rankings"): EVERYONE,
    ("GET", "analytics:map"): EVERYONE,
    ("GET", "public_statistics"): EVERYONE,
    # audit trail
    ("GET", "audit:list"): SIGNED_IN,
    # reporting
    ("GET", "reporting:home"): SIGNED_IN,
    ("GET", "reporting:indicator_list"): SIGNED_IN,
    ("GET", "reporting:dataset_list"): SIGNED_IN,
    ("GET", "reporting:dataset_detail"): SIGNED_IN,
    ("GET", "reporting:entry_open"): OWN_UNIT,
    ("POST", "reporting:entry_open"): OWN_UNIT,
    ("GET", "reporting:submission_list"): SIGNED_IN,
    ("GET", "reporting:submission_detail"): OWN_UNIT,
    ("POST", "reporting:values_save"): OWN_UNIT_PEOPLE,  # values are entered by the unit itself
    ("GET", "reporting:value_history"): OWN_UNIT,
    ("POST", "reporting:submission_transition"): OWN_UNIT_PEOPLE,  # the request fires "submit"
    ("GET", "reporting:completeness"): SIGNED_IN,
    ("GET", "reporting:targets"): REPORTING_UNITS,
    ("POST", "reporting:targets"): OWN_UNIT,
    ("GET", "reporting:template_download"): OWN_UNIT,
    ("GET", "reporting:workbook_download"): "D D D D A D D A",
    ("GET", "reporting:import_upload"): SIGNED_IN,
    ("POST", "reporting:import_upload"): SIGNED_IN,
    ("GET", "reporting:import_detail"): "D A D D A D D A",  # its uploader and the coordinator
    ("POST", "reporting:import_apply"): "D A D D D D D D",  # only its uploader writes it
    # Django admin: only its index is checked here (the admin's own views share its staff gate)
    ("GET", "admin:index"): STAFF_ONLY,
}

API: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/regions/units"): EVERYONE,
    ("GET", "/api/v1/regions/units/{code}"): EVERYONE,
    ("GET", "/api/v1/regions/groups"): EVERYONE,
    ("GET", "/api/v1/regions/profile"): EVERYONE,
    ("GET", "/api/v1/analytics"): EVERYONE,
    ("GET", "/api/v1/audit"): SIGNED_IN,
    # not in the schema: the trail is append-only, every write method is a 405 for everybody
    ("POST", "/api/v1/audit"): NOBODY,
    ("PUT", "/api/v1/audit"): NOBODY,
    ("PATCH", "/api/v1/audit"): NOBODY,
    ("DELETE", "/api/v1/audit"): NOBODY,
    ("GET", "/api/v1/users/me"): SIGNED_IN,
    ("GET", "/api/v1/users/tokens"): SIGNED_IN,
    ("POST", "/api/v1/users/tokens"): SIGNED_IN,
    ("DELETE", "/api/v1/users/tokens/{token_id}"): "D A D D D D D A",
    ("GET", "/api/v1/indicators"): SIGNED_IN,
    ("GET", "/api/v1/indicators/{code}"): SIGNED_IN,
    ("GET", "/api/v1/datasets"): SIGNED_IN,
    ("GET", "/api/v1/datasets/{code}"): SIGNED_IN,
    ("GET", "/api/v1/datavalues"): SIGNED_IN,
    ("POST", "/api/v1/datavalues"): OWN_UNIT_PEOPLE,
    ("GET", "/api/v1/submissions"): SIGNED_IN,
    ("POST", "/api/v1/submissions"): OWN_UNIT,
    ("GET", "/api/v1/submissions/{submission_id}"): OWN_UNIT,
    ("POST", "/api/v1/submissions/{submission_id}/{action}"): OWN_UNIT_PEOPLE,  # the request fires "submit"
    ("GET", "/api/v1/completeness"): SIGNED_IN,
}


def expected(spec: str) -> dict[str, str]:
    """``"D A A ..."`` → ``{"anonymous": "D", "officer": "A", ...}``."""
    outcomes = spec.split()
    if len(outcomes) != len(ROLES) or set(outcomes) - {"A", "D"}:
        raise ValueError(f"an access spec needs {len(ROLES)} outcomes of A/D, got {spec!r}")
    return dict(zip(ROLES, outcomes, strict=True))
