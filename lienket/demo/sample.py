"""A realistic, clearly labelled sample for demonstrations: monthly, 6-month, 9-month and yearly reports of the
northern Departments of Industry and Trade from 2023 to the current month, with drafts, returned reports,
annual plan targets and a few outliers.

Everything written here is marked as sample: ``Submission.is_sample`` and ``Target.is_sample`` are set, every
value's history row (``DataValueAudit``) has source ``sample`` and the reason "Dữ liệu mẫu / sample", and the
actor is a hidden, inactive system user whose full name is "Dữ liệu mẫu / sample".

**Who reports what.** The due date decides (see ``selectors.reporting_units``): months up to June 2025 and the
6-month report of 2025 belong to the 28 units as they stood until 30/6/2025; from July 2025 (and the 9-month and
yearly reports of 2025) the 18 units from 1/7/2025 report, each for its whole territory, months before it existed
included. The sample therefore generates one latent series per *pre-merger territory* and gives a merged unit the
sum of its predecessors (its IIP is recomputed from their volumes, its occupancy from summed areas), so a merged
unit's "same period last year" is that of the same territory.

**Magnitudes** (invented, plausible, never to be quoted): retail sales follow the 2022 population (UnitStat)
with a per-capita level by kind of province, calibrated so that the 28 units sum to 1.954 thousand billion VND in
2022 (the regional total reported at edition IX); markets, clusters and OCOP products follow population and area;
industrial output, exports, imports and electricity follow a rough profile per province (Bắc Ninh, Thái Nguyên,
Hải Phòng largest). Industrial clusters are calibrated on edition VIII/XI's totals (588 clusters and 21.543 ha in
2022, 613 and about 24.000 ha in 2025); the 2023 industrial growth of the 28 units is drawn so that 25 rise and
11 rise by 10 % or more (as reported at edition X). Growth is about 5–15 % a year with monthly seasonality (Tết).

**The bulk path.** Past periods are closed for editing and the services refuse late writes by design, so this
module writes directly, in bulk, and keeps the invariants itself: every value has its history rows (created as
an estimate and revised to the official figure once the next report came in), submission states satisfy the
database constraints (submitted/approved/accepted/returned with their actor, time and reason), and values that
``validation.rules.outlier_findings`` would flag carry an explanatory comment in every report that was submitted.
Nothing else in the project writes this way.

Idempotent: a (data set, unit, period) that already has a submission — sample or real — is left alone; targets
likewise. Runs in a few seconds on SQLite.

Longer than 500 lines on purpose: one generator that reads top to bottom (territories, series, reports, targets,
the bulk write); splitting it would scatter the invariants it keeps by hand. It lives in the demo app because
nothing of the reporting domain depends on it.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model

from lienket.core import clock
from lienket.core.audit import audit_log
from lienket.regions.models import AdminUnit, UnitStat, UnitSuccession
from lienket.reporting.aggregates import rollup_submission
from lienket.reporting.codes import AuditAction
from lienket.reporting.models import (
    DataSet,
    DataSetElement,
    DataValue,
    DataValueAudit,
    DisaggregationOption,
    Indicator,
    Period,
    Submission,
    SubmissionStatus,
    Target,
)
from lienket.reporting.periods import PeriodSpec, PeriodType, periods_of_type
from lienket.reporting.selectors import reporting_units
from lienket.reporting.validation.rules import outlier_findings
from lienket.users.models import User

SAMPLE_LABEL = "Dữ liệu mẫu / sample"
SAMPLE_USERNAME = "sample.data"
SAMPLE_SOURCE = "sample"
DATASET_CODES = ("BC-THANG", "BC-6THANG", "BC-9THANG", "BC-NAM")
FIRST_YEAR = 2023
BASE_YEAR = 2022  # latent series start a year earlier: 2023's IIP needs 2022's volumes

REVISION_REASON = f"{SAMPLE_LABEL}: số liệu chính thức thay số ước tính"
AUTO_COMMENT = f"{SAMPLE_LABEL}: biến động đã được kiểm tra, số liệu đúng"
RETURN_REASONS = [
    f"{SAMPLE_LABEL}: số liệu xuất khẩu chưa khớp với số liệu của cơ quan hải quan, đề nghị rà soát lại.",
    f"{SAMPLE_LABEL}: thiếu giải trình về mức tăng của chỉ số sản xuất công nghiệp, đề nghị bổ sung.",
    f"{SAMPLE_LABEL}: tổng mức bán lẻ lũy kế chưa cộng số ước tháng báo cáo, đề nghị kiểm tra.",
]
REOPEN_REASON = f"{SAMPLE_LABEL}: Bộ mở lại để cập nhật số liệu chính thức của cơ quan thống kê."


class SampleError(RuntimeError):
    """The sample cannot be loaded (e.g. the catalogue is missing)."""


# ---------------------------------------------------------------------------------------------------------
# Province profiles (invented magnitudes for 2022, by pre-merger GSO code; see the module docstring)

#: code → (industrial production value, tỷ đồng; exports, million USD; imports, million USD;
#:         commercial electricity, million kWh; IPV shares state / non-state / foreign-invested)
PROFILES: dict[str, tuple[float, float, float, float, tuple[float, float, float]]] = {
    "01": (600_000, 17_000, 33_000, 21_000, (0.12, 0.48, 0.40)),
    "02": (9_000, 80, 40, 450, (0.30, 0.65, 0.05)),
    "04": (7_000, 500, 300, 400, (0.30, 0.65, 0.05)),
    "06": (4_000, 25, 10, 220, (0.30, 0.66, 0.04)),
    "08": (30_000, 150, 80, 1_000, (0.20, 0.70, 0.10)),
    "10": (40_000, 1_400, 1_100, 1_700, (0.40, 0.52, 0.08)),
    "11": (5_000, 25, 15, 350, (0.35, 0.63, 0.02)),
    "12": (15_000, 15, 10, 280, (0.55, 0.43, 0.02)),
    "14": (35_000, 120, 40, 900, (0.55, 0.42, 0.03)),
    "15": (20_000, 250, 120, 1_000, (0.20, 0.70, 0.10)),
    "17": (35_000, 550, 450, 1_400, (0.40, 0.45, 0.15)),
    "19": (900_000, 30_000, 21_000, 4_500, (0.05, 0.10, 0.85)),
    "20": (9_000, 1_400, 1_400, 700, (0.20, 0.75, 0.05)),
    "22": (230_000, 3_500, 2_800, 5_500, (0.55, 0.30, 0.15)),
    "24": (350_000, 19_000, 17_500, 5_000, (0.03, 0.27, 0.70)),
    "25": (110_000, 2_800, 2_300, 2_700, (0.10, 0.45, 0.45)),
    "26": (380_000, 6_500, 6_000, 4_000, (0.02, 0.18, 0.80)),
    "27": (1_250_000, 52_000, 44_000, 8_500, (0.01, 0.09, 0.90)),
    "30": (330_000, 9_500, 7_500, 5_200, (0.08, 0.32, 0.60)),
    "31": (620_000, 26_000, 18_000, 9_500, (0.05, 0.30, 0.65)),
    "33": (260_000, 6_500, 4_500, 4_300, (0.03, 0.37, 0.60)),
    "34": (120_000, 2_100, 1_700, 2_000, (0.05, 0.55, 0.40)),
    "35": (190_000, 3_100, 2_900, 2_900, (0.03, 0.37, 0.60)),
    "36": (110_000, 2_400, 1_500, 2_200, (0.05, 0.60, 0.35)),
    "37": (140_000, 2_600, 2_100, 3_100, (0.10, 0.50, 0.40)),
    "38": (320_000, 5_500, 6_200, 6_600, (0.10, 0.35, 0.55)),
    "40": (120_000, 2_400, 1_200, 3_700, (0.10, 0.60, 0.30)),
    "42": (130_000, 2_200, 2_100, 3_000, (0.05, 0.15, 0.80)),
}
MOUNTAIN = {"02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "20"}
BIG_CITIES = {"31", "22"}
#: Retail per thousand inhabitants (tỷ đồng/year) before calibration, by kind of province.
RETAIL_PER_CAPITA = {"01": 75.0, "big": 60.0, "delta": 31.0, "mountain": 22.0}
RETAIL_TOTAL_2022 = 1_954_000.0  # 28 units, thousand billion VND × 1000 (edition IX)
CCN_2022 = (588, 21_543.0, 0.56)  # clusters established, ha, occupancy share (edition VIII)
OCOP_2022 = 4_000.0
FALLBACK_POPULATION, FALLBACK_AREA = 1_000.0, 5_000.0

RETAIL_SEASON = [0.088, 0.083, 0.079, 0.080, 0.081, 0.081, 0.082, 0.083, 0.083, 0.085, 0.086, 0.089]
INDUSTRY_SEASON = [0.080, 0.066, 0.083, 0.082, 0.084, 0.084, 0.085, 0.087, 0.086, 0.088, 0.087, 0.088]
TRADE_SEASON = [0.078, 0.068, 0.083, 0.080, 0.083, 0.085, 0.088, 0.090, 0.088, 0.088, 0.085, 0.084]
ELEC_SEASON = [0.075, 0.068, 0.075, 0.080, 0.090, 0.095, 0.098, 0.094, 0.088, 0.082, 0.077, 0.078]

#: Regional growth by year (mean, spread between provinces).
GROWTH = {
    "retail": {2023: (0.10, 0.02), 2024: (0.09, 0.02), 2025: (0.10, 0.02), 2026: (0.09, 0.02)},
    "vol": {2024: (0.10, 0.06), 2025: (0.11, 0.06), 2026: (0.09, 0.06)},
    "export": {2023: (-0.03, 0.07), 2024: (0.14, 0.07), 2025: (0.15, 0.07), 2026: (0.10, 0.07)},
    "import": {2023: (-0.06, 0.07), 2024: (0.15, 0.07), 2025: (0.16, 0.07), 2026: (0.10, 0.07)},
    "elec": {2023: (0.06, 0.02), 2024: (0.09, 0.02), 2025: (0.08, 0.02), 2026: (0.07, 0.02)},
}
PRICE_GROWTH = 0.025  # producer prices, for industrial production value at current prices
NOISE = {"retail": 0.02, "vol": 0.03, "export": 0.06, "import": 0.06, "elec": 0.02}
SEASONS = {"retail": RETAIL_SEASON, "vol": INDUSTRY_SEASON, "export": TRADE_SEASON, "import": TRADE_SEASON, "elec": ELEC_SEASON}

#: Planted outliers: (pre-merger code, latent series, year, month, factor, comment on the reported value).
OUTLIERS = [
    ("20", "export", 2024, 3, 2.4, "tăng đột biến do xuất khẩu lô thiết bị lớn qua cửa khẩu Hữu Nghị"),
    ("11", "elec", 2023, 10, 1.9, "nhà máy chế biến mới đóng điện, sản lượng điện tăng mạnh"),
    ("06", "export", 2024, 8, 3.0, "doanh nghiệp chế biến gỗ xuất lô hàng lớn theo hợp đồng năm"),
    ("14", "retail", 2023, 6, 1.6, "lễ hội và hội chợ du lịch lớn trong tháng"),
    ("10", "elec", 2026, 4, 1.6, "dự án luyện kim mới vận hành thử"),
]
#: An unexplained outlier left in a draft, so a demonstration shows the warning that blocks submission.
DEMO_WARNING_CODE = "20"


def _q(value: float | Decimal, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------------------
# Latent series per pre-merger territory


@dataclass
class _Base:
    unit: AdminUnit
    code: str
    population: float
    area: float
    flows: dict[str, dict[tuple[int, int], float]] = field(default_factory=lambda: defaultdict(dict))
    stocks: dict[tuple[int, int], dict[str, float]] = field(default_factory=dict)  # (year, end month) → values
    halves: dict[tuple[int, int], dict[str, float]] = field(default_factory=dict)  # (year, half) → flows
    shares: tuple[float, float, float] = (0.08, 0.42, 0.50)


def _kind(code: str) -> str:
    if code == "01":
        return "01"
    if code in BIG_CITIES:
        return "big"
    return "mountain" if code in MOUNTAIN else "delta"


def _stats(units: Iterable[AdminUnit]) -> dict[int, tuple[float, float]]:
    pops: dict[int, float] = {}
    areas: dict[int, float] = {}
    for unit_id, measure, value in UnitStat.objects.filter(
        unit__in=list(units), year=2022, measure__in=[UnitStat.Measure.POPULATION, UnitStat.Measure.AREA]
    ).values_list("unit_id", "measure", "value"):
        (pops if measure == UnitStat.Measure.POPULATION else areas)[unit_id] = float(value)
    return {uid: (pops.get(uid, FALLBACK_POPULATION), areas.get(uid, FALLBACK_AREA)) for uid in set(pops) | set(areas)}


def _build_latent(bases: list[_Base], last_year: int, rng: random.Random) -> None:
    years = range(BASE_YEAR, last_year + 1)
    kinds = {b.unit.pk: _kind(b.code) for b in bases}
    raw_retail = {b.unit.pk: b.population * RETAIL_PER_CAPITA[kinds[b.unit.pk]] for b in bases}
    scale = RETAIL_TOTAL_2022 / sum(raw_retail.values()) if len(bases) >= 20 else 1.0
    total_pop = sum(b.population for b in bases) or 1.0
    total_area = sum(b.area for b in bases) or 1.0

    # 2023 industrial growth: 25 of 28 rising, 11 of them by 10 % or more (edition X), scaled to the count.
    n = len(bases)
    n_fall, n_high = round(3 * n / 28), round(11 * n / 28)
    growth_2023 = (
        [rng.uniform(-0.07, -0.01) for _ in range(n_fall)]
        + [rng.uniform(0.11, 0.24) for _ in range(n_high)]
        + [rng.uniform(0.01, 0.09) for _ in range(n - n_fall - n_high)]
    )
    rng.shuffle(growth_2023)
    # Cluster area: shares by population and area with some spread, summing to the calibration total.
    weights = {b.unit.pk: (0.5 * b.population / total_pop + 0.5 * b.area / total_area) if n >= 20 else 1 / 28 for b in bases}
    area_raw = {pk: w * rng.uniform(0.8, 1.2) for pk, w in weights.items()}
    area_scale = CCN_2022[1] / sum(area_raw.values()) if n >= 20 else CCN_2022[1]

    for i, b in enumerate(bases):
        profile = PROFILES.get(b.code)
        if profile is None:
            ipv, export, imp, elec, shares = b.population * 60, b.population * 1.5, b.population * 1.2, b.population * 1.5, (0.08, 0.42, 0.50)
        else:
            ipv, export, imp, elec, shares = profile
        b.shares = shares
        annual = {"retail": raw_retail[b.unit.pk] * scale, "vol": ipv, "export": export, "import": imp, "elec": elec}
        for name, base_value in annual.items():
            value = base_value
            for year in years:
                if year > BASE_YEAR:
                    if name == "vol" and year == 2023:
                        g = growth_2023[i]
                    else:
                        mean, spread = GROWTH[name].get(year, (0.08, 0.03))
                        g = rng.gauss(mean, spread)
                    value *= 1 + g
                season = SEASONS[name]
                months = [max(value * season[m] / sum(season) * (1 + rng.gauss(0, NOISE[name])), 0.0) for m in range(12)]
                factor = value / sum(months)  # the year adds up exactly, so annual growth is exactly g
                for m in range(12):
                    b.flows[name][(year, m + 1)] = months[m] * factor
        weight = weights[b.unit.pk]
        kind = kinds[b.unit.pk]
        super_factor = {"01": 4.0, "big": 2.5, "delta": 1.2, "mountain": 0.8}[kind]
        ecom_base = {"01": 55.0, "big": 45.0, "delta": 38.0, "mountain": 25.0}[kind]
        ent_per_k = {"01": 20.0, "big": 8.0, "delta": 5.0, "mountain": 2.0}[kind]
        markets = 0.055 * b.population + 0.008 * b.area
        supermarkets = max(1.0, b.population * 0.004 * super_factor)
        malls = min(supermarkets, 28.0 if kind == "01" else (5.5 if kind == "big" else b.population * 0.0008))
        clusters = max(2.0, CCN_2022[0] * weight)
        area = area_raw[b.unit.pk] * area_scale
        occupancy = min(0.9, max(0.2, rng.gauss(CCN_2022[2], 0.1)))
        operating = 0.73
        ocop = OCOP_2022 * weight * rng.uniform(0.7, 1.3)
        enterprises = b.population * ent_per_k
        ecom = min(90.0, ecom_base + rng.gauss(0, 4))
        for year in years:
            for end in (6, 9, 12):
                t = (year - BASE_YEAR) + end / 12 - 0.5  # years since mid-2022
                b.stocks[(year, end)] = {
                    "markets": markets * (1 + 0.004 * t), "supermarkets": supermarkets * (1 + 0.05 * t),
                    "malls": malls * (1 + 0.03 * t), "clusters": clusters * (1 + 0.013 * t),
                    "operating": operating + 0.02 * t, "area": area * (1 + 0.038 * t),
                    "occupancy": min(0.95, occupancy + 0.012 * t), "ocop": ocop * (1.15 ** t),
                    "enterprises": enterprises * (1.06 ** t), "ecom": min(95.0, ecom + 2.5 * t),
                }
            for half in (1, 2):
                size = b.population / 1000
                b.halves[(year, half)] = {
                    "ecom_supported": max(5.0, rng.gauss(60 * size, 15 * size) * (1.1 ** (year - BASE_YEAR))),
                    "trade_events": max(2.0, rng.gauss(6 + 3 * size, 2)),
                    "trade_firms": 0.0,
                }
                b.halves[(year, half)]["trade_firms"] = b.halves[(year, half)]["trade_events"] * rng.uniform(8, 20)

    by_code = {b.code: b for b in bases}
    for code, name, year, month, factor, _comment in OUTLIERS:
        planted = by_code.get(code)
        if planted is not None and (year, month) in planted.flows[name]:
            planted.flows[name][(year, month)] *= factor


# ---------------------------------------------------------------------------------------------------------
# Values of one report for one (possibly merged) territory


class _Values:
    """Reported values of a territory, computed from the latent series of its pre-merger parts."""

    def __init__(self, parts: list[_Base]) -> None:
        self.parts = parts
        self._rounded: dict[tuple[str, int, int, int], Decimal] = {}

    def flow(self, name: str, year: int, months: Iterable[int]) -> float:
        return sum(b.flows[name].get((year, m), 0.0) for b in self.parts for m in months)

    def sector(self, sector: int, year: int, month: int) -> float:
        # nominal industrial production value of one ownership sector: volume × prices × share
        price = (1 + PRICE_GROWTH) ** (year - BASE_YEAR)
        return sum(b.flows["vol"].get((year, month), 0.0) * price * b.shares[sector] for b in self.parts)

    def month_rounded(self, name: str, year: int, month: int, decimals: int) -> Decimal:
        key = (name, year, month, decimals)
        if key not in self._rounded:
            if name.startswith("ipv"):
                self._rounded[key] = _q(self.sector(int(name[-1]), year, month), decimals)
            else:
                self._rounded[key] = _q(self.flow(name, year, [month]), decimals)
        return self._rounded[key]

    def stock(self, year: int, end: int) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        weighted_ecom = 0.0
        for b in self.parts:
            s = b.stocks[(year, end)]
            for k in ("markets", "supermarkets", "malls", "clusters", "area", "ocop", "enterprises"):
                out[k] += s[k]
            out["operating_clusters"] += round(s["clusters"]) * min(1.0, s["operating"])
            out["occupied"] += s["area"] * s["occupancy"]
            weighted_ecom += s["ecom"] * s["enterprises"]
        out["ecom"] = weighted_ecom / out["enterprises"] if out["enterprises"] else 0.0
        return out

    def halves(self, year: int, halves: Iterable[int]) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for b in self.parts:
            for h in halves:
                for k, v in b.halves[(year, h)].items():
                    out[k] += v
        return out

    def report(self, spec: PeriodSpec, indicators: dict[str, Indicator]) -> dict[tuple[str, str | None], Decimal]:
        """The values of every indicator of the report for `spec` (only those in `indicators`)."""
        year, end = spec.year, spec.end.month
        first = 1 if spec.period_type != PeriodType.MONTH else end
        months = range(first, end + 1)
        values: dict[tuple[str, str | None], Decimal] = {}

        def put(code: str, value: float | Decimal, option: str | None = None) -> None:
            ind = indicators.get(code)
            if ind is not None:
                values[(code, option)] = value if isinstance(value, Decimal) else _q(value, ind.decimals)

        def summed(name: str, code: str, span: Iterable[int]) -> Decimal:
            decimals = indicators[code].decimals if code in indicators else 1
            return sum((self.month_rounded(name, year, m, decimals) for m in span), Decimal(0))

        def index(span: Iterable[int]) -> float:
            span = list(span)
            before = self.flow("vol", year - 1, span)
            return self.flow("vol", year, span) / before * 100 if before else 100.0

        put("IIP", index(months))
        put("RETAIL", summed("retail", "RETAIL", months))
        put("EXPORT", summed("export", "EXPORT", months))
        put("IMPORT", summed("import", "IMPORT", months))
        put("ELEC", summed("elec", "ELEC", months))
        for sector, option in enumerate(("state", "non-state", "fdi")):
            put("IPV", summed(f"ipv{sector}", "IPV", months), option)
        if spec.period_type == PeriodType.MONTH:
            put("IIP_YTD", index(range(1, end + 1)))
            put("RETAIL_YTD", summed("retail", "RETAIL_YTD", range(1, end + 1)))
            put("EXPORT_YTD", summed("export", "EXPORT_YTD", range(1, end + 1)))
            return values
        s = self.stock(year, end)
        markets = round(s["markets"])
        class_i, class_ii = round(markets * 0.03), round(markets * 0.12)
        put("MARKETS", Decimal(class_i), "I")
        put("MARKETS", Decimal(class_ii), "II")
        put("MARKETS", Decimal(markets - class_i - class_ii), "III")
        supermarkets = round(s["supermarkets"])
        put("SUPERMARKETS", Decimal(supermarkets))
        put("MALLS", Decimal(min(round(s["malls"]), supermarkets)))
        clusters = max(1, round(s["clusters"]))
        put("CCN_ESTABLISHED", Decimal(clusters))
        put("CCN_OPERATING", Decimal(min(clusters, round(s["operating_clusters"]))))
        area, occupied = _q(s["area"], 2), _q(s["occupied"], 2)
        put("CCN_AREA", area)
        put("CCN_OCCUPIED", occupied)
        if area:
            put("CCN_RATE", _q(occupied / area * 100, 1))
        ocop = round(s["ocop"])
        five = round(ocop * 0.01)
        four = round(ocop * 0.27)
        put("OCOP_PRODUCTS", Decimal(ocop - four - five), "3")
        put("OCOP_PRODUCTS", Decimal(four), "4")
        put("OCOP_PRODUCTS", Decimal(five), "5")
        put("ENTERPRISES", Decimal(round(s["enterprises"])))
        put("ECOM_ADOPTION", s["ecom"])
        h = self.halves(year, (1,) if end <= 6 else (1, 2))
        put("ECOM_SUPPORTED", Decimal(round(h["ecom_supported"])))
        put("TRADE_PROMO_EVENTS", Decimal(round(h["trade_events"])))
        put("TRADE_PROMO_FIRMS", Decimal(round(h["trade_firms"])))
        return values

    def annual(self, code: str, year: int) -> Decimal | None:
        """A year's actual value for plan targets."""
        months = range(1, 13)
        if code == "IIP":
            before = self.flow("vol", year - 1, months)
            return _q(self.flow("vol", year, months) / before * 100, 2) if before else None
        name = {"RETAIL": "retail", "EXPORT": "export", "IMPORT": "import", "ELEC": "elec"}.get(code)
        if name:
            return _q(self.flow(name, year, months), 1)
        if code == "IPV":
            return _q(sum(self.sector(s, year, m) for s in range(3) for m in months), 1)
        return None


