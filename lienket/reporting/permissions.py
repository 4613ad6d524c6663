"""Who may do what with reporting data. Used by the HTML views, the API and the services alike."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lienket.core import clock
from lienket.core.errors import NotFound, PermissionDenied
from lienket.users.models import Role
from lienket.users.permissions import has_role, is_admin, is_coordinator, province_units

from .models import Submission, SubmissionStatus
from .workflow import EDITABLE_STATES, TRANSITIONS


def today() -> dt.date:
    return clock.today()


def is_province_user_of(user: Any, unit: Any) -> bool:
    return has_role(user, Role.PROVINCE_OFFICER, unit=unit) or has_role(user, Role.PROVINCE_DIRECTOR, unit=unit)


def is_director_of(user: Any, unit: Any) -> bool:
    return has_role(user, Role.PROVINCE_DIRECTOR, unit=unit)


def can_view_submission(user: Any, submission: Submission) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_coordinator(user) or is_province_user_of(user, submission.unit):
        return True
    # Everyone else signed in (other provinces, Ministry units, secretariat) sees accepted data only.
    return submission.status == SubmissionStatus.ACCEPTED


def sees_every_submission(user: Any) -> bool:
    """The Ministry coordinator (and administrators) see every report in every state: readers can skip the
    visibility filter instead of joining every value to a subquery that keeps them all."""
    return bool(getattr(user, "is_authenticated", False)) and is_coordinator(user)


def visible_submissions(user: Any, qs: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
    qs = qs if qs is not None else Submission.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_every_submission(user):
        return qs
    own_units = user.memberships.filter(role__in=[Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR]).values("unit_id")
    return qs.filter(Q(unit_id__in=own_units) | Q(status=SubmissionStatus.ACCEPTED))


def hidden_submissions(user: Any, qs: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
    """The complement of `visible_submissions` (same rule): the reports of `qs` that `user` may not see. Usually
    few (other units' reports not yet accepted), so a reader of millions of values can exclude them instead of
    joining every value to the much larger visible set."""
    qs = qs if qs is not None else Submission.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs
    if sees_every_submission(user):
        return qs.none()
    own_units = user.memberships.filter(role__in=[Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR]).values("unit_id")
    return qs.exclude(Q(unit_id__in=own_units) | Q(status=SubmissionStatus.ACCEPTED))
def figures_visible_submissions(user: Any, qs: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
    """The one rule for published figures (analytics: pages, API, exports, dashboards, the public page):
    the Ministry, other provinces and the public see accepted submissions only; a province's officers and
    director also see their own unit's unaccepted ones (marked as such wherever they are shown)."""
    qs = qs if qs is not None else Submission.objects.all()
    accepted = Q(status=SubmissionStatus.ACCEPTED)
    if not getattr(user, "is_authenticated", False):
        return qs.filter(accepted)
    own_units = user.memberships.filter(role__in=[Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR]).values("unit_id")
    return qs.filter(accepted | Q(unit_id__in=own_units))


def figures_own_unaccepted_submissions(user: Any) -> QuerySet[Submission] | None:
    """The part of `figures_visible_submissions` that is not accepted: a province's officers' and director's own
    unit's unaccepted submissions; None for everybody else (they see accepted figures only). Accepted ∪ this is
    exactly `figures_visible_submissions(user)` (`reporting.aggregates.published_values` reads it so)."""
    if figures_view_is_public(user):
        return None
    own_units = user.memberships.filter(role__in=[Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR]).values("unit_id")
    return Submission.objects.filter(unit_id__in=own_units).exclude(status=SubmissionStatus.ACCEPTED)


def figures_view_is_public(user: Any) -> bool:
    """Whether `user` sees exactly the published (accepted) figures — everybody but a province's own people —
    so that what is computed for one such viewer may be shared with the others."""
    if not getattr(user, "is_authenticated", False):
        return True
    cached = getattr(user, "_figures_view_is_public", None)  # asked several times per answer: once per user object
    if cached is None:
        cached = not user.memberships.filter(role__in=[Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR]).exists()
        user._figures_view_is_public = cached
    return bool(cached)


def edit_refusal(user: Any, submission: Submission, *, on: dt.date | None = None) -> str | None:
    """Why `user` may not change values of `submission` now, or None if they may."""
    if not is_province_user_of(user, submission.unit):
        return _("Only officers and the director of %(unit)s can enter its data.") % {"unit": submission.unit.name}
    if submission.status == SubmissionStatus.ACCEPTED:
        return _("This report has been accepted and is locked. Ask the Ministry coordinator to reopen it.")
    if submission.status not in EDITABLE_STATES:
        return _("This report is %(status)s; it can be changed only after it is returned.") % {
            "status": SubmissionStatus(submission.status).label.lower()
        }
    day = on or today()
    if day > submission.edit_deadline:
        return _("The period closed for changes on %(date)s. Ask the Ministry coordinator to reopen it.") % {
            "date": submission.edit_deadline.strftime("%d/%m/%Y")
        }
    return None


def can_edit_values(user: Any, submission: Submission) -> bool:
    return edit_refusal(user, submission) is None


def transition_refusal(user: Any, submission: Submission, action: str) -> str | None:
    """Why `user` may not fire `action` on `submission` (role only; the state is checked by workflow)."""
    unit = submission.unit
    if action == "submit":
        if is_province_user_of(user, unit):
            return None
        return _("Only officers and the director of %(unit)s can submit its report.") % {"unit": unit.name}
    if action == "approve" or (action == "return" and submission.status == SubmissionStatus.SUBMITTED):
        if is_director_of(user, unit):
            return None
        return _("Only the director of %(unit)s can approve or return a submitted report.") % {"unit": unit.name}
    if action in {"accept", "return"}:
        if is_coordinator(user):
            return None
        return _("Only the Ministry coordinator can accept or return an approved report.")
    if action == "reopen":
        if is_coordinator(user) or is_admin(user):
            return None
        return _("Only the Ministry coordinator can reopen a report.")
    return _("Unknown action.")


def can_transition(user: Any, submission: Submission, action: str) -> bool:
    return transition_refusal(user, submission, action) is None


def transition_refusal_in_any_source(user: Any, submission: Submission, action: str) -> str | None:
    """Like `transition_refusal`, but None when `user` would have had the right to `action` in some state the
    action applies to. Who may fire some actions depends on the state (a director returns a submitted report,
    the coordinator an approved one), so someone acting on a stale page gets a conflict, not a 403."""
    refusal = transition_refusal(user, submission, action)
    if refusal is None or action not in TRANSITIONS:
        return refusal
    for status in TRANSITIONS[action].sources:
        seen = copy.copy(submission)
        seen.status = status
        if transition_refusal(user, seen, action) is None:
            return None
    return refusal


def allowed_actions(user: Any, submission: Submission, *, on: dt.date | None = None) -> list[str]:
    """The workflow actions `user` may fire on `submission` now, in workflow order — the buttons of the HTML
    page and the API's `allowed_actions` alike. A report still open for changes (draft or returned before its
    edit deadline) has nothing to reopen."""
    day = on or today()
    out = []
    for action, transition in TRANSITIONS.items():
        if submission.status not in transition.sources or transition_refusal(user, submission, action):
            continue
        if action == "reopen" and submission.status in EDITABLE_STATES and day <= submission.edit_deadline:
            continue
        out.append(action)
    return out


def can_set_target(user: Any, unit: Any) -> bool:
    return is_coordinator(user) or is_province_user_of(user, unit)


def new_entry_refusal(user: Any, *, unit: Any, dataset: Any, spec: Any, on: dt.date | None = None) -> str | None:
    """Why `user` may not enter values for `unit` in a report that does not exist yet, or None (a report that
    exists is `edit_refusal`'s business)."""
    if not is_province_user_of(user, unit):
        return _("Only officers and the director of %(unit)s can enter its data.") % {"unit": unit.name}
    deadline = dataset.edit_deadline(spec)
    if (on or today()) > deadline:
        return _("The period closed for changes on %(date)s. Ask the Ministry coordinator to reopen it.") % {
            "date": deadline.strftime("%d/%m/%Y")
        }
    return None


# --- Excel templates and uploads --------------------------------------------------------------------------


def template_download_refusal(user: Any, unit: Any) -> str | None:
    """Why `user` may not download the Excel template of `unit`, or None."""
    if is_province_user_of(user, unit) or is_coordinator(user):
        return None
    return _("You can download the template of your own province only, not of %(unit)s.") % {"unit": unit.name}


def workbook_download_refusal(user: Any) -> str | None:
    """Why `user` may not download the workbook of every unit (the coordinator's), or None."""
    if is_coordinator(user):
        return None
    return _("Only the Ministry coordinator can download the workbook of all units.")


def can_report(user: Any) -> bool:
    """Whether the user enters data for a unit (a province role) or follows every unit (the coordinator): the
    people for whom plan targets and Excel uploads are work, so the only ones shown those pages' links."""
    return getattr(user, "is_authenticated", False) and (is_coordinator(user) or province_units(user).exists())


def can_see_import_job(user: Any, job: Any) -> bool:
    """An upload is seen by its uploader and the Ministry coordinator."""
    return getattr(user, "is_authenticated", False) and (job.created_by_id == user.pk or is_coordinator(user))


def can_apply_import_job(user: Any, job: Any) -> bool:
    """Only the uploader turns a validated dry run into the real import."""
    return getattr(user, "is_authenticated", False) and user.pk == job.created_by_id


def submission_get_for_user(*, id: int, user: Any) -> Submission:
    """Fetch with the permission check in one call: NotFound for missing, PermissionDenied for not yours."""
    try:
        submission = Submission.objects.select_related("dataset", "unit", "period").get(pk=id)
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Submission %(id)s does not exist.") % {"id": id}) from None
    if not can_view_submission(user, submission):
        raise PermissionDenied(_("You cannot see the report of %(unit)s for this period.") % {"unit": submission.unit.name})
    return submission
