"""Every write of the cooperation app: keyword-only, atomic, permission-checked, validated, audited.

Programme edits carry the version the editor read; the UPDATE filters on it, so a concurrent edit loses with a
409 (`programme_changed`) instead of overwriting. Every write bumps the app's data version (the network cache).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lienket.core import clock
from lienket.core.audit import audit_log, snapshot
from lienket.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lienket.core.text import fold, nfc
from lienket.library.services import file_check
from lienket.regions.keys import unit_key_resolve
from lienket.search.services import search_index_upsert
from lienket.users.models import MinistryUnit, Organisation

from . import permissions, selectors
from .codes import AuditAction, ErrorCode
from .models import (
    Activity,
    ActivityKind,
    DataVersion,
    Document,
    Field,
    Objective,
    Party,
    PartyRole,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Result,
    StatusChange,
)
from .values import DocumentIn, ObjectiveIn, PartyIn, ResultIn

MAX_PARTIES = 100


def _bump() -> None:
    if not DataVersion.objects.filter(key=selectors.DATA_VERSION_KEY).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(key=selectors.DATA_VERSION_KEY, defaults={"value": 1})


def _choice(value: str, choices: Any, what: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("“%(value)s” is not a valid %(what)s.") % {"value": value, "what": what},
                               {"field": what, "value": value, "allowed": list(choices.values)},
                               code=ErrorCode.INVALID_PROGRAMME)
    return value


def _dates(start: dt.date, end: dt.date | None, *, what: str) -> None:
    if end is not None and end < start:
        raise ValidationFailed(
            _("The %(what)s ends (%(end)s) before it starts (%(start)s).")
            % {"what": what, "end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")},
            {"start": start.isoformat(), "end": end.isoformat()}, code=ErrorCode.END_BEFORE_START)


def _title(title: str) -> str:
    text = nfc(title).strip()
    if not text:
        raise ValidationFailed(_("A title is required."), {"field": "title"}, code=ErrorCode.INVALID_PROGRAMME)
    return text[:300]


def _resolve_parties(parties: list[PartyIn], on: dt.date) -> list[Party]:
    """PartyIn → unsaved Party rows; unknown references, duplicates and units not valid on `on` are refused."""
    if not parties:
        raise ValidationFailed(_("A programme needs at least one party."), code=ErrorCode.NO_PARTY)
    if len(parties) > MAX_PARTIES:
        raise ValidationFailed(_("At most %(n)s parties.") % {"n": MAX_PARTIES}, code=ErrorCode.INVALID_PARTY)
    out: list[Party] = []
    seen: set[str] = set()
    for item in parties:
        role = item.role or PartyRole.MEMBER
        if role not in PartyRole.values:
            raise ValidationFailed(_("“%(role)s” is not a party role (lead, member, sponsor).") % {"role": role},
                                   {"party": item.ref, "role": role}, code=ErrorCode.INVALID_PARTY)
        kind, _sep, ref = nfc(item.ref).strip().partition(":")
        party = Party(role=role)
        if kind == "unit":
            unit = unit_key_resolve(ref, on=on) if ref else None
            if unit is None:
                raise ValidationFailed(
                    _("No administrative unit “%(ref)s” on %(date)s.") % {"ref": ref, "date": on.strftime("%d/%m/%Y")},
                    {"party": item.ref}, code=ErrorCode.UNKNOWN_UNIT)
            if not unit.is_valid_on(on):
                raise ValidationFailed(
                    _("%(unit)s did not exist on %(date)s, when the programme starts.")
                    % {"unit": unit.name, "date": on.strftime("%d/%m/%Y")}, {"party": item.ref},
                    code=ErrorCode.UNKNOWN_UNIT)
            party.unit = unit
        elif kind == "ministry":
            mu = MinistryUnit.objects.filter(slug=ref).order_by("-valid_from").first()
            if mu is None:
                raise ValidationFailed(_("No Ministry unit “%(ref)s”.") % {"ref": ref}, {"party": item.ref},
                                       code=ErrorCode.UNKNOWN_ORGANISATION)
            party.ministry_unit = mu
        elif kind == "org":
            org = Organisation.objects.filter(slug=ref).first()
            if org is None:
                raise ValidationFailed(_("No organisation “%(ref)s” in the shared list.") % {"ref": ref},
                                       {"party": item.ref}, code=ErrorCode.UNKNOWN_ORGANISATION)
            party.organisation = org
        else:
            raise ValidationFailed(
                _("“%(ref)s” is not a party; use unit:<key>, ministry:<slug> or org:<slug>.") % {"ref": item.ref},
                {"party": item.ref}, code=ErrorCode.INVALID_PARTY)
        if party.key in seen:
            raise ValidationFailed(_("%(party)s is listed twice as a party.") % {"party": party.subject},
                                   {"party": item.ref}, code=ErrorCode.DUPLICATE_PARTY)
        seen.add(party.key)
        out.append(party)
    return out


def _objective_values(item: ObjectiveIn) -> dict[str, Any]:
    try:
        target, weight = Decimal(item.target_value), Decimal(item.weight)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(_("Targets and weights must be numbers."), code=ErrorCode.INVALID_PROGRAMME) from None
    if not target.is_finite() or target <= 0 or target >= Decimal(10) ** 15:
        raise ValidationFailed(_("The target of “%(t)s” must be a positive number.") % {"t": item.title},
                               {"objective": item.title}, code=ErrorCode.INVALID_PROGRAMME)
    if not weight.is_finite() or weight <= 0 or weight >= 10000:
        raise ValidationFailed(_("The weight of “%(t)s” must be a positive number below 10 000.") % {"t": item.title},
                               {"objective": item.title}, code=ErrorCode.INVALID_PROGRAMME)
    uom = nfc(item.unit_of_measure).strip()
    if not uom:
        raise ValidationFailed(_("The objective “%(t)s” needs a unit of measure.") % {"t": item.title},
                               {"objective": item.title}, code=ErrorCode.INVALID_PROGRAMME)
    return {"title": _title(item.title), "unit_of_measure": uom[:40], "target_value": target, "weight": weight}


def _parse_day(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(_("“%(d)s” is not a date (YYYY-MM-DD).") % {"d": text}, {"date": text},
                               code=ErrorCode.INVALID_PROGRAMME) from None


@transaction.atomic
def programme_create(
    *, actor: Any, title: str, kind: str, field: str, start_on: dt.date, end_on: dt.date | None = None,
    signed_on: dt.date | None = None, description: str = "", parties: list[PartyIn],
    objectives: list[ObjectiveIn] | None = None, documents: list[DocumentIn] | None = None,
    status: str = ProgrammeStatus.PLANNED, is_published: bool = False, is_sample: bool = False,
) -> Programme:
    _choice(kind, ProgrammeKind, "type")
    _choice(field, Field, "field")
    _choice(status, ProgrammeStatus, "status")
    _dates(start_on, end_on, what=_("programme"))
    rows = _resolve_parties(parties, start_on)
    refusal = permissions.create_refusal(actor, unit_ids={p.unit_id for p in rows if p.unit_id},
                                         ministry_unit_ids={p.ministry_unit_id for p in rows if p.ministry_unit_id})
    if refusal:
        raise PermissionDenied(refusal, code=ErrorCode.NOT_A_PARTY)
    objective_rows = [_objective_values(o) for o in objectives or []]
    programme = Programme.objects.create(
        title=_title(title), title_folded=fold(title), kind=kind, field=field, description=nfc(description),
        signed_on=signed_on, start_on=start_on, end_on=end_on, status=status, is_published=is_published,
        is_sample=is_sample, created_by=actor if getattr(actor, "pk", None) else None,
    )
    for p in rows:
        p.programme = programme
    Party.objects.bulk_create(rows)
    Objective.objects.bulk_create([Objective(programme=programme, position=i, **o) for i, o in enumerate(objective_rows)])
    for d in documents or []:
        Document.objects.create(programme=programme, title=_title(d.title), url=d.url[:200],
                                issued_on=_parse_day(d.issued_on))
    # The timeline's first entry: the signing date, else the start (or today, for a programme not started yet) —
    # later status changes may not be dated before it (programme_set_status).
    StatusChange.objects.create(programme=programme, from_status="", to_status=status,
                                on=signed_on or min(start_on, clock.today()), actor=programme.created_by)
    audit_log(actor=actor, action=AuditAction.PROGRAMME_CREATE, obj=programme,
              after={**snapshot(programme), "parties": [p.key for p in rows],
                     "objectives": [o["title"] for o in objective_rows]})
    _bump()
    search_index_upsert(document=selectors.search_document(programme))
    return programme


def _lock(programme_id: int, version: int, actor: Any) -> Programme:
    programme = permissions.programme_get_for_user(id=programme_id, user=actor)
    permissions.programme_check_edit(actor, programme)
    if programme.version != version:
        raise Conflict(_("Someone changed this programme since you opened it (version %(v)s is now %(now)s). Reload "
                         "and apply your change again.") % {"v": version, "now": programme.version},
                       {"version": programme.version}, code=ErrorCode.PROGRAMME_CHANGED)
    return programme


def _claim(programme: Programme, version: int, **fields: Any) -> None:
    """The optimistic lock: the UPDATE carries the version read; 0 rows → someone else won."""
    done = Programme.objects.filter(pk=programme.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields)
    if not done:
        raise Conflict(_("Someone changed this programme at the same moment. Reload and apply your change again."),
                       {"programme": programme.pk}, code=ErrorCode.PROGRAMME_CHANGED)


@transaction.atomic
def programme_update(
    *, actor: Any, programme_id: int, version: int, title: str | None = None, kind: str | None = None,
    field: str | None = None, description: str | None = None, signed_on: dt.date | None = None,
    start_on: dt.date | None = None, end_on: dt.date | None = None, clear_end: bool = False,
    is_published: bool | None = None, parties: list[PartyIn] | None = None,
    objectives: list[ObjectiveIn] | None = None,
) -> Programme:
    """Change what is given (None: unchanged). `parties` / `objectives` replace the lists (objectives matched by
    id; one with results cannot be removed)."""
    programme = _lock(programme_id, version, actor)
    before = snapshot(programme)
    before_parties = sorted(p.key for p in programme.parties.all())
    fields: dict[str, Any] = {}
    if title is not None:
        fields["title"] = _title(title)
        fields["title_folded"] = fold(fields["title"])
    if kind is not None:
        fields["kind"] = _choice(kind, ProgrammeKind, "type")
    if field is not None:
        fields["field"] = _choice(field, Field, "field")
    if description is not None:
        fields["description"] = nfc(description)
    if signed_on is not None:
        fields["signed_on"] = signed_on
    if start_on is not None:
        fields["start_on"] = start_on
    if end_on is not None or clear_end:
        fields["end_on"] = None if clear_end else end_on
    if is_published is not None:
        fields["is_published"] = is_published
    start = fields.get("start_on", programme.start_on)
    end = fields.get("end_on", programme.end_on)
    _dates(start, end, what=_("programme"))
    outside = programme.activities.filter(start_on__lt=start)
    if end is not None:
        outside = programme.activities.filter(start_on__lt=start) | programme.activities.filter(end_on__gt=end)
    if outside.exists():
        raise ValidationFailed(_("Some activities would fall outside the programme's dates."),
                               {"activities": list(outside.values_list("pk", flat=True)[:20])},
                               code=ErrorCode.ACTIVITY_OUTSIDE_PROGRAMME)
    _claim(programme, version, **fields)
    if parties is not None:
        rows = _resolve_parties(parties, start)
        keep = {p.key: p for p in programme.parties.all()}
        wanted = {p.key for p in rows}
        programme.parties.exclude(pk__in=[p.pk for k, p in keep.items() if k in wanted]).delete()
        for p in rows:
            if p.key in keep:
                Party.objects.filter(pk=keep[p.key].pk).update(role=p.role)
            else:
                p.programme = programme
                p.save()
    if objectives is not None:
        current = {o.pk: o for o in programme.objectives.all()}
        seen = set()
        for i, item in enumerate(objectives):
            values = _objective_values(item)
            if item.id is not None:
                if item.id not in current:
                    raise ValidationFailed(_("Objective %(id)s is not this programme's.") % {"id": item.id},
                                           code=ErrorCode.INVALID_PROGRAMME)
                Objective.objects.filter(pk=item.id).update(position=i, **values)
                seen.add(item.id)
            else:
                Objective.objects.create(programme=programme, position=i, **values)
        gone = [pk for pk in current if pk not in seen]
        if Result.objects.filter(objective_id__in=gone).exists():
            raise ValidationFailed(_("An objective with results cannot be removed."), {"objectives": gone},
                                   code=ErrorCode.INVALID_PROGRAMME)
        Objective.objects.filter(pk__in=gone).delete()
    programme.refresh_from_db()
    audit_log(actor=actor, action=AuditAction.PROGRAMME_UPDATE, obj=programme,
              before={**before, "parties": before_parties},
              after={**snapshot(programme), "parties": sorted(p.key for p in programme.parties.all())})
    _bump()
    search_index_upsert(document=selectors.search_document(programme))
    return programme


@transaction.atomic
def programme_set_status(
    *, actor: Any, programme_id: int, version: int, status: str, on: dt.date | None = None, reason: str = "",
) -> Programme:
    programme = _lock(programme_id, version, actor)
    _choice(status, ProgrammeStatus, "status")
    if status == programme.status:
        raise ValidationFailed(_("The programme is already “%(s)s”.") % {"s": programme.get_status_display()},
                               code=ErrorCode.STATUS_UNCHANGED)
    day = on or clock.today()
    last = programme.status_changes.order_by("-on", "-pk").first()
    if last is not None and day < last.on:
        raise ValidationFailed(
            _("The change is dated %(day)s, before the previous change of status (%(prev)s, “%(status)s”). Date it "
              "on or after %(prev)s.") % {"day": day.strftime("%d/%m/%Y"), "prev": last.on.strftime("%d/%m/%Y"),
                                          "status": last.get_to_status_display()},
            {"on": day.isoformat(), "previous": last.on.isoformat()}, code=ErrorCode.STATUS_DATE_BEFORE_PREVIOUS)
    _claim(programme, version, status=status)
    StatusChange.objects.create(programme=programme, from_status=programme.status, to_status=status, on=day,
                                actor=actor if getattr(actor, "pk", None) else None, reason=nfc(reason)[:500])
    audit_log(actor=actor, action=AuditAction.PROGRAMME_STATUS, obj=programme, before={"status": programme.status},
              after={"status": status, "on": day}, reason=nfc(reason)[:500])
    programme.refresh_from_db()
    _bump()
    return programme


def _activity_values(
    programme: Programme, *, kind: str, title: str, start_on: dt.date, end_on: dt.date, place: str,
    participants: list[str] | None, results: list[ResultIn] | None, description: str,
) -> tuple[dict[str, Any], list[Party], list[Result]]:
    """Validate an activity of `programme` (creation and edit): its fields, chosen parties and unsaved results."""
    if kind not in ActivityKind.values:
        raise ValidationFailed(_("“%(value)s” is not an activity type.") % {"value": kind},
                               {"allowed": list(ActivityKind.values)}, code=ErrorCode.INVALID_PROGRAMME)
    _dates(start_on, end_on, what=_("activity"))
    if start_on < programme.start_on or (programme.end_on is not None and end_on > programme.end_on):
        raise ValidationFailed(
            _("The activity (%(start)s–%(end)s) falls outside the programme (%(pstart)s–%(pend)s).") % {
                "start": start_on.strftime("%d/%m/%Y"), "end": end_on.strftime("%d/%m/%Y"),
                "pstart": programme.start_on.strftime("%d/%m/%Y"),
                "pend": programme.end_on.strftime("%d/%m/%Y") if programme.end_on else "…"},
            code=ErrorCode.ACTIVITY_OUTSIDE_PROGRAMME)
    unit = unit_key_resolve(place, on=start_on) if place else None
    if unit is None or not unit.is_valid_on(start_on):
        raise ValidationFailed(_("No administrative unit “%(ref)s” on %(date)s.")
                               % {"ref": place, "date": start_on.strftime("%d/%m/%Y")}, {"place": place},
                               code=ErrorCode.UNKNOWN_UNIT)
    parties = {p.key: p for p in programme.parties.all()}
    chosen = []
    for key in dict.fromkeys(participants or []):
        if key not in parties:
            raise ValidationFailed(_("“%(p)s” is not a party of this programme.") % {"p": key}, {"participant": key},
                                   code=ErrorCode.INVALID_PARTY)
        chosen.append(parties[key])
    objectives = {o.pk: o for o in programme.objectives.all()}
    result_rows: list[Result] = []
    for r in results or []:
        if r.objective_id not in objectives:
            raise ValidationFailed(_("Objective %(id)s is not one of this programme's.") % {"id": r.objective_id},
                                   {"objective": r.objective_id}, code=ErrorCode.INVALID_RESULT)
        try:
            actual = Decimal(r.actual)
        except (InvalidOperation, TypeError, ValueError):
            actual = Decimal(-1)
        if not actual.is_finite() or actual < 0 or actual >= Decimal(10) ** 15:
            raise ValidationFailed(_("A result must be a number of zero or more."), {"objective": r.objective_id},
                                   code=ErrorCode.INVALID_RESULT)
        if any(x.objective_id == r.objective_id for x in result_rows):
            raise ValidationFailed(_("One result per objective."), {"objective": r.objective_id},
                                   code=ErrorCode.INVALID_RESULT)
        result_rows.append(Result(objective_id=r.objective_id, actual=actual, note=nfc(r.note)[:300]))
    fields = {"kind": kind, "title": _title(title), "start_on": start_on, "end_on": end_on, "place": unit,
              "description": nfc(description)}
    return fields, chosen, result_rows


def _save_results(activity: Activity, rows: list[Result]) -> None:
    for row in rows:
        row.activity = activity
    try:
        with transaction.atomic():
            Result.objects.bulk_create(rows)
    except IntegrityError:
        raise ValidationFailed(_("One result per objective."), code=ErrorCode.INVALID_RESULT) from None


def _activity_snapshot(activity: Activity) -> dict[str, Any]:
    return {**snapshot(activity), "participants": sorted(p.key for p in activity.participants.all()),
            "results": {r.objective_id: r.actual for r in activity.results.all()}}


@transaction.atomic
def activity_create(
    *, actor: Any, programme_id: int, kind: str, title: str, start_on: dt.date, end_on: dt.date, place: str,
    participants: list[str] | None = None, results: list[ResultIn] | None = None, description: str = "",
    is_sample: bool = False,
) -> Activity:
    """An activity under a programme, held in `place` (a unit key, resolved on `start_on`), with the programme's
    parties that took part (`participants`: party keys `unit:<id>`…, as Party.key) and its results."""
    programme = permissions.programme_get_for_user(id=programme_id, user=actor)
    permissions.programme_check_edit(actor, programme)
    fields, chosen, result_rows = _activity_values(
        programme, kind=kind, title=title, start_on=start_on, end_on=end_on, place=place,
        participants=participants, results=results, description=description)
    activity = Activity.objects.create(
        programme=programme, is_sample=is_sample, created_by=actor if getattr(actor, "pk", None) else None, **fields,
    )
    activity.participants.set(chosen)
    _save_results(activity, result_rows)
    Programme.objects.filter(pk=programme.pk).update(updated_at=timezone.now())
    audit_log(actor=actor, action=AuditAction.ACTIVITY_CREATE, obj=activity,
              after={**snapshot(activity), "participants": [p.key for p in chosen],
                     "results": {x.objective_id: x.actual for x in result_rows}})
    _bump()
    return activity


def activity_get_for_user(*, id: int, user: Any) -> Activity:
    """The activity, or NotFound (also when its programme is hidden from the user)."""
    activity = Activity.objects.filter(pk=id).select_related("programme").first()
    if activity is None or not permissions.can_view(user, activity.programme):
        raise NotFound(_("No activity %(id)s.") % {"id": id}, {"activity": id}, code=ErrorCode.ACTIVITY_NOT_FOUND)
    return activity


@transaction.atomic
def activity_update(
    *, actor: Any, activity_id: int, version: int, kind: str, title: str, start_on: dt.date, end_on: dt.date,
    place: str, participants: list[str] | None = None, results: list[ResultIn] | None = None, description: str = "",
) -> Activity:
    """Replace an activity's fields, participants and results (the whole form). The UPDATE carries the version the
    editor read: a concurrent edit loses with a 409 (`activity_changed`). Same permission as creation."""
    activity = activity_get_for_user(id=activity_id, user=actor)
    programme = activity.programme
    permissions.programme_check_edit(actor, programme)
    if activity.version != version:
        raise Conflict(_("Someone changed this activity since you opened it (version %(v)s is now %(now)s). Reload "
                         "and apply your change again.") % {"v": version, "now": activity.version},
                       {"version": activity.version}, code=ErrorCode.ACTIVITY_CHANGED)
    fields, chosen, result_rows = _activity_values(
        programme, kind=kind, title=title, start_on=start_on, end_on=end_on, place=place,
        participants=participants, results=results, description=description)
    before = _activity_snapshot(activity)
    done = Activity.objects.filter(pk=activity.pk, version=version).update(version=F("version") + 1, **fields)
    if not done:
        raise Conflict(_("Someone changed this activity at the same moment. Reload and apply your change again."),
                       {"activity": activity.pk}, code=ErrorCode.ACTIVITY_CHANGED)
    activity.refresh_from_db()
    activity.participants.set(chosen)
    activity.results.all().delete()
    _save_results(activity, result_rows)
    Programme.objects.filter(pk=programme.pk).update(updated_at=timezone.now())
    audit_log(actor=actor, action=AuditAction.ACTIVITY_UPDATE, obj=activity, before=before,
              after=_activity_snapshot(activity))
    _bump()
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity_id: int, version: int | None = None) -> None:
    """Delete an activity and its results (the programme's progress falls back accordingly). `version`, when
    given, must still be the activity's."""
    activity = activity_get_for_user(id=activity_id, user=actor)
    permissions.programme_check_edit(actor, activity.programme)
    before = _activity_snapshot(activity)
    qs = Activity.objects.filter(pk=activity.pk)
    if version is not None:
        qs = qs.filter(version=version)
    audit_log(actor=actor, action=AuditAction.ACTIVITY_DELETE, obj=activity, before=before)
    if not qs.delete()[0]:
        raise Conflict(_("Someone changed this activity since you opened it. Reload and try again."),
                       {"activity": activity.pk}, code=ErrorCode.ACTIVITY_CHANGED)
    Programme.objects.filter(pk=activity.programme_id).update(updated_at=timezone.now())
    _bump()


@transaction.atomic
def document_add(
    *, actor: Any, programme_id: int, title: str, url: str = "", file: UploadedFile | None = None,
    issued_on: dt.date | None = None,
) -> Document:
    """A document of the programme: a link or an uploaded file (PDF / Office / OpenDocument, checked by its first
    bytes and size — the library's check), stored with Django's storage."""
    programme = permissions.programme_get_for_user(id=programme_id, user=actor)
    permissions.programme_check_edit(actor, programme)
    link = nfc(url).strip()
    if not link and file is None:
        raise ValidationFailed(_("Give a link or a file for the document."), {"field": "url"},
                               code=ErrorCode.DOCUMENT_SOURCE_REQUIRED)
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except DjangoValidationError:
            raise ValidationFailed(_("“%(u)s” is not a web link (http:// or https://).") % {"u": link[:80]},
                                   {"field": "url"}, code=ErrorCode.INVALID_PROGRAMME) from None
        if len(link) > 200:
            raise ValidationFailed(_("The link is longer than 200 characters."), {"field": "url"},
                                   code=ErrorCode.INVALID_PROGRAMME)
    if file is not None:
        file_check(file)
    doc = Document(programme=programme, title=_title(title), url=link, issued_on=issued_on)
    if file is not None:
        name = (file.name or "tep").rsplit("/", 1)[-1][-100:]
        doc.file.save(name, file, save=False)
    doc.save()
    Programme.objects.filter(pk=programme.pk).update(updated_at=timezone.now())
    audit_log(actor=actor, action=AuditAction.PROGRAMME_DOCUMENT_ADD, obj=programme,
              after={"document": doc.pk, "title": doc.title, "url": doc.url, "file": doc.file.name or "",
                     "issued_on": issued_on})
    return doc


@transaction.atomic
def document_remove(*, actor: Any, programme_id: int, document_id: int) -> None:
    programme = permissions.programme_get_for_user(id=programme_id, user=actor)
    permissions.programme_check_edit(actor, programme)
    doc = programme.documents.filter(pk=document_id).first()
    if doc is None:
        raise NotFound(_("No document %(id)s in this programme.") % {"id": document_id}, {"document": document_id},
                       code=ErrorCode.DOCUMENT_NOT_FOUND)
    before = {"document": doc.pk, "title": doc.title, "url": doc.url, "file": doc.file.name or "",
              "issued_on": doc.issued_on}
    stored = doc.file.name
    doc.delete()
    if stored:
        storage = doc.file.storage
        transaction.on_commit(lambda: storage.delete(stored))
    Programme.objects.filter(pk=programme.pk).update(updated_at=timezone.now())
    audit_log(actor=actor, action=AuditAction.PROGRAMME_DOCUMENT_REMOVE, obj=programme, before=before)
