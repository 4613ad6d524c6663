"""Benchmark: importing a filled-in multi-unit Excel workbook, against a bare openpyxl read of the same file.

    .venv/bin/python bench/import_xlsx.py [--values 100000] [--units 100] [--profile]

Builds its own world in a throw-away database (a temporary SQLite file, or `test_<name>` on the server of
DATABASE_URL, created and dropped here): `--units` provinces in one reporting group, a monthly data set with
enough indicators × 4 disaggregation options to give `--values` value cells, and one officer holding the
province role for every unit. The workbook comes from `template.template_build` with every value cell filled
(values are created in a transaction that is rolled back, so the template pre-fills them and the database
is empty again for the import). Then it measures, in the same run:

  bare  openpyxl, read_only + data_only, iterating every cell of every sheet (the floor for any reader)
  ours  excel.reader.workbook_parse + services.datavalues_apply (writing everything: values, history, submissions)
  again the same file once more (everything unchanged, nothing written)

and prints values/s and each figure as a ratio to the bare read. Goals (issue): ≥ 10 000 values/s and
ours ≤ 3 × bare.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPTIONS = 4  # disaggregation options per indicator: each indicator gives 1 total row + 4 option rows
PERIOD = "202603"


def _setup_django(tmp: Path) -> tuple[str, str]:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(tmp / "bench-test.sqlite3")
    from django.db import connection

    original = str(connection.settings_dict["NAME"])
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return str(db["ENGINE"]).rsplit(".", 1)[-1], original


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
                for opt in options:
                    n += 1
                    values.append(DataValue(submission=sub, unit=sub.unit, period=period, indicator=ind, option=opt,
                                            value=Decimal(n % 100_000) + Decimal(n % 97) / 100))
        DataValue.objects.bulk_create(values, batch_size=5000)
        data = template.template_build(dataset=dataset, units=units, period_code=PERIOD)
        transaction.set_rollback(True)
    return data, len(values)


def _bare_read(data: bytes) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for _value in row:
                cells += 1
    wb.close()
    return cells


def _import(data: bytes, user: Any) -> tuple[float, float, Any, int, float]:
    from lienket.reporting.excel import reader as excel_reader
    from lienket.reporting.services import datavalues_apply

    c0 = time.process_time()
    t0 = time.perf_counter()
    parsed = excel_reader.workbook_parse(data=data, filename="bench.xlsx")
    t1 = time.perf_counter()
    if parsed.errors:
        raise SystemExit(f"parse errors: {parsed.errors[:3]}")
    result = datavalues_apply(actor=user, items=parsed.items, source="xlsx", reason="bench")
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, result, len(parsed.items), time.process_time() - c0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--values", type=int, default=100_000, help="value cells in the workbook (default 100 000)")
    parser.add_argument("--units", type=int, default=100, help="unit sheets (default 100)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the import")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lienket-bench-") as tmpdir:
        engine, original_name = _setup_django(Path(tmpdir))
        from django.db import connection

        try:
            rows_per_sheet = max(OPTIONS + 1, -(-args.values // args.units))
            t = time.perf_counter()
            world = _world(units=args.units, rows_per_sheet=rows_per_sheet)
            data, n_values = _filled_workbook(world)
            build_s = time.perf_counter() - t
            print(f"database: {engine}; workbook: {len(world['units'])} sheets × {len(world['indicators'])} indicators × "
                  f"{OPTIONS + 1} rows = {n_values:,} values, {len(data) / 1e6:.1f} MB (built in {build_s:.1f} s)")

            bare_times, bare_cpus = [], []
            for _ in range(2):
                c, t = time.process_time(), time.perf_counter()
                cells = _bare_read(data)
                bare_times.append(time.perf_counter() - t)
                bare_cpus.append(time.process_time() - c)
            bare, bare_cpu = min(bare_times), min(bare_cpus)

            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            parse_s, apply_s, result, n_items, cpu = _import(data, world["user"])
            if profiler:
                profiler.disable()
            ours = parse_s + apply_s
            assert (result.created, result.changed) == (n_values, 0), result.as_dict()
            parse2, apply2, again, _n, cpu2 = _import(data, world["user"])
            assert (again.unchanged, again.created, again.changed) == (n_values, 0, 0), again.as_dict()
            again_s = parse2 + apply2

            print("wall-clock seconds (CPU seconds of this process in brackets; on SQLite they are the same work, on "
                  "PostgreSQL the server's share is not in them)")
            print(f"bare openpyxl read : {bare:7.2f} s [{bare_cpu:6.2f}]  {cells:,} cells, {n_values / bare:,.0f} values/s "
                  "(baseline 1.00×)")
            print(f"our import         : {ours:7.2f} s [{cpu:6.2f}]  parse {parse_s:.2f} s + write {apply_s:.2f} s; "
                  f"{n_items / ours:,.0f} values/s, ratio {ours / bare:.2f}× [CPU {cpu / bare_cpu:.2f}×]")
            print(f"re-import unchanged: {again_s:7.2f} s [{cpu2:6.2f}]  parse {parse2:.2f} s + check {apply2:.2f} s; "
                  f"{n_items / again_s:,.0f} values/s, ratio {again_s / bare:.2f}× [CPU {cpu2 / bare_cpu:.2f}×]")
            ok_speed, ok_ratio = n_items / ours >= 10_000, ours / bare <= 3
            print(f"goals: ≥ 10 000 values/s {'met' if ok_speed else 'NOT met'}; ≤ 3× bare read {'met' if ok_ratio else 'NOT met'}")
            if profiler:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
