"""Benchmark: reporting's read paths at national scale (issue #17), each beside a floor measured in the same run.

    .venv/bin/python bench/scale.py [--database-url postgres://postgres@127.0.0.1:5432/lienket_scale]
                                    [--scale 1.0] [--runs 30] [--http-seconds 10] [--connections 100] [--no-http]

Builds (or reuses) the national database of bench/national.py (≥ 10 million values at scale 1.0), then measures:

  datavalues  GET /api/v1/datavalues through Django (test client, a signed-in session) as the Ministry
              coordinator and as a province officer of the merged unit: first page unfiltered, a deep page by
              cursor, each filter (period, period range, unit code / key, indicator, updated_since, dataset + range,
              status) — p50/p95 beside the floor: hand-written SQL returning the same page (same joins, same
              permission predicate, LIMIT) on a raw cursor. Goal: every p95 ≤ 100 ms.
  entry form  the submission page of a 104-indicator data set (520 rows with the disaggregation) of the merged
              unit for a period whose "same period last year" is the sum of its predecessors. Floor: the SQL of
              the values it shows (this period, previous, last year, year to date; the unit and its
              predecessors). Goal: p95 ≤ 150 ms.
  home        "My work" of the officer (due_soon) and of the coordinator. Floor: the SQL of the officer's
              submissions. No time goal (the query count is a test).
  HTTP        under gunicorn (production settings, persistent connections, 3 sync workers), `--connections`
              concurrent clients for `--http-seconds` each: /healthz (the floor), the public region profile page
              and its API. Goal: profile ≥ 0,3 × the requests/s of /healthz. Also /healthz with DB_CONN_MAX_AGE=0.

Prints a table; exits 1 when a goal is missed. `cat /proc/loadavg` is printed before and after: the machine is
shared, so compare ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import national  # noqa: E402

GOAL_DATAVALUES_MS = 100.0
GOAL_ENTRY_MS = 150.0
GOAL_PROFILE_RATIO = 0.3
PAGE = 1000


@dataclass
class Timing:
    p50: float
    p95: float


def _timing(fn: Callable[[], Any], runs: int, warmup: int = 2) -> Timing:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, max(0, round(0.95 * len(samples)) - 1))]
    return Timing(statistics.median(samples), p95)


def _loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "?"


# --- floors: hand-written SQL --------------------------------------------------------------------------------

FLOOR_PAGE = """
SELECT dv.id, dv.value, dv.is_estimate, dv.comment, dv.version, dv.updated_at, dv.submission_id,
       u.code, u.valid_from, u.name, p.code, i.code, o.code, s.status
