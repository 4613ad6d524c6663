"""The default indicator catalogue: the sector's real indicators with their definitions and sources, the
periodic reports (data sets) that collect them, and the validation rules between them.

The catalogue lives in ``fixtures/indicators.json`` and ``fixtures/datasets.json`` (sources in
``fixtures/SOURCES.md``). ``load_catalogue()`` upserts every row on its natural key (code; data set + indicator;
disaggregation + option code), leaves rows that already match alone, and so can run on every deploy: a second
run reports everything unchanged. It needs the reference data first (the reporting group ``north``).

Invariants checked before anything is written (the whole load is one transaction):

* a weighted average names its weight indicator, a ratio its numerator and denominator (also DB constraints);
* every rule expression parses and names only known indicators;
* one data set per indicator per period type — the write path (``services._dataset_map``) relies on it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models import Model

from lienket.core.text import nfc
from lienket.regions.models import UnitGroup

from .models import (
    DataSet,
    DataSetElement,
    Disaggregation,
    DisaggregationOption,
    Indicator,
    ValidationRule,
)
from .validation.expressions import expression_check

FIXTURES = Path(__file__).resolve().parent / "fixtures"

INDICATOR_FIELDS = (
    "name", "name_en", "short_name", "definition", "definition_en", "unit_of_measure", "unit_of_measure_en",
    "value_type", "decimals", "aggregation", "time_aggregation", "cumulative_ytd", "min_value", "max_value",
    "ratio_factor", "source", "definition_is_own", "used_from", "used_to", "is_active", "sort_order",
)
INDICATOR_REFS = ("weight_indicator", "numerator", "denominator")


class CatalogueError(ValueError):
    """The catalogue files contradict themselves or the database; nothing was written."""


def _read(name: str) -> dict[str, Any]:
    with (FIXTURES / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _text(value: Any) -> Any:
    return nfc(value) if isinstance(value, str) else value


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class _Upsert:
    def __init__(self, update: bool) -> None:
        self.update = update
        self.counts: dict[str, Counter[str]] = {}

    def __call__(self, label: str, model: type[Model], keys: dict[str, Any], values: dict[str, Any]) -> Any:
        counter = self.counts.setdefault(label, Counter(created=0, updated=0, unchanged=0))
        obj = model._default_manager.filter(**keys).first()
        if obj is None:
            obj = model._default_manager.create(**keys, **values)
            counter["created"] += 1
            return obj
        changed = []
        for name, value in values.items():
            field = model._meta.get_field(name)
            current = getattr(obj, field.attname) if isinstance(field, models.ForeignKey) else getattr(obj, name)
            wanted = value.pk if isinstance(field, models.ForeignKey) and value is not None else value
            if current != wanted:
                changed.append(name)
        if changed and self.update:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            counter["updated"] += 1
        else:
            counter["unchanged"] += 1
        return obj

    def result(self) -> dict[str, dict[str, int]]:
        return {label: dict(counter) for label, counter in self.counts.items()}


def _indicator_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parts before the indicators that refer to them (a ratio needs its numerator to exist first)."""
    by_code = {row["code"]: row for row in rows}
    done: set[str] = set()
    order: list[dict[str, Any]] = []

    def visit(code: str, path: tuple[str, ...]) -> None:
        if code in done:
            return
        if code in path:
            raise CatalogueError(f"indicator references form a cycle: {' → '.join((*path, code))}")
        row = by_code[code]
        for ref in INDICATOR_REFS:
            if row.get(ref) and row[ref] in by_code:
                visit(row[ref], (*path, code))
        done.add(code)
        order.append(row)

    for row in rows:
        visit(row["code"], ())
    return order


