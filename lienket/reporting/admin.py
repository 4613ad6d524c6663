"""The reporting catalogue in the admin.

Editable here: indicators (with their aggregation rules checked), disaggregations, data sets with their elements
(one data set per indicator per period type), validation rules (the expression is parsed and its indicator
codes checked when saved) and plan targets (saved through ``services.target_set``, so they are audited). Every
add, change and delete of a disaggregation, indicator, data set or validation rule writes an audit entry
(who, what, before → after), like a service does (AuditedCatalogueAdmin).

Read-only here: periods (created from their codes), submissions (their state changes only through the
workflow, with its permission checks and audit), data values and their history (written only by
``services.datavalues_apply``), import jobs and reminder logs.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lienket.core.audit import audit_log, object_type_of, snapshot
from lienket.core.errors import ApplicationError

from . import services, values
from .codes import AuditAction
from .models import (
    DataSet,
    DataSetElement,
    DataValue,
    DataValueAudit,
    Disaggregation,
    DisaggregationOption,
    ImportJob,
    Indicator,
    Period,
    ReminderLog,
    Submission,
    Target,
    ValidationRule,
)
from .validation.expressions import expression_check, expression_codes


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: no add, change or delete, and no bulk actions."""

    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# ---------------------------------------------------------------------------------------------------------
# Catalogue


