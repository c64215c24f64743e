"""The rows every exporter prints (indicator rows, budget grid, funds block), taken from the project and its report."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from app.exporters.text import score_text, weight_text
from app.scoring.budget import EXECUTION_BASES, column_rate, figures
from app.scoring.records import (
    BUDGET_COLUMNS,
    BUDGET_ROWS,
    FISCAL_COLUMNS,
    ZERO,
    Category,
    Group,
    Indicator,
    PenaltyDef,
    Project,
    ScoreLine,
    ScoreReport,
    SubItem,
    Template,
)

T = TypeVar("T")


@dataclass(frozen=True)
class IndicatorRow:
    """One printed row of an indicator table: an indicator, or one sub-item of an average_completion indicator."""

    index: tuple[int, int, int]
    category: Category
    group: Group
    indicator: Indicator
    line: ScoreLine | None
    sub: SubItem | None = None

    @property
    def name(self) -> str:
        return self.sub.name if self.sub is not None else self.indicator.name

    @property
    def target(self) -> str:
        return self.sub.target if self.sub is not None else self.indicator.target

    @property
    def actual(self) -> str:
        return self.sub.actual if self.sub is not None else self.indicator.actual

    @property
    def explanation(self) -> str:
        return self.sub.explanation if self.sub is not None else self.indicator.explanation

    @property
    def benchmark(self) -> str:
        """标杆值: the sub-item's target, or the indicator's benchmark (its target when there is none)."""
        if self.sub is not None:
            return self.sub.target
        return self.indicator.benchmark or self.indicator.target


def indicator_rows(project: Project, report: ScoreReport, category: int | None = None) -> list[IndicatorRow]:
    """Every indicator row in order (sub-items expanded); only one category when ``category`` is given."""
    rows: list[IndicatorRow] = []
    for index, ind in project.indicators():
        if category is not None and index[0] != category:
            continue
        cat = project.categories[index[0]]
        grp = cat.groups[index[1]]
        line = report.line(index)
        if ind.subitems:
            rows.extend(IndicatorRow(index, cat, grp, ind, line, sub) for sub in ind.subitems)
        else:
            rows.append(IndicatorRow(index, cat, grp, ind, line))
    return rows


def runs(items: Sequence[T], key: Callable[[T], Hashable]) -> list[tuple[int, int]]:
    """(first, last) positions of each run of consecutive items with equal keys: the cells to merge."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(items) + 1):
        if i == len(items) or key(items[i]) != key(items[start]):
            out.append((start, i - 1))
            start = i
    return out


def by_category(row: IndicatorRow) -> Hashable:
    return row.index[0]


def by_group(row: IndicatorRow) -> Hashable:
    return row.index[:2]


def by_indicator(row: IndicatorRow) -> Hashable:
    return row.index


def category_label(cat: Category, with_weight: bool) -> str:
    """决策(24分) in the four-part table, the plain name in the MoF form."""
    return f"{cat.name}({weight_text(cat.weight)}分)" if with_weight else cat.name


def group_label(grp: Group, with_weight: bool) -> str:
    if with_weight and grp.weight is not None:
        return f"{grp.name}({weight_text(grp.weight)}分)"
    return grp.name


def penalty_applied(report: ScoreReport, pen: PenaltyDef) -> Decimal | None:
    """The points a penalty took off the total, or None when it did not apply."""
    for applied in report.penalties:
        if applied.key == pen.key:
            return applied.points
    return None


# --------------------------------------------------------------------------- budget grid


@dataclass(frozen=True)
class BudgetLine:
    """One row of the report's budget grid: label, 行次 and the cells (年度总金额, 小计, four levels, 结转, 其他)."""

    label: str
    code: str
    cells: tuple[Decimal | None, ...]
    is_rate: bool = False


#: The grid's value columns after 项目 and 行次.
GRID_COLUMNS: tuple[str, ...] = ("total", "fiscal", *(c for c, _ in FISCAL_COLUMNS), "carryover", "other")


def _typed(project: Project, row: str, column: str) -> Decimal | None:
    """A cell of the budget grid as printed: blank when nothing of that row (or sum) was typed."""
    r = project.budget.row(row)
    if r.is_empty():
        return None
    if column == "fiscal" and all(r.cell(c) is None for c, _ in FISCAL_COLUMNS):
        return None
    if column == "total":
        return r.total
    if column == "fiscal":
        return r.fiscal
    return r.cell(column)


