"""The Qt table model of one first-level category: group rows and indicator rows; it formats and forwards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.scoring import assessment, edits
from app.scoring.numbers import Kind, fmt_decimal, fmt_percent, parse
from app.scoring.records import Category, Indicator, Issue, Level, Project, Rule, ScoreLine, ScoreReport, Template
from app.scoring.rules import RULE_LABELS
from app.ui.controller import Controller

ModelIndex = QModelIndex | QPersistentModelIndex

COL_GROUP = "group"
COL_NAME = "name"
COL_WEIGHT = "weight"
COL_TARGET = "target"
COL_ACTUAL = "actual"
COL_RULE = "rule"
COL_ASSESS = "assess"
COL_COMPLETION = "completion"
COL_SCORE = "score"
COL_OVERRIDE = "override_score"
COL_OVERRIDE_REASON = "override_reason"
COL_DEVIATION = "deviation_reason"
COL_REVIEWER = "reviewer_score"
COL_REVIEWER_NOTE = "reviewer_note"
COL_NA = "not_applicable"

HEADERS: dict[str, str] = {
    COL_GROUP: "二级指标",
    COL_NAME: "三级指标",
    COL_WEIGHT: "权重",
    COL_TARGET: "指标值",
    COL_ACTUAL: "实际完成值",
    COL_RULE: "计分规则",
    COL_ASSESS: "评价",
    COL_COMPLETION: "完成率",
    COL_SCORE: "得分",
    COL_OVERRIDE: "调整得分",
    COL_OVERRIDE_REASON: "调整理由",
    COL_DEVIATION: "偏差原因分析及改进措施",
    COL_REVIEWER: "复核得分",
    COL_REVIEWER_NOTE: "扣分事项",
    COL_NA: "不适用",
}
BASE_COLUMNS = (COL_NAME, COL_WEIGHT, COL_TARGET, COL_ACTUAL, COL_RULE, COL_ASSESS, COL_COMPLETION,
                COL_SCORE, COL_DEVIATION, COL_OVERRIDE, COL_OVERRIDE_REASON)
REVIEW_COLUMNS = (COL_REVIEWER, COL_REVIEWER_NOTE)
COMPUTED = frozenset({COL_COMPLETION, COL_SCORE})
NUMERIC = frozenset({COL_WEIGHT, COL_COMPLETION, COL_SCORE, COL_OVERRIDE, COL_REVIEWER})
TEXT_FIELDS = frozenset({COL_TARGET, COL_ACTUAL, COL_OVERRIDE_REASON, COL_DEVIATION, COL_REVIEWER_NOTE})
#: Issue fields shown in a column (the rest are matched by name).
FIELD_COLUMN = {"tier": COL_ASSESS, "tier_percent": COL_ASSESS, "checks": COL_ASSESS, "level": COL_ASSESS,
                "manual_score": COL_ASSESS, "budget": COL_ACTUAL, "subitems": COL_ACTUAL}

#: A role carrying a dict of field changes (the per-rule editors set it).
ChangesRole = Qt.ItemDataRole.UserRole + 1
#: A role giving the row's Indicator (or None for a group row).
IndicatorRole = Qt.ItemDataRole.UserRole + 2

ERROR_BRUSH = QBrush(QColor("#f8d0d0"))
WARNING_BRUSH = QBrush(QColor("#fdf0c2"))
GROUP_BRUSH = QBrush(QColor("#e8edf3"))
COMPUTED_BRUSH = QBrush(QColor("#f4f6f8"))
COMPUTED_TEXT = QBrush(QColor("#1d4f91"))


@dataclass(frozen=True)
class Row:
    """A row of the table: a group header (ii None) or an indicator."""

    gi: int
    ii: int | None


def issue_column(field: str) -> str:
    head = field.split(".", 1)[0]
    return FIELD_COLUMN.get(head, head)


class IndicatorTableModel(QAbstractTableModel):
    """Rows of one category; every edit goes to the controller. Scores come from the ScoreReport."""

    #: A typed number was refused: why (数值过大 …), for the status bar.
    rejected = Signal(str)

    def __init__(self, controller: Controller, ci: int, template: Template, parent: Any = None, *,
                 review: bool = False) -> None:
        """``review``: show 复核得分 and 复核意见 (always shown for a template with a reviewer column)."""
        super().__init__(parent)
        self.ctl, self.ci = controller, ci
        shown = review or template.has_reviewer
        self.columns: tuple[str, ...] = BASE_COLUMNS + (REVIEW_COLUMNS if shown else ())
        self.columns += (COL_NA,)
        self.rows: list[Row] = []
        self._issues: dict[tuple[int, int | None, str], list[Issue]] = {}
        self._by_row: dict[tuple[int, int | None], list[Issue]] = {}
        self._lines: dict[tuple[int, int], ScoreLine] = {}
        self._shape: tuple[int, ...] = ()
        self._cat: Category | None = None
        self._states: list[tuple[object, ...]] = []
        self._merge_key = ""
        self._load(controller.report)

    # ------------------------------------------------------------------ state from the controller

    @property
    def category(self) -> Category | None:
        """The category as of the last refresh (what the view shows)."""
        return self._cat

    def _current(self) -> Category | None:
        p = self.ctl.project
        return p.categories[self.ci] if p is not None and self.ci < len(p.categories) else None

    def _load(self, report: ScoreReport | None) -> None:
        cat = self._cat = self._current()
        self.rows = []
        if cat is not None:
            for gi, grp in enumerate(cat.groups):
                self.rows.append(Row(gi, None))
                self.rows += [Row(gi, ii) for ii in range(len(grp.indicators))]
        self._shape = tuple(len(g.indicators) for g in cat.groups) if cat is not None else ()
        self._ordinals: list[str] = []
        n = 0
        for r in self.rows:
            n += r.ii is not None
            self._ordinals.append("" if r.ii is None else str(n))
        self._index_report(report)
        self._states = self._row_states()

    def _row_states(self) -> list[tuple[object, ...]]:
        """What each row shows, to repaint only the rows an edit changed."""
        cat = self._cat
        if cat is None:
            return []
        out: list[tuple[object, ...]] = []
        for r in self.rows:
            grp = cat.groups[r.gi]
            item: object = grp if r.ii is None else grp.indicators[r.ii]
            line = None if r.ii is None else self._lines.get((r.gi, r.ii))
            out.append((id(item), item, line, tuple(self._by_row.get((r.gi, r.ii), ()))))
        return out

    def _index_report(self, report: ScoreReport | None) -> None:
        self._issues, self._lines, self._by_row = {}, {}, {}
        if report is None:
            return
        for issue in report.issues:
            idx = issue.where.index
            if len(idx) >= 2 and idx[0] == self.ci:
                key = (idx[1], idx[2] if len(idx) > 2 else None, issue_column(issue.where.field))
                self._issues.setdefault(key, []).append(issue)
                self._by_row.setdefault(key[:2], []).append(issue)
        for line in report.lines:
            if line.index[0] == self.ci:
                self._lines[(line.index[1], line.index[2])] = line

    def refresh(self, report: ScoreReport | None) -> None:
        cat = self._current()
        shape = tuple(len(g.indicators) for g in cat.groups) if cat is not None else ()
        if shape != self._shape or (cat is None) != (self._cat is None):
            self.beginResetModel()
            self._load(report)
            self.endResetModel()
            return
        self._cat = cat
        self._index_report(report)
        old, self._states = self._states, self._row_states()
        changed = [i for i, (a, b) in enumerate(zip(old, self._states, strict=True)) if a[1:] != b[1:]]
        last = len(self.columns) - 1
        start = None
        for pos, row in enumerate(changed):  # one signal per run of adjacent changed rows
            if start is None:
                start = row
            if pos + 1 == len(changed) or changed[pos + 1] != row + 1:
                self.dataChanged.emit(self.index(start, 0), self.index(row, last))
                start = None

    # ------------------------------------------------------------------ lookup

    def row_of(self, gi: int, ii: int | None) -> int:
        return self.rows.index(Row(gi, ii)) if Row(gi, ii) in self.rows else -1

    def column_of(self, key: str) -> int:
        return self.columns.index(key) if key in self.columns else -1

    def indicator_at(self, row: int) -> Indicator | None:
        cat = self.category
        if cat is None or not 0 <= row < len(self.rows) or self.rows[row].ii is None:
            return None
        r = self.rows[row]
        assert r.ii is not None
        return cat.groups[r.gi].indicators[r.ii]

    def issues_at(self, row: int, key: str) -> list[Issue]:
        r = self.rows[row]
        found = self._issues.get((r.gi, r.ii, key), [])
        if key == COL_NAME and r.ii is not None:  # issues with no column of their own
            found = found + [i for i in self._by_row.get((r.gi, r.ii), ())
                             if issue_column(i.where.field) not in self.columns]
        return found

    def row_issues(self, row: int) -> list[Issue]:
        r = self.rows[row]
        return list(self._by_row.get((r.gi, r.ii), ()))

    def line_at(self, row: int) -> ScoreLine | None:
        r = self.rows[row]
        return None if r.ii is None else self._lines.get((r.gi, r.ii))

    # ------------------------------------------------------------------ Qt model interface

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[self.columns[section]]
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section] == COL_ASSESS:
                return "定性档次、条件勾选、档次选择或手工得分"
        vertical = orientation == Qt.Orientation.Vertical
        if vertical and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.rows):
            return self._ordinals[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        key, ind = self.columns[index.column()], self.indicator_at(index.row())
        # On a server, a unit account fills in only the 自评 and a reviewer only the review columns (the server
        # enforces both; the table does not offer what would be refused).
        kind = self.ctl.account_kind
        if (kind == "unit" and key in REVIEW_COLUMNS) or (kind == "reviewer" and key not in REVIEW_COLUMNS):
            return base
        if key == COL_NA and ind is not None:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable if _editable(ind, key) else base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) or self.category is None:
            return None
        row, key = index.row(), self.columns[index.column()]
        r = self.rows[row]
        if r.ii is None:
            return self._group_data(r.gi, key, role)
        ind = self.indicator_at(row)
        assert ind is not None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, ind, key)
        if role == IndicatorRole:
            return ind
        if role == Qt.ItemDataRole.CheckStateRole and key == COL_NA:
            return Qt.CheckState.Checked if ind.not_applicable else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, ind, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            levels = {i.level for i in self.issues_at(row, key)}
            if Level.ERROR in levels:
                return ERROR_BRUSH
            if Level.WARNING in levels:
                return WARNING_BRUSH
            return COMPUTED_BRUSH if key in COMPUTED else None
        if role == Qt.ItemDataRole.ForegroundRole and (key in COMPUTED or ind.not_applicable):
            return QBrush(QColor("#888888")) if ind.not_applicable else COMPUTED_TEXT
        if role == Qt.ItemDataRole.FontRole and key == COL_SCORE:
            line = self.line_at(row)
            if line is not None and line.overridden:
                font = QFont()
                font.setItalic(True)
                return font
        if role == Qt.ItemDataRole.TextAlignmentRole and key in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _group_data(self, gi: int, key: str, role: int) -> Any:
        cat = self.category
        assert cat is not None
        grp = cat.groups[gi]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key in (COL_GROUP, COL_NAME):
                return grp.name
            if key == COL_WEIGHT:
                return fmt_decimal(grp.weight)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._issues.get((gi, None, key)):
                return WARNING_BRUSH
            return GROUP_BRUSH
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            found = self._issues.get((gi, None, key), [])
            return "\n".join(i.message for i in found) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and key in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: int, ind: Indicator, key: str) -> str | None:
        template = self.ctl.template
        if key == COL_NAME:
            return "　" + ind.name
        if key == COL_GROUP:
            return ""
        if key == COL_WEIGHT:
            return fmt_decimal(ind.weight)
        if key == COL_RULE:
            return RULE_LABELS.get(ind.rule.kind, ind.rule.kind)
        if key == COL_ASSESS:
            described = assessment.describe(ind, template) if template is not None else ""
            line = self.line_at(row)
            if (described == "未评价" and template is not None and line is not None and line.completion is not None
                    and line.note in assessment.tier_labels(template)):
                # no tier chosen, but the actual names one (达成 / the target's own word): say what was scored
                return f"{line.note} {fmt_decimal(line.completion * 100)}%"
            return described
        if key in (COL_COMPLETION, COL_SCORE):
            line = self.line_at(row)
            if line is None:
                return ""
            if line.not_applicable:
                return "不适用" if key == COL_SCORE else ""
            return fmt_percent(line.completion) if key == COL_COMPLETION else fmt_decimal(line.score, 2)
        if key in (COL_OVERRIDE, COL_REVIEWER):
            value: Decimal | None = getattr(ind, key)
            return fmt_decimal(value)
        if key == COL_NA:
            return None
        text: str = getattr(ind, key)
        return text

    def _tooltip(self, row: int, ind: Indicator, key: str) -> str | None:
        lines = [i.message for i in self.issues_at(row, key)]
        if key == COL_NAME:
            lines += [f"{label}：{text}" for label, text in
                      (("指标解释", ind.explanation), ("标杆值", ind.benchmark), ("评分标准", ind.criteria)) if text]
        elif key in (COL_TARGET, COL_ACTUAL):
            p = parse(getattr(ind, key))
            if p.kind is Kind.NUMBER:
                lines.append(f"识别为：{p.comparator or ''}{fmt_decimal(p.value)}{p.unit}")
            elif p.kind is Kind.TEXT:
                lines.append("识别为文字（定性）")
        elif key == COL_SCORE:
            line = self.line_at(row)
            if line is not None:
                if line.note:
                    lines.append(line.note)
                if line.overridden:
                    lines.append(f"计算得分 {fmt_decimal(line.computed, 2)}，已手工调整")
        elif key == COL_ASSESS and ind.rule.kind in ("checklist", "composite"):
            lines += [f"{i + 1}. {item.get('text', '')}" + ("（否决项）" if item.get("veto") else "")
                      for i, item in enumerate(assessment.checklist_items(ind))]
        return "\n".join(lines) or None

    # ------------------------------------------------------------------ edits: convert, then forward

    def changes_for(self, r: Row, ind: Indicator | None, key: str, value: Any) -> tuple[str, Any] | None:
        """What an edit means: ("indicator"|"group", field changes), or None when it cannot be read."""
        if r.ii is None or ind is None:
            if key in (COL_GROUP, COL_NAME):
                return ("group", {"name": str(value).strip()}) if str(value).strip() else None
            if key == COL_WEIGHT:
                text = str(value).strip()
                weight = _decimal(text)
                return ("group", {"weight": weight}) if weight is not None or not text else None
            return None
        if isinstance(value, dict):
            return ("indicator", value)
        text = "" if value is None else str(value)
        if key == COL_NAME:
            return ("indicator", {"name": text.strip()}) if text.strip() else None
        if key == COL_TARGET:
            return ("indicator", {key: text, **edits.rule_for_target(ind, text)})
        if key in TEXT_FIELDS:
            return ("indicator", {key: text})
        if key == COL_WEIGHT:
            weight = _decimal(text)
            return None if weight is None else ("indicator", {"weight": weight})
        if key in (COL_OVERRIDE, COL_REVIEWER):
            number = _decimal(text)
            if number is None and text.strip():
                return None
            return ("indicator", {key: number})
        if key == COL_ASSESS and self.ctl.template is not None:
            found = assessment.parse_text(ind, self.ctl.template, text)
            return None if found is None else ("indicator", found)
        if key == COL_RULE:
            kind = next((k for k in assessment.SIMPLE_KINDS if text.strip() in (RULE_LABELS[k], k)), None)
            if kind is None or ind.rule.kind not in assessment.SIMPLE_KINDS:
                return None
            return ("indicator", {"rule": Rule(kind)}) if kind != ind.rule.kind else None
        if key == COL_NA:
            return ("indicator", {"not_applicable": text.strip() in ("是", "√", "✓", "1", "True", "不适用")})
        return None

    def _apply(self, project: Project, r: Row, change: tuple[str, Any]) -> Project:
        kind, values = change
        if kind == "group":
            return edits.set_group(project, self.ci, r.gi, **values)
        assert r.ii is not None
        return edits.set_indicator(project, (self.ci, r.gi, r.ii), **values)

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.ctl.project is None:
            return False
        key, r = self.columns[index.column()], self.rows[index.row()]
        ind = self.indicator_at(index.row())
        if role == Qt.ItemDataRole.CheckStateRole and key == COL_NA:
            change: tuple[str, Any] | None = ("indicator", {"not_applicable": value in (
                Qt.CheckState.Checked, Qt.CheckState.Checked.value)})
        elif role in (Qt.ItemDataRole.EditRole, ChangesRole):
            change = self.changes_for(r, ind, key, value)
        else:
            return False
        if change is None:
            problem = parse(str(value)).problem if isinstance(value, str) else ""
            if problem:
                self.rejected.emit(f"{HEADERS[key]}“{value[:40]}”{problem}，未修改")
            return False
        self.ctl.edit(self._apply(self.ctl.project, r, change), f"修改{HEADERS[key]}", self._merge_key)
        return True

    def set_text(self, row: int, key: str, text: str, merge_key: str) -> bool:
        """Like typing ``text`` into a cell; consecutive writes with the same merge_key make one undo step."""
        self._merge_key = merge_key
        try:
            return self.setData(self.index(row, self.column_of(key)), text)
        finally:
            self._merge_key = ""

    def indicator_rows_from(self, top: int) -> list[Row]:
        """The indicator rows at and below table row ``top`` (group rows are skipped)."""
        return [r for r in self.rows[max(top, 0):] if r.ii is not None]

    def set_block(self, top: int, left: int, block: Sequence[Sequence[str]], text: str = "粘贴") -> int:
        """Write a block of texts from (top, left) as one undo step. Block rows go to indicator rows only
        (二级指标 rows are skipped, never overwritten); rows beyond the last indicator become new indicators
        at the end of the last group (or of the group pasted into, when it is the last one or empty).
        Returns how many cells could not be read."""
        project = self.ctl.project
        if project is None or not self.rows or not block:
            return 0
        if len(block) == 1 and len(block[0]) == 1 and 0 <= top < len(self.rows) and self.rows[top].ii is None:
            change = self.changes_for(self.rows[top], None, self.columns[left], block[0][0])  # one group cell
            if change is not None:
                self.ctl.edit(self._apply(project, self.rows[top], change), text)
            return 0 if change is not None or not block[0][0].strip() else 1
        targets = self.indicator_rows_from(top)[:len(block)]
        extra = len(block) - len(targets)
        if extra:
            start = self.rows[min(top, len(self.rows) - 1)]
            groups = project.categories[self.ci].groups
            gi = start.gi if start.ii is None and not groups[start.gi].indicators and not targets else len(groups) - 1
            count = len(groups[gi].indicators)
            like = groups[gi].indicators[-1] if count else None
            for k in range(extra):
                project = edits.insert_indicator(project, (self.ci, gi, count + k), edits.new_indicator(like))
            targets += [Row(gi, count + k) for k in range(extra)]
        skipped = 0
        for r, cells in zip(targets, block, strict=True):
            for dc, cell in enumerate(cells):
                col = left + dc
                if col >= len(self.columns):
                    continue
                key = self.columns[col]
                assert r.ii is not None
                ind = project.categories[self.ci].groups[r.gi].indicators[r.ii]
                if not _editable(ind, key) and key != COL_NA:
                    continue
                change = self.changes_for(r, ind, key, cell)
                if change is None:
                    if cell.strip():
                        skipped += 1
                    continue
                project = self._apply(project, r, change)
        self.ctl.edit(project, text)
        return skipped

    def clear_cells(self, cells: Sequence[tuple[int, int]]) -> None:
        """Empty the editable text cells given as (row, column), one undo step."""
        project = self.ctl.project
        if project is None:
            return
        for row, col in cells:
            key, r = self.columns[col], self.rows[row]
            ind = self.indicator_at(row)
            if key in TEXT_FIELDS | {COL_OVERRIDE, COL_REVIEWER} and ind is not None:
                change = self.changes_for(r, ind, key, "")
                if change is not None:
                    project = self._apply(project, r, change)
        self.ctl.edit(project, "清除")


def _editable(ind: Indicator | None, key: str) -> bool:
    if ind is None:
        return key in (COL_GROUP, COL_NAME, COL_WEIGHT)
    if key == COL_ASSESS:
        return ind.rule.kind in assessment.ASSESSED_KINDS
    if key == COL_RULE:
        return ind.rule.kind in assessment.SIMPLE_KINDS
    return key not in COMPUTED and key not in (COL_GROUP, COL_NA)


def _decimal(text: str) -> Decimal | None:
    p = parse(text)
    if p.kind is Kind.NUMBER and p.comparator is None and p.unit in ("", "分"):
        return p.value
    return None