# ---------------------------------------------------------------------------------------------------------
# Workflow states


@dataclass
class _Planned:
    dataset: DataSet
    spec: PeriodSpec
    unit: AdminUnit
    status: str
    current: bool  # the period is not yet due
    rank: int  # 0 = latest past-due period of the data set
    values: dict[tuple[str, str | None], Decimal]
    comments: dict[tuple[str, str | None], str] = field(default_factory=dict)
    reopened: bool = False
    reason: str = ""
    submission: Submission | None = None


def _status(rng: random.Random, *, current: bool, rank: int, editable: bool) -> str | None:
    """A plausible state; None means the unit has not opened the report yet."""
    r = rng.random()
    if current:
        return SubmissionStatus.DRAFT if r < 0.55 else (SubmissionStatus.SUBMITTED if r < 0.7 else None)
    if rank == 0 and editable:
        for threshold, status in ((0.35, "accepted"), (0.6, "approved"), (0.8, "submitted"), (0.87, "returned")):
            if r < threshold:
                return status
        return SubmissionStatus.DRAFT
    if rank == 0:
        return "accepted" if r < 0.6 else ("approved" if r < 0.85 else "submitted")
    if rank == 1:
        return "accepted" if r < 0.8 else ("approved" if r < 0.95 else "submitted")
    if rank == 2:
        return "accepted" if r < 0.93 else "approved"
    return SubmissionStatus.ACCEPTED


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _sample_user() -> User:
    user = User.objects.filter(username=SAMPLE_USERNAME).first()
    if user is None:
        user = User(username=SAMPLE_USERNAME, full_name=SAMPLE_LABEL, is_active=False, email="")
        user.set_unusable_password()
        user.save()
    return user