def _check_files(indicators: dict[str, Any], datasets: dict[str, Any]) -> None:
    rows = indicators["indicators"]
    codes = [row["code"] for row in rows]
    duplicates = sorted(code for code, n in Counter(codes).items() if n > 1)
    if duplicates:
        raise CatalogueError(f"indicator codes appear twice: {', '.join(duplicates)}")
    known = set(codes) | set(Indicator.objects.values_list("code", flat=True))
    disaggs = {d["code"] for d in indicators["disaggregations"]}
    for row in rows:
        code = row["code"]
        if row["aggregation"] == Indicator.Aggregation.WEIGHTED_AVERAGE and not row.get("weight_indicator"):
            raise CatalogueError(f"{code}: a weighted average needs weight_indicator")
        if row["aggregation"] == Indicator.Aggregation.RATIO and not (row.get("numerator") and row.get("denominator")):
            raise CatalogueError(f"{code}: a ratio needs numerator and denominator")
        for ref in INDICATOR_REFS:
            if row.get(ref) and row[ref] not in known:
                raise CatalogueError(f"{code}: {ref} {row[ref]} is not an indicator")
            if row.get(ref) == code:
                raise CatalogueError(f"{code}: {ref} cannot be the indicator itself")
        if row.get("disaggregation") and row["disaggregation"] not in disaggs:
            raise CatalogueError(f"{code}: unknown disaggregation {row['disaggregation']}")
        if not (row.get("source") or row.get("definition_is_own")):
            raise CatalogueError(f"{code}: give the definition's source, or mark it as LienKet's own")
    seen: dict[tuple[str, str], str] = {}
    for ds in datasets["datasets"]:
        for el in ds["elements"]:
            if el["indicator"] not in known:
                raise CatalogueError(f"{ds['code']}: {el['indicator']} is not an indicator")
            key = (el["indicator"], ds["period_type"])
            if key in seen and seen[key] != ds["code"]:
                raise CatalogueError(
                    f"{el['indicator']} is collected by both {seen[key]} and {ds['code']} for {ds['period_type']} periods"
                )
            seen[key] = ds["code"]
    dataset_codes = {ds["code"] for ds in datasets["datasets"]}
    for rule in datasets["rules"]:
        problems = expression_check(rule["expression"], known_codes=known)
        if problems:
            raise CatalogueError(f"rule {rule['code']}: {' '.join(problems)}")
        if rule.get("dataset") and rule["dataset"] not in dataset_codes | set(DataSet.objects.values_list("code", flat=True)):
            raise CatalogueError(f"rule {rule['code']}: unknown data set {rule['dataset']}")


def catalogue_problems() -> list[str]:
    """Invariants of the catalogue as it stands in the database (any origin), as readable messages."""
    problems: list[str] = []
    for ind in Indicator.objects.all():
        if ind.aggregation == Indicator.Aggregation.WEIGHTED_AVERAGE and ind.weight_indicator_id is None:
            problems.append(f"{ind.code}: weighted average without a weight indicator")
        if ind.aggregation == Indicator.Aggregation.RATIO and (ind.numerator_id is None or ind.denominator_id is None):
            problems.append(f"{ind.code}: ratio without numerator and denominator")
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, ptype, ds_code in DataSetElement.objects.filter(dataset__is_active=True).values_list(
        "indicator__code", "dataset__period_type", "dataset__code"
    ):
        holders[(code, ptype)].append(ds_code)
    for (code, ptype), ds_codes in sorted(holders.items()):
        if len(ds_codes) > 1:
            problems.append(f"{code} is collected by {', '.join(sorted(ds_codes))} for {ptype} periods")
    for rule in ValidationRule.objects.filter(is_active=True):
        for message in expression_check(rule.expression):
            problems.append(f"rule {rule.code}: {message}")
    return problems


