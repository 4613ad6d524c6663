"""The linkage network: scores on small hand-checked graphs, and the graph built from programmes."""

import datetime as dt
import math

import networkx as nx
import pytest

from .. import network
from .factories import activity, programme


def test_scores_on_a_weighted_star():
    # given B at the centre: A–B strength 2, B–C 1, B–D 1
    g = nx.Graph()
    g.add_edge("A", "B", weight=2.0)
    g.add_edge("B", "C", weight=1.0)
    g.add_edge("B", "D", weight=1.0)
    s = network.scores(g)
    assert s["B"]["degree"] == 3
    assert s["A"]["degree"] == 1
    assert s["B"]["weighted_degree"] == 4
    assert s["A"]["weighted_degree"] == 2
    # B is on every shortest path between the three others: 3 of 3 pairs
    assert s["B"]["betweenness"] == pytest.approx(1.0)
    assert s["A"]["betweenness"] == 0
    # λ² = 2² + 1 + 1 = 6; x_B = 1/√2, x_A = 2/√12, x_C = 1/√12 (unit length)
    assert s["B"]["eigenvector"] == pytest.approx(1 / math.sqrt(2), abs=1e-4)
    assert s["A"]["eigenvector"] == pytest.approx(2 / math.sqrt(12), abs=1e-4)
    assert s["C"]["eigenvector"] == pytest.approx(1 / math.sqrt(12), abs=1e-4)


def test_betweenness_treats_strength_as_closeness_not_distance():
    # given a weak direct tie A–B (1) and a strong detour A–C–B (10 each)
    g = nx.Graph()
    g.add_edge("A", "B", weight=1.0)
    g.add_edge("A", "C", weight=10.0)
    g.add_edge("C", "B", weight=10.0)
    s = network.scores(g)
    # then distance 1/10 + 1/10 = 0.2 < 1: the shortest A–B path runs through C
    assert s["C"]["betweenness"] == pytest.approx(1.0)
    assert s["A"]["betweenness"] == 0


def test_communities_split_two_cliques():
    g = nx.Graph()
    for a, b in [("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("b1", "b2"), ("b2", "b3"), ("b1", "b3")]:
        g.add_edge(a, b, weight=1.0)
    g.add_edge("a1", "b1", weight=0.1)
    s = network.scores(g)
    assert s["a1"]["community"] == s["a2"]["community"] == s["a3"]["community"]
    assert s["b1"]["community"] == s["b2"]["community"] != s["a1"]["community"]


def test_the_network_of_two_programmes(cw):
    # given two published programmes running now: Hà Nội with Bắc Ninh, Hà Nội with Nghệ An
    programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:24@2025-07-01", "member")], end=None)
    programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")], end=None)
    data = network.compute(date_from=dt.date(2025, 1, 1), date_to=dt.date(2026, 4, 10))
    nodes = {n["code"]: n for n in data["nodes"]}
    assert len(nodes) == 18  # the conference region's units on 10/4/2026
    # then each tie weighs 1 (running: recency 1; no objective: progress 0)
    assert sorted((e["weight"], e["programmes"]) for e in data["edges"]) == [(1.0, 1), (1.0, 1)]
    assert nodes["01"]["degree"] == 2
    assert nodes["01"]["weighted_degree"] == 2
    # Hà Nội lies between Bắc Ninh and Nghệ An: 1 pair of (17 × 16 / 2) = 136
    assert nodes["01"]["betweenness"] == pytest.approx(1 / 136, abs=1e-6)
    assert data["hubs"]["revealed"][0] == f"unit:{cw.hanoi.pk}"
    assert [nodes[c]["key"] for c in ("01", "40", "22")] == data["hubs"]["proposed"]
    assert len(data["isolated"]) == 15
    assert f"unit:{cw.hanoi.pk}" not in data["isolated"]


def test_recency_and_results_weigh_a_tie(cw):
    # given a programme that ended two years before `to`, and one that met its only target
    programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")],
              start=dt.date(2023, 1, 1), end=dt.date(2024, 4, 10))
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:38", "member")], end=None,
                  objectives=[("Doanh số", "tỷ đồng", "10", "1")])
    activity(cw.users["hanoi"], p, place="38", start=dt.date(2026, 3, 1), results={p.objectives.get().pk: "10"},
             participants=[])
    data = network.compute(date_from=dt.date(2023, 1, 1), date_to=dt.date(2026, 4, 10))
    weights = {frozenset((e["source"], e["target"])): e["weight"] for e in data["edges"]}
    nghean, thanhhoa = f"unit:{cw.nghean.pk}", next(n["key"] for n in data["nodes"] if n["code"] == "38")
    hanoi = f"unit:{cw.hanoi.pk}"
    assert weights[frozenset((hanoi, nghean))] == pytest.approx(0.5 ** (730 / 730), abs=1e-6)  # 730 days old
    assert weights[frozenset((hanoi, thanhhoa))] == pytest.approx(2.0)  # running, progress 100 %: 1 × (1 + 1)


def test_activities_add_ties_between_their_participants(cw):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")], end=None)
    activity(cw.users["hanoi"], p, place="40", start=dt.date(2026, 4, 10))
    data = network.compute(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 4, 10))
    (edge,) = data["edges"]
    assert edge["programmes"] == 1
    assert edge["activities"] == 1
    assert edge["weight"] == pytest.approx(1.5)


def test_unpublished_programmes_count_for_the_ministry_only(cw):
    programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")], published=False, end=None)
    window = {"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 4, 10)}
    assert network.compute(**window)["edges"] == []
    assert len(network.compute(**window, published_only=False)["edges"]) == 1


def test_the_cached_network_changes_with_the_data(cw, django_assert_max_num_queries):
    window = {"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 4, 10)}
    assert network.network_cached(**window)["edges"] == []
    with django_assert_max_num_queries(1):  # the data version only
        network.network_cached(**window)
    programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")], end=None)
    assert len(network.network_cached(**window)["edges"]) == 1


def test_organisations_may_be_nodes(cw):
    programme(cw.users["coordinator"], parties=[("org:central-retail-viet-nam", "lead"), ("unit:01", "member")],
              end=None)
    data = network.compute(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 4, 10), organisations=True)
    assert any(n["kind"] == "organisation" and n["code"] == "central-retail-viet-nam" for n in data["nodes"])
    assert len(data["edges"]) == 1


def test_the_svg_has_no_script_and_no_style_attribute(cw):
    programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")], end=None)
    data = network.compute(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 4, 10))
    drawing = network.svg(data, title="Mạng lưới <test>")
    assert drawing.startswith("<svg")
    assert "<script" not in drawing
    assert "style=" not in drawing
    assert "Mạng lưới &lt;test&gt;" in drawing
    assert "Hà Nội" in drawing


def test_our_betweenness_is_networkx_s_on_random_weighted_graphs():
    import random

    rng = random.Random(7)
    for size, p in [(12, 0.3), (30, 0.5), (40, 0.9)]:
        g = nx.gnp_random_graph(size, p, seed=rng.randint(0, 10**6))
        for _a, _b, d in g.edges(data=True):
            d["distance"] = rng.choice([0.5, 1.0, 1.5, rng.random() + 0.1])  # ties included
        theirs = nx.betweenness_centrality(g, weight="distance", normalized=True)
        ours = network.betweenness(g)
        assert ours == pytest.approx(theirs, abs=1e-12)
