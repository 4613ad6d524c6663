"""Pages of programmes: the list (/hop-tac/), one programme, create / edit, status change, add an activity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lienket.core import clock
from lienket.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from lienket.core.formats import format_number, parse_number
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


def _detail(request: HttpRequest, programme: Programme, *, doc_error: str | None = None,
            doc_values: dict[str, str] | None = None, status_error: str | None = None,
            status: int = 200) -> HttpResponse:
    activities = list(selectors.activities_visible(user=request.user, programme=programme))
    return render_page(request, "cooperation/programme_detail.html", {
        "programme": programme, "parties": selectors.party_views(programme),
        "progress": selectors.programme_progress(programme), "activities": activities,
        "timeline": selectors.timeline(programme), "documents": selectors.document_views(programme=programme, user=request.user),
        "can_edit": permissions.can_edit(request.user, programme), "statuses": ProgrammeStatus.choices,
        "doc_error": doc_error, "doc_values": doc_values or {}, "status_error": status_error,
    }, status)


@require_GET
@refusals_as_pages
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = permissions.programme_get_for_user(id=pk, user=request.user)
    return _detail(request, programme)


@login_required
@require_POST
@refusals_as_pages
def programme_status(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.programme_set_status(
            actor=request.user, programme_id=pk, version=_version(request.POST.get("version")),
            status=request.POST.get("status", ""), on=_date(request.POST.get("on", ""), _("Date"), required=False),
            reason=request.POST.get("reason", "")[:500])
    except ValidationFailed as exc:
        programme = permissions.programme_get_for_user(id=pk, user=request.user)
        return _detail(request, programme, status_error=exc.message, status=422)
    return redirect("cooperation:programme_detail", pk=pk)


def _activity_post(post: Any, objectives: list[Any]) -> tuple[dict[str, Any], list[ResultIn]]:
    values = {k: post.get(k, "") for k in ("kind", "title", "start_on", "end_on", "place", "description", "version")}
    values["participants"] = post.getlist("participants")
    values["results"] = {o.pk: post.get(f"result-{o.pk}", "") for o in objectives}
    return values, []


def _results(values: dict[str, Any], objectives: list[Any]) -> list[ResultIn]:
    return [ResultIn(o.pk, _number(values["results"][o.pk], o.title)) for o in objectives
            if values["results"][o.pk].strip()]


def _activity_page(request: HttpRequest, programme: Programme, values: dict[str, Any], error: str | None,
                   status: int, activity: Any = None) -> HttpResponse:
    return render_page(request, "cooperation/activity_form.html", {
        "programme": programme, "objectives": list(programme.objectives.all()),
        "parties": selectors.party_views(programme), "values": values, "error": error, "activity": activity,
        "kinds": ActivityKind.choices, "unit_choices": unit_choices(),
    }, status)


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = permissions.programme_get_for_user(id=pk, user=request.user)
    permissions.programme_check_edit(request.user, programme)
    objectives = list(programme.objectives.all())
    values: dict[str, Any] = {"kind": "fair", "participants": [v.party.key for v in selectors.party_views(programme)]}
    error = None
    if request.method == "POST":
        values, _unused = _activity_post(request.POST, objectives)
        try:
            services.activity_create(
                actor=request.user, programme_id=programme.pk, kind=values["kind"], title=values["title"],
                start_on=_day(values["start_on"], _("Start")), end_on=_day(values["end_on"], _("End")),
                place=values["place"], participants=values["participants"], results=_results(values, objectives),
                description=values["description"])
            return redirect("cooperation:programme_detail", pk=programme.pk)
        except ApplicationError as exc:
            if exc.status in (403, 404):
                return error_page(request, exc)
            error = exc.message
    return _activity_page(request, programme, values, error, 422 if error else 200)


def _activity_of(request: HttpRequest, pk: int, aid: int) -> Any:
    activity = services.activity_get_for_user(id=aid, user=request.user)
    if activity.programme_id != pk:
        raise NotFound(_("No activity %(id)s.") % {"id": aid}, {"activity": aid}, code=ErrorCode.ACTIVITY_NOT_FOUND)
    permissions.programme_check_edit(request.user, activity.programme)
    return activity


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def activity_edit(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    activity = _activity_of(request, pk, aid)
    programme = activity.programme
    objectives = list(programme.objectives.all())
    results = {r.objective_id: r.actual for r in activity.results.all()}
    values: dict[str, Any] = {
        "kind": activity.kind, "title": activity.title, "start_on": activity.start_on.isoformat(),
        "end_on": activity.end_on.isoformat(), "place": activity.place.key, "description": activity.description,
        "version": activity.version, "participants": [p.key for p in activity.participants.all()],
        "results": {o.pk: format_number(_plain(results[o.pk])) if o.pk in results else "" for o in objectives},
    }
    error, code = None, 200
    if request.method == "POST":
        values, _unused = _activity_post(request.POST, objectives)
        try:
            services.activity_update(
                actor=request.user, activity_id=activity.pk, version=_version(values["version"]),
                kind=values["kind"], title=values["title"], start_on=_day(values["start_on"], _("Start")),
                end_on=_day(values["end_on"], _("End")), place=values["place"], participants=values["participants"],
                results=_results(values, objectives), description=values["description"])
            return redirect("cooperation:programme_detail", pk=programme.pk)
        except ApplicationError as exc:
            if exc.status in (403, 404):
                return error_page(request, exc)
            error, code = exc.message, 409 if exc.status == 409 else 422
    return _activity_page(request, programme, values, error, code, activity)


def _plain(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _version(text: Any) -> int:
    text = str(text or "")
    return int(text) if text.isdigit() and len(text) < 10 else 0


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def activity_delete(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """GET: the confirmation step; POST: delete."""
    activity = _activity_of(request, pk, aid)
    if request.method == "POST":
        services.activity_delete(actor=request.user, activity_id=activity.pk,
                                 version=_version(request.POST.get("version")))
        return redirect("cooperation:programme_detail", pk=pk)
    return render_page(request, "cooperation/activity_delete.html", {
        "programme": activity.programme, "activity": activity,
        "results": list(activity.results.select_related("objective")),
    })


@login_required
@require_POST
@refusals_as_pages
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = permissions.programme_get_for_user(id=pk, user=request.user)
    permissions.programme_check_edit(request.user, programme)
    post = request.POST
    try:
        services.document_add(actor=request.user, programme_id=pk, title=post.get("doc_title", ""),
                              url=post.get("doc_url", "")[:400], file=request.FILES.get("doc_file"),
                              issued_on=_date(post.get("doc_issued_on", ""), _("Issued on"), required=False))
    except ValidationFailed as exc:
        return _detail(request, programme, doc_error=exc.message,
                       doc_values={k: post.get(k, "") for k in ("doc_title", "doc_url", "doc_issued_on")}, status=422)
    return redirect(reverse("cooperation:programme_detail", kwargs={"pk": pk}) + "#documents")


@login_required
@require_POST
@refusals_as_pages
def document_remove(request: HttpRequest, pk: int, did: int) -> HttpResponse:
    services.document_remove(actor=request.user, programme_id=pk, document_id=did)
    return redirect(reverse("cooperation:programme_detail", kwargs={"pk": pk}) + "#documents")


@require_GET
@refusals_as_pages
def document_file(request: HttpRequest, pk: int, did: int) -> HttpResponseBase:
    """The stored file of a programme document, for whoever may see the programme."""
    programme = permissions.programme_get_for_user(id=pk, user=request.user)
    doc = programme.documents.filter(pk=did).exclude(file="").first()
    if doc is None:
        raise NotFound(_("No document %(id)s in this programme.") % {"id": did}, {"document": did},
                       code=ErrorCode.DOCUMENT_NOT_FOUND)
    name = (doc.file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(doc.file.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
