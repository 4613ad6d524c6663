"""A national-scale reporting database for benchmarks: ≥ 10 million data values on PostgreSQL (a smaller one on
SQLite), built once and reused.

    .venv/bin/python bench/national.py [--database-url postgres://postgres@127.0.0.1:5432/lienket_scale]
                                       [--scale 1.0] [--rebuild]
    .venv/bin/python bench/national.py --database-url sqlite:////tmp/lienket_national.sqlite3   # scale 0.05

    from bench.national import build
    info = build("postgres://postgres@127.0.0.1:5432/lienket_scale", scale=1.0)   # NationalInfo

What it holds (scale 1.0): the reference data of `manage.py load_reference` (so the real 1/7/2025 change of
units of the "north" reporting group: 28 provinces until 30/6/2025, 18 from 1/7/2025, with their
successions), 520 indicators (sum over units and time, each broken down by one 4-option disaggregation, so
each gives 5 values: total + 4 options) in 5 monthly data sets of 104 indicators reported by that group, every
month 2015-01 … 2026-12, every submission accepted (by a coordinator, through a director) except the last two
months, which are drafts. 3 852 unit-months × 2 600 values = 10 015 200 values. `scale` < 1 keeps every unit and
period and shrinks the indicators (at least 10, i.e. 5 % of the values at 0.05; `--scale 0.02` → 10 indicators,
≈ 190 000 values) for quick runs.

Engines: PostgreSQL (default scale 1.0; the database is created if missing) or SQLite (a `sqlite:///` URL; the file
and its folder are created if missing; default scale 0.05: 26 indicators, 500 760 values, built in 30–60 s
on the shared 2-core machine — 10 million values would be a multi-gigabyte file for no extra insight).

Values are written through the project's own bulk path (`reporting.services._rows_insert`: COPY on PostgreSQL,
executemany on SQLite),
period by period (ids grow with time, as in real use); the value history is not written (the benchmarks read
values). Users (password `national-bench`): `national_coord` (Ministry coordinator), `national_officer` and
`national_director` of the merged unit (the 2025 unit formed from the most predecessors).

Reuse: a table `bench_national` (not a Django model) records the scale and value count of a finished build;
`build()` on a database that holds a finished build of the same scale only runs `migrate` (so new indexes reach
it) and returns. A half-built or other-scale database is emptied of its reporting data (TRUNCATE … CASCADE on
PostgreSQL, DELETE of the same tables and of every table referring to them on SQLite) and rebuilt.

`build()` configures Django for `database_url` if Django is not configured yet (DJANGO_SETTINGS_MODULE,
default `config.settings.test`); if Django is already set
up, its default database must be that one (else ValueError).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lienket_scale"
SQLITE_URL = "sqlite:////tmp/lienket_national.sqlite3"  # the SQLite example of the docstring and README
SQLITE_SCALE = 0.05  # default scale on SQLite: 26 indicators, 500 760 values
PASSWORD = "national-bench"  # noqa: S105 - a throw-away benchmark database
GROUP = "north"
INDICATORS = 520
DATASETS = 5
OPTIONS = 4
FIRST_YEAR, LAST_YEAR = 2015, 2026
DRAFT_MONTHS = 2  # the last months are drafts (not yet accepted)
META_TABLE = "bench_national"


@dataclass(frozen=True)
class NationalInfo:
    """What a built database holds, for benchmarks to pick their subjects."""

    database_url: str
    scale: float
    values: int
    indicators: int
    datasets: list[str]  # data set codes
    periods: list[str]  # period codes, oldest first
    merged_unit_key: str  # the 2025 unit with the most predecessors
    predecessor_keys: list[str]
    other_unit_key: str  # another unit (old), whose drafts the officer must not see
    coordinator: str
    officer: str
    director: str
    password: str = PASSWORD
    built_seconds: float = 0.0
    reused: bool = False


def is_sqlite(database_url: str) -> bool:
    import dj_database_url

    return str(dj_database_url.parse(database_url)["ENGINE"]).endswith("sqlite3")


def default_scale(database_url: str) -> float:
    """1.0 (10 million values) on PostgreSQL, SQLITE_SCALE (500 760 values) on SQLite."""
    return SQLITE_SCALE if is_sqlite(database_url) else 1.0


def _ensure_database(database_url: str) -> None:
    import dj_database_url

    cfg = dj_database_url.parse(database_url)
    if str(cfg["ENGINE"]).endswith("sqlite3"):
        name = str(cfg["NAME"])
        if not name or name == ":memory:":
            raise ValueError("bench/national.py needs a SQLite file, e.g. sqlite:////tmp/lienket_national.sqlite3")
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        return
    if "postgresql" not in cfg["ENGINE"]:
        raise ValueError("bench/national.py builds a PostgreSQL or SQLite database; give a postgres:// or sqlite:/// URL")
    import psycopg

    conninfo = {"host": cfg["HOST"] or "127.0.0.1", "port": cfg["PORT"] or 5432, "user": cfg["USER"] or "postgres",
                "dbname": "postgres", "autocommit": True}
    if cfg.get("PASSWORD"):
        conninfo["password"] = cfg["PASSWORD"]
    with psycopg.connect(**conninfo) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def setup_django(database_url: str) -> None:
    """Point Django at `database_url` (before setup), or check that it already points there."""
    import django
    from django.conf import settings

    if settings.configured and django.apps.apps.ready:
        import dj_database_url

        want = dj_database_url.parse(database_url)["NAME"]
        have = settings.DATABASES["default"]["NAME"]
        if want != have:
            raise ValueError(f"Django is set up for database {have!r}, not {want!r}")
        return
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()


def _meta_read() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
        cur.execute(f"SELECT key, value FROM {META_TABLE}")  # noqa: S608 - constant table name
        return dict(cur.fetchall())


def _meta_write(meta: dict[str, str]) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {META_TABLE}")  # noqa: S608 - constant table name
        for key, value in meta.items():
            cur.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", [key, value])  # noqa: S608


def _indicator_count(scale: float) -> int:
    return INDICATORS if scale >= 1 else max(10, round(INDICATORS * scale))


def _months() -> list[str]:
    return [f"{y}{m:02d}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]


def _merged_unit() -> tuple[Any, list[Any]]:
    from django.db.models import Count

    from lienket.regions.models import AdminUnit, GroupMembership, UnitSuccession

    members = GroupMembership.objects.filter(group__key=GROUP).values("unit_id")
    best = (
        UnitSuccession.objects.filter(successor__in=members)
        .values("successor_id").annotate(n=Count("id")).order_by("-n", "successor_id").first()
    )
    if best is None:
        raise RuntimeError("no merged unit in the reference data: run load_reference first")
    unit = AdminUnit.objects.get(pk=best["successor_id"])
    preds = [s.predecessor for s in UnitSuccession.objects.filter(successor=unit).select_related("predecessor").order_by("predecessor__code")]
    return unit, preds


def _info(database_url: str, scale: float, values: int, seconds: float, reused: bool) -> NationalInfo:
    from lienket.regions.models import AdminUnit, GroupMembership
    from lienket.reporting.models import DataSet, Indicator

    unit, preds = _merged_unit()
    other_id = (GroupMembership.objects.filter(group__key=GROUP, unit__valid_to__isnull=False)
                .exclude(unit__in=[p.pk for p in preds]).order_by("unit__code").values_list("unit_id", flat=True).first())
    other = AdminUnit.objects.get(pk=other_id)
    return NationalInfo(
        database_url=database_url, scale=scale, values=values,
        indicators=Indicator.objects.filter(code__startswith="NATL_").count(),
        datasets=list(DataSet.objects.filter(code__startswith="NATL_").order_by("code").values_list("code", flat=True)),
        periods=_months(), merged_unit_key=unit.key, predecessor_keys=[p.key for p in preds], other_unit_key=other.key,
        coordinator="national_coord", officer="national_officer", director="national_director",
        built_seconds=seconds, reused=reused,
    )


def _empty_reporting() -> None:
    from django.db import connection

    from lienket.reporting.models import DataSet, DataValue, DataValueAudit, Submission

    tables = [m._meta.db_table for m in (DataValue, DataValueAudit, Submission)]
    if connection.vendor == "sqlite":  # no TRUNCATE: DELETE these and every table referring to them, one transaction
        from django.core.management.color import no_style

        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, allow_cascade=True))
    else:
        with connection.cursor() as cur:
            cur.execute("TRUNCATE " + ", ".join(tables) + " CASCADE")
    DataSet.objects.filter(code__startswith="NATL_").delete()


def _catalogue(n_indicators: int) -> tuple[list[Any], list[Any], list[Any]]:
    """(indicators, options, data sets): `n_indicators` NATL_ indicators in DATASETS monthly data sets."""
    from decimal import Decimal

    from lienket.regions.models import UnitGroup
    from lienket.reporting.models import DataSet, DataSetElement, Disaggregation, DisaggregationOption, Indicator

    disagg, _c = Disaggregation.objects.get_or_create(code="natl-sector", defaults={"name": "Khu vực kinh tế"})
    for k, name in enumerate(("Nhà nước", "Ngoài nhà nước", "Có vốn đầu tư nước ngoài", "Khác"), 1):
        DisaggregationOption.objects.get_or_create(disaggregation=disagg, code=f"S{k}", defaults={"name": name, "sort_order": k})
    options = list(disagg.options.order_by("sort_order"))
    have = {i.code for i in Indicator.objects.filter(code__startswith="NATL_")}
    Indicator.objects.bulk_create([
        Indicator(code=f"NATL_{i:04d}", name=f"Chỉ tiêu quốc gia số {i}", unit_of_measure="tỷ đồng", aggregation="sum",
                  time_aggregation="sum", decimals=1, min_value=Decimal(0), disaggregation=disagg, sort_order=i)
        for i in range(1, n_indicators + 1) if f"NATL_{i:04d}" not in have
    ])
    indicators = list(Indicator.objects.filter(code__startswith="NATL_").order_by("sort_order")[:n_indicators])
    group = UnitGroup.objects.get(key=GROUP)
    per = -(-len(indicators) // DATASETS)
    datasets = []
    for d in range(DATASETS):
        chunk = indicators[d * per:(d + 1) * per]
        if not chunk:
            break
        ds, _c = DataSet.objects.get_or_create(
            code=f"NATL_{d + 1:02d}",
            defaults={"name": f"Báo cáo tháng quốc gia {d + 1}", "form_number": f"Biểu Q{d + 1}", "period_type": "month",
                      "reporting_group": group},
        )
        DataSetElement.objects.bulk_create(
            [DataSetElement(dataset=ds, indicator=ind, sort_order=k) for k, ind in enumerate(chunk)], ignore_conflicts=True,
        )
        datasets.append(ds)
    return indicators, options, datasets


def _users(unit: Any) -> dict[str, Any]:
    from lienket.users.models import Membership, Role, User

    out = {}
    for username, role, scope in (
        ("national_coord", Role.MINISTRY_COORDINATOR, {}),
        ("national_officer", Role.PROVINCE_OFFICER, {"unit": unit}),
        ("national_director", Role.PROVINCE_DIRECTOR, {"unit": unit}),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=PASSWORD, full_name=username.replace("_", " ").title())
            Membership.objects.create(user=user, role=role, **scope)
        out[username] = user
    return out


def _value_text(ind: int, unit_no: int, month_no: int, option: int) -> str:
    base = 100 + (ind * 37 + unit_no * 101) % 900
    grown = base * (1000 + 4 * month_no) // 10  # ~0.4 % a month, one decimal
    if option:
        grown = grown * (option + 1) // 15  # options 2/15, 3/15, 4/15, 5/15 of the total (sum 14/15 < total)
    return f"{grown // 10}.{grown % 10}"


def _write(indicators: list[Any], options: list[Any], datasets: list[Any], users: dict[str, Any], verbose: bool) -> int:
    from django.db import transaction
    from django.utils import timezone

    from lienket.reporting.models import DataValue, Period, Submission, SubmissionStatus
    from lienket.reporting.selectors import reporting_units
    from lienket.reporting.services import _rows_insert

    coord, director = users["national_coord"], users["national_director"]
    by_dataset = {ds.pk: [el.indicator_id for el in ds.elements.order_by("sort_order")] for ds in datasets}
    months = _months()
    now = timezone.now()
    total = 0
    started = time.monotonic()
    option_ids = [None, *[o.pk for o in options]]
    for n, code in enumerate(months):
        period = Period.for_code(code)
        draft = n >= len(months) - DRAFT_MONTHS
        with transaction.atomic():
            units = list(reporting_units(dataset=datasets[0], period=period))
            subs = []
            for ds in datasets:
                for unit in units:
                    sub = Submission(dataset=ds, unit=unit, period=period)
                    if not draft:
                        sub.status = SubmissionStatus.ACCEPTED
                        sub.submitted_at = sub.approved_at = sub.accepted_at = now
                        sub.submitted_by = sub.approved_by = director
                        sub.accepted_by = coord
                    subs.append(sub)
            Submission.objects.bulk_create(subs)
            sub_id = {(s.dataset_id, s.unit_id): s.pk for s in Submission.objects.filter(period=period)}
            rows = []
            for unit in units:
                unit_no = int("".join(c for c in unit.code if c.isdigit()) or 0)
                for ds in datasets:
                    sid = sub_id[(ds.pk, unit.pk)]
                    for ind_id in by_dataset[ds.pk]:
                        for k, opt in enumerate(option_ids):
                            rows.append((sid, unit.pk, period.pk, ind_id, opt, _value_text(ind_id, unit_no, n, k), False, "", 1, now, None))
            _rows_insert(DataValue, ("submission_id", "unit_id", "period_id", "indicator_id", "option_id", "value", "is_estimate",
                                     "comment", "version", "updated_at", "updated_by_id"), rows)
            total += len(rows)
        if verbose and (n % 12 == 11 or n == len(months) - 1):
            rate = total / max(time.monotonic() - started, 1e-9)
            print(f"  {code}: {total:,} values ({rate:,.0f}/s)", flush=True)
    return total


def build(database_url: str = DEFAULT_URL, scale: float | None = None, *, rebuild: bool = False,
          verbose: bool = True) -> NationalInfo:
    """Build (or reuse) the national database at `database_url`; see the module docstring. `scale` None: the
    engine's default (`default_scale`)."""
    if scale is None:
        scale = default_scale(database_url)
    if not 0 < scale <= 1:
        raise ValueError("scale must be in (0, 1]")
    _ensure_database(database_url)
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    meta = _meta_read()
    if not rebuild and meta.get("done") == "1" and float(meta.get("scale", "0")) == scale:
        if verbose:
            print(f"national: reusing {int(meta['values']):,} values (scale {scale}) in {connection.settings_dict['NAME']}")
        return _info(database_url, scale, int(meta["values"]), float(meta.get("seconds", "0")), True)

    started = time.monotonic()
    if verbose:
        print(f"national: building scale {scale} in {connection.settings_dict['NAME']} …", flush=True)
    _meta_write({})
    _empty_reporting()
    from lienket.demo.reference import load_reference

    load_reference()
    unit, _preds = _merged_unit()
    indicators, options, datasets = _catalogue(_indicator_count(scale))
    users = _users(unit)
    total = _write(indicators, options, datasets, users, verbose)
    from lienket.reporting.aggregates import rollup_rebuild

    rollup_rebuild()  # written around the workflow: the published-figures table (AcceptedValue) from the accepted ones
    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # both engines: planner statistics for the fresh tables
    seconds = time.monotonic() - started
    _meta_write({"done": "1", "scale": str(scale), "values": str(total), "seconds": f"{seconds:.0f}",
                 "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
    if verbose:
        print(f"national: {total:,} values in {seconds:,.0f} s", flush=True)
    return _info(database_url, scale, total, seconds, False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("NATIONAL_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=None,
                        help=f"1.0 = 10 million values (default on PostgreSQL); {SQLITE_SCALE} = 500 760 (default on SQLite); "
                             "0.02 ≈ 190 000")
    parser.add_argument("--rebuild", action="store_true", help="build again even if a finished build is there")
    args = parser.parse_args(argv)
    info = build(args.database_url, args.scale, rebuild=args.rebuild)
    print(f"{info.values:,} values, {info.indicators} indicators, data sets {', '.join(info.datasets)}, periods "
          f"{info.periods[0]}–{info.periods[-1]}; merged unit {info.merged_unit_key} (from {', '.join(info.predecessor_keys)}); "
          f"users {info.coordinator}, {info.officer}, {info.director} / {info.password}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
