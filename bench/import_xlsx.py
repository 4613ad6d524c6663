"""Benchmark: the user's path of an Excel upload (dry run, then apply) against a fair floor, into a table that
already holds ≥ 1 million values.

    .venv/bin/python bench/import_xlsx.py [--values 100000] [--units 100] [--background 1000000] [--profile]

Builds its own world in a throw-away database (a temporary SQLite file, or `bench_import_<name>` on the server of
DATABASE_URL, created and dropped here): `--units` provinces in one reporting group, a monthly data set with
enough indicators × 4 disaggregation options to give `--values` value cells, one officer holding the province
role for every unit, and `--background` values of the earlier months (reports included) written with the bulk
path (COPY on PostgreSQL), so the import writes into a table of realistic size and the dry run's outlier checks
have history. The workbook comes from `template.template_build` with every value cell filled (values are created
in a transaction that is rolled back, so the template pre-fills them and the period is empty again). Then, in
the same run:

  floor  the project's own reader (excel.reader.workbook_parse) + a bare COPY (executemany on SQLite) of the
         same rows into the values table, committed (the reports are created first, outside the timing, and
         everything is deleted again afterwards)
  user   what a user runs: import_job_create (dry run) + import_job_run (validate, show the changes and the
         entry form's checks) + import_job_apply + import_job_run (write values, history, audit)

and prints the user's path as a ratio to the floor (goal ≤ 3×) with the machine's load (/proc/loadavg).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._django import setup_django  # noqa: E402

OPTIONS = 4  # disaggregation options per indicator: each indicator gives 1 total row + 4 option rows
PERIOD = "202603"



def _world(*, units: int, rows_per_sheet: int) -> dict[str, Any]:
    from lienket.regions.models import AdminUnit, GroupMembership, UnitGroup
    from lienket.reporting.models import DataSet, DataSetElement, Disaggregation, DisaggregationOption, Indicator
    from lienket.users.models import Membership, Role, User

    group = UnitGroup.objects.create(key="bench", name="Nhóm đo hiệu năng", purpose="conference")
    unit_objs = [AdminUnit(code=f"B{i:03d}", name=f"Tỉnh thử nghiệm {i:03d}", level=AdminUnit.Level.PROVINCE) for i in range(1, units + 1)]
    for u in unit_objs:
        u.save()
    GroupMembership.objects.bulk_create([GroupMembership(group=group, unit=u) for u in unit_objs])
    disagg = Disaggregation.objects.create(code="bench-class", name="Phân loại")
    DisaggregationOption.objects.bulk_create([
        DisaggregationOption(disaggregation=disagg, code=f"K{k}", name=f"Loại {k}", sort_order=k) for k in range(1, OPTIONS + 1)
    ])
    n_ind = max(1, rows_per_sheet // (OPTIONS + 1))
    inds = Indicator.objects.bulk_create([
        Indicator(code=f"BENCH_{i:04d}", name=f"Chỉ tiêu thử nghiệm số {i}", unit_of_measure="tỷ đồng", aggregation="sum",
                  time_aggregation="sum", decimals=2, min_value=Decimal(0), disaggregation=disagg, sort_order=i)
        for i in range(1, n_ind + 1)
    ])
    inds = list(Indicator.objects.filter(code__startswith="BENCH_").order_by("code"))
    dataset = DataSet.objects.create(code="BENCH", name="Báo cáo đo hiệu năng", form_number="Biểu 99", period_type="month",
                                     reporting_group=group, edit_days_after_due=30000)
    DataSetElement.objects.bulk_create([DataSetElement(dataset=dataset, indicator=ind, sort_order=i) for i, ind in enumerate(inds)])
    user = User.objects.create_user(username="bench")  # no password: it never logs in
    Membership.objects.bulk_create([Membership(user=user, role=Role.PROVINCE_OFFICER, unit=u) for u in unit_objs])
    return {"dataset": dataset, "units": unit_objs, "user": user, "indicators": inds}


def _filled_workbook(world: dict[str, Any]) -> tuple[bytes, int]:
    """A workbook with every value cell filled: values are stored, the template pre-fills them, and the
    transaction is rolled back."""
    from django.db import transaction

    from lienket.reporting.excel import template
    from lienket.reporting.models import DataValue, DisaggregationOption, Period, Submission

    dataset, units, inds = world["dataset"], world["units"], world["indicators"]
    options = [None, *DisaggregationOption.objects.filter(disaggregation__code="bench-class").order_by("sort_order")]
    with transaction.atomic():
        period = Period.for_code(PERIOD)
        subs = Submission.objects.bulk_create([Submission(dataset=dataset, unit=u, period=period) for u in units])
        values = []
        n = 0
        for sub in subs:
            for ind in inds:
                n += 1
                for opt, value in zip(options, _series(n, 0), strict=True):
                    values.append(DataValue(submission=sub, unit=sub.unit, period=period, indicator=ind, option=opt,
                                            value=value))
        DataValue.objects.bulk_create(values, batch_size=5000)
        data = template.template_build(dataset=dataset, units=units, period_code=PERIOD)
        transaction.set_rollback(True)
    return data, len(values)


def _background(world: dict[str, Any], *, values: int) -> tuple[int, int]:
    """`values` stored values (at least) in the months before PERIOD, a report each, written as plain rows."""
    from lienket.reporting.models import DataValue, DisaggregationOption, Period, Submission
    from lienket.reporting.services import _rows_insert

    dataset, units, inds = world["dataset"], world["units"], world["indicators"]
    options = [None, *DisaggregationOption.objects.filter(disaggregation__code="bench-class").order_by("sort_order")]
    per_month = len(units) * len(inds) * len(options)
    months = max(1, -(-values // per_month))
    written = 0
    for back in range(months, 0, -1):
        period = Period.for_code(_months_back(PERIOD, back))
        subs = Submission.objects.bulk_create([Submission(dataset=dataset, unit=u, period=period) for u in units])
        rows = []
        n = 0
        now = _now()
        for sub in subs:
            for ind in inds:
                n += 1
                for opt, value in zip(options, _series(n, back), strict=True):
                    rows.append((sub.pk, sub.unit_id, period.pk, ind.pk, opt.pk if opt else None, value, False, "", 1, now, None))
        _rows_insert(DataValue, ("submission_id", "unit_id", "period_id", "indicator_id", "option_id", "value", "is_estimate",
                                 "comment", "version", "updated_at", "updated_by_id"), rows)
        written += len(rows)
    return written, months


def _series(n: int, back: int) -> list[Decimal]:
    """The total and the four parts of one indicator of one unit, `back` months before PERIOD: plausible data
    (the parts add up to the total, a month differs from the next by a few per cent), so that the entry form's
    checks find what they find in real files — little — and have to look at every value to know it."""
    parts = [Decimal(1000 + (n * 37 + k * 211) % 9000) + Decimal((n + k) % 97) / 100 for k in range(1, OPTIONS + 1)]
    parts = [(p * (100 - back % 3) / 100).quantize(Decimal("0.01")) for p in parts]
    return [sum(parts, Decimal(0)), *parts]


def _months_back(code: str, back: int) -> str:
    year, month = int(code[:4]), int(code[4:6])
    index = year * 12 + month - 1 - back
    return f"{index // 12}{index % 12 + 1:02d}"


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _floor(data: bytes, world: dict[str, Any]) -> tuple[float, float, int]:
    """(seconds to read the file with the project's reader, seconds to COPY the same rows, rows)."""
    from django.db import transaction

    from lienket.reporting.excel import reader as excel_reader
    from lienket.reporting.models import DataValue, DisaggregationOption, Indicator, Period, Submission
    from lienket.reporting.services import _rows_insert

    t = time.perf_counter()
    parsed = excel_reader.workbook_parse(data=data, filename="bench.xlsx")
    parse_s = time.perf_counter() - t
    if parsed.errors:
        raise SystemExit(f"parse errors: {parsed.errors[:3]}")
    inds = dict(Indicator.objects.filter(code__startswith="BENCH_").values_list("code", "pk"))
    opts = dict(DisaggregationOption.objects.filter(disaggregation__code="bench-class").values_list("code", "pk"))
    period = Period.for_code(PERIOD)
    subs = {s.unit_id: s.pk for s in Submission.objects.bulk_create(
        [Submission(dataset=world["dataset"], unit=u, period=period) for u in world["units"]])}
    now = _now()
    t = time.perf_counter()
    rows = [(subs[it.unit.pk], it.unit.pk, period.pk, inds[it.indicator], opts.get(it.option) if it.option else None,
             it.value, bool(it.is_estimate), it.comment or "", 1, now, None) for it in parsed.items]
    with transaction.atomic():  # the rows are committed, as the user's apply commits them
        _rows_insert(DataValue, ("submission_id", "unit_id", "period_id", "indicator_id", "option_id", "value", "is_estimate",
                                 "comment", "version", "updated_at", "updated_by_id"), rows)
    copy_s = time.perf_counter() - t
    # undone outside the timing: the user's path starts from the same empty period
    DataValue.objects.filter(period=period).delete()
    Submission.objects.filter(period=period).delete()
    _analyze()
    return parse_s, copy_s, len(rows)


def _user_path(data: bytes, user: Any) -> tuple[float, float, Any]:
    """(dry run seconds, apply seconds, the applied job): upload as a dry run, then apply, as the pages do."""
    from lienket.reporting.excel.imports import import_job_apply, import_job_create, import_job_run

    t = time.perf_counter()
    job = import_job_create(actor=user, filename="bench.xlsx", data=data, dry_run=True)
    job = import_job_run(job_id=job.pk)
    dry_s = time.perf_counter() - t
    if job.status != "validated":
        raise SystemExit(f"dry run: {job.status} {job.errors[:3]}")
    t = time.perf_counter()
    job = import_job_apply(job=job, actor=user)
    job = import_job_run(job_id=job.pk)
    apply_s = time.perf_counter() - t
    if job.status != "done":
        raise SystemExit(f"apply: {job.status} {job.errors[:3]}")
    return dry_s, apply_s, job


def _loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--values", type=int, default=100_000, help="value cells in the workbook (default 100 000)")
    parser.add_argument("--units", type=int, default=100, help="unit sheets (default 100)")
    parser.add_argument("--background", type=int, default=1_000_000,
                        help="values already stored in earlier months (default 1 000 000)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the user's path")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lienket-bench-") as tmpdir:
        engine, original_name = setup_django(Path(tmpdir), test_prefix="bench_import_")
        from django.db import connection

        try:
            print(f"load average before: {_loadavg()}")
            rows_per_sheet = max(OPTIONS + 1, -(-args.values // args.units))
            t = time.perf_counter()
            world = _world(units=args.units, rows_per_sheet=rows_per_sheet)
            stored, months = _background(world, values=args.background)
            _analyze()
            bg_s = time.perf_counter() - t
            t = time.perf_counter()
            data, n_values = _filled_workbook(world)
            build_s = time.perf_counter() - t
            print(f"database: {engine}; {stored:,} values already stored ({months} earlier months, {bg_s:.1f} s); workbook: "
                  f"{len(world['units'])} sheets × {len(world['indicators'])} indicators × {OPTIONS + 1} rows = {n_values:,} "
                  f"values, {len(data) / 1e6:.1f} MB (built in {build_s:.1f} s)")

            floors = [_floor(data, world) for _ in range(2)]
            parse_s = min(f[0] for f in floors)
            copy_s = min(f[1] for f in floors)
            floor = parse_s + copy_s

            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            dry_s, apply_s, job = _user_path(data, world["user"])
            if profiler:
                profiler.disable()
            user_s = dry_s + apply_s
            summary = job.summary
            assert (summary["created"], summary["changed"]) == (n_values, 0), summary
            from lienket.reporting.models import DataValue, DataValueAudit

            assert DataValueAudit.objects.count() == n_values
            total = DataValue.objects.count()

            print("wall-clock seconds, best of 2 for the floor")
            print(f"floor: our reader      {parse_s:7.2f} s  ({n_values / parse_s:,.0f} values/s)")
            print(f"floor: bare {'COPY' if engine == 'postgresql' else 'executemany'} of the rows {copy_s:7.2f} s")
            print(f"floor                  {floor:7.2f} s  (1.00×)")
            print(f"user: dry run          {dry_s:7.2f} s  (read, validate, changes shown, {len(summary.get('checks') or [])} "
                  f"entry-form check(s) listed)")
            print(f"user: apply            {apply_s:7.2f} s  (parsed again: {summary.get('parsed_again')}; values, history, "
                  "audit written)")
            print(f"user path              {user_s:7.2f} s  ({n_values / user_s:,.0f} values/s), ratio {user_s / floor:.2f}× the floor")
            print(f"values table now holds {total:,} values")
            print(f"goal: user path ≤ 3× the floor {'met' if user_s / floor <= 3 else 'NOT met'}")
            print(f"load average after: {_loadavg()}")
            if profiler:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
