"""Template filters over reporting.permissions, so pages show only the buttons a user can use (the same
functions the views check: a hidden button and a refused request never disagree)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import permissions

register = template.Library()


@register.filter
def can_download_template(user: Any, unit: Any) -> bool:
    """`{% if request.user|can_download_template:submission.unit %}`"""
    return permissions.template_download_refusal(user, unit) is None


@register.filter
def can_download_workbook(user: Any) -> bool:
    return permissions.workbook_download_refusal(user) is None


@register.filter
def can_report(user: Any) -> bool:
    return permissions.can_report(user)
