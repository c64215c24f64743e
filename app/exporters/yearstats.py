"""Figures of a year's projects for the overview charts and the 汇总表 charts sheet (pure, from SummaryRows)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.exporters.batch import SummaryRow

GRADE_ORDER = ("优", "良", "中", "差")
#: 执行率 bins: (label, lower bound inclusive); the last bin has no upper bound.
RATE_BINS: tuple[tuple[str, Decimal], ...] = (
    ("60%以下", Decimal("-Infinity")),
    ("60%–80%", Decimal("0.6")),
    ("80%–90%", Decimal("0.8")),
    ("90%–95%", Decimal("0.9")),
    ("95%–100%", Decimal("0.95")),
    ("100%及以上", Decimal("1")),
)
NO_RATE = "未填报"


@dataclass(frozen=True)
class Point:
    """One project in the score-vs-budget scatter."""

    budget: Decimal
    score: Decimal
    grade: str
    label: str


@dataclass(frozen=True)
class UnitAverage:
    unit: str
    average: Decimal  # rounded half-up to 0.01
    count: int


def grade_counts(rows: Sequence[SummaryRow]) -> list[tuple[str, int]]:
    """Projects per grade, 优 良 中 差 first (every one of them, even at 0), then any other grade label."""
    counts = Counter(r.grade for r in rows)
    others = sorted(g for g in counts if g not in GRADE_ORDER)
    return [(g, counts.get(g, 0)) for g in (*GRADE_ORDER, *others)]


def rate_bins(rows: Sequence[SummaryRow]) -> list[tuple[str, int]]:
    """Projects per 执行率 bin; projects without a rate (no budget) are counted as 未填报 when there are any."""
    counts = dict.fromkeys([label for label, _ in RATE_BINS], 0)
    missing = 0
    for r in rows:
        if r.execution_rate is None:
            missing += 1
            continue
        label = next(lab for lab, low in reversed(RATE_BINS) if r.execution_rate >= low)
        counts[label] += 1
    out = list(counts.items())
    return [*out, (NO_RATE, missing)] if missing else out


def points(rows: Sequence[SummaryRow]) -> list[Point]:
    return [Point(r.adjusted, r.total, r.grade, f"{r.unit} {r.name}".strip()) for r in rows]


def unit_averages(rows: Sequence[SummaryRow]) -> list[UnitAverage]:
    """The average 自评 total per unit (实施单位, else 主管部门), highest first."""
    totals: dict[str, list[Decimal]] = defaultdict(list)
    for r in rows:
        totals[r.unit or r.department or "未填写单位"].append(r.total)
    out = [UnitAverage(unit, (sum(v, Decimal(0)) / len(v)).quantize(Decimal("0.01"), ROUND_HALF_UP), len(v))
           for unit, v in totals.items()]
    return sorted(out, key=lambda u: (-u.average, u.unit))
