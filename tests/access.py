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
MANAGERS = "D A A A A D D A"  # people who manage some unit's products: province officers/directors, coordinator, admin
NOBODY = "D D D D D D D D"
PROGRAMME_VIEWERS = "D A A D A A D A"  # an unpublished programme: its parties, the Ministry (units and coordinator)

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
    # search and library: public pages; each viewer sees only what they may (tested in lienket/search, library)
    ("GET", "search:search"): EVERYONE,
    ("GET", "library:document_list"): EVERYONE,
    ("GET", "library:document_detail"): EVERYONE,  # a public document; a hidden one is a 404 for who may not see it
    ("GET", "library:document_create"): "D D D D A D D A",  # the Ministry coordinator and the admin edit the library
    ("POST", "library:document_create"): "D D D D A D D A",
    ("GET", "library:document_edit"): "D D D D A D D A",
    ("POST", "library:document_edit"): "D D D D A D D A",
    ("GET", "library:relation_add"): "D D D D A D D A",  # the relations page and its document search
    ("POST", "library:relation_add"): "D D D D A D D A",
    ("GET", "library:relation_remove"): "D D D D A D D A",  # the confirmation step
    ("POST", "library:relation_remove"): "D D D D A D D A",
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
    # products: a public catalogue; each unit's officers and director manage its products
    ("GET", "products:catalogue"): EVERYONE,
    ("GET", "products:export"): EVERYONE,
    ("GET", "products:expiring"): EVERYONE,
    ("GET", "products:detail"): EVERYONE,
    ("GET", "products:photo"): EVERYONE,
    ("GET", "products:create"): MANAGERS,
    ("POST", "products:create"): OWN_UNIT,
    ("GET", "products:edit"): OWN_UNIT,
    ("POST", "products:edit"): OWN_UNIT,
    ("GET", "products:delete"): OWN_UNIT,  # the confirmation step
    ("POST", "products:delete"): OWN_UNIT,
    ("POST", "products:photo_add"): OWN_UNIT,
    ("POST", "products:photo_delete"): OWN_UNIT,
    ("GET", "products:import"): MANAGERS,
    ("POST", "products:import"): OWN_UNIT,
    ("GET", "products:import_template"): MANAGERS,
    # proposals (kiến nghị): the public page and published answers are open; the rest follows permissions.py
    ("GET", "proposals:public_list"): EVERYONE,
    ("GET", "proposals:work_list"): SIGNED_IN,
    ("GET", "proposals:create"): "D A A A A A D A",  # whoever can write for some unit (not the secretariat)
    ("POST", "proposals:create"): "D A A A A A D A",  # the body is Hà Nội's: another unit's choice is a 422 form error
    ("GET", "proposals:similar"): SIGNED_IN,
    ("POST", "proposals:group"): "D D D D A D D A",
    ("GET", "proposals:statistics"): SIGNED_IN,
    ("GET", "proposals:statistics_xlsx"): SIGNED_IN,
    ("GET", "proposals:list_xlsx"): SIGNED_IN,
    ("GET", "proposals:escalation"): "D D D D A D D A",
    ("GET", "proposals:attachment"): OWN_UNIT,  # an attachment of Hà Nội's draft
    ("GET", "proposals:detail"): OWN_UNIT,  # Hà Nội's draft
    ("GET", "proposals:answer_file"): EVERYONE,  # the signed file of a published answer
    ("POST", "proposals:transition"): "D D A D D D D D",  # "submit" on Hà Nội's draft: its director only
    ("POST", "proposals:endorse"): "D D D A D D D D",  # another province supports Hà Nội's proposal
    ("POST", "proposals:note"): "D D D D A A D A",  # internal notes: Ministry staff
    ("POST", "proposals:attach"): OWN_UNIT,
    ("POST", "proposals:link_previous"): "D D D D A D D A",
    ("GET", "proposals:edit"): OWN_UNIT_PEOPLE,  # Hà Nội's draft: its officers and director only, never the Ministry
    ("POST", "proposals:edit"): OWN_UNIT_PEOPLE,
    ("POST", "proposals:contribute"): "D D D D D A D D",  # the matrix's Ministry unit co-operates on another unit's lead
    ("GET", "proposals:contribution_file"): "D D D D A A D A",  # co-operating opinions: Ministry staff, like notes
    # cooperation: the public sees published programmes; the matrix programme is unpublished, Hà Nội leads it
    # with Nghệ An (so Phú Thọ's officer is not a party); Ministry units see all, parties and the coordinator edit
    ("GET", "cooperation:programme_list"): EVERYONE,
    ("GET", "cooperation:programme_create"): "D A A A A A D A",  # who may start a programme (their own)
    ("POST", "cooperation:programme_create"): OWN_UNIT,  # a programme of Hà Nội with Nghệ An
    ("GET", "cooperation:programme_detail"): PROGRAMME_VIEWERS,
    ("GET", "cooperation:programme_edit"): OWN_UNIT,
    ("POST", "cooperation:programme_edit"): OWN_UNIT,
    ("POST", "cooperation:programme_status"): OWN_UNIT,
    ("GET", "cooperation:activity_create"): OWN_UNIT,
    ("POST", "cooperation:activity_create"): OWN_UNIT,
    ("GET", "cooperation:activity_edit"): OWN_UNIT,
    ("POST", "cooperation:activity_edit"): OWN_UNIT,
    ("GET", "cooperation:activity_delete"): OWN_UNIT,  # the confirmation step
    ("POST", "cooperation:activity_delete"): OWN_UNIT,
    ("POST", "cooperation:document_add"): OWN_UNIT,
    ("GET", "cooperation:document_file"): PROGRAMME_VIEWERS,
    ("POST", "cooperation:document_remove"): OWN_UNIT,
    ("GET", "cooperation:calendar"): EVERYONE,
    ("GET", "cooperation:calendar_ics"): EVERYONE,
    ("GET", "cooperation:network"): EVERYONE,
    # Django admin: only its index is checked here (the admin's own views share its staff gate)
    ("GET", "admin:index"): STAFF_ONLY,
}

