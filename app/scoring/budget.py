"""Derived budget figures (小计, 年度总金额, 资金结余, 到位率, 执行率) and the checks on the grid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.scoring.records import (
    BUDGET_COLUMNS,
    BUDGET_ROWS,
    ZERO,
    Budget,
    Issue,
    Level,
    Location,
)

#: Which row the execution rate is divided by, per template setting.
EXECUTION_BASES: dict[str, str] = {"adjusted": "全年预算", "received": "实际到位", "initial": "年初预算"}


@dataclass(frozen=True)
class BudgetFigures:
    """The derived rows of the grid, computed on the 年度总金额 column and on 财政资金."""

    balance: Decimal  # (5) = (3) − (4)
    arrival_rate: Decimal | None  # (6) = (3)/(2)
    execution_rate: Decimal | None  # (7) = (4)/base, base a template setting
    fiscal_spend_rate: Decimal | None  # 财政资金 (4)/(3)
    base_label: str


def _ratio(num: Decimal, den: Decimal) -> Decimal | None:
    return None if den == 0 else num / den


def figures(budget: Budget, base: str = "adjusted") -> BudgetFigures:
    """Compute the derived rows. Rates are fractions; None where the divisor is zero."""
    base_row = budget.row(base if base in EXECUTION_BASES else "adjusted")
    return BudgetFigures(
        balance=budget.received.total - budget.executed.total,
        arrival_rate=_ratio(budget.received.total, budget.adjusted.total),
        execution_rate=_ratio(budget.executed.total, base_row.total),
        fiscal_spend_rate=_ratio(budget.executed.fiscal, budget.received.fiscal),
        base_label=EXECUTION_BASES.get(base, EXECUTION_BASES["adjusted"]),
    )


def column_rate(budget: Budget, column: str, numerator: str, denominator: str) -> Decimal | None:
    """A rate of one column (e.g. 县区级 到位率); the derived columns are 'fiscal' and 'total'."""

    def cell(row: str) -> Decimal:
        r = budget.row(row)
        if column == "fiscal":
            return r.fiscal
        if column == "total":
            return r.total
        return r.cell(column) or ZERO

    return _ratio(cell(numerator), cell(denominator))


def check(budget: Budget) -> list[Issue]:
    """Problems in the grid: a stated total that disagrees with its parts, spending above funds."""
    issues: list[Issue] = []
    labels = {k: label for k, label, _ in BUDGET_ROWS}
    for key, label, _ in BUDGET_ROWS:
        row = budget.row(key)
        if row.stated_total is not None and row.stated_total != row.total:
            issues.append(
                Issue(
                    Level.WARNING,
                    "budget_total_mismatch",
                    f"{label}的合计 {row.stated_total} 与各项之和 {row.total} 不一致，合计按各项之和计算",
                    Location(("预算执行", label), (), f"budget.{key}.total"),
                )
            )
        for col, col_label in BUDGET_COLUMNS:
            value = row.cell(col)
            if value is not None and value < 0:
                issues.append(
                    Issue(
                        Level.WARNING,
                        "budget_negative",
                        f"{label}·{col_label}为负数（{value}），请核对",
                        Location(("预算执行", label, col_label), (), f"budget.{key}.{col}"),
                    )
                )
    if budget.executed.total > budget.received.total and not budget.received.is_empty():
        issues.append(
            Issue(
                Level.WARNING,
                "budget_overspent",
                f"{labels['executed']}（{budget.executed.total}）大于{labels['received']}"
                f"（{budget.received.total}），请核对",
                Location(("预算执行", labels["executed"]), (), "budget.executed.total"),
            )
        )
    return issues