FROM reporting_datavalue dv
JOIN regions_adminunit u ON u.id = dv.unit_id
JOIN reporting_period p ON p.id = dv.period_id
JOIN reporting_indicator i ON i.id = dv.indicator_id
LEFT JOIN reporting_disaggregationoption o ON o.id = dv.option_id
JOIN reporting_submission s ON s.id = dv.submission_id
WHERE {where}
ORDER BY dv.period_id, dv.id
LIMIT {limit}
"""


def _sql_runner(sql: str, params: list[Any]) -> Callable[[], Any]:
    from django.db import connection

    def run() -> Any:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    return run


# --- the cases ------------------------------------------------------------------------------------------------


@dataclass
class Case:
    group: str
    name: str
    run: Callable[[], Any]
    floor: Callable[[], Any] | None
    goal_ms: float | None


def _client(username: str) -> Any:
    from django.test import Client

    from lienket.users.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _getter(client: Any, url: str, params: dict[str, Any] | None = None) -> Callable[[], Any]:
    def run() -> Any:
        response = client.get(url, params or {})
        if response.status_code != 200:
            raise RuntimeError(f"{url} {params}: {response.status_code} {response.content[:300]!r}")
        return response

    return run


def _datavalue_cases(info: national.NationalInfo) -> list[Case]:
    import datetime as dt

    from django.utils import timezone

    from lienket.regions.keys import unit_key_resolve
    from lienket.reporting.models import DataSet, DataValue, Indicator, Period

    merged = unit_key_resolve(info.merged_unit_key, on=dt.date(2026, 1, 1))
    same_code_ids = list(type(merged).objects.filter(code=merged.code).values_list("pk", flat=True))
    period_id = {p.code: p.pk for p in Period.objects.all()}
    y2024 = [period_id[f"2024{m:02d}"] for m in range(1, 13)]
    ind = Indicator.objects.get(code="NATL_0100" if info.indicators >= 100 else "NATL_0001")
    ds = DataSet.objects.get(code=info.datasets[2])
    middle = DataValue.objects.filter(period_id=period_id["202001"]).order_by("id").values_list("period_id", "id").first()
    from lienket.reporting.paging import Cursor

    cursor = Cursor(*middle).encode()
    recent = timezone.now().isoformat()  # a client that synced just now: nothing new
    coordinator, officer = _client(info.coordinator), _client(info.officer)
    own = "dv.submission_id IN (SELECT id FROM reporting_submission WHERE unit_id = %s OR status = 'accepted')"
    ids = ", ".join(str(i) for i in y2024)
    specs: list[tuple[str, dict[str, Any], str, list[Any]]] = [
        ("first page, unfiltered", {}, "TRUE", []),
        ("deep page (cursor 2020-01)", {"cursor": cursor}, "(dv.period_id, dv.id) > (%s, %s)", list(middle)),
        ("period=202403", {"period": "202403"}, "dv.period_id = %s", [period_id["202403"]]),
        ("period=202401..202412", {"period": "202401..202412"}, f"dv.period_id IN ({ids})", []),
        (f"unit={merged.code} (2 records)", {"unit": merged.code}, "dv.unit_id = ANY(%s)", [same_code_ids]),
        (f"unit={info.merged_unit_key}", {"unit": info.merged_unit_key}, "dv.unit_id = %s", [merged.pk]),
        (f"indicator={ind.code}", {"indicator": ind.code}, "dv.indicator_id = %s", [ind.pk]),
        ("updated_since=now (nothing new)", {"updated_since": recent}, "dv.updated_at >= %s", [recent]),
        ("updated_since=2000-01-01", {"updated_since": "2000-01-01"}, "dv.updated_at >= %s", ["2000-01-01"]),
        (f"dataset={ds.code}, 2024", {"dataset": ds.code, "period": "202401..202412"},
         f"s.dataset_id = %s AND dv.period_id IN ({ids})", [ds.pk]),
        ("unit+indicator+2024", {"unit": info.merged_unit_key, "indicator": ind.code, "period": "202401..202412"},
         f"dv.unit_id = %s AND dv.indicator_id = %s AND dv.period_id IN ({ids})", [merged.pk, ind.pk]),
        ("status=draft", {"status": "draft"}, "s.status = 'draft'", []),
    ]
    cases = []
    for who, client in (("coordinator", coordinator), ("officer", officer)):
        for name, params, where, args in specs:
            floor_where, floor_args = where, list(args)
            if who == "officer":
                floor_where, floor_args = f"{where} AND {own}", [*args, merged.pk]
            cases.append(Case(
                f"datavalues · {who}", name, _getter(client, "/api/v1/datavalues", params),
                _sql_runner(FLOOR_PAGE.format(where=floor_where, limit=PAGE + 1), floor_args), GOAL_DATAVALUES_MS,
            ))
    return cases


def _entry_cases(info: national.NationalInfo) -> list[Case]:
    import datetime as dt

    from django.urls import reverse

    from lienket.regions.keys import unit_key_resolve
    from lienket.regions.models import UnitSuccession
    from lienket.reporting.models import Submission

    merged = unit_key_resolve(info.merged_unit_key, on=dt.date(2026, 1, 1))
    preds = list(UnitSuccession.objects.filter(successor=merged).values_list("predecessor_id", flat=True))
    sub = Submission.objects.select_related("dataset").get(dataset__code=info.datasets[0], unit=merged, period__code="202605")
    n_ind = sub.dataset.elements.count()
    codes = ["202605", "202604", "202505", *[f"2026{m:02d}" for m in range(1, 6)]]
    floor = _sql_runner(
        "SELECT dv.unit_id, dv.indicator_id, p.code, dv.option_id, dv.value FROM reporting_datavalue dv "
        "JOIN reporting_period p ON p.id = dv.period_id "
        "WHERE dv.unit_id = ANY(%s) AND p.code = ANY(%s) AND dv.indicator_id IN "
        "(SELECT indicator_id FROM reporting_datasetelement WHERE dataset_id = %s)",
        [[merged.pk, *preds], codes, sub.dataset_id],
    )
    url = reverse("reporting:submission_detail", args=[sub.pk])
    return [Case("entry form", f"{sub.dataset.code} {info.merged_unit_key} 202605 ({n_ind} indicators × 5 rows)",
                 _getter(_client(info.officer), url), floor, GOAL_ENTRY_MS)]


def _home_cases(info: national.NationalInfo) -> list[Case]:
    import datetime as dt

    from django.urls import reverse

    from lienket.regions.keys import unit_key_resolve

    merged = unit_key_resolve(info.merged_unit_key, on=dt.date(2026, 1, 1))
    floor = _sql_runner(
        "SELECT s.id, s.status, p.code, s.dataset_id FROM reporting_submission s JOIN reporting_period p ON p.id = s.period_id "
        "WHERE s.unit_id = %s AND p.start >= %s", [merged.pk, dt.date(2026, 7, 1)],
    )
    url = reverse("reporting:home")
    return [
        Case("home", "officer (due_soon, open reports)", _getter(_client(info.officer), url), floor, None),
        Case("home", "coordinator (completeness overview)", _getter(_client(info.coordinator), url), None, None),
    ]


# --- HTTP under gunicorn --------------------------------------------------------------------------------------


async def _hammer(port: int, path: str, connections: int, seconds: float) -> tuple[float, int]:
    """(requests/s, errors): `connections` clients, each a new connection per request (gunicorn's sync workers
    close it), for `seconds`."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    done = errors = 0
    stop = time.monotonic() + seconds

    async def client() -> None:
        nonlocal done, errors
        while time.monotonic() < stop:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(request)
                await writer.drain()
                data = await reader.read()
                writer.close()
                if data.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
                    done += 1
                else:
                    errors += 1
            except OSError:
                errors += 1
                await asyncio.sleep(0.01)

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(connections)))
    return done / (time.monotonic() - started), errors