# ---------------------------------------------------------------------------------------------------------
# The loader


@transaction.atomic
def load_sample_reporting(*, seed: int = 2025, today: dt.date | None = None) -> dict[str, Any]:
    """Load the sample (see the module docstring). Returns counts: submissions, values, history rows, targets
    created, submissions by status, and the seconds it took."""
    started = time.monotonic()
    today = today or clock.today()
    now = min(clock.now(), _at(today, 17))
    datasets = {ds.code: ds for ds in DataSet.objects.filter(code__in=DATASET_CODES, is_active=True).select_related("reporting_group")}
    if "BC-THANG" not in datasets or "BC-6THANG" not in datasets:
        raise SampleError("The default catalogue is missing: run `manage.py load_catalogue` (after load_reference) first.")
    user = _sample_user()
    rng = random.Random(seed)  # noqa: S311 - reproducible sample numbers, not security
    last_year = today.year

    # Which units report which period (decided by the due date), and each unit's pre-merger territory.
    units_for: dict[tuple[str, str], list[AdminUnit]] = {}
    by_due: dict[tuple[int, dt.date], list[AdminUnit]] = {}
    specs: dict[str, list[PeriodSpec]] = {}
    for code, ds in datasets.items():
        specs[code] = [s for y in range(FIRST_YEAR, last_year + 1) for s in periods_of_type(ds.period_type, y) if s.start <= today]
        for spec in specs[code]:
            due = ds.due_date(spec)
            key = (ds.reporting_group_id, due)
            if key not in by_due:
                by_due[key] = list(reporting_units(dataset=ds, period=spec))
            units_for[(code, spec.code)] = by_due[key]
    reporting = {u.pk: u for units in units_for.values() for u in units}
    predecessors: dict[int, list[AdminUnit]] = defaultdict(list)
    for succ in UnitSuccession.objects.filter(successor__in=list(reporting)).select_related("predecessor"):
        predecessors[succ.successor_id].append(succ.predecessor)
    territory: dict[int, list[AdminUnit]] = {pk: sorted(predecessors.get(pk) or [u], key=lambda x: x.code) for pk, u in reporting.items()}
    base_units = {u.pk: u for parts in territory.values() for u in parts}
    stats = _stats(base_units.values())
    bases = {
        pk: _Base(u, u.code, *stats.get(pk, (FALLBACK_POPULATION, FALLBACK_AREA)))
        for pk, u in sorted(base_units.items(), key=lambda item: (item[1].code, item[0]))
    }
    _build_latent(list(bases.values()), last_year, rng)
    values_of = {pk: _Values([bases[p.pk] for p in parts]) for pk, parts in territory.items()}

    # What each data set collects (in use for the period), and options by code.
    elements: dict[str, list[DataSetElement]] = {
        code: list(DataSetElement.objects.filter(dataset=ds).select_related("indicator").order_by("sort_order"))
        for code, ds in datasets.items()
    }
    options = {(o.disaggregation_id, o.code): o for o in DisaggregationOption.objects.all()}
    existing = set(
        Submission.objects.filter(dataset__in=list(datasets.values())).values_list("dataset_id", "unit_id", "period__code")
    )

    outlier_comment: dict[tuple[str, str, int, int], str] = {}
    for code, name, year, month, _factor, comment in OUTLIERS:
        indicator = {"export": "EXPORT", "elec": "ELEC", "retail": "RETAIL"}[name]
        outlier_comment[(code, indicator, year, month)] = f"{SAMPLE_LABEL}: {comment}"

    planned: list[_Planned] = []
    for code, ds in datasets.items():
        past = [s for s in specs[code] if ds.due_date(s) < today]
        rank_of = {s.code: len(past) - 1 - i for i, s in enumerate(past)}
        editable_latest = [s for s in specs[code] if ds.edit_deadline(s) >= today]
        demo_spec = editable_latest[0] if editable_latest and code == "BC-THANG" else None
        reopen_spec = past[-1] if past and code == "BC-9THANG" else None
        for spec in specs[code]:
            current = ds.due_date(spec) >= today
            in_use = {el.indicator.code: el.indicator for el in elements[code] if el.indicator.in_use(spec.start, spec.end)}
            for unit in units_for[(code, spec.code)]:
                urng = random.Random(f"{seed}:{code}:{spec.code}:{unit.key}")  # noqa: S311 - sample numbers
                status = _status(urng, current=current, rank=rank_of.get(spec.code, 0), editable=ds.edit_deadline(spec) >= today)
                reopened = False
                if spec == demo_spec and unit.code in {"01", DEMO_WARNING_CODE}:
                    status = SubmissionStatus.DRAFT
                elif spec == demo_spec and unit.code == "25":
                    status = SubmissionStatus.RETURNED
                elif spec == reopen_spec and unit.code == "08":
                    status, reopened = SubmissionStatus.RETURNED, True
                if status is None:
                    continue
                values = values_of[unit.pk].report(spec, in_use)
                item = _Planned(ds, spec, unit, status, current, rank_of.get(spec.code, -1), values, reopened=reopened)
                if status == SubmissionStatus.RETURNED:
                    item.reason = REOPEN_REASON if reopened else urng.choice(RETURN_REASONS)
                if spec == demo_spec and unit.code == DEMO_WARNING_CODE and ("EXPORT", None) in values:
                    before = values[("EXPORT", None)]
                    values[("EXPORT", None)] = _q(before * Decimal("2.8"), 1)
                    if ("EXPORT_YTD", None) in values:
                        values[("EXPORT_YTD", None)] += values[("EXPORT", None)] - before
                if spec.period_type == PeriodType.MONTH:
                    for part in territory[unit.pk]:
                        for (c, o) in values:
                            note = outlier_comment.get((part.code, c, spec.year, spec.index))
                            if note and o is None:
                                item.comments[(c, o)] = note
                planned.append(item)

    indicators = {i.code: i for i in Indicator.objects.all()}

    # Comment every value a submitted report would have had to explain (same check as validation/rules.py).
    series: dict[tuple[int, str, str | None, str], dict[str, tuple[dt.date, Decimal]]] = defaultdict(dict)
    for item in sorted(planned, key=lambda p: (p.spec.start, p.spec.end)):
        ds = item.dataset
        for (code, opt), value in item.values.items():
            earlier = series[(item.unit.pk, code, opt, item.spec.period_type)]
            ytd = indicators[code].cumulative_ytd
            history = [v for s, v in sorted(earlier.values()) if not ytd or s.month == item.spec.start.month]
            last = earlier.get(item.spec.same_period_last_year().code)
            if (
                item.status != SubmissionStatus.DRAFT
                and (code, opt) not in item.comments
                and outlier_findings(value=value, last_year=last[1] if last else None, history=history[-60:],
                                     pct=ds.outlier_pct, sd=ds.outlier_sd)
            ):
                item.comments[(code, opt)] = AUTO_COMMENT
            earlier[item.spec.code] = (item.spec.start, value)

    todo = [p for p in planned if (p.dataset.pk, p.unit.pk, p.spec.code) not in existing]
    periods = {code: Period.for_code(code) for code in sorted({p.spec.code for p in todo})}
    estimate_default = {(el.dataset_id, el.indicator.code): el.estimate_by_default for els in elements.values() for el in els}

    # Submissions with consistent workflow fields.
    subs: list[Submission] = []
    entered_at: list[dt.datetime] = []
    counts: dict[str, int] = defaultdict(int)
    for p in todo:
        due = p.dataset.due_date(p.spec)
        urng = random.Random(f"{seed}:t:{p.dataset.code}:{p.spec.code}:{p.unit.key}")  # noqa: S311 - sample times
        sub = Submission(dataset=p.dataset, unit=p.unit, period=periods[p.spec.code], status=p.status, is_sample=True, version=1)
        # Values are entered from the cut-off day on (one time per period keeps the bulk timestamp update cheap).
        start_day = due - dt.timedelta(days=p.dataset.due_days) if not p.current else today - dt.timedelta(days=2)
        entered = min(_at(max(start_day, p.spec.start), 9), now - dt.timedelta(hours=3))
        if p.status != SubmissionStatus.DRAFT:
            late = urng.random() < 0.1 and not p.current
            day = due + dt.timedelta(days=urng.randint(1, 4)) if late else due - dt.timedelta(days=urng.randint(0, 3))
            submitted = max(entered + dt.timedelta(hours=1), min(_at(day, 14, urng.randint(0, 59)), now - dt.timedelta(hours=2)))
            sub.submitted_at, sub.submitted_by, sub.version = submitted, user, 2
            approved = min(submitted + dt.timedelta(days=urng.randint(0, 2), hours=2), now - dt.timedelta(hours=1))
            if p.status in {SubmissionStatus.APPROVED, SubmissionStatus.ACCEPTED} or p.reopened:
                sub.approved_at, sub.approved_by, sub.version = approved, user, 3
            if p.status == SubmissionStatus.ACCEPTED or p.reopened:
                accepted = min(approved + dt.timedelta(days=urng.randint(1, 6)), now - dt.timedelta(minutes=30))
                sub.accepted_at, sub.accepted_by, sub.version = accepted, user, 4
            if p.status == SubmissionStatus.RETURNED:
                last_step = sub.accepted_at or submitted
                sub.returned_at = min(last_step + dt.timedelta(days=1), now - dt.timedelta(minutes=10))
                sub.returned_by, sub.return_reason, sub.version = user, p.reason, sub.version + 1
                if p.reopened:
                    sub.reopened_until = today + dt.timedelta(days=14)
        subs.append(sub)
        entered_at.append(entered)
        counts[str(p.status)] += 1
    Submission.objects.bulk_create(subs, batch_size=500)
    for p, sub, entered in zip(todo, subs, entered_at, strict=True):
        p.submission = sub
        sub.created_at = entered
        sub.updated_at = sub.returned_at or sub.accepted_at or sub.approved_at or sub.submitted_at or entered
    _stamp(Submission, subs, "created_at")
    _stamp(Submission, subs, "updated_at")

    # Values and their history.
    dvs: list[DataValue] = []
    dv_times: list[dt.datetime] = []
    audits: list[DataValueAudit] = []
    audit_times: list[dt.datetime] = []
    for p, entered in zip(todo, entered_at, strict=True):
        period = periods[p.spec.code]
        revised = not p.current and p.rank >= 1
        revised_at = min(_at(p.dataset.due_date(p.spec) + dt.timedelta(days=30), 10), now - dt.timedelta(minutes=5))
        vrng = random.Random(f"{seed}:v:{p.dataset.code}:{p.spec.code}:{p.unit.key}")  # noqa: S311 - sample numbers
        for (code, option_code), value in p.values.items():
            ind = indicators[code]
            option = options.get((ind.disaggregation_id or 0, option_code)) if option_code else None
            if option_code and option is None:
                continue
            by_default = estimate_default.get((p.dataset.pk, code), False)
            final_estimate = by_default and not revised
            dvs.append(DataValue(
                submission=p.submission, unit=p.unit, period=period, indicator=ind, option=option, value=value,
                is_estimate=final_estimate, comment=p.comments.get((code, option_code), ""), updated_by=user,
                version=2 if by_default and revised else 1,
            ))
            first_value = value
            if by_default and revised and ind.value_type not in {Indicator.ValueType.INTEGER}:
                first_value = max(_q(value * Decimal(str(1 + vrng.gauss(0, 0.015))), ind.decimals), Decimal(0))
                if ind.max_value is not None:
                    first_value = min(first_value, ind.max_value)
            audits.append(DataValueAudit(
                unit=p.unit, period=period, indicator=ind, option=option, kind=DataValueAudit.Kind.CREATE,
                new_value=first_value, new_is_estimate=by_default, reason=SAMPLE_LABEL, source=SAMPLE_SOURCE, changed_by=user,
            ))
            audit_times.append(entered)
            if by_default and revised:
                audits.append(DataValueAudit(
                    unit=p.unit, period=period, indicator=ind, option=option, kind=DataValueAudit.Kind.UPDATE,
                    old_value=first_value, new_value=value, old_is_estimate=True, new_is_estimate=False,
                    reason=REVISION_REASON, source=SAMPLE_SOURCE, changed_by=user,
                ))
                audit_times.append(revised_at)
                dv_times.append(revised_at)
            else:
                dv_times.append(entered)
    DataValue.objects.bulk_create(dvs, batch_size=2000)
    DataValueAudit.objects.bulk_create(audits, batch_size=2000)
    for dv, at in zip(dvs, dv_times, strict=True):
        dv.updated_at = at
    for audit, at in zip(audits, audit_times, strict=True):
        audit.changed_at = at
    _stamp(DataValue, dvs, "updated_at")
    _stamp(DataValueAudit, audits, "changed_at")
    # written around the workflow: the published-figures table follows the accepted ones
    rollup_submission(*(sub.pk for sub in subs if sub.status == SubmissionStatus.ACCEPTED))

    targets = _targets(datasets, units_for, values_of, user, seed)

    result: dict[str, Any] = {
        "submissions": len(subs), "values": len(dvs), "history": len(audits), "targets": targets,
        "skipped_existing": len(planned) - len(todo), "by_status": dict(sorted(counts.items())),
    }
    if subs or targets:
        audit_log(actor=user, action=AuditAction.REPORTING_SAMPLE_LOAD, object_type="reporting.submission", object_id="sample",
                  object_repr=SAMPLE_LABEL, after={k: v for k, v in result.items() if k != "by_status"}, reason=SAMPLE_LABEL)
    result["seconds"] = round(time.monotonic() - started, 2)
    return result