class AuditedCatalogueAdmin(admin.ModelAdmin):
    """Adds, changes and deletes made here write the audit entry a service would: who, what, before → after.

    The admin saves the object (save_model), then its inline rows (save_related), inside one transaction
    (changeform_view and delete_view are atomic), so the entry commits with the change. The inline rows named by
    `audit_rows` are part of the object's before/after. A save that changes nothing writes no entry.
    """

    #: (create, update, delete) actions of this model.
    audit_actions: tuple[AuditAction, AuditAction, AuditAction]
    #: Reverse accessor of the inline rows recorded with the object (e.g. a data set's "elements").
    audit_rows: str | None = None

    def audit_state(self, obj: Any) -> dict[str, Any]:
        state = snapshot(obj)
        if self.audit_rows:
            state[self.audit_rows] = [snapshot(row) for row in getattr(obj, self.audit_rows).order_by("pk")]
        return state

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        obj._audit_before = self.audit_state(stored) if stored is not None else None
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before, after = getattr(obj, "_audit_before", None), self.audit_state(obj)
        if before == after:
            return
        create, update, _delete = self.audit_actions
        audit_log(actor=request.user, action=update if before is not None else create, obj=obj,
                  before=before, after=after, reason="admin")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before, object_type, object_id, object_repr = self.audit_state(obj), object_type_of(obj), obj.pk, str(obj)
        super().delete_model(request, obj)
        audit_log(actor=request.user, action=self.audit_actions[2], object_type=object_type, object_id=object_id,
                  object_repr=object_repr, before=before, reason="admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # The bulk "delete selected" action: one entry per object, as for a single delete.
        for obj in queryset:
            self.delete_model(request, obj)


class DisaggregationOptionInline(admin.TabularInline):
    model = DisaggregationOption
    extra = 0
    fields = ("code", "name", "name_en", "sort_order")


@admin.register(Disaggregation)
class DisaggregationAdmin(AuditedCatalogueAdmin):
    audit_actions = (AuditAction.DISAGGREGATION_CREATE, AuditAction.DISAGGREGATION_UPDATE, AuditAction.DISAGGREGATION_DELETE)
    audit_rows = "options"
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")
    inlines = [DisaggregationOptionInline]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = (
            "code", "name", "name_en", "short_name", "is_active", "sort_order", "definition", "definition_en", "source",
            "definition_is_own", "used_from", "used_to", "unit_of_measure", "unit_of_measure_en", "value_type",
            "decimals", "min_value", "max_value", "disaggregation", "aggregation", "weight_indicator", "numerator",
            "denominator", "ratio_factor", "time_aggregation", "cumulative_ytd",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("code") or (self.instance.code if self.instance.pk else None)
        aggregation = data.get("aggregation")
        errors: dict[str, list[str]] = {}
        if aggregation == Indicator.Aggregation.WEIGHTED_AVERAGE:
            weight = data.get("weight_indicator")
            if weight is None:
                errors.setdefault("weight_indicator", []).append(gettext("A weighted average needs a weight indicator."))
            elif weight.code == code:
                errors.setdefault("weight_indicator", []).append(gettext("An indicator cannot be its own weight."))
            elif weight.aggregation != Indicator.Aggregation.SUM:
                errors.setdefault("weight_indicator", []).append(gettext("The weight must be an indicator that adds up across units (aggregation: sum)."))
        if aggregation == Indicator.Aggregation.RATIO:
            for name in ("numerator", "denominator"):
                part = data.get(name)
                if part is None:
                    errors.setdefault(name, []).append(gettext("A ratio needs a numerator and a denominator."))
                elif part.code == code:
                    errors.setdefault(name, []).append(gettext("An indicator cannot be a part of itself."))
            factor = data.get("ratio_factor")
            if factor is not None and factor <= 0:
                errors.setdefault("ratio_factor", []).append(gettext("The ratio factor must be positive (100 for a percentage)."))
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and high < low:
            errors.setdefault("max_value", []).append(gettext("The maximum is below the minimum."))
        start, end = data.get("used_from"), data.get("used_to")
        if start and end and end < start:
            errors.setdefault("used_to", []).append(gettext("“Used until” is before “used from”."))
        if not data.get("source") and not data.get("definition_is_own"):
            errors.setdefault("source", []).append(gettext("Give the definition's source, or tick “definition is LienKet's own”."))
        if errors:
            raise ValidationError(errors)  # type: ignore[arg-type]
        return data


@admin.register(Indicator)
class IndicatorAdmin(AuditedCatalogueAdmin):
    audit_actions = (AuditAction.INDICATOR_CREATE, AuditAction.INDICATOR_UPDATE, AuditAction.INDICATOR_DELETE)
    form = IndicatorForm
    list_display = (
        "code", "name", "unit_of_measure", "value_type", "aggregation", "time_aggregation", "cumulative_ytd",
        "definition_is_own", "used_from", "used_to", "is_active",
    )
    list_filter = ("aggregation", "time_aggregation", "value_type", "cumulative_ytd", "definition_is_own", "is_active")
    search_fields = ("code", "name", "name_en", "short_name", "definition")
    autocomplete_fields = ("weight_indicator", "numerator", "denominator", "disaggregation")
    ordering = ("sort_order", "code")
    fieldsets = (
        (None, {"fields": ("code", "name", "name_en", "short_name", "is_active", "sort_order")}),
        (_("Definition"), {"fields": ("definition", "definition_en", "source", "definition_is_own", "used_from", "used_to")}),
        (_("Values"), {"fields": ("unit_of_measure", "unit_of_measure_en", "value_type", "decimals", "min_value", "max_value",
                                  "disaggregation")}),
        (_("Aggregation"), {"fields": ("aggregation", "weight_indicator", "numerator", "denominator", "ratio_factor",
                                       "time_aggregation", "cumulative_ytd")}),
    )

    # The search index follows the catalogue in the same transaction (lienket.search).
    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        from lienket.search.services import search_index_upsert

        from .selectors import indicator_search_document

        super().save_model(request, obj, form, change)
        search_index_upsert(document=indicator_search_document(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        from lienket.search.services import search_index_remove

        code = obj.code
        super().delete_model(request, obj)
        search_index_remove(kind="indicator", key=code)


class DataSetElementFormSet(BaseInlineFormSet):
    """One data set per indicator per period type: the write path picks *the* data set of an indicator."""

    def clean(self) -> None:
        super().clean()
        dataset = self.instance
        period_type = getattr(dataset, "period_type", None)
        seen: set[int] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            indicator = form.cleaned_data.get("indicator")
            if indicator is None:
                continue
            if indicator.pk in seen:
                raise ValidationError(gettext("%(code)s is listed twice.") % {"code": indicator.code})
            seen.add(indicator.pk)
            if not getattr(dataset, "is_active", True):
                continue
            other = (
                DataSet.objects.filter(elements__indicator=indicator, period_type=period_type, is_active=True)
                .exclude(pk=dataset.pk).first()
            )
            if other is not None:
                raise ValidationError(
                    gettext("%(code)s is already collected by %(other)s for the same period type; an indicator may be in only one active data set per period type.")
                    % {"code": indicator.code, "other": other.code}
                )


class DataSetElementInline(admin.TabularInline):
    model = DataSetElement
    formset = DataSetElementFormSet
    extra = 0
    autocomplete_fields = ("indicator",)
    fields = ("indicator", "section", "sort_order", "required", "estimate_by_default")


@admin.register(DataSet)
class DataSetAdmin(AuditedCatalogueAdmin):
    audit_actions = (AuditAction.DATASET_CREATE, AuditAction.DATASET_UPDATE, AuditAction.DATASET_DELETE)
    audit_rows = "elements"
    list_display = ("code", "name", "period_type", "reporting_group", "cutoff_day", "due_days", "edit_days_after_due", "is_active")
    list_filter = ("period_type", "is_active", "is_sample")
    search_fields = ("code", "name", "name_en")
    inlines = [DataSetElementInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "name_en", "form_number", "description", "is_active", "is_sample")}),
        (_("Schedule"), {"fields": ("period_type", "reporting_group", "cutoff_day", "due_days", "edit_days_after_due")}),
        (_("Outliers"), {"fields": ("outlier_pct", "outlier_sd")}),
    )


class ValidationRuleForm(forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = ("code", "name", "name_en", "dataset", "expression", "severity", "message", "message_en", "is_active")

    def clean_expression(self) -> str:
        expression = (self.cleaned_data.get("expression") or "").strip()
        problems = expression_check(expression)
        if problems:
            raise ValidationError(problems)
        return expression

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dataset, expression = data.get("dataset"), data.get("expression")
        if dataset is not None and expression:
            held = set(dataset.indicators.values_list("code", flat=True))
            missing = sorted(expression_codes(expression) - held)
            if missing:
                self.add_error("dataset", gettext("%(dataset)s does not collect %(codes)s, so the rule would never apply.")
                               % {"dataset": dataset.code, "codes": ", ".join(missing)})
        return data


@admin.register(ValidationRule)
class ValidationRuleAdmin(AuditedCatalogueAdmin):
    audit_actions = (
        AuditAction.VALIDATION_RULE_CREATE, AuditAction.VALIDATION_RULE_UPDATE, AuditAction.VALIDATION_RULE_DELETE,
    )
    form = ValidationRuleForm
    list_display = ("code", "name", "dataset", "expression", "severity", "is_active")
    list_filter = ("severity", "is_active", "dataset")
    search_fields = ("code", "name", "name_en", "expression", "message")


# ---------------------------------------------------------------------------------------------------------
# Data: read-only


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("code", "period_type", "year", "start", "end")
    list_filter = ("period_type", "year")
    search_fields = ("code",)


class DataValueInline(admin.TabularInline):
    model = DataValue
    fk_name = "submission"
    extra = 0
    can_delete = False
    fields = ("indicator", "option", "value", "is_estimate", "comment", "version", "updated_at", "updated_by")
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    """Status fields are read-only: a report moves only through the workflow (submit, approve, accept, return,
    reopen), which checks who may act and records why."""

    list_display = ("dataset", "unit", "period", "status", "submitted_at", "accepted_at", "is_sample")
    list_filter = ("status", "dataset", "period__period_type", "is_sample")
    search_fields = ("unit__name", "unit__code", "period__code", "dataset__code")
    list_select_related = ("dataset", "unit", "period")
    date_hierarchy = "created_at"
    inlines = [DataValueInline]
    fields = (
        "dataset", "unit", "period", "status", "version", "submitted_at", "submitted_by", "approved_at", "approved_by",
        "accepted_at", "accepted_by", "returned_at", "returned_by", "return_reason", "reopened_until", "is_sample",
        "created_at", "updated_at",
    )
    readonly_fields = fields


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdmin):
    list_display = ("unit", "period", "indicator", "option", "value", "is_estimate", "updated_at", "updated_by")
    list_filter = ("indicator", "period__period_type", "is_estimate")
    search_fields = ("unit__name", "unit__code", "indicator__code", "period__code", "comment")
    list_select_related = ("unit", "period", "indicator", "option", "updated_by")
    show_full_result_count = False
    fields = ("submission", "unit", "period", "indicator", "option", "value", "is_estimate", "comment", "version",
              "updated_at", "updated_by")
    readonly_fields = fields


@admin.register(DataValueAudit)
class DataValueAuditAdmin(ReadOnlyAdmin):
    list_display = ("changed_at", "changed_by", "unit", "period", "indicator", "option", "kind", "old_value", "new_value", "source")
    list_filter = ("kind", "source", "indicator")
    search_fields = ("unit__name", "unit__code", "indicator__code", "period__code", "reason")
    list_select_related = ("unit", "period", "indicator", "option", "changed_by")
    date_hierarchy = "changed_at"
    show_full_result_count = False
    fields = ("changed_at", "changed_by", "unit", "period", "indicator", "option", "kind", "old_value", "new_value",
              "old_is_estimate", "new_is_estimate", "reason", "source")
    readonly_fields = fields


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "created_by", "filename", "status", "dry_run", "progress_done", "progress_total", "finished_at")
    list_filter = ("status", "dry_run")
    search_fields = ("filename", "sha256", "created_by__username")
    fields = ("created_at", "created_by", "filename", "sha256", "dry_run", "status", "progress_done", "progress_total",
              "summary", "errors", "finished_at")  # the uploaded bytes are not shown
    readonly_fields = fields


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "dataset", "unit", "period", "kind", "recipients")
    list_filter = ("kind", "dataset")
    list_select_related = ("dataset", "unit", "period")
    fields = ("sent_at", "dataset", "unit", "period", "kind", "recipients")
    readonly_fields = fields


