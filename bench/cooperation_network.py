"""Benchmark: the linkage network of 63 units × 2 000 programmes × 20 000 activities, against bare networkx.

    .venv/bin/python bench/cooperation_network.py [--units 63] [--programmes 2000] [--activities 20000] [--profile]

Builds its own world in a throw-away database (a temporary SQLite file, or `test_<name>` on the server of
DATABASE_URL, created and dropped here): `--units` provinces in the conference group, `--programmes` published
programmes of 2–5 unit parties over 2023–2026 with 1–3 objectives each, `--activities` activities with 2–3
participants and a result each (bulk-written: the bench measures reading, not the services). Then, in one run:

  bare    networkx alone on the same graph (already in memory): degree, weighted degree, betweenness (distance =
          1 / strength), eigenvector centrality, Louvain communities — the floor
  scores  our scores on the same graph (networkx, with Brandes' betweenness on index lists)
  cold    network.compute: read the database, build the graph, the same scores, hubs, isolated units
  api1    GET /api/v1/cooperation/network after a write (new data version: computed, then cached)
  served  the same request again (cached on the data version: what every later visitor gets)
  page    GET /hop-tac/mang-luoi/ (cached network + SVG + table)

and prints each in ms with its ratio to bare. Goal (issue #20): computed and served in under a second.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._django import setup_django  # noqa: E402

FROM, TO = dt.date(2023, 1, 1), dt.date(2026, 4, 10)



def _world(*, units: int, programmes: int, activities: int, rng: random.Random) -> None:
    from lienket.cooperation.models import Activity, DataVersion, Objective, Party, Programme, Result
    from lienket.regions.models import AdminUnit, GroupMembership, UnitGroup

    group = UnitGroup.objects.create(key="north", name="Khu vực phía Bắc", purpose="conference")
    unit_rows = AdminUnit.objects.bulk_create(
        [AdminUnit(code=f"{i + 1:02d}", name=f"Tỉnh {i + 1:02d}", name_folded=f"tinh {i + 1:02d}")
         for i in range(units)])
    GroupMembership.objects.bulk_create([GroupMembership(group=group, unit=u) for u in unit_rows])
    # a few well-linked units, as in life: weights favour the first five
    weights = [5 if i < 5 else 1 for i in range(units)]
    progs = []
    for i in range(programmes):
        start = FROM + dt.timedelta(days=rng.randrange(0, 1100))
        end = start + dt.timedelta(days=rng.randrange(180, 1000))
        progs.append(Programme(title=f"Chương trình {i}", title_folded=f"chuong trinh {i}", kind="bilateral",
                               field=rng.choice(["trade_promotion", "distribution", "industry"]), start_on=start,
                               end_on=end, status="active", is_published=True))
    progs = Programme.objects.bulk_create(progs, batch_size=500)
    parties, objectives = [], []
    for p in progs:
        chosen = set()
        while len(chosen) < rng.randint(2, 5):
            chosen.add(rng.choices(range(units), weights)[0])
        parties += [Party(programme=p, unit=unit_rows[u], role="lead" if k == 0 else "member")
                    for k, u in enumerate(sorted(chosen))]
        objectives += [Objective(programme=p, title=f"Mục tiêu {k}", unit_of_measure="lần",
                                 target_value=Decimal(rng.randint(10, 200)), position=k)
                       for k in range(rng.randint(1, 3))]
    parties = Party.objects.bulk_create(parties, batch_size=2000)
    objectives = Objective.objects.bulk_create(objectives, batch_size=2000)
    by_prog: dict[int, list[Any]] = {}
    for party in parties:
        by_prog.setdefault(party.programme_id, []).append(party)
    obj_by_prog: dict[int, list[Any]] = {}
    for o in objectives:
        obj_by_prog.setdefault(o.programme_id, []).append(o)
    acts = []
    for i in range(activities):
        p = progs[i % len(progs)]
        span = max(0, (p.end_on - p.start_on).days - 3)
        start = p.start_on + dt.timedelta(days=rng.randrange(0, span + 1))
        acts.append(Activity(programme=p, kind="fair", title=f"Hoạt động {i}", start_on=start,
                             end_on=start + dt.timedelta(days=2), place=by_prog[p.pk][0].unit))
    acts = Activity.objects.bulk_create(acts, batch_size=2000)
    through = Activity.participants.through
    links, results = [], []
    for a in acts:
        ps = by_prog[a.programme_id]
        for party in rng.sample(ps, min(len(ps), rng.randint(2, 3))):
            links.append(through(activity_id=a.pk, party_id=party.pk))
        results.append(Result(activity=a, objective=rng.choice(obj_by_prog[a.programme_id]),
                              actual=Decimal(rng.randint(0, 20))))
    through.objects.bulk_create(links, batch_size=5000)
    Result.objects.bulk_create(results, batch_size=5000)
    DataVersion.objects.create(key="cooperation", value=1)


def _median(repeat: int, run: Any, *, setup_free: bool = True) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=63)
    parser.add_argument("--programmes", type=int, default=2000)
    parser.add_argument("--activities", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is printed)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine, original = setup_django(Path(tmp))
        from django.db import connection
        from django.db.models import F
        from django.test import Client

        try:
            from lienket.cooperation import network
            from lienket.cooperation.models import DataVersion
            from lienket.core.clock import clock

            clock.set(dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC))
            t0 = time.perf_counter()
            _world(units=args.units, programmes=args.programmes, activities=args.activities, rng=random.Random(20))
            print(f"{engine}: {args.units} units × {args.programmes} programmes × {args.activities} activities "
                  f"built in {time.perf_counter() - t0:.1f}s")

            graph, _attrs, _active = network.build_graph(date_from=FROM, date_to=TO)
            print(f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges; "
                  f"median of {args.repeat} runs each (the machine is shared)")
            bare = _median(args.repeat, lambda: network.scores_networkx(graph.copy()))
            ours_scores = _median(args.repeat, lambda: network.scores(graph.copy()))
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            cold = _median(args.repeat, lambda: network.compute(date_from=FROM, date_to=TO))
            if profiler:
                profiler.disable()

            client = Client()
            client.get("/api/v1/cooperation/programmes?limit=1")  # warm up: URL resolvers, the API, templates
            client.get("/hop-tac/")
            url = f"/api/v1/cooperation/network?from={FROM}&to={TO}"

            def after_write() -> None:
                DataVersion.objects.filter(key="cooperation").update(value=F("value") + 1)  # as a write does
                assert client.get(url).status_code == 200

            api1 = _median(args.repeat, after_write, setup_free=False)
            served = _median(args.repeat, lambda: client.get(url))
            page = _median(args.repeat, lambda: client.get(f"/hop-tac/mang-luoi/?from={FROM}&to={TO}"))
            r2, r3 = client.get(url), client.get(f"/hop-tac/mang-luoi/?from={FROM}&to={TO}")
            assert r2.status_code == r3.status_code == 200
            assert len(r2.json()["edges"]) == graph.number_of_edges()

            print(f"bare networkx (scores only)  {_ms(bare)}   1.00 × bare")
            for name, value in [("our scores (same graph)", ours_scores), ("cold: compute from the DB", cold), ("API after a write (compute)", api1),
                                ("API served (cached)", served), ("page served (cached + SVG)", page)]:
                print(f"{name:<28} {_ms(value)} {value / bare:6.2f} × bare   {'OK' if value < 1 else 'OVER 1 s'}")
            if profiler:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
