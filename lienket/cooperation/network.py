"""The linkage network: who works with whom, computed with networkx and cached on the app's data version.

Nodes are the administrative units (as they stand on the window's last day `to`: an old unit's programmes count
for the unit it became part of, through `regions.selectors.unit_map_on`) and, on request, organisations. Edges
join two parties of a programme, and two participants of an activity. An edge's weight (its *strength*) sums

* for each shared programme: recency × (1 + the programme's rolled-up progress 0…1) — results count;
* for each shared activity: 0.5 × recency;

where recency = 0.5 ^ (years since the programme ended / activity took place, before `to`) / 2 — a tie two years
old counts half. A unit split between successors passes its share to each (the merger of 2025 split none).

Scores: degree (number of partners), weighted degree (Σ strength), betweenness (shortest paths with distance =
1 / strength, because networkx treats an edge weight as a *distance*), eigenvector centrality (strength as weight),
communities (Louvain, seeded, strength as weight). Revealed hubs: the three highest eigenvector centralities;
proposed hubs: Hà Nội, Nghệ An, Quảng Ninh (proposed by Nghệ An at edition X). Isolated: units of the conference
region on `to` with no programme in the two years before `to`.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import defaultdict
from decimal import Decimal
from html import escape
from itertools import combinations
from typing import Any

import networkx as nx
from django.core.cache import cache
from django.db.models import CharField, FloatField, Q, Sum
from django.db.models.functions import Cast

from lienket.core.errors import NotFound
from lienket.regions.models import AdminUnit
from lienket.regions.selectors import group_members, unit_map_on
from lienket.users.models import Organisation

from .models import Activity, Objective, Party, Programme, Result
from .selectors import data_version

PROPOSED_HUB_CODES = ("01", "40", "22")  # Hà Nội, Nghệ An, Quảng Ninh — seed article, edition X (2024)
REGION_GROUP = "north"
PROPOSED_SOURCE = "Nghệ An's proposal at edition X (Hà Nội, 17/5/2024): Hà Nội, Nghệ An, Quảng Ninh"
HALF_LIFE_DAYS = 730
ISOLATION_DAYS = 730
ACTIVITY_WEIGHT = 0.5
CACHE_SECONDS = 24 * 3600
COMMUNITY_SEED = 20


def recency(day: dt.date, to: dt.date) -> float:
    age = max(0, (to - day).days)
    return 0.5 ** (age / HALF_LIFE_DAYS)


def default_window(date_from: dt.date | None, date_to: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    to = date_to or today
    return date_from or dt.date(to.year - 2, 1, 1), to


def _node_key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def build_graph(
    *, date_from: dt.date, date_to: dt.date, field: str | None = None, published_only: bool = True,
    organisations: bool = False,
) -> tuple[nx.Graph, dict[str, dict[str, Any]], set[str]]:
    """The weighted graph of the window (plus the node attributes and the ids of units with a programme in the
    two years before `date_to`). Reads in four queries; no ORM object per activity."""
    programmes = Programme.objects.filter(start_on__lte=date_to).filter(Q(end_on__isnull=True) | Q(end_on__gte=date_from))
    recent = Programme.objects.filter(start_on__lte=date_to).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=date_to - dt.timedelta(days=ISOLATION_DAYS)))
    if published_only:
        programmes, recent = programmes.filter(is_published=True), recent.filter(is_published=True)
    if field:
        programmes, recent = programmes.filter(field=field), recent.filter(field=field)
    prog_rows = {pk: (end or date_to) for pk, end in programmes.values_list("pk", "end_on")}
    recent_ids = set(recent.values_list("pk", flat=True))
    party_rows = list(Party.objects.filter(Q(programme__in=programmes) | Q(programme__in=recent))
                      .values_list("pk", "programme_id", "unit_id", "organisation_id"))
    unit_ids = {u for _p, _g, u, _o in party_rows if u}
    units = {u.pk: u for u in AdminUnit.objects.filter(pk__in=unit_ids)}
    mapping = unit_map_on(date=date_to, units=units.values())

    def targets(unit_id: int | None, org_id: int | None) -> list[tuple[str, float]]:
        if unit_id:
            return [(_node_key("unit", s.unit.pk), float(s.share)) for s in mapping.get(unit_id, [])]
        if org_id and organisations:
            return [(_node_key("org", org_id), 1.0)]
        return []

    attrs: dict[str, dict[str, Any]] = {}
    party_nodes: dict[int, list[tuple[str, float]]] = {}
    by_programme: dict[int, list[tuple[str, float]]] = defaultdict(list)
    active_recently: set[str] = set()
    for pk, prog_id, unit_id, org_id in party_rows:
        nodes = targets(unit_id, org_id)
        party_nodes[pk] = nodes
        if prog_id in prog_rows:
            by_programme[prog_id].extend(nodes)
        if prog_id in recent_ids:
            active_recently.update(n for n, _s in nodes)

    graph = nx.Graph()
    try:
        members = list(group_members(group_key=REGION_GROUP, date=date_to))
    except NotFound:
        members = []
    for u in members:
        graph.add_node(_node_key("unit", u.pk))
        attrs[_node_key("unit", u.pk)] = {"kind": "unit", "id": u.pk, "code": u.code, "unit_key": u.key, "name": u.name,
                                         "member": True}
    mapped = {s.unit.pk: s.unit for shares in mapping.values() for s in shares}
    for u in mapped.values():
        attrs.setdefault(_node_key("unit", u.pk), {"kind": "unit", "id": u.pk, "code": u.code, "unit_key": u.key,
                                                  "name": u.name, "member": False})
        graph.add_node(_node_key("unit", u.pk))
    if organisations:
        for o in Organisation.objects.filter(pk__in={x for *_r, x in party_rows if x}):
            attrs[_node_key("org", o.pk)] = {"kind": "organisation", "id": o.pk, "code": o.slug, "unit_key": None,
                                            "name": str(o), "member": False}
            graph.add_node(_node_key("org", o.pk))

    edges: dict[tuple[str, str], list[float]] = {}  # (a, b) with a < b → [strength, programmes, activities]

    def add(merged: dict[str, float], factor: float, slot: int) -> None:
        for (a, sa), (b, sb) in combinations(sorted(merged.items()), 2):
            edge = edges.get((a, b))
            if edge is None:
                edge = edges[(a, b)] = [0.0, 0, 0]
            edge[0] += factor * sa * sb if sa != 1.0 or sb != 1.0 else factor
            edge[slot] += 1

    progress = progress_floats(programmes)
    for prog_id, nodes in by_programme.items():
        factor = recency(min(prog_rows[prog_id], date_to), date_to) * (1 + progress.get(prog_id, 0.0))
        add(_merge_nodes(nodes), factor, 1)

    # One query over the participations, the activity's end as ISO text (no date conversion per row: 50 000 rows
    # at the bench's size); recency computed once per distinct day.
    links = Activity.participants.through.objects.filter(
        activity__programme__in=programmes, activity__start_on__gte=date_from, activity__start_on__lte=date_to,
    ).annotate(end_text=Cast("activity__end_on", CharField())).values_list(  # type: ignore[misc]
        "activity_id", "party_id", "end_text")
    factors: dict[str, float] = {}
    activity_parties: dict[int, list[int]] = defaultdict(list)
    act_factor: dict[int, float] = {}
    for act_id, party_id, end in links:
        if act_id not in act_factor:
            if end not in factors:
                factors[end] = ACTIVITY_WEIGHT * recency(min(dt.date.fromisoformat(str(end)[:10]), date_to), date_to)
            act_factor[act_id] = factors[end]
        activity_parties[act_id].append(party_id)
    # The common case (every party one node, share 1) summed per set of nodes first — many activities join the same
    # units — then spread over the set's pairs once; a split unit takes the general path.
    single = {pk: nodes[0][0] for pk, nodes in party_nodes.items() if len(nodes) == 1 and nodes[0][1] == 1.0}
    by_set: dict[tuple[str, ...], list[float]] = {}
    for act_id, parties in activity_parties.items():
        factor = act_factor[act_id]
        if all(p in single for p in parties):
            key = tuple(sorted({single[p] for p in parties}))
            found = by_set.get(key)
            if found is None:
                by_set[key] = [factor, 1]
            else:
                found[0] += factor
                found[1] += 1
        else:
            add(_merge_nodes([n for p in parties for n in party_nodes.get(p, [])]), factor, 2)
    for ns, (total, count) in by_set.items():
        for i, a in enumerate(ns):
            for b in ns[i + 1:]:
                edge = edges.get((a, b))
                if edge is None:
                    edge = edges[(a, b)] = [0.0, 0, 0]
                edge[0] += total
                edge[2] += count
    graph.add_edges_from((a, b, {"weight": w, "programmes": int(np), "activities": int(na)})
                         for (a, b), (w, np, na) in edges.items())
    return graph, attrs, active_recently


def progress_floats(programmes: Any) -> dict[int, float]:
    """The roll-up of selectors.progress_from (Σ weight × min(actual / target, 1) / Σ weight) in floats, read without
    Decimal conversion: the network weighs thousands of programmes. A test checks it equals the Decimal rule."""
    objectives: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    rows = Objective.objects.filter(programme__in=programmes).annotate(
        w=Cast("weight", FloatField()), t=Cast("target_value", FloatField())).values_list("pk", "programme_id", "w", "t")
    for pk, prog, weight, target in rows:
        objectives[prog].append((pk, weight, target))
    actuals = dict(Result.objects.filter(objective__programme__in=programmes).values("objective_id")
                   .annotate(total=Cast(Sum("actual"), FloatField())).values_list("objective_id", "total"))
    out = {}
    for prog, objs in objectives.items():
        total_weight = sum(w for _pk, w, _t in objs)
        out[prog] = sum(w * min(actuals.get(pk, 0.0) / t, 1.0) for pk, w, t in objs) / total_weight
    return out


def _merge_nodes(nodes: list[tuple[str, float]]) -> dict[str, float]:
    """Node → share (a party and its successor counted once; shares of a split unit add up, at most 1)."""
    if all(share == 1.0 for _n, share in nodes):
        return dict.fromkeys((n for n, _s in nodes), 1.0)
    merged: dict[str, float] = {}
    for n, share in nodes:
        merged[n] = min(1.0, merged.get(n, 0.0) + share)
    return merged


def betweenness(graph: nx.Graph, weight: str = "distance") -> dict[Any, float]:
    """Brandes' betweenness with Dijkstra (normalised, undirected) — networkx's own algorithm and tie rules
    (`_single_source_dijkstra_path_basic` + `_accumulate_basic` + `_rescale`), on integer-indexed adjacency lists
    instead of dicts: the same numbers (a test compares them), about twice as fast on the dense graphs of a region."""
    nodes = list(graph)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    adj = [[(index[v], float(d.get(weight, 1))) for v, d in graph[u].items()] for u in nodes]
    total = [0.0] * n
    inf = math.inf
    for s in range(n):
        order: list[int] = []
        preds: list[list[int]] = [[] for _ in range(n)]
        sigma = [0.0] * n
        sigma[s] = 1.0
        done = [False] * n
        seen = [inf] * n
        seen[s] = 0.0
        counter = 0
        heap: list[tuple[float, int, int, int]] = [(0.0, 0, s, s)]
        while heap:
            dist, _c, pred, v = heapq.heappop(heap)
            if done[v]:
                continue
            sigma[v] += sigma[pred]
            order.append(v)
            done[v] = True
            for w, length in adj[v]:
                vw = dist + length
                if not done[w] and vw < seen[w]:
                    seen[w] = vw
                    counter += 1
                    heapq.heappush(heap, (vw, counter, v, w))
                    sigma[w] = 0.0
                    preds[w] = [v]
                elif vw == seen[w]:
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        delta = [0.0] * n
        while order:
            w = order.pop()
            coeff = (1 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                total[w] += delta[w]
    scale = 1 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return {node: total[i] * scale for i, node in enumerate(nodes)}


def scores(graph: nx.Graph) -> dict[str, dict[str, Any]]:
    """degree, weighted degree, betweenness (distance = 1 / strength), eigenvector centrality, community."""
    for _a, _b, data in graph.edges(data=True):
        data["distance"] = 1.0 / data["weight"] if data["weight"] > 0 else math.inf
    degree = dict(graph.degree())
    strength = dict(graph.degree(weight="weight"))
    between = betweenness(graph)
    if graph.number_of_edges():
        try:
            eigen = nx.eigenvector_centrality(graph, weight="weight", max_iter=1000, tol=1e-8)
        except nx.PowerIterationFailedConvergence:
            eigen = dict.fromkeys(graph, 0.0)
        # Louvain, seeded: the same partition for the same graph (and 4× faster than greedy modularity here)
        groups = nx.community.louvain_communities(graph, weight="weight", seed=COMMUNITY_SEED)
    else:
        eigen = dict.fromkeys(graph, 0.0)
        groups = []
    community: dict[str, int | None] = dict.fromkeys(graph)
    number = 0
    for group in sorted(groups, key=lambda g: (-len(g), sorted(g))):
        if len(group) < 2:
            continue
        number += 1
        for n in group:
            community[n] = number
    return {n: {"degree": degree[n], "weighted_degree": strength[n], "betweenness": between.get(n, 0.0),
                "eigenvector": eigen.get(n, 0.0), "community": community[n]} for n in graph}


def scores_networkx(graph: nx.Graph) -> dict[str, dict[str, Any]]:
    """The same scores with networkx alone (the bench's floor, and the reference of the tests)."""
    for _a, _b, data in graph.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    between = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    eigen = nx.eigenvector_centrality(graph, weight="weight", max_iter=1000, tol=1e-8) if graph.number_of_edges() \
        else dict.fromkeys(graph, 0.0)
    groups = nx.community.louvain_communities(graph, weight="weight", seed=COMMUNITY_SEED)
    degree, strength = dict(graph.degree()), dict(graph.degree(weight="weight"))
    member = {n: i for i, g in enumerate(groups) for n in g}
    return {n: {"degree": degree[n], "weighted_degree": strength[n], "betweenness": between[n],
                "eigenvector": eigen[n], "community": member[n]} for n in graph}


def compute(
    *, date_from: dt.date, date_to: dt.date, field: str | None = None, published_only: bool = True,
    organisations: bool = False,
) -> dict[str, Any]:
    """The network as plain data (JSON-ready): window, nodes with scores, edges, hubs, isolated units."""
    graph, attrs, active = build_graph(date_from=date_from, date_to=date_to, field=field,
                                       published_only=published_only, organisations=organisations)
    sc = scores(graph)
    nodes = []
    for key in sorted(graph, key=lambda k: (attrs[k]["kind"], attrs[k]["code"])):
        nodes.append({"key": key, **attrs[key], **{k: (round(v, 6) if isinstance(v, float) else v)
                                                    for k, v in sc[key].items()}})
    edges = [{"source": a, "target": b, "weight": round(d["weight"], 6), "programmes": d["programmes"],
              "activities": d["activities"]} for a, b, d in sorted(graph.edges(data=True))]
    units = [n for n in nodes if n["kind"] == "unit"]
    ranked = sorted(units, key=lambda n: (-n["eigenvector"], -n["weighted_degree"], n["code"]))
    rank = {n["key"]: i + 1 for i, n in enumerate(ranked)}
    revealed = [n["key"] for n in ranked[:3] if n["weighted_degree"] > 0]
    proposed = [n["key"] for code in PROPOSED_HUB_CODES for n in units if n["code"] == code and n["member"]]
    for n in nodes:
        n["rank"] = rank.get(n["key"])
    isolated = [n["key"] for n in units if n["member"] and n["key"] not in active]
    return {
        "from": date_from.isoformat(), "to": date_to.isoformat(), "field": field or None,
        "published_only": published_only, "nodes": nodes, "edges": edges,
        "hubs": {"revealed": revealed, "proposed": proposed, "proposed_source": PROPOSED_SOURCE},
        "isolated": isolated,
    }


def network_cached(
    *, date_from: dt.date, date_to: dt.date, field: str | None = None, published_only: bool = True,
    organisations: bool = False,
) -> dict[str, Any]:
    """`compute`, cached on the data version (every write of this app bumps it, so a new programme shows at once)."""
    key = (f"coop:network:v{data_version()}:{int(published_only)}:{int(organisations)}:{date_from}:{date_to}:"
           f"{field or ''}")
    found = cache.get(key)
    if found is None:
        found = compute(date_from=date_from, date_to=date_to, field=field, published_only=published_only,
                        organisations=organisations)
        cache.set(key, found, CACHE_SECONDS)
    return found


# --- drawing: server-side SVG (no script, no style attribute: the CSP holds) ---------------------------------------

PALETTE = ("#1f5fa8", "#b4461b", "#2e7d32", "#7b3fa0", "#8a6d00", "#00727a", "#a1285a", "#4a5a6a")


def svg(data: dict[str, Any], *, title: str, size: int = 640) -> str:
    """The network drawn on a circle, grouped by community: node area ∝ weighted degree, edge width ∝ strength;
    proposed hubs ringed, revealed hubs bold. Labels are the unit names; the table beside it carries the numbers."""
    nodes = sorted(data["nodes"], key=lambda n: (n["community"] is None, n["community"] or 0, n["code"]))
    n_count = max(1, len(nodes))
    centre, radius = size / 2, size / 2 - 110
    pos = {}
    for i, n in enumerate(nodes):
        angle = 2 * math.pi * i / n_count - math.pi / 2
        pos[n["key"]] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle), angle)
    max_w = max((e["weight"] for e in data["edges"]), default=1.0) or 1.0
    max_s = max((n["weighted_degree"] for n in nodes), default=1.0) or 1.0
    proposed, revealed = set(data["hubs"]["proposed"]), set(data["hubs"]["revealed"])
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
            f'aria-labelledby="network-svg-title" class="network-svg"><title id="network-svg-title">{escape(title)}'
            f'</title>')
    out = [head]
    for e in data["edges"]:
        x1, y1, _a = pos[e["source"]]
        x2, y2, _b = pos[e["target"]]
        width = 0.6 + 5.4 * e["weight"] / max_w
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#5b6b7b" '
                   f'stroke-opacity="0.55" stroke-width="{width:.2f}"/>')
    for n in nodes:
        x, y, angle = pos[n["key"]]
        r = 4 + 14 * math.sqrt(n["weighted_degree"] / max_s)
        colour = PALETTE[(n["community"] - 1) % len(PALETTE)] if n["community"] else "#9aa5b1"
        ring = ' stroke="#111" stroke-width="3"' if n["key"] in proposed else ' stroke="#fff" stroke-width="1"'
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"{ring}>'
                   f'<title>{escape(n["name"])}</title></circle>')
        lx, ly = x + (r + 6) * math.cos(angle), y + (r + 6) * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        weight = ' font-weight="700"' if n["key"] in revealed else ""
        out.append(f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="15" text-anchor="{anchor}" fill="#1a1a1a"'
                   f'{weight}>{escape(n["name"])}</text>')
    out.append("</svg>")
    return "".join(out)


def node_names(data: dict[str, Any], keys: list[str]) -> list[str]:
    names = {n["key"]: n["name"] for n in data["nodes"]}
    return [names[k] for k in keys if k in names]


def as_decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))