def budget_lines(project: Project, template: Template) -> list[BudgetLine]:
    """The grid of seed 000: rows (1)–(4) as typed (totals derived) and the derived rows (5)–(7)."""
    out = [
        BudgetLine(label, code, tuple(_typed(project, key, c) for c in GRID_COLUMNS))
        for key, label, code in BUDGET_ROWS
    ]
    base = template.execution_base if template.execution_base in EXECUTION_BASES else "adjusted"
    base_code = {k: code for k, _, code in BUDGET_ROWS}[base]
    fig = figures(project.budget, base)

    def balance(column: str) -> Decimal | None:
        if column == "total":
            return fig.balance
        received, executed = _typed(project, "received", column), _typed(project, "executed", column)
        if received is None and executed is None:
            return None
        return (received or Decimal(0)) - (executed or Decimal(0))

    def rate(column: str, numerator: str, denominator: str, total: Decimal | None) -> Decimal | None:
        return total if column == "total" else column_rate(project.budget, column, numerator, denominator)

    out.append(BudgetLine("资金结余", "(5)=(3)-(4)", tuple(balance(c) for c in GRID_COLUMNS)))
    out.append(
        BudgetLine(
            "预算到位率",
            "(6)=(3)/(2)",
            tuple(rate(c, "received", "adjusted", fig.arrival_rate) for c in GRID_COLUMNS),
            is_rate=True,
        )
    )
    out.append(
        BudgetLine(
            "预算执行率",
            f"(7)=(4)/{base_code}",
            tuple(rate(c, "executed", base, fig.execution_rate) for c in GRID_COLUMNS),
            is_rate=True,
        )
    )
    return out


# --------------------------------------------------------------------------- MoF funds block


@dataclass(frozen=True)
class FundsLine:
    """A row of the MoF form's funds block: 年初预算数, 全年预算数, 全年执行数, 执行率 (fraction)."""

    label: str
    initial: Decimal | None
    adjusted: Decimal | None
    executed: Decimal | None
    rate: Decimal | None


FUNDS_ROWS: tuple[tuple[str, str], ...] = (
    ("total", "年度资金总额"),
    ("fiscal", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)


def funds_lines(project: Project, template: Template, report: ScoreReport) -> list[FundsLine]:
    """The MoF form's funds block; the 年度资金总额 rate is the report's execution rate."""
    base = template.execution_base if template.execution_base in EXECUTION_BASES else "adjusted"
    empty = project.budget.is_empty()
    out: list[FundsLine] = []
    for column, label in FUNDS_ROWS:
        if empty:
            out.append(FundsLine(label, None, None, None, None))
            continue
        rate = report.execution_rate if column == "total" else column_rate(project.budget, column, "executed", base)
        out.append(
            FundsLine(
                label,
                _typed(project, "initial", column),
                _typed(project, "adjusted", column),
                _typed(project, "executed", column),
                rate,
            )
        )
    return out


def execution_line(project: Project, report: ScoreReport) -> ScoreLine | None:
    """The score line of the 预算执行率 indicator (rule execution_rate, else by name), for the funds block."""
    candidates = [(i, ind) for i, ind in project.indicators() if ind.rule.kind == "execution_rate"]
    if not candidates:
        candidates = [(i, ind) for i, ind in project.indicators() if ind.name.strip() == "预算执行率"]
    return report.line(candidates[0][0]) if candidates else None


def grid_column_labels() -> tuple[str, ...]:
    return tuple(label for _, label in BUDGET_COLUMNS)


# --------------------------------------------------------------------------- printed totals and notes


@dataclass(frozen=True)
class Total:
    """A 合计/总分 cell: always the sum of the printed rows; the declared or official figure beside it
    when that differs (weights adding to 120 under a 满分 of 100; a total rescaled or capped)."""

    value: Decimal
    other: Decimal | None = None
    label: str = ""

    def text(self, fmt: Callable[[Decimal], str]) -> str:
        base = fmt(self.value)
        return base if self.other is None else f"{base}（{self.label}{fmt(self.other)}）"

    @property
    def plain(self) -> bool:
        return self.other is None


def weight_total(project: Project, report: ScoreReport) -> Total:
    """The 总分 row's weight: the sum of the indicator weights, with the template's 满分 when it differs."""
    rows = sum((ind.weight for _, ind in project.indicators()), ZERO)
    return Total(rows) if rows == report.template_total else Total(rows, report.template_total, "满分")


def category_weight_total(project: Project, ci: int) -> Total:
    """A category's 合计 weight: the sum of its indicators' weights, with the declared weight when it differs."""
    cat = project.categories[ci]
    rows = sum((ind.weight for g in cat.groups for ind in g.indicators), ZERO)
    return Total(rows) if rows == cat.weight else Total(rows, cat.weight, "设定")


def score_total(report: ScoreReport) -> Total:
    """The 总分 row's score: the indicator scores less the penalties printed above it, with the official total
    beside it when rescaling (不适用) or the cap at 满分 made it differ."""
    rows = sum((ln.score for ln in report.lines), ZERO) - sum((p.points for p in report.penalties), ZERO)
    if rows == report.total:
        return Total(rows)
    return Total(rows, report.total, "折算后" if report.rescaled else "按满分计")


#: Issues that documents print in their notes: differences between what was published and the rules.
NOTE_CODES = ("published_differs", "published_unchecked", "published_total", "rate_mismatch",
              "execution_unscored", "weights_total", "tier_band")


def document_notes(report: ScoreReport) -> list[str]:
    """The notes under a printed form: the 计分口径, then every published-vs-rule difference."""
    notes = [report.convention_label] if report.convention_label else []
    for issue in report.issues:
        if issue.code in NOTE_CODES:
            where = issue.where.path[-1] if issue.where.path else ""
            notes.append(f"注：{where}，{issue.message}" if where else f"注：{issue.message}")
    return notes


def score_total_text(report: ScoreReport) -> str:
    return score_total(report).text(score_text)
