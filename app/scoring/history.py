"""What changed between two states of a project that the history keeps: scores, overrides and the review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from app.scoring.numbers import fmt_decimal
from app.scoring.records import Indicator, Project, ScoreReport

EMPTY = "（空）"


@dataclass(frozen=True)
class Change:
    """One changed value: where (in words), before and after (as shown to the user)."""

    what: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """A stored change with who made it and when (local time, ISO 8601)."""

    at: str
    who: str
    what: str
    before: str
    after: str


def show(value: object) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return fmt_decimal(value)
    return str(value)


#: Indicator fields the history follows, with their Chinese names.
INDICATOR_FIELDS: tuple[tuple[str, str, Callable[[Indicator], object]], ...] = (
    ("manual_score", "评分", lambda i: i.manual_score),
    ("override_score", "调整得分", lambda i: i.override_score),
    ("override_reason", "调整理由", lambda i: i.override_reason),
    ("not_applicable", "不适用", lambda i: i.not_applicable),
    ("reviewer_score", "复核得分", lambda i: i.reviewer_score),
    ("reviewer_note", "复核意见", lambda i: i.reviewer_note),
)
REVIEW_FIELDS = (("status", "复核状态"), ("reviewers", "复核人"), ("date", "复核日期"), ("opinion", "复核意见"),
                 ("agency", "复核机构"))


def _by_name(project: Project) -> dict[tuple[str, str, str], Indicator]:
    out: dict[tuple[str, str, str], Indicator] = {}
    for cat in project.categories:
        for grp in cat.groups:
            for ind in grp.indicators:
                out.setdefault((cat.name, grp.name, ind.name), ind)
    return out


def changes(before: Project, after: Project) -> list[Change]:
    """The project's 计分口径 and review fields that changed, then the changed score and override fields of
    indicators found in both states by category, group and name (adding, removing or renaming one is not listed)."""
    out: list[Change] = []
    if before.convention != after.convention:
        out.append(Change("计分口径", before.convention or "按模板", after.convention or "按模板"))
    for field, label in REVIEW_FIELDS:
        was, now = getattr(before.review, field), getattr(after.review, field)
        if was != now:
            out.append(Change(label, show(was), show(now)))
    if before.categories is after.categories:
        return out
    old_inds = _by_name(before)
    for key, ind in _by_name(after).items():
        old = old_inds.get(key)
        if old is None or old is ind:
            continue
        where = " / ".join(k for k in key if k)
        for _, label, get in INDICATOR_FIELDS:
            if get(old) != get(ind):
                out.append(Change(f"{where}：{label}", show(get(old)), show(get(ind))))
    return out


def total_changes(before: ScoreReport, after: ScoreReport) -> list[Change]:
    """The 自评总分 and 复核总分 entries of the history for one edit (none when they did not change)."""
    out: list[Change] = []
    if before.total != after.total:
        out.append(Change("自评总分", fmt_decimal(before.total, 2), fmt_decimal(after.total, 2)))
    if before.reviewer_total != after.reviewer_total:
        def fmt(value: Decimal | None) -> str:
            return show(None) if value is None else fmt_decimal(value, 2)

        out.append(Change("复核总分", fmt(before.reviewer_total), fmt(after.reviewer_total)))
    return out
