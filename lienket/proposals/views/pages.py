"""Proposal pages: the public list (/kien-nghi/), one proposal, the working list, writing a proposal (with
duplicate suggestions while typing), lifecycle actions, endorsements, internal notes, attachments, grouping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lienket.core import clock
from lienket.core.errors import ApplicationError, NotFound, PermissionDenied
from lienket.regions.models import AdminUnit
from lienket.reporting.views.common import error_page, is_htmx, refusals_as_pages, render_page
from lienket.users.models import MinistryUnit, Organisation
from lienket.users.permissions import is_coordinator

from .. import permissions, selectors, services
from ..forms import FilterForm, ProposalEditForm, ProposalForm, TransitionForm
from ..models import ANSWERED_STATES, Attachment, Contribution, Proposal, Status
from ..workflow import TRANSITIONS

PAGE_SIZE = 25


def _filter_form(request: HttpRequest) -> FilterForm:
    units = [(u.code, u.name) for u in AdminUnit.objects.filter(proposals__isnull=False).distinct().order_by("name")]
    mus = [(m.slug, m.name) for m in MinistryUnit.objects.filter(proposals_led__isnull=False).distinct().order_by("name")]
    years = sorted({d.year for d in Proposal.objects.dates("raised_on", "year")}, reverse=True)
    return FilterForm(request.GET or None, units=units, ministry_units=mus, years=years)


def _filtered(request: HttpRequest, *, public_only: bool) -> tuple[FilterForm, Any]:
    form = _filter_form(request)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    mu = MinistryUnit.objects.filter(slug=data.get("ministry_unit")).first() if data.get("ministry_unit") else None
    qs = selectors.proposal_search(
        user=request.user if not public_only else None, q=data.get("q") or "", field=data.get("field") or "",
        unit=data.get("unit") or None, ministry_unit=mu, year=data.get("year"), public_only=public_only,
        status=request.GET.get("status", "") if not public_only and request.GET.get("status") in Status.values else "",
    )
    return form, qs


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Answered proposals with their published answers: searchable, filterable by field, unit, Ministry unit, year."""
    form, qs = _filtered(request, public_only=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(request, "proposals/public_list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
@require_GET
def work_list(request: HttpRequest) -> HttpResponse:
    """Every proposal the user may see, with the due-soon and overdue lists of the user's Ministry unit(s)."""
    form, qs = _filtered(request, public_only=False)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(request, "proposals/work_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "deadlines": selectors.deadlines(user=request.user),
        "statuses": Status.choices, "status": request.GET.get("status", ""), "today": clock.today(),
        "can_group": permissions.can_group(request.user), "can_escalate": permissions.can_see_escalation(request.user),
    })


def render_detail(request: HttpRequest, proposal: Proposal, *, status: int = 200, error: str = "",
                  form_data: dict[str, Any] | None = None) -> HttpResponse:
    user = request.user
    actions = permissions.allowed_actions(user, proposal)
    ministry_units = list(MinistryUnit.objects.order_by("name"))
    return render_page(request, "proposals/detail.html", {
        "p": proposal, "actions": [{"code": a, "label": TRANSITIONS[a].label} for a in actions], "action_codes": actions,
        "history": selectors.history(proposal), "members": selectors.group_members(proposal),
        "endorsements": list(proposal.endorsements.select_related("unit")),
        "notes": selectors.internal_notes(user=user, proposal=proposal),
        "can_note": permissions.can_see_internal_notes(user),
        "contributions": selectors.contributions(user=user, proposal=proposal),
        "can_see_contributions": permissions.can_see_contributions(user),
        "can_contribute": permissions.can_contribute(user, proposal), "can_edit": permissions.can_edit(user, proposal),
        "can_endorse": getattr(user, "is_authenticated", False) and permissions.endorse_refusal(user, proposal) is None,
        "can_attach": permissions.can_attach(user, proposal), "can_link": permissions.can_group(user),
        "attachments": list(proposal.attachments.all()), "ministry_units": ministry_units,
        "default_deadline": services.default_deadline(proposal.kind), "today": clock.today(),
        "overdue": proposal.is_overdue(clock.today()), "error": error, "form_data": form_data or {},
        "co_units": list(proposal.co_units.all()),
        "documents": selectors.proposal_documents(proposal=proposal, user=user),
    }, status)


@require_GET
@refusals_as_pages
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, permissions.proposal_get_for_user(id=pk, user=request.user))