# ---------------------------------------------------------------------------------------------------------
# Targets: through the service (permission check + audit)


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ("indicator", "unit", "year", "option", "value", "source")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        indicator, option = data.get("indicator"), data.get("option")
        if indicator is not None and option is not None and option.disaggregation_id != indicator.disaggregation_id:
            self.add_error("option", gettext("This option does not belong to the indicator's disaggregation."))
        if indicator is not None and data.get("value") is not None:
            try:
                values.value_parse(data["value"], indicator)
            except ValueError as exc:
                self.add_error("value", str(exc))
        return data


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    form = TargetForm
    list_display = ("year", "unit", "indicator", "option", "value", "source", "is_sample", "updated_at", "updated_by")
    list_filter = ("year", "indicator", "is_sample")
    search_fields = ("unit__name", "unit__code", "indicator__code", "source")
    list_select_related = ("unit", "indicator", "option", "updated_by")
    autocomplete_fields = ("indicator",)
    raw_id_fields = ("unit",)
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Target | None = None) -> tuple[str, ...]:
        # The key of a saved target is fixed; change the value, or delete and add another.
        return ("indicator", "unit", "year", "option", "is_sample") if obj is not None else ("is_sample",)

    def save_model(self, request: HttpRequest, obj: Target, form: forms.ModelForm, change: bool) -> None:
        try:
            saved = services.target_set(
                actor=request.user, indicator=obj.indicator, unit=obj.unit, year=obj.year, value=obj.value,
                option=obj.option, source=obj.source,
            )
        except ApplicationError as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        if saved is not None:
            obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Target) -> None:
        services.target_set(actor=request.user, indicator=obj.indicator, unit=obj.unit, year=obj.year, value=None, option=obj.option)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Target]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