@transaction.atomic
def load_catalogue(*, update: bool = True) -> dict[str, dict[str, int]]:
    """Load (or refresh) the default catalogue; returns {entity: {created, updated, unchanged}}.

    With `update=False` rows that exist are left as they are (an administrator's edits survive) and only
    missing rows are created.
    """
    indicators_file = _read("indicators.json")
    datasets_file = _read("datasets.json")
    _check_files(indicators_file, datasets_file)
    group = UnitGroup.objects.filter(key="north").first()
    if group is None:
        raise CatalogueError("the reporting group 'north' does not exist: load the reference data first (manage.py load_reference)")
    upsert = _Upsert(update)

    disaggregations: dict[str, Disaggregation] = {}
    for d in indicators_file["disaggregations"]:
        obj = upsert("disaggregations", Disaggregation, {"code": d["code"]}, {"name": _text(d["name"]), "name_en": _text(d["name_en"])})
        disaggregations[d["code"]] = obj
        for i, opt in enumerate(d["options"]):
            upsert(
                "options", DisaggregationOption, {"disaggregation": obj, "code": opt["code"]},
                {"name": _text(opt["name"]), "name_en": _text(opt.get("name_en", "")), "sort_order": i},
            )

    indicators: dict[str, Indicator] = {i.code: i for i in Indicator.objects.all()}
    for row in _indicator_order(indicators_file["indicators"]):
        values: dict[str, Any] = {}
        for name in INDICATOR_FIELDS:
            raw = row.get(name)
            if name in {"min_value", "max_value"}:
                values[name] = _decimal(raw)
            elif name == "ratio_factor":
                values[name] = _decimal(raw) or Decimal(1)
            elif name in {"used_from", "used_to"}:
                values[name] = _date(raw)
            elif name == "is_active":
                values[name] = row.get("is_active", True)
            elif name in {"cumulative_ytd", "definition_is_own"}:
                values[name] = bool(raw)
            elif name in {"decimals", "sort_order"}:
                values[name] = int(raw or 0)
            else:
                values[name] = _text(raw or "")
        for ref in INDICATOR_REFS:
            values[ref] = indicators[row[ref]] if row.get(ref) else None
        values["disaggregation"] = disaggregations[row["disaggregation"]] if row.get("disaggregation") else None
        indicators[row["code"]] = upsert("indicators", Indicator, {"code": row["code"]}, values)

    datasets: dict[str, DataSet] = {}
    for ds in datasets_file["datasets"]:
        values = {
            "name": _text(ds["name"]), "name_en": _text(ds["name_en"]), "form_number": _text(ds.get("form_number", "")),
            "description": _text(ds.get("description", "")), "period_type": ds["period_type"], "reporting_group": group,
            "cutoff_day": ds["cutoff_day"], "due_days": ds["due_days"], "edit_days_after_due": ds["edit_days_after_due"],
            "outlier_pct": _decimal(ds.get("outlier_pct")), "outlier_sd": _decimal(ds.get("outlier_sd")),
            "is_active": ds.get("is_active", True),
        }
        if ds.get("reporting_group", "north") != "north":
            values["reporting_group"] = UnitGroup.objects.get(key=ds["reporting_group"])
        dataset = upsert("datasets", DataSet, {"code": ds["code"]}, values)
        datasets[ds["code"]] = dataset
        for i, el in enumerate(ds["elements"]):
            upsert(
                "elements", DataSetElement, {"dataset": dataset, "indicator": indicators[el["indicator"]]},
                {"section": _text(el.get("section", "")), "sort_order": (i + 1) * 10, "required": bool(el.get("required")),
                 "estimate_by_default": bool(el.get("estimate_by_default"))},
            )

    for rule in datasets_file["rules"]:
        rule_dataset: DataSet | None = None
        if rule.get("dataset"):
            rule_dataset = datasets.get(rule["dataset"]) or DataSet.objects.get(code=rule["dataset"])
        upsert(
            "rules", ValidationRule, {"code": rule["code"]},
            {"name": _text(rule["name"]), "name_en": _text(rule.get("name_en", "")), "dataset": rule_dataset,
             "expression": rule["expression"], "severity": rule["severity"], "message": _text(rule["message"]),
             "message_en": _text(rule.get("message_en", "")), "is_active": rule.get("is_active", True)},
        )

    problems = [p for p in catalogue_problems() if " is collected by " in p]
    if problems:
        raise CatalogueError("; ".join(problems))
    from lienket.search.services import search_index_upsert

    from .selectors import search_documents

    for document in search_documents():  # the indicators, into the search index (same transaction)
        search_index_upsert(document=document)
    return upsert.result()