def _submitters(user: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if is_coordinator(user):
        out += [(f"org:{o.slug}", f"{o.name}") for o in Organisation.objects.order_by("name")]
        out += [(f"unit:{u.pk}", u.name) for u in AdminUnit.objects.provinces().valid_on(clock.today()).order_by("name")]
        out += [(f"mu:{m.pk}", m.name) for m in MinistryUnit.objects.order_by("name")]
        return out
    out += [(f"unit:{u.pk}", u.name) for u in AdminUnit.objects.filter(pk__in=permissions.province_unit_ids(user)).order_by("name")]
    out += [(f"mu:{m.pk}", m.name) for m in MinistryUnit.objects.filter(pk__in=permissions.ministry_unit_ids(user))]
    return out


def _submitter_of(value: str) -> dict[str, Any]:
    kind, _sep, key = value.partition(":")
    if kind == "unit":
        return {"unit": AdminUnit.objects.filter(pk=int(key)).first()} if key.isdigit() else {}
    if kind == "mu":
        return {"ministry_unit": MinistryUnit.objects.filter(pk=int(key)).first()} if key.isdigit() else {}
    if kind == "org":
        return {"organisation": Organisation.objects.filter(slug=key).first()}
    return {}


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    submitters = _submitters(request.user)
    if not submitters:
        return error_page(request, PermissionDenied(_("Only the people of a province, a Ministry unit or the coordinator can write proposals.")))
    form = ProposalForm(request.POST or None, submitters=submitters)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            previous = permissions.proposal_get_for_user(id=data["previous"], user=request.user) if data["previous"] else None
            proposal = services.proposal_create(
                actor=request.user, title=data["title"], body=data["body"], field=data["field"], kind=data["kind"],
                legal_references=data["legal_references"], speaker=data["speaker"], speaker_role=data["speaker_role"],
                conference=data["conference"], raised_on=data["raised_on"], previous=previous, **_submitter_of(data["submitter"]),
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("The draft was saved. Attach files if needed, then the director submits it."))
            return redirect("proposals:detail", pk=proposal.pk)
    status = 200 if request.method == "GET" else 422
    return render_page(request, "proposals/create.html", {"form": form, "error": error}, status)


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft, prefilled; the same checks as writing it (services.proposal_update)."""
    proposal = permissions.proposal_get_for_user(id=pk, user=request.user)
    refusal = permissions.edit_refusal(request.user, proposal)
    if refusal:
        raise PermissionDenied(refusal)
    if proposal.status != Status.DRAFT:
        raise services.not_editable(proposal)
    initial = {"title": proposal.title, "body": proposal.body, "field": proposal.field, "kind": proposal.kind,
               "legal_references": proposal.legal_references, "speaker": proposal.speaker, "speaker_role": proposal.speaker_role,
               "conference": proposal.conference_id, "raised_on": proposal.raised_on.strftime("%d/%m/%Y"),
               "previous": proposal.previous_id, "version": proposal.version}
    form = ProposalEditForm(request.POST or None, initial=initial)
    error = ""
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                previous = permissions.proposal_get_for_user(id=data["previous"], user=request.user) if data["previous"] else None
                services.proposal_update(
                    proposal=proposal, actor=request.user, expected_version=data["version"], title=data["title"],
                    body=data["body"], field=data["field"], kind=data["kind"], legal_references=data["legal_references"],
                    speaker=data["speaker"], speaker_role=data["speaker_role"], conference=data["conference"],
                    raised_on=data["raised_on"], previous=previous,
                )
            except ApplicationError as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                error, status = exc.message, exc.status if exc.status in (404, 409, 422) else 422
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("proposals:detail", pk=proposal.pk)
    return render_page(request, "proposals/create.html", {"form": form, "error": error, "p": proposal}, status)


@login_required
@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """HTMX fragment while a title is typed: existing proposals like it, with their similarity score."""
    text = request.GET.get("title", "") or request.GET.get("q", "")
    exclude = request.GET.get("exclude", "")
    found = selectors.similar_proposals(user=request.user, text=text[:300],
                                        exclude_id=int(exclude) if exclude.isdigit() and len(exclude) < 18 else None)
    template = "proposals/_similar.html" if is_htmx(request) else "proposals/similar.html"
    return render_page(request, template, {"found": found, "text": text[:300]})


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        proposal = permissions.proposal_get_for_user(id=pk, user=request.user)
    except ApplicationError as exc:
        return error_page(request, exc)
    co_choices = [(m.slug, m.name) for m in MinistryUnit.objects.all()]
    form = TransitionForm(request.POST, co_choices=co_choices)
    if not form.is_valid():
        return render_detail(request, proposal, status=400, error=_("Check the form: %(fields)s.") % {
            "fields": ", ".join(form.errors)}, form_data=request.POST.dict())
    data = form.cleaned_data
    try:
        lead = selectors.ministry_unit_get(data["lead_unit"]) if data["action"] == "assign" else None
        co = [selectors.ministry_unit_get(s) for s in data["co_units"]] if data["action"] == "assign" else []
        updated = services.proposal_transition(
            proposal=proposal, actor=request.user, action=data["action"], expected_version=data["version"],
            reason=data["reason"], lead_unit=lead, co_units=co, deadline=data["deadline"], answer=data["answer"],
            forwarded_to=data["forwarded_to"], answer_file=_upload(request, "answer_file"),
        )
    except ApplicationError as exc:
        current = Proposal.objects.select_related(*selectors.RELATED).get(pk=proposal.pk)
        return render_detail(request, current, status=exc.status if exc.status in (403, 404, 409, 422) else 422,
                             error=exc.message, form_data=request.POST.dict())
    messages.success(request, _("Done: the proposal is now %(status)s.") % {"status": updated.get_status_display().lower()})
    return redirect("proposals:detail", pk=updated.pk)


def _upload(request: HttpRequest, name: str) -> tuple[str, bytes] | None:
    f = request.FILES.get(name)
    return (f.name or "file", f.read()) if f else None


def _write_and_back(request: HttpRequest, pk: int, write: Callable[[Proposal], object], done: str) -> HttpResponse:
    """A POST on one proposal the user may see: `write` it through its service, then back to its page saying
    `done` — or the refusal page."""
    try:
        write(permissions.proposal_get_for_user(id=pk, user=request.user))
    except ApplicationError as exc:
        return error_page(request, exc)
    messages.success(request, done)
    return redirect("proposals:detail", pk=pk)


@login_required
@require_POST
def endorse(request: HttpRequest, pk: int) -> HttpResponse:
    return _write_and_back(request, pk, lambda proposal: services.endorsement_add(
        proposal=proposal, actor=request.user, comment=request.POST.get("comment", "")),
        _("Your province now supports this proposal."))


@login_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    return _write_and_back(request, pk, lambda proposal: services.note_add(
        proposal=proposal, actor=request.user, text=request.POST.get("text", "")),
        _("The internal note was saved."))


@login_required
@require_POST
def contribute(request: HttpRequest, pk: int) -> HttpResponse:
    """A co-operating unit gives its opinion (ý kiến phối hợp), with an optional file, to the lead unit."""
    try:
        proposal = permissions.proposal_get_for_user(id=pk, user=request.user)
        services.contribution_add(proposal=proposal, actor=request.user, text=request.POST.get("text", ""),
                                  file=_upload(request, "file"))
    except ApplicationError as exc:
        if isinstance(exc, PermissionDenied | NotFound) or exc.status == 409:
            return error_page(request, exc)
        return render_detail(request, Proposal.objects.select_related(*selectors.RELATED).get(pk=pk), status=422,
                             error=exc.message, form_data=request.POST.dict())
    messages.success(request, _("Your unit's opinion was sent to the lead unit."))
    return redirect("proposals:detail", pk=pk)


@require_GET
@refusals_as_pages
def contribution_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file of a co-operating unit's opinion: Ministry staff only, like the opinion itself."""
    contribution = Contribution.objects.filter(pk=pk).exclude(file="").first()
    if contribution is None or not permissions.can_see_contributions(request.user):
        raise NotFound(_("File %(id)s does not exist.") % {"id": pk})
    permissions.proposal_get_for_user(id=contribution.proposal_id, user=request.user)
    return FileResponse(contribution.file.open("rb"), as_attachment=True, filename=contribution.file_name,  # type: ignore[return-value]
                        content_type=contribution.content_type)


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        proposal = permissions.proposal_get_for_user(id=pk, user=request.user)
        upload = _upload(request, "file")
        if upload is None:
            raise NotFound(_("Choose a file to attach."))
        services.attachment_add(proposal=proposal, actor=request.user, name=upload[0], content=upload[1])
    except ApplicationError as exc:
        if isinstance(exc, PermissionDenied | NotFound):
            return error_page(request, exc)
        return render_detail(request, Proposal.objects.get(pk=pk), status=422, error=exc.message)
    messages.success(request, _("The file was attached."))
    return redirect("proposals:detail", pk=pk)


@require_GET
@refusals_as_pages
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise NotFound(_("Attachment %(id)s does not exist.") % {"id": pk})
    permissions.proposal_get_for_user(id=attachment.proposal_id, user=request.user)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,  # type: ignore[return-value]
                        content_type=attachment.content_type)


