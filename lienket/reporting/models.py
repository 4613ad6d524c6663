"""Reporting: indicator catalogue, data sets (forms), periods, submissions with an approval workflow,
data values with value-level history, annual plan targets, validation rules.

Modelled on DHIS2 (data elements, data sets, periods, complete registration + approval that locks data,
data value audit), with the workflow invariants also enforced by database constraints.

Over 500 lines on purpose: the models of one domain and the constraints that tie them together stay in one
module (Django's app layout; splitting it would not create migrations but would scatter the invariants).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .periods import PeriodSpec, PeriodType, cutoff_date, parse_period


class Disaggregation(models.Model):
    """A breakdown of an indicator's value (DHIS2 category), e.g. by economic sector or market class."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DisaggregationOption(models.Model):
    disaggregation = models.ForeignKey(Disaggregation, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("disaggregation option")
        verbose_name_plural = _("disaggregation options")
        ordering = ["disaggregation", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["disaggregation", "code"], name="disagg_option_unique")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    class ValueType(models.TextChoices):
        DECIMAL = "decimal", _("Decimal number")
        INTEGER = "integer", _("Whole number")
        PERCENTAGE = "percentage", _("Percentage")
        INDEX = "index", _("Index (base = 100)")

    class Aggregation(models.TextChoices):
        """How values of several units combine into a region's value."""

        SUM = "sum", _("Sum")
        WEIGHTED_AVERAGE = "weighted_average", _("Weighted average (by a weight indicator)")
        RATIO = "ratio", _("Ratio recomputed from numerator and denominator")
        NONE = "none", _("Not aggregatable")

    class TimeAggregation(models.TextChoices):
        """How values of several periods combine into a longer period's value."""

        SUM = "sum", _("Sum over periods")
        LAST = "last", _("Last value in the period (stock)")
        AVERAGE = "average", _("Average over periods")
        NONE = "none", _("Not aggregatable over time")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40)
    unit_of_measure_en = models.CharField(_("unit of measure (English)"), max_length=40, blank=True)
    value_type = models.CharField(_("value type"), max_length=12, choices=ValueType.choices, default=ValueType.DECIMAL)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1)
    aggregation = models.CharField(_("aggregation across units"), max_length=20, choices=Aggregation.choices)
    weight_indicator = models.ForeignKey(
        "self", verbose_name=_("weight indicator"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    numerator = models.ForeignKey(
        "self", verbose_name=_("numerator"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", verbose_name=_("denominator"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ratio_factor = models.DecimalField(
        _("ratio factor"), max_digits=12, decimal_places=4, default=Decimal(1),
        help_text=_("Multiplier applied to numerator ÷ denominator (100 for a percentage)"),
    )
    time_aggregation = models.CharField(_("aggregation over time"), max_length=10, choices=TimeAggregation.choices)
    cumulative_ytd = models.BooleanField(
        _("cumulative year-to-date (lũy kế)"), default=False,
        help_text=_("Values are reported as totals from the start of the year to the end of the period"),
    )
    disaggregation = models.ForeignKey(
        Disaggregation, verbose_name=_("disaggregation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="indicators",
    )
    min_value = models.DecimalField(_("minimum"), max_digits=24, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=24, decimal_places=6, null=True, blank=True)
    source = models.CharField(
        _("definition source"), max_length=300, blank=True,
        help_text=_("e.g. the national statistical indicator system; empty if the definition is our own"),
    )
    definition_is_own = models.BooleanField(_("definition is LienKet's own"), default=False)
    used_from = models.DateField(_("used from"), null=True, blank=True)
    used_to = models.DateField(_("used until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                name="indicator_weighted_needs_weight",
                condition=~Q(aggregation="weighted_average") | Q(weight_indicator__isnull=False),
            ),
            models.CheckConstraint(
                name="indicator_ratio_needs_parts",
                condition=~Q(aggregation="ratio") | (Q(numerator__isnull=False) & Q(denominator__isnull=False)),
            ),
            models.CheckConstraint(
                name="indicator_bounds_ordered",
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(max_value__gte=F("min_value")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def label(self, lang: str = "vi") -> str:
        return self.name if lang.startswith("vi") or not self.name_en else self.name_en

    def in_use(self, start: dt.date, end: dt.date) -> bool:
        """Whether the indicator is collected during [start, end]: active, and used then (e.g. gross output at
        2010 prices: until 2020). The one definition, for the writer, the validator and the forms (in_use_q)."""
        return (
            self.is_active
            and (self.used_from is None or self.used_from <= end)
            and (self.used_to is None or self.used_to >= start)
        )

    @staticmethod
    def in_use_q(start: dt.date, end: dt.date, prefix: str = "") -> Q:
        """in_use() as a filter."""
        return (
            Q(**{f"{prefix}is_active": True})
            & (Q(**{f"{prefix}used_from__isnull": True}) | Q(**{f"{prefix}used_from__lte": end}))
            & (Q(**{f"{prefix}used_to__isnull": True}) | Q(**{f"{prefix}used_to__gte": start}))
        )

    @property
    def in_percent(self) -> bool:
        """Values are numbers of per cent (112.5 means 112,5 %): percentages, indices (base = 100) and anything
        measured in "%". A value typed as "112,5%" or read from a percent-formatted spreadsheet cell means 112.5
        here; for any other indicator a "%" is ambiguous and refused."""
        return self.value_type in (self.ValueType.PERCENTAGE, self.ValueType.INDEX) or self.unit_of_measure.strip() == "%"

    def total_tolerance(self, parts: int) -> Decimal:
        """How far `parts` values may add up beyond their total through rounding alone: half a unit of the last
        decimal for the total and for each part; nothing for whole numbers (counts are exact)."""
        if self.value_type == self.ValueType.INTEGER or parts <= 0:
            return Decimal(0)
        return Decimal(parts + 1) * Decimal(5).scaleb(-(min(int(self.decimals), 6) + 1))

    def uom(self, lang: str = "vi") -> str:
        return self.unit_of_measure if lang.startswith("vi") or not self.unit_of_measure_en else self.unit_of_measure_en


class DataSet(models.Model):
    """A periodic form: which indicators, how often, who reports, when it is due, how long it stays editable."""

    class PeriodTypeChoices(models.TextChoices):
        MONTH = PeriodType.MONTH, _("Monthly")
        QUARTER = PeriodType.QUARTER, _("Quarterly")
        HALF_YEAR = PeriodType.HALF_YEAR, _("6 months")
        NINE_MONTHS = PeriodType.NINE_MONTHS, _("9 months")
        YEAR = PeriodType.YEAR, _("Yearly")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    form_number = models.CharField(_("form number"), max_length=40, blank=True, help_text=_("e.g. Biểu 01"))
    description = models.TextField(_("description"), blank=True)
    period_type = models.CharField(_("period type"), max_length=12, choices=PeriodTypeChoices.choices)
    reporting_group = models.ForeignKey(
        "regions.UnitGroup", verbose_name=_("reporting units"), on_delete=models.PROTECT, related_name="datasets",
        help_text=_("Members of this group on the due date report the data set"),
    )
    cutoff_day = models.PositiveSmallIntegerField(
        _("data cut-off day"), default=14,
        help_text=_("Day of the period's last month up to which data is counted (Decree 09/2019: the 14th); 0 = month end"),
    )
    due_days = models.PositiveSmallIntegerField(_("due (days after cut-off)"), default=6)
    edit_days_after_due = models.PositiveSmallIntegerField(
        _("editable for (days after due)"), default=15,
        help_text=_("After this, province users can no longer change data unless the coordinator reopens it"),
    )
    outlier_pct = models.DecimalField(
        _("outlier threshold vs same period last year (%)"), max_digits=7, decimal_places=2, null=True, blank=True,
        default=Decimal(50),
    )
    outlier_sd = models.DecimalField(
        _("outlier threshold (standard deviations of the unit's history)"), max_digits=5, decimal_places=2, null=True,
        blank=True, default=Decimal(3),
    )
    indicators = models.ManyToManyField(Indicator, through="DataSetElement", related_name="datasets")
    is_active = models.BooleanField(_("active"), default=True)
    is_sample = models.BooleanField(_("sample data (Dữ liệu mẫu)"), default=False)

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def label(self, lang: str = "vi") -> str:
        return self.name if lang.startswith("vi") or not self.name_en else self.name_en

    def due_date(self, period: Period | PeriodSpec) -> dt.date:
        spec = period.spec if isinstance(period, Period) else period
        return cutoff_date(spec, self.cutoff_day) + dt.timedelta(days=self.due_days)

    def edit_deadline(self, period: Period | PeriodSpec) -> dt.date:
        return self.due_date(period) + dt.timedelta(days=self.edit_days_after_due)


class DataSetElement(models.Model):
    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="elements")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="elements")
    section = models.CharField(_("section"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    required = models.BooleanField(_("required"), default=False)
    estimate_by_default = models.BooleanField(
        _("estimate by default"), default=False,
        help_text=_("Values are estimates (ước tính) when first reported and revised later"),
    )

    class Meta:
        verbose_name = _("data set element")
        verbose_name_plural = _("data set elements")
        ordering = ["dataset", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["dataset", "indicator"], name="dataset_element_unique")]

    def __str__(self) -> str:
        return f"{self.dataset.code}: {self.indicator.code}"


class Period(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    period_type = models.CharField(_("period type"), max_length=12, choices=DataSet.PeriodTypeChoices.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["start", "end"]
        constraints = [models.CheckConstraint(name="period_range", condition=Q(end__gte=F("start")))]

    def __str__(self) -> str:
        return self.spec.label()

    @property
    def spec(self) -> PeriodSpec:
        return parse_period(self.code)

    def label(self, lang: str = "vi") -> str:
        return self.spec.label(lang)

    @classmethod
    def for_code(cls, code: str) -> Period:
        spec = parse_period(code)
        period, _created = cls.objects.get_or_create(
            code=spec.code,
            defaults={"period_type": spec.period_type, "year": spec.year, "start": spec.start, "end": spec.end},
        )
        return period


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Submission(models.Model):
    """One data set, for one unit, for one period: the unit of the approval workflow (see workflow.py)."""

    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey("regions.AdminUnit", on_delete=models.PROTECT, related_name="submissions")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(_("status"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Optimistic lock: bumped on every change"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField(_("reason for return"), blank=True)
    reopened_until = models.DateField(
        _("reopened until"), null=True, blank=True, help_text=_("Set by an authorised reopen: editable until this date")
    )
    is_sample = models.BooleanField(_("sample data (Dữ liệu mẫu)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-period__start", "dataset__code", "unit__code"]
        indexes = [models.Index(fields=["dataset", "period", "status"], name="submission_ds_period_idx")]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "unit", "period"], name="submission_unique"),
            models.CheckConstraint(
                name="submission_submitted_has_actor",
                condition=~Q(status__in=["submitted", "approved", "accepted"])
                | (Q(submitted_at__isnull=False) & Q(submitted_by__isnull=False)),
            ),
            models.CheckConstraint(
                name="submission_approved_has_actor",
                condition=~Q(status__in=["approved", "accepted"]) | (Q(approved_at__isnull=False) & Q(approved_by__isnull=False)),
            ),
            models.CheckConstraint(
                name="submission_accepted_has_actor",
                condition=~Q(status="accepted") | (Q(accepted_at__isnull=False) & Q(accepted_by__isnull=False)),
            ),
            models.CheckConstraint(
                name="submission_returned_has_reason",
                condition=~Q(status="returned") | (~Q(return_reason="") & Q(returned_by__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset.code} · {self.unit.name} · {self.period}"

    @property
    def due_date(self) -> dt.date:
        return self.dataset.due_date(self.period)

    @property
    def edit_deadline(self) -> dt.date:
        deadline = self.dataset.edit_deadline(self.period)
        if self.reopened_until and self.reopened_until > deadline:
            return self.reopened_until
        return deadline

    @property
    def on_time(self) -> bool | None:
        """Submitted no later than the due date (Asia/Ho_Chi_Minh); None while not submitted."""
        if self.submitted_at is None:
            return None
        from django.utils import timezone

        return timezone.localtime(self.submitted_at).date() <= self.due_date


class DataValue(models.Model):
    """One number: unit × indicator × period × disaggregation option (the natural key)."""

    # No single-column index on submission, unit, period or indicator: each is the leading column of a
    # composite index below (an extra index only slows every write of values).
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="values", db_index=False)
    unit = models.ForeignKey("regions.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values", db_index=False)
    option = models.ForeignKey(DisaggregationOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    is_estimate = models.BooleanField(_("estimate (ước tính)"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(
                "unit", "indicator", "period", Coalesce("option", Value(0)), name="datavalue_natural_key"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period", "unit"], name="datavalue_ind_period_idx"),
            models.Index(fields=["submission", "indicator"], name="datavalue_submission_idx"),
            # GET /api/v1/datavalues pages in (period, id) order (VALUE_ORDER) with a keyset cursor, also under a
            # period filter (a period list is read in index order); `updated_since` for clients that sync.
            models.Index(fields=["period", "id"], name="datavalue_period_id_idx"),
            # …and under a `unit` filter: a unit's values in that order (a merged unit has values only after 2025,
            # which a walk of the whole period order would reach last)
            models.Index(fields=["unit", "period", "id"], name="datavalue_unit_period_idx"),
            models.Index(fields=["updated_at"], name="datavalue_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}/{self.indicator.code}/{self.period.code}={self.value}"


class DataValueAudit(models.Model):
    """Value-level history (DHIS2 data value audit): who changed which number, when, old → new, why."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")

    unit = models.ForeignKey("regions.AdminUnit", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(DisaggregationOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    old_value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    new_value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    old_is_estimate = models.BooleanField(null=True, blank=True)
    new_is_estimate = models.BooleanField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=20, default="form", help_text=_("form, xlsx, api, csv, sample"))
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("data value change")
        verbose_name_plural = _("data value changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["unit", "indicator", "period"], name="dv_audit_key_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.unit_id}/{self.period_id}: {self.old_value} → {self.new_value}"


class Target(models.Model):
    """Annual plan target (kế hoạch năm) for one indicator and unit."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey("regions.AdminUnit", on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    option = models.ForeignKey(DisaggregationOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("target"), max_digits=24, decimal_places=6)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("e.g. the provincial People's Committee decision"))
    is_sample = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["year", "unit__code", "indicator__code"]
        constraints = [
            models.UniqueConstraint("indicator", "unit", "year", Coalesce("option", Value(0)), name="target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit.code} {self.year}: {self.value}"


class ValidationRule(models.Model):
    """A cross-indicator rule such as `CCN_OCCUPIED_HA <= CCN_AREA_HA`. Errors block submission; warnings
    need a comment."""

    class Severity(models.TextChoices):
        ERROR = "error", _("Error (blocks submission)")
        WARNING = "warning", _("Warning (needs a comment)")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    dataset = models.ForeignKey(
        DataSet, null=True, blank=True, on_delete=models.CASCADE, related_name="rules",
        help_text=_("Empty: applies to every data set holding the indicators"),
    )
    expression = models.CharField(
        _("expression"), max_length=500, help_text=_("Indicator codes, numbers, + - * / ( ) and one of < <= > >= == !=")
    )
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.ERROR)
    message = models.CharField(_("message"), max_length=300)
    message_en = models.CharField(_("message (English)"), max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.expression}"


class ImportJob(models.Model):
    """An uploaded workbook, validated whole, applied atomically in the background with progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Validating")
        INVALID = "invalid", _("Invalid — nothing written")
        VALIDATED = "validated", _("Validated (dry run)")
        APPLYING = "applying", _("Writing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed — nothing written")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True, help_text=_("created / changed / unchanged counts"))
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class ReminderLog(models.Model):
    """One reminder e-mail per (data set, unit, period) and kind, so a daily job never sends the same reminder
    twice. Keyed on the report, not on a Submission: a unit that never opened its report stays "missing" in
    the completeness view instead of getting a draft it did not create."""

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("regions.AdminUnit", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "unit", "period", "kind"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.dataset_id}/{self.unit_id}/{self.period_id} {self.kind}"


class AcceptedValue(models.Model):
    """The published figures in a compact table: a copy of each value of an accepted submission, with its period
    code inline (analytics reads it without joining periods and submissions). Maintained by
    `reporting.services.submission_transition` inside the accepting (or reopening) transaction through
    `aggregates.rollup_submission`; `manage.py rollup_rebuild` fills it for data written around the workflow
    (bulk loaders, an existing database). `option_key` is the option's id, 0 for the total."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey("regions.AdminUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False)
    period_code = models.CharField(max_length=16)
    option_key = models.PositiveIntegerField(default=0)
    value = models.DecimalField(max_digits=24, decimal_places=6)

    class Meta:
        verbose_name = _("accepted value")
        verbose_name_plural = _("accepted values")
        indexes = [
            models.Index(fields=["indicator", "period_code", "unit"], name="acceptedvalue_ind_period_idx"),
            models.Index(fields=["submission"], name="acceptedvalue_submission_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}/{self.period_code}={self.value}"


class AcceptedTotal(models.Model):
    """The published figures summed per group: for one group (the conference group, a sub-region, …), indicator,
    period and option, Σ of the accepted values of the group's members on the period's end date, with which members
    had none. A regional pivot reads a handful of these rows instead of every unit's values.

    Maintained with `AcceptedValue` in the accepting / reopening transaction (`aggregates.rollup_submission`) and by
    `manage.py rollup_rebuild`. A row counts only for the membership it was computed with (`members_key`, a hash of
    the member ids): when reference data changes who belongs to a group, the engine ignores the row and sums the
    units' values itself until the next rebuild. `total` is the exact decimal as text (SQLite keeps only 15 digits of
    a number); `missing` the comma-separated ids of the members without a value."""

    group = models.ForeignKey("regions.UnitGroup", on_delete=models.CASCADE, related_name="+", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False)
    period_code = models.CharField(max_length=16)
    option_key = models.PositiveIntegerField(default=0)
    total = models.CharField(max_length=64)
    present = models.PositiveIntegerField()
    members = models.PositiveIntegerField()
    members_key = models.CharField(max_length=32)
    missing = models.TextField(blank=True)

    class Meta:
        verbose_name = _("accepted total")
        verbose_name_plural = _("accepted totals")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_code", "group", "option_key"], name="acceptedtotal_key"),
        ]
        indexes = [models.Index(fields=["group", "period_code"], name="acceptedtotal_group_period_idx")]

    def __str__(self) -> str:
        return f"{self.group_id}/{self.indicator_id}/{self.period_code}={self.total} ({self.present}/{self.members})"