def _gunicorn(database_url: str, port: int, static_root: str, conn_max_age: str, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-scale-not-secret-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static_root, "DB_CONN_MAX_AGE": conn_max_age, "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(  # noqa: S603 - a fixed command line
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--backlog", "2048", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    for _ in range(100):
        time.sleep(0.2)
        try:
            import urllib.request

            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            continue
    proc.kill()
    raise RuntimeError(f"gunicorn did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def _http(database_url: str, connections: int, seconds: float, workers: int) -> list[tuple[str, float, int]]:
    static_root = str(Path(tempfile.gettempdir()) / "lienket-bench-static")
    if not Path(static_root, "staticfiles.json").exists():
        env = {**os.environ, "STATIC_ROOT": static_root, "DJANGO_SETTINGS_MODULE": "config.settings.production",
               "SECRET_KEY": "bench-scale-not-secret-" + "x" * 40, "DATABASE_URL": database_url}
        subprocess.run(  # noqa: S603 - a fixed command line
            [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
        )
    port = 18717
    out = []
    proc = _gunicorn(database_url, port, static_root, "600", workers)
    try:
        for path in ("/healthz", "/regions/profile/", "/api/v1/regions/profile", "/healthz"):
            rps, errors = asyncio.run(_hammer(port, path, connections, seconds))
            out.append((path, rps, errors))
    finally:
        _stop(proc)
    proc = _gunicorn(database_url, port, static_root, "0", workers)
    try:
        rps, errors = asyncio.run(_hammer(port, "/healthz", connections, seconds))
        out.append(("/healthz (DB_CONN_MAX_AGE=0)", rps, errors))
    finally:
        _stop(proc)
    return out


# --- main -----------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("NATIONAL_DATABASE_URL", national.DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--http-seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args(argv)

    info = national.build(args.database_url, args.scale)
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host; mail kept in memory
    gc.collect()
    gc.freeze()  # as config/wsgi.py does in every production worker once the application is loaded
    print(f"\nnational: {info.values:,} values, scale {info.scale}; load before: {_loadavg()}")

    # the request floor: a signed-in request through the same stack that only asks the database "SELECT 1"
    healthz = Case("request floor", "GET /healthz (test client, signed in)", _getter(_client(info.coordinator), "/healthz"),
                   _sql_runner("SELECT 1", []), None)
    cases = [healthz, *_datavalue_cases(info), *_entry_cases(info), *_home_cases(info)]
    missed: list[str] = []
    print(f"\n{'path':<34} {'case':<44} {'p50 ms':>8} {'p95 ms':>8} {'floor p50':>10} {'floor p95':>10} {'×p95':>6}  goal")
    for case in cases:
        ours = _timing(case.run, args.runs)
        floor = _timing(case.floor, args.runs) if case.floor else None
        ratio = f"{ours.p95 / floor.p95:5.1f}" if floor and floor.p95 > 0 else "    –"
        goal = ""
        if case.goal_ms is not None:
            ok = ours.p95 <= case.goal_ms
            goal = f"p95 ≤ {case.goal_ms:.0f} {'ok' if ok else 'MISSED'}"
            if not ok:
                missed.append(f"{case.group}: {case.name} p95 {ours.p95:.0f} ms > {case.goal_ms:.0f} ms")
        fl = f"{floor.p50:10.1f} {floor.p95:10.1f}" if floor else f"{'–':>10} {'–':>10}"
        print(f"{case.group:<34} {case.name:<44} {ours.p50:8.1f} {ours.p95:8.1f} {fl} {ratio}  {goal}", flush=True)

    if not args.no_http:
        print(f"\nHTTP: gunicorn, {args.workers} sync workers, production settings, {args.connections} connections, "
              f"{args.http_seconds:.0f} s each")
        results = _http(args.database_url, args.connections, args.http_seconds, args.workers)
        healthz = max(rps for path, rps, _e in results if path == "/healthz")
        for path, rps, errors in results:
            note = ""
            if "profile" in path:
                ok = rps >= GOAL_PROFILE_RATIO * healthz
                note = f"goal ≥ {GOAL_PROFILE_RATIO:.1f}× /healthz {'ok' if ok else 'MISSED'}"
                if not ok:
                    missed.append(f"HTTP {path}: {rps / healthz:.2f}× /healthz < {GOAL_PROFILE_RATIO}×")
            print(f"  {path:<34} {rps:8.0f} req/s  {rps / healthz:5.2f}× /healthz  errors {errors}  {note}", flush=True)

    print(f"\nload after: {_loadavg()}")
    if missed:
        print("GOALS MISSED:\n  " + "\n  ".join(missed))
        return 1
    print("every goal met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