def _stamp(model: type[Model], objs: list[Any], fieldname: str) -> None:
    """Set a timestamp that auto_now(_add) filled with "now" back to the sample's time: one UPDATE per distinct
    time (bulk_update's CASE expressions are far slower for tens of thousands of rows)."""
    groups: dict[dt.datetime, list[int]] = defaultdict(list)
    for obj in objs:
        groups[getattr(obj, fieldname)].append(obj.pk)
    for at, pks in groups.items():
        for i in range(0, len(pks), 900):
            model._default_manager.filter(pk__in=pks[i:i + 900]).update(**{fieldname: at})


TARGET_CODES = ("IIP", "IPV", "RETAIL", "EXPORT", "IMPORT", "ELEC")
TARGET_GROWTH = {"IIP": 0.09, "IPV": 0.11, "RETAIL": 0.10, "EXPORT": 0.10, "IMPORT": 0.10, "ELEC": 0.08}


def _targets(
    datasets: dict[str, DataSet], units_for: dict[tuple[str, str], list[AdminUnit]], values_of: dict[int, _Values],
    user: User, seed: int,
) -> int:
    """Annual plan targets for the main indicators: every unit that reports a 6-month or yearly report of the
    year (in 2025 both the 28 — plans set in December 2024 — and the 18 merged units, for their territory)."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=TARGET_CODES)}
    years: dict[int, dict[int, AdminUnit]] = defaultdict(dict)
    for (ds_code, period_code), reporters in units_for.items():
        if ds_code in {"BC-6THANG", "BC-NAM"}:
            for unit in reporters:
                years[int(period_code[:4])][unit.pk] = unit
    existing = set(
        Target.objects.filter(indicator__in=list(indicators.values()), option__isnull=True).values_list("indicator_id", "unit_id", "year")
    )
    new: list[Target] = []
    for year, units in sorted(years.items()):
        for unit in sorted(units.values(), key=lambda u: (u.code, u.valid_from or dt.date.min)):
            trng = random.Random(f"{seed}:target:{year}:{unit.key}")  # noqa: S311 - sample numbers
            for code, ind in indicators.items():
                if (ind.pk, unit.pk, year) in existing:
                    continue
                growth = TARGET_GROWTH[code] + trng.uniform(-0.02, 0.03)
                if code == "IIP":
                    value = _q(100 * (1 + growth), 2)
                else:
                    actual = values_of[unit.pk].annual(code, year - 1)
                    if actual is None:
                        continue
                    value = _q(actual * Decimal(str(1 + growth)), ind.decimals)
                new.append(Target(
                    indicator=ind, unit=unit, year=year, value=value, is_sample=True, updated_by=user,
                    source=f"{SAMPLE_LABEL} — kế hoạch giả định",
                ))
    Target.objects.bulk_create(new, batch_size=1000)
    return len(new)


def load_sample_products(*, today: dt.date | None = None) -> dict[str, int]:
    """The sample products (lienket.products.sample), written by the same hidden sample user."""
    from lienket.products.sample import load_sample_products as load

    return load(actor=_sample_user(), today=today)
