"""Progress: each result against its target, rolled up weighted (hand-computed values)."""

import datetime as dt
from decimal import Decimal

import pytest

from ..models import Programme
from ..network import progress_floats
from ..selectors import programme_progress, progress_many
from .factories import activity, programme


def test_rollup_is_the_weighted_mean_of_capped_ratios(cw):
    # given three objectives: A (target 100, weight 2), B (target 50, weight 1), C (target 10, weight 1)
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")], objectives=[
        ("Doanh nghiệp tham gia", "doanh nghiệp", "100", "2"), ("Hợp đồng ký kết", "hợp đồng", "50", "1"),
        ("Doanh số", "tỷ đồng", "10", "1")])
    a, b, c = p.objectives.order_by("position")
    # when two activities report 40 + 20 businesses and 75 contracts (150 % of target), no sales
    activity(cw.users["hanoi"], p, place="01", start=dt.date(2026, 3, 1), results={a.pk: "40", b.pk: "75"})
    activity(cw.users["hanoi"], p, place="40", start=dt.date(2026, 4, 1), results={a.pk: "20"})
    progress = programme_progress(p)
    # then A = 60 / 100 = 0.6, B = 1.5 (counted as 1), C = 0; weights 2/4, 1/4, 1/4
    rows = {r.objective.pk: r for r in progress.objectives}
    assert rows[a.pk].actual == Decimal("60")
    assert rows[a.pk].ratio == Decimal("0.6")
    assert rows[b.pk].ratio == Decimal("1.5")
    assert rows[b.pk].capped == Decimal(1)
    assert rows[c.pk].ratio == 0
    assert [r.weight_share for r in progress.objectives] == [Decimal("0.5"), Decimal("0.25"), Decimal("0.25")]
    # (2 × 0.6 + 1 × 1 + 1 × 0) / 4 = 0.55
    assert progress.total == Decimal("0.55")
    assert progress_many([p.pk]) == {p.pk: Decimal("0.55")}
    # the network's float read of the same rule agrees
    assert progress_floats(Programme.objects.all()) == {p.pk: pytest.approx(0.55)}


def test_a_programme_without_objectives_has_no_progress(cw):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")])
    assert programme_progress(p).total is None


def test_the_detail_page_shows_the_weights_and_the_rollup(cw, client):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")], objectives=[("Doanh số", "tỷ đồng", "10", "3")])
    activity(cw.users["hanoi"], p, place="01", start=dt.date(2026, 2, 1), results={p.objectives.get().pk: "2.5"})
    html = client.get(f"/hop-tac/{p.pk}/").content.decode()
    assert "25,0 %" in html  # 2,5 / 10
    assert "100,0 %" in html  # the one objective carries all the weight
