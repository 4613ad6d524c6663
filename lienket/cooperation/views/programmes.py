"""Pages of programmes: the list (/hop-tac/), one programme, create / edit, status change, add an activity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lienket.core import clock
from lienket.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from lienket.core.formats import parse_number
from lienket.regions.keys import unit_key_resolve
from lienket.regions.models import AdminUnit
from lienket.users.models import MinistryUnit, Organisation

from .. import permissions, selectors, services
from ..codes import ErrorCode
from ..models import ActivityKind, Field, PartyRole, Programme, ProgrammeKind, ProgrammeStatus
from ..values import ObjectiveIn, PartyIn, ResultIn
from .common import error_page, refusals_as_pages, render_page

PARTY_ROWS = 6
OBJECTIVE_ROWS = 4


def unit_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    today = clock.today()
    now = AdminUnit.objects.provinces().valid_on(today).order_by("name")
    old = AdminUnit.objects.provinces().filter(valid_to__lt=today).order_by("name")
    return [
        (_("Units today"), [(u.key, u.name) for u in now]),
        (_("Units until 30/06/2025"), [(u.key, f"{u.name} (–{u.valid_to:%d/%m/%Y})") for u in old]),
    ]


def party_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups = [(label, [(f"unit:{k}", n) for k, n in opts]) for label, opts in unit_choices()]
    groups.append((_("Ministry units"), [(f"ministry:{m.slug}", m.name)
                                         for m in MinistryUnit.objects.filter(valid_to__isnull=True)]))
    groups.append((_("Businesses and associations"), [(f"org:{o.slug}", o.name) for o in Organisation.objects.all()]))
    return groups


def _date(value: str, label: str, *, required: bool = True) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationFailed(_("%(f)s is required.") % {"f": label}, code=ErrorCode.INVALID_PROGRAMME)
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(f)s: “%(v)s” is not a date.") % {"f": label, "v": value[:20]},
                               code=ErrorCode.INVALID_PROGRAMME) from None


def _day(value: str, label: str) -> dt.date:
    day = _date(value, label)
    if day is None:  # pragma: no cover - required=True raised already
        raise ValidationFailed(_("%(f)s is required.") % {"f": label}, code=ErrorCode.INVALID_PROGRAMME)
    return day


def _number(value: str, label: str) -> Decimal:
    try:
        return parse_number(value)
    except (ApplicationError, InvalidOperation, ValueError):
        raise ValidationFailed(_("%(f)s: “%(v)s” is not a number.") % {"f": label, "v": value[:20]},
                               code=ErrorCode.INVALID_PROGRAMME) from None


def _parties(post: Any) -> list[PartyIn]:
    out = []
    for i in range(PARTY_ROWS):
        ref = post.get(f"party-{i}-ref", "").strip()
        if ref:
            out.append(PartyIn(ref, post.get(f"party-{i}-role", "member")))
    return out


def _objectives(post: Any) -> list[ObjectiveIn]:
    out = []
    for i in range(OBJECTIVE_ROWS):
        title = post.get(f"objective-{i}-title", "").strip()
        if not title:
            continue
        raw_id = post.get(f"objective-{i}-id", "")
        out.append(ObjectiveIn(
            title, post.get(f"objective-{i}-uom", ""), _number(post.get(f"objective-{i}-target", ""), title),
            _number(post.get(f"objective-{i}-weight", "") or "1", title), int(raw_id) if raw_id.isdigit() else None))
    return out


def _ref(p: Any) -> str:
    if p.unit:
        return f"unit:{p.unit.key}"
    if p.ministry_unit:
        return f"ministry:{p.ministry_unit.slug}"
    return f"org:{p.organisation.slug}"


def _form_context(request: HttpRequest, programme: Programme | None, values: dict[str, Any]) -> dict[str, Any]:
    parties = values.get("parties")
    if parties is None:
        parties = [{"ref": _ref(p), "role": p.role}
                   for p in programme.parties.select_related("unit", "ministry_unit", "organisation")] \
            if programme else []
    objectives = values.get("objectives")
    if objectives is None:
        objectives = [{"id": o.pk, "title": o.title, "uom": o.unit_of_measure, "target": o.target_value,
                       "weight": o.weight} for o in programme.objectives.all()] if programme else []
    return {
        "programme": programme, "values": values, "kinds": ProgrammeKind.choices, "fields": Field.choices,
        "statuses": ProgrammeStatus.choices, "roles": PartyRole.choices, "party_choices": party_choices(),
        "party_rows": (parties + [{}] * PARTY_ROWS)[:PARTY_ROWS],
        "objective_rows": (objectives + [{}] * OBJECTIVE_ROWS)[:OBJECTIVE_ROWS],
    }


def _values(post: Any) -> dict[str, Any]:
    return {k: post.get(k, "") for k in ("title", "kind", "field", "description", "signed_on", "start_on", "end_on",
                                         "status", "version")} | {"is_published": post.get("is_published") == "on",
                                                                  "parties": [{"ref": post.get(f"party-{i}-ref", ""),
                                                                               "role": post.get(f"party-{i}-role", "")}
                                                                              for i in range(PARTY_ROWS)],
                                                                  "objectives": [
        {"id": post.get(f"objective-{i}-id", ""), "title": post.get(f"objective-{i}-title", ""),
         "uom": post.get(f"objective-{i}-uom", ""), "target": post.get(f"objective-{i}-target", ""),
         "weight": post.get(f"objective-{i}-weight", "")} for i in range(OBJECTIVE_ROWS)]}


@require_GET
@refusals_as_pages
def programme_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    unit = None
    if g.get("unit"):
        unit = unit_key_resolve(g["unit"][:40], on=clock.today())
    qs = selectors.programme_search(user=request.user, unit=unit, party=g.get("party") or None,
                                    field=g.get("field") or None, status=g.get("status") or None,
                                    q=(g.get("q") or "")[:200] or None)
    programmes = list(qs[:200])
    progress = selectors.progress_many(p.pk for p in programmes)
    return render_page(request, "cooperation/programme_list.html", {
        "programmes": [(p, progress.get(p.pk)) for p in programmes], "count": qs.count(), "filters": g,
        "unit_choices": unit_choices()[:1], "party_choices": party_choices(), "fields": Field.choices,
        "statuses": ProgrammeStatus.choices, "can_create": permissions.can_create(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user):
        return error_page(request, PermissionDenied(_("You may not start a programme."), code=ErrorCode.NOT_A_PARTY))
    values: dict[str, Any] = {"kind": "bilateral", "field": "trade_promotion", "status": "planned"}
    error = None
    if request.method == "POST":
        values = _values(request.POST)
        try:
            p = services.programme_create(
                actor=request.user, title=values["title"], kind=values["kind"], field=values["field"],
                description=values["description"], signed_on=_date(values["signed_on"], _("Signed on"), required=False),
                start_on=_day(values["start_on"], _("Start")), end_on=_date(values["end_on"], _("End"), required=False),
                status=values["status"] or "planned", is_published=values["is_published"],
                parties=_parties(request.POST), objectives=_objectives(request.POST))
            return redirect("cooperation:programme_detail", pk=p.pk)
        except ApplicationError as exc:
            if exc.status in (403, 404):
                return error_page(request, exc)
            error = exc.message
    return render_page(request, "cooperation/programme_form.html", {**_form_context(request, None, values),
                                                                    "error": error}, 422 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = permissions.programme_get_for_user(id=pk, user=request.user)
    permissions.programme_check_edit(request.user, programme)
    values: dict[str, Any] = {
        "title": programme.title, "kind": programme.kind, "field": programme.field,
        "description": programme.description, "status": programme.status, "version": programme.version,
        "signed_on": programme.signed_on.isoformat() if programme.signed_on else "",
        "start_on": programme.start_on.isoformat(), "end_on": programme.end_on.isoformat() if programme.end_on else "",
        "is_published": programme.is_published,
    }
    error, code = None, 200
    if request.method == "POST":
        values = _values(request.POST)
        try:
            end = _date(values["end_on"], _("End"), required=False)
            services.programme_update(
                actor=request.user, programme_id=programme.pk, version=int(values["version"] or 0),
                title=values["title"], kind=values["kind"], field=values["field"], description=values["description"],
                signed_on=_date(values["signed_on"], _("Signed on"), required=False),
                start_on=_day(values["start_on"], _("Start")), end_on=end, clear_end=end is None,
                is_published=values["is_published"], parties=_parties(request.POST),
                objectives=_objectives(request.POST))
            return redirect("cooperation:programme_detail", pk=programme.pk)
        except ApplicationError as exc:
            if exc.status in (403, 404):
                return error_page(request, exc)
            error, code = exc.message, 409 if exc.status == 409 else 422
    return render_page(request, "cooperation/programme_form.html",
                       {**_form_context(request, programme, values), "error": error}, code)


@require_GET
@refusals_as_pages
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = permissions.programme_get_for_user(id=pk, user=request.user)
    activities = list(selectors.activities_visible(user=request.user, programme=programme))
    return render_page(request, "cooperation/programme_detail.html", {
        "programme": programme, "parties": selectors.party_views(programme),
        "progress": selectors.programme_progress(programme), "activities": activities,
        "timeline": selectors.timeline(programme), "documents": selectors.document_views(programme=programme, user=request.user),
        "can_edit": permissions.can_edit(request.user, programme), "statuses": ProgrammeStatus.choices,
    })


@login_required
@require_POST
@refusals_as_pages
def programme_status(request: HttpRequest, pk: int) -> HttpResponse:
    version = request.POST.get("version", "")
    services.programme_set_status(
        actor=request.user, programme_id=pk, version=int(version) if version.isdigit() else 0,
        status=request.POST.get("status", ""), on=_date(request.POST.get("on", ""), _("Date"), required=False),
        reason=request.POST.get("reason", "")[:500])
    return redirect("cooperation:programme_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = permissions.programme_get_for_user(id=pk, user=request.user)
    permissions.programme_check_edit(request.user, programme)
    objectives = list(programme.objectives.all())
    parties = selectors.party_views(programme)
    values: dict[str, Any] = {"kind": "fair", "participants": [v.party.key for v in parties]}
    error = None
    if request.method == "POST":
        post = request.POST
        values = {k: post.get(k, "") for k in ("kind", "title", "start_on", "end_on", "place", "description")}
        values["participants"] = post.getlist("participants")
        values["results"] = {o.pk: post.get(f"result-{o.pk}", "") for o in objectives}
        try:
            results = [ResultIn(o.pk, _number(values["results"][o.pk], o.title)) for o in objectives
                       if values["results"][o.pk].strip()]
            services.activity_create(
                actor=request.user, programme_id=programme.pk, kind=values["kind"], title=values["title"],
                start_on=_day(values["start_on"], _("Start")), end_on=_day(values["end_on"], _("End")),
                place=values["place"], participants=values["participants"], results=results,
                description=values["description"])
            return redirect("cooperation:programme_detail", pk=programme.pk)
        except ApplicationError as exc:
            if exc.status in (403, 404):
                return error_page(request, exc)
            error = exc.message
    return render_page(request, "cooperation/activity_form.html", {
        "programme": programme, "objectives": objectives, "parties": parties, "values": values, "error": error,
        "kinds": ActivityKind.choices, "unit_choices": unit_choices(),
    }, 422 if error else 200)