API: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/search"): EVERYONE,
    ("GET", "/api/v1/library/documents"): EVERYONE,
    ("GET", "/api/v1/library/documents/{document_id}"): EVERYONE,
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
    ("GET", "/api/v1/products"): EVERYONE,
    ("GET", "/api/v1/products/{product_id}"): EVERYONE,
    ("POST", "/api/v1/products"): OWN_UNIT,
    ("PUT", "/api/v1/products/{product_id}"): OWN_UNIT,
    ("DELETE", "/api/v1/products/{product_id}"): OWN_UNIT,
    ("GET", "/api/v1/proposals"): EVERYONE,  # anonymous: published answers only
    ("POST", "/api/v1/proposals"): OWN_UNIT,
    ("GET", "/api/v1/proposals/similar"): SIGNED_IN,
    ("GET", "/api/v1/proposals/statistics"): SIGNED_IN,
    ("POST", "/api/v1/proposals/groups"): "D D D D A D D A",
    ("GET", "/api/v1/proposals/{proposal_id}"): OWN_UNIT,  # Hà Nội's draft
    ("PATCH", "/api/v1/proposals/{proposal_id}"): OWN_UNIT_PEOPLE,  # editing Hà Nội's draft
    ("POST", "/api/v1/proposals/{proposal_id}/endorsements"): "D D D A D D D D",
    ("POST", "/api/v1/proposals/{proposal_id}/{action}"): "D D A D D D D D",  # "submit": the director only
    ("GET", "/api/v1/cooperation/programmes"): EVERYONE,
    ("POST", "/api/v1/cooperation/programmes"): OWN_UNIT,
    ("GET", "/api/v1/cooperation/programmes/{programme_id}"): PROGRAMME_VIEWERS,
    ("PATCH", "/api/v1/cooperation/programmes/{programme_id}"): OWN_UNIT,
    ("POST", "/api/v1/cooperation/programmes/{programme_id}/status"): OWN_UNIT,
    ("GET", "/api/v1/cooperation/activities"): EVERYONE,
    ("POST", "/api/v1/cooperation/activities"): OWN_UNIT,
    ("PATCH", "/api/v1/cooperation/activities/{activity_id}"): OWN_UNIT,
    ("DELETE", "/api/v1/cooperation/activities/{activity_id}"): OWN_UNIT,
    ("GET", "/api/v1/cooperation/network"): EVERYONE,
}


def expected(spec: str) -> dict[str, str]:
    """``"D A A ..."`` → ``{"anonymous": "D", "officer": "A", ...}``."""
    outcomes = spec.split()
    if len(outcomes) != len(ROLES) or set(outcomes) - {"A", "D"}:
        raise ValueError(f"an access spec needs {len(ROLES)} outcomes of A/D, got {spec!r}")
    return dict(zip(ROLES, outcomes, strict=True))
