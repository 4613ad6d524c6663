"""Annual plan targets of one unit for one year (all or nothing, through services.targets_set)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lienket.core import clock
from lienket.core.errors import PermissionDenied, ValidationFailed
from lienket.core.text import nfc
from lienket.regions.models import AdminUnit
from lienket.users.permissions import province_units

from .. import entry, permissions, selectors, services
from ..codes import ErrorCode
from ..forms import (
    targets_posted,
)
from .common import current_lang, refusals_as_pages, render_page


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def targets(request: HttpRequest) -> HttpResponse:
    """Annual plan targets of one unit for one year, beside what was achieved so far and the % of plan.
    Province users set their own unit's; the Ministry coordinator any unit's. Saving is all or nothing."""
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    today = clock.today()
    year = selectors.year_param(params.get("year"), default=today.year)
    units = selectors.target_units(user=user, year=year)
    key = nfc(params.get("unit", "")).strip()
    unit: AdminUnit | None
    if key:
        unit = selectors.unit_by_key(key=key, on=min(today, dt.date(year, 12, 31)) if year <= today.year else dt.date(year, 1, 1))
        if not permissions.can_set_target(user, unit):
            raise PermissionDenied(_("Only %(unit)s's officers and director or the Ministry coordinator can see and set its targets.")
                                   % {"unit": unit.name})
    elif not units:
        raise PermissionDenied(_("Plan targets are set by province officers and directors and by the Ministry coordinator."))
    else:
        own = list(province_units(user).order_by("code", "valid_from"))
        unit = own[0] if own else None
    lang = current_lang()
    rows = selectors.targets_table(user=user, unit=unit, year=year) if unit is not None else []
    for r in rows:
        r.raw = entry.input_number(r.target_value, lang)
    context: dict[str, Any] = {"units": units, "unit": unit, "year": year, "rows": rows, "source": "", "lang": lang,
                               "years": list(range(today.year - 2, today.year + 3)), "error": ""}
    if request.method != "POST":
        return render_page(request, "reporting/targets.html", context)
    if unit is None:
        raise ValidationFailed(_("Choose a unit first."), code=ErrorCode.UNIT_REQUIRED)
    posted = targets_posted(request.POST, [r.key for r in rows])
    source = nfc(request.POST.get("source", "")).strip()[:300]
    items = [
        services.TargetItem(indicator=row.indicator, value=posted[row.key], option=row.option, key=row.key)
        for row in rows if row.key in posted
    ]
    try:
        changed = services.targets_set(actor=user, unit=unit, year=year, items=items, source=source)
    except ValidationFailed as exc:
        if exc.code != ErrorCode.INVALID_TARGETS:
            raise
        errors: dict[str, str] = exc.details["errors"]
        for row in rows:
            row.raw = posted.get(row.key, row.raw)
            row.error = errors.get(row.key, "")
        context.update(source=source, error=exc.message)
        return render_page(request, "reporting/targets.html", context, 422)
    messages.success(request, _("Targets saved: %(count)s changed.") % {"count": changed})
    return redirect(f"{reverse('reporting:targets')}?unit={unit.key}&year={year}")
