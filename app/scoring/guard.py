"""Keep the scorer total: arithmetic that leaves Decimal's range becomes a located issue, never an exception."""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from app.scoring.numbers import magnitude_problem
from app.scoring.records import (
    ZERO,
    CategoryScore,
    Issue,
    Level,
    Location,
    Project,
    ScoreLine,
    ScoreReport,
    Template,
)

OUT_OF_RANGE = "数值超出可计算范围，无法计分：请检查权重、指标值、实际完成值和预算金额是否过大或过小"

F = TypeVar("F", bound=Callable[..., Any])


def _context() -> decimal.Context:
    """The default context with every arithmetic trap on, so nothing is silently wrong."""
    ctx = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)
    ctx.traps[decimal.InvalidOperation] = ctx.traps[decimal.Overflow] = ctx.traps[decimal.DivisionByZero] = True
    return ctx


_TRAPPING = _context()  # localcontext() works on a copy, so one template serves every call


def safe_weight(value: Decimal) -> Decimal:
    """A weight fit to show: itself, or 0 when it is out of range (a 10⁹-digit number must never be printed)."""
    return ZERO if magnitude_problem(value) else value


def guard_indicator(fn: F) -> F:
    """``score_indicator`` that turns an arithmetic failure into an unscored line with an error on it."""

    @functools.wraps(fn)
    def wrapper(ind: Any, index: tuple[int, int, int], path: tuple[str, str, str], ctx: Any) -> Any:
        problem = magnitude_problem(ind.weight)
        if problem:  # never carried on: a weight of 10⁻⁹⁹⁹⁹⁹⁹⁹⁹ printed in full is a gigabyte
            return _unscored_line(path, index, ZERO), [Issue(Level.ERROR, "out_of_range", f"权重{problem}，无法计分",
                                                             Location(path, index, "weight"))]
        try:
            with decimal.localcontext(_TRAPPING):
                return fn(ind, index, path, ctx)
        except ArithmeticError:
            return _unscored_line(path, index, ind.weight), [
                Issue(Level.ERROR, "out_of_range", OUT_OF_RANGE, Location(path, index, "weight"))]

    return wrapper  # type: ignore[return-value]


def _unscored_line(path: tuple[str, str, str], index: tuple[int, int, int], weight: Decimal) -> ScoreLine:
    return ScoreLine(path, index, weight, ZERO, ZERO, None, note="无法计分")


def guard_project(fn: F) -> F:
    """``score_project`` that, when the sums themselves overflow, reports every indicator as unscored."""

    @functools.wraps(fn)
    def wrapper(project: Project, template: Template) -> ScoreReport:
        try:
            with decimal.localcontext(_TRAPPING):
                report: ScoreReport = fn(project, template)
                return report
        except ArithmeticError:
            return unscored(project, template)

    return wrapper  # type: ignore[return-value]


def unscored(project: Project, template: Template) -> ScoreReport:
    """A report that scores nothing and says why."""
    lines = tuple(ScoreLine((project.categories[ci].name, project.categories[ci].groups[gi].name, ind.name),
                            (ci, gi, ii), safe_weight(ind.weight), ZERO, ZERO, None, note="无法计分")
                  for (ci, gi, ii), ind in project.indicators())
    cats = tuple(CategoryScore(c.name, safe_weight(c.weight), ZERO) for c in project.categories)
    issue = Issue(Level.ERROR, "out_of_range", OUT_OF_RANGE, Location())
    total = safe_weight(template.total)
    return ScoreReport(lines=lines, categories=cats, subtotal=ZERO, penalties=(), total=ZERO, grade="",
                       grade_long="", template_total=total, rescaled=False, issues=(issue,))