@require_GET
@refusals_as_pages
def answer_file_download(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = permissions.proposal_get_for_user(id=pk, user=request.user)
    if not proposal.answer_file or proposal.status not in ANSWERED_STATES:
        raise NotFound(_("This proposal has no signed answer file."))
    filename = (proposal.answer_file.name or "answer").rsplit("/", 1)[-1]
    return FileResponse(proposal.answer_file.open("rb"), as_attachment=True, filename=filename)  # type: ignore[return-value]


@login_required
@require_POST
def group(request: HttpRequest) -> HttpResponse:
    try:
        ids = [int(x) for x in request.POST.getlist("proposals") if x.isdigit() and len(x) < 18]
        if not permissions.can_group(request.user):
            raise PermissionDenied(_("Only the Ministry coordinator can group proposals."))
        proposals = [permissions.proposal_get_for_user(id=i, user=request.user) for i in ids]
        grp = services.proposals_group(actor=request.user, proposals=proposals, title=request.POST.get("title", ""))
    except ApplicationError as exc:
        return error_page(request, exc)
    messages.success(request, _("%(n)s proposals are now one group: one answer will serve them all.") % {"n": grp.members.count()})
    return redirect("proposals:work_list")


@login_required
@require_POST
def link_previous(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        proposal = permissions.proposal_get_for_user(id=pk, user=request.user)
        raw = request.POST.get("previous", "")
        if not (raw.isdigit() and len(raw) < 18):
            raise NotFound(_("Give the number of the earlier proposal."))
        previous = permissions.proposal_get_for_user(id=int(raw), user=request.user)
        services.previous_link(actor=request.user, proposal=proposal, previous=previous)
    except ApplicationError as exc:
        return error_page(request, exc)
    messages.success(request, _("Linked to the earlier proposal."))
    return redirect("proposals:detail", pk=pk)
