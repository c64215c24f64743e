"""Import 项目支出绩效自评表 workbooks (.xlsx) as projects, keeping the published scores and saying what
could not be read, with its sheet and cell."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.importers.workbook_cells import Grid, read_grids
from app.importers.workbook_guard import DEFAULT_LIMITS, Limits, WorkbookError
from app.importers.workbook_layout import (
    GRADE_ROW,
    INDICATOR_COLUMNS,
    NOTE_ROW,
    TOTAL_ROW,
    Funds,
    Header,
    classify,
    find_funds,
    find_header,
    goals,
    identity,
    money_unit,
    norm,
    starts_a_table,
    title_region,
    title_year,
)
from app.scoring.conventions import CONVENTIONS, named_in, resolve
from app.scoring.engine import score_project
from app.scoring.numbers import EQ, GE, GT, LE, LT, Kind, fmt_decimal, normalise, parse, round_score
from app.scoring.records import (
    PUBLISHED_REASON,
    ZERO,
    Budget,
    BudgetRow,
    Category,
    Group,
    Indicator,
    Level,
    Project,
    Rule,
    Template,
)
from app.scoring.rules import tier_index

__all__ = ["ImportProblem", "ImportedProject", "WorkbookError", "WorkbookImport", "read_workbook"]

TEMPLATE_ID = "mof-2020"
KEPT_REASON = PUBLISHED_REASON
_TEN_THOUSAND = Decimal(10000)
_PCT = Decimal("0.0001")
_WEIGHT_IN_NAME = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]\s*$")
_COMPARATOR_WORDS = {"正向": GE, "反向": LE, "≥": GE, "≤": LE, "=": EQ, ">": GT, "<": LT}
_QUALITATIVE_WORDS = ("定性",)
_FISCAL_LEVELS = ("central", "provincial", "city", "county")
_BLANK = ("/", "-", "—", "——", "无")


@dataclass(frozen=True)
class ImportProblem:
    """Something in the workbook that could not be read as it stands, or that disagrees with itself."""

    where: str  # "Sheet1!C7", or the sheet name when no one cell is meant
    message: str
    level: Level = Level.WARNING

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


@dataclass(frozen=True)
class ImportedProject:
    project: Project
    template: Template
    sheet: str
    published_total: Decimal | None
    problems: tuple[ImportProblem, ...]
    year_stated: bool = True  # False when the sheet gave no year and a default was used


@dataclass(frozen=True)
class WorkbookImport:
    """What a workbook gave: one project per 自评表 sheet, and every problem met on the way."""

    path: Path
    projects: tuple[ImportedProject, ...]
    problems: tuple[ImportProblem, ...]

    @property
    def pairs(self) -> list[tuple[Project, Template]]:
        return [(p.project, p.template) for p in self.projects]


def read_workbook(path: Path, templates: dict[str, Template], limits: Limits = DEFAULT_LIMITS,
                  *, default_year: int | None = None) -> WorkbookImport:
    """Read every 自评表 sheet of ``path``. Raises WorkbookError (nothing imported) when the file is refused
    or holds no 自评表; problems within a table are returned, located by sheet and cell."""
    template = templates.get(TEMPLATE_ID)
    if template is None:
        raise WorkbookError(f"缺少内置模板“{TEMPLATE_ID}”，无法导入自评表。请重新安装本程序")
    grids = read_grids(path, limits)
    found: list[ImportedProject] = []
    skipped: list[ImportProblem] = []
    for grid in grids:
        start = 1  # a sheet may hold several tables one below the other
        while (header := find_header(grid, start)) is not None:
            reader = _SheetReader(grid, header, template, default_year, first=start)
            item = reader.read()
            if item is None:
                skipped.append(ImportProblem(grid.at(header.row, 1), "找到了表头，但表头下没有可导入的指标行，已跳过"))
            else:
                found.append(item)
            start = reader.end + 1
    found = _one_per_project(found, skipped)
    if not found:
        detail = "；".join(str(p) for p in skipped)
        raise WorkbookError(
            f"{path.name}：没有找到项目支出绩效自评表（没有含“一级指标”“二级指标”“三级指标”“分值”“得分”等列名的表头行"
            + (f"；{detail}" if detail else "") + "）。请确认选择的是自评表")
    problems = tuple(skipped) + tuple(p for item in found for p in item.problems)
    return WorkbookImport(path, tuple(found), problems)


def _one_per_project(found: list[ImportedProject], notes: list[ImportProblem]) -> list[ImportedProject]:
    """A workbook may show one project on two sheets (a scoring table and the MoF form): keep the sheet read
    with the fewest problems, and say which one was left out."""
    kept: list[ImportedProject] = []
    for item in found:
        same = next((k for k in kept if k.project.name == item.project.name and (
            k.project.year == item.project.year or not k.year_stated or not item.year_stated)), None)
        if same is None:
            kept.append(item)
            continue
        better, worse = (item, same) if _rank(item) < _rank(same) else (same, item)
        kept[kept.index(same)] = better
        notes.append(ImportProblem(worse.sheet, f"与工作表“{better.sheet}”是同一项目（{item.project.name}），"
                                   f"只导入了“{better.sheet}”", Level.INFO))
    return kept


def _rank(item: ImportedProject) -> tuple[bool, int]:
    """Which of two sheets showing one project to keep: the one that states its year, then fewer problems."""
    return not item.year_stated, len(item.problems)


@dataclass
class _Row:
    """One indicator row as read, before the tree is built."""

    row: int
    level1: str
    level2: str
    indicator: Indicator
    published: Decimal | None
    published_at: str


@dataclass
class _SheetReader:
    grid: Grid
    header: Header
    template: Template
    default_year: int | None
    problems: list[ImportProblem] = field(default_factory=list)
    first: int = 1  # the first row of this table's region (a sheet may hold several tables)
    unit_scale: Decimal = Decimal(1)
    year_stated: bool = True
    end: int = 0  # the last row of this table
    stated_convention: str = ""  # a “计分口径：…” line under the table (our own exports print one)

    def problem(self, where: str, message: str, level: Level = Level.WARNING) -> None:
        self.problems.append(ImportProblem(where, message, level))

    # ------------------------------------------------------------------ the whole sheet

    def read(self) -> ImportedProject | None:
        grid, header = self.grid, self.header
        funds = find_funds(grid, header.row, self.first)
        unit = money_unit(grid, funds.end if funds else header.row, self.first)
        if unit == "元":
            self.unit_scale = _TEN_THOUSAND
        elif unit is None and funds is not None and funds.rows:
            self.problem(grid.at(funds.row, 1), "未注明金额单位，按万元导入", Level.INFO)
        rows, published_total, total_at = self._indicator_rows()
        budget = self._budget(funds) if funds else Budget()
        execution = self._execution_row(funds, rows)
        if execution is not None:
            rows.insert(0, execution)
        if not rows:
            return None
        project = self._project(budget, rows)
        if self.stated_convention:
            project = replace(project, convention=self.stated_convention)
        project = self._keep_published(project, rows)
        if published_total is not None:
            project = replace(project, published_total=published_total)
            total = score_project(project, self.template).total
            if round_score(published_total) != total:
                self.problem(total_at, f"原表总分 {fmt_decimal(published_total)} 与各项得分之和 "
                             f"{fmt_decimal(total)} 不一致，请核对")
        return ImportedProject(project, self.template, grid.name, published_total, tuple(self.problems),
                               self.year_stated)

    def _project(self, budget: Budget, rows: list[_Row]) -> Project:
        grid, last = self.grid, self.header.row
        ident = {k: v for k, v in identity(grid, last, self.first).items() if v[0] not in _BLANK}
        name = ident.get("name", ("", ""))[0]
        if not name:
            name = grid.name
            self.problem(grid.name, f"未找到“项目名称”，暂以工作表名“{grid.name}”作为项目名称，请修改")
        year = self._year(ident)
        expected, achieved = goals(grid, last, self.first)
        narrative = {k: v for k, v in (("goal_annual", expected), ("analysis_output", achieved)) if v}
        return Project(
            year=year, name=name, template_id=self.template.id,
            department=ident.get("department", ("", ""))[0], unit=ident.get("unit", ("", ""))[0],
            contact=ident.get("contact", ("", ""))[0], phone=ident.get("phone", ("", ""))[0],
            region=title_region(grid, last, self.first), narrative=narrative, budget=budget,
            categories=self._tree(rows))

    def _year(self, ident: dict[str, tuple[str, str]]) -> int:
        if "year" in ident:
            text, where = ident["year"]
            m = re.search(r"(19|20)\d{2}", normalise(text))
            if m:
                return int(m.group(0))
            self.problem(where, f"无法识别年度“{text}”")
        titled = title_year(self.grid, self.header.row, self.first)
        if titled is not None:
            return titled[0]
        year = self.default_year or date.today().year - 1
        self.year_stated = False
        self.problem(self.grid.name, f"未找到年度（如标题“2021年度项目支出绩效自评表”），暂按 {year} 年导入，请修改")
        return year

    # ------------------------------------------------------------------ indicator rows

    def _indicator_rows(self) -> tuple[list[_Row], Decimal | None, str]:
        grid, cols = self.grid, self.header.columns
        rows: list[_Row] = []
        level1 = level2 = ""
        published_total: Decimal | None = None
        total_at = ""
        self.end = grid.max_row
        for r in grid.rows(self.header.row + 1):
            if starts_a_table(grid, r):
                self.end = r - 1
                break
            texts = grid.row_texts(r)
            first = norm(texts[0][1]) if texts else ""
            if not texts:
                continue
            label_cols = [c for k, c in cols.items() if k in ("level1", "level2", "level3")]
            labels = [norm(grid.text(r, c)) for c in label_cols] + [first]
            if any(TOTAL_ROW.match(t) for t in labels):
                self._formulas(r, [c for k, c in cols.items() if k in ("weight", "score")])
                if "score" in cols and grid.text(r, cols["score"]):
                    total_at = grid.at(r, cols["score"])
                    published_total = self._number(r, "score", "总分")
                continue
            if first.startswith("计分口径"):
                named = named_in(first)
                self.stated_convention = named.id if named else ""
                continue
            if NOTE_ROW.search(first) or GRADE_ROW.search(first) or any(t.startswith("小计") for t in labels):
                continue  # notes, the grade, subtotals (derived, never imported)
            if classify(grid.text(r, cols.get("level3")), INDICATOR_COLUMNS) in ("level3", "level2"):
                continue  # a repeated header row (a table printed over two pages)
            l1 = self._clean(grid.text(r, cols.get("level1")))
            l2 = self._clean(grid.text(r, cols.get("level2")))
            if l1 and l1 != level1:
                level1, level2 = l1, ""
            if l2:
                level2 = l2
            if level1.startswith("扣分项"):
                self.problem(grid.at(r, cols.get("level1", 1)),
                             "扣分项不属于自评表的指标，未导入；如有扣分请在项目中填写", Level.INFO)
                continue
            self._formulas(r, [c for k, c in cols.items() if k in ("weight", "score", "target", "actual")])
            item = self._row(r, level1, level2)
            if item is not None:
                rows.append(item)
        return rows, published_total, total_at

    def _formulas(self, r: int, columns: list[int]) -> None:
        for col in columns:
            if (r, col) in self.grid.formulas_without_value:
                self.problem(self.grid.at(r, col), "公式没有保存计算结果，按空白导入。请在 Excel 或 WPS 中打开、"
                             "保存后再导入", Level.ERROR)

    def _clean(self, text: str) -> str:
        return "".join(text.split())

    def _row(self, r: int, level1: str, level2: str) -> _Row | None:
        grid, cols = self.grid, self.header.columns
        name = grid.text(r, cols.get("level3"))
        values = [grid.text(r, cols.get(k)) for k in ("weight", "target", "actual", "score")]
        if not name:
            if not any(values):
                return None  # a heading row of a group, or a row of notes
            if "level3" in cols:
                self.problem(grid.at(r, cols["level3"]), "缺少三级指标名称，以二级指标名称代替，请核对")
            name = level2 or level1
            if not name:
                self.problem(grid.at(r, 1), "无法识别这一行属于哪个指标，已跳过", Level.ERROR)
                return None
        if not level1:
            self.problem(grid.at(r, cols.get("level1", 1)), f"“{name}”没有一级指标，已归入“未分类”")
            level1 = "未分类"
        shared = "weight" in cols and grid.is_merged_copy(r, cols["weight"])
        if shared:  # one 分值 cell merged over several rows (项目效益 20 for 经济/社会/生态效益): count it once
            origin = grid.merged_origin[(r, cols["weight"])]
            self.problem(grid.at(r, cols["weight"]), f"“{name}”与第 {origin[0]} 行共用一个分值（合并单元格），"
                         "分值和得分计在第一行，本行按 0 分导入", Level.INFO)
        weight = ZERO if shared else self._number(r, "weight", "分值")
        if weight is None:
            if not grid.text(r, cols.get("weight")) and "weight" in cols:
                self.problem(grid.at(r, cols["weight"]), f"“{name}”未填写分值，按 0 分导入，请补填")
            weight = ZERO
        target, actual, qualitative = self._target_actual(r)
        rule = self._rule(r, name, target, qualitative)
        reviewer_shared = shared or ("reviewer" in cols and grid.is_merged_copy(r, cols["reviewer"]))
        reviewer = None if reviewer_shared else self._number(r, "reviewer", "复核得分")
        indicator = Indicator(name=name, weight=weight, rule=rule, target=target, actual=actual,
                              deviation_reason=grid.text(r, cols.get("deviation")), reviewer_score=reviewer)
        score_shared = "score" in cols and grid.is_merged_copy(r, cols["score"])
        published = None if score_shared or shared else self._number(r, "score", "得分")
        where = grid.at(r, cols["score"]) if "score" in cols else ""
        return _Row(r, level1, level2 or level1, indicator, published, where)

    def _target_actual(self, r: int) -> tuple[str, str, bool]:
        grid, cols = self.grid, self.header.columns
        target, actual = grid.text(r, cols.get("target")), grid.text(r, cols.get("actual"))
        comparator_text = normalise(grid.text(r, cols.get("comparator")))
        unit = grid.text(r, cols.get("unit"))
        qualitative = any(w in comparator_text for w in _QUALITATIVE_WORDS)
        if unit and unit not in ("/", "-", "—"):
            if parse(target).kind is Kind.NUMBER and not parse(target).unit:
                target += unit
            if parse(actual).kind is Kind.NUMBER and not parse(actual).unit:
                actual += unit
        if comparator_text and not qualitative:
            comparator = _COMPARATOR_WORDS.get(comparator_text) or _COMPARATOR_WORDS.get(
                parse(comparator_text + "1").comparator or "") or next(
                (c for word, c in _COMPARATOR_WORDS.items() if len(word) > 1 and word in comparator_text), None)
            p = parse(target)
            if comparator is None:
                if comparator_text not in ("定量", "/", "-"):
                    self.problem(grid.at(r, cols["comparator"]), f"无法识别指标性质“{comparator_text}”，已忽略")
            elif p.kind is Kind.NUMBER and p.comparator is None:
                target = comparator + target
        if target and parse(target).kind is Kind.UNREADABLE:
            self.problem(grid.at(r, cols["target"]), f"无法识别指标值“{target}”，按原文导入，请核对后计分")
        if actual and parse(actual).kind is Kind.UNREADABLE:
            self.problem(grid.at(r, cols["actual"]), f"无法识别实际完成值“{actual}”，按原文导入，请核对后计分")
        return target, actual, qualitative

    def _rule(self, r: int, name: str, target: str, qualitative: bool) -> Rule:
        if "预算执行率" in "".join(name.split()):
            return Rule("execution_rate")
        kind = parse(target).kind
        if qualitative or kind is Kind.TEXT:
            return Rule("qualitative")
        if kind is Kind.EMPTY and "target" in self.header.columns:
            self.problem(self.grid.at(r, self.header.columns["target"]), f"“{name}”未填写指标值，按定量指标导入",
                         Level.INFO)
        return Rule("proportional")

    def _number(self, r: int, key: str, label: str) -> Decimal | None:
        col = self.header.columns.get(key)
        text = self.grid.text(r, col)
        if col is None or not text or text in _BLANK:
            return None
        p = parse(text)
        units = ("", "分", "%") if key == "weight" else ("", "分")
        if p.kind is Kind.NUMBER and p.comparator is None and p.unit in units and p.value is not None:
            return p.value
        outcome = "按 0 分导入，请核对后修改" if key == "weight" else "已忽略"
        self.problem(self.grid.at(r, col), f"无法识别{label}“{text}”，{outcome}", Level.ERROR)
        return None

    # ------------------------------------------------------------------ building the tree

    def _tree(self, rows: list[_Row]) -> tuple[Category, ...]:
        order: list[str] = []
        groups: dict[str, dict[str, list[Indicator]]] = {}
        for item in rows:
            if item.level1 not in groups:
                order.append(item.level1)
                groups[item.level1] = {}
            groups[item.level1].setdefault(item.level2, []).append(item.indicator)
        out: list[Category] = []
        for cat_text in order:
            cat_name, cat_weight = _split_weight(cat_text)
            built = [Group(_split_weight(g)[0], _split_weight(g)[1], tuple(inds))
                     for g, inds in groups[cat_text].items()]
            weight = cat_weight if cat_weight is not None else sum(
                (i.weight for g in built for i in g.indicators), ZERO)
            known = self._template_category(cat_name)
            out.append(Category(known.name if known else cat_name, weight, tuple(built),
                                known.short_name if known else ""))
        return tuple(out)

    def _template_category(self, name: str) -> Category | None:
        for cat in self.template.categories:
            if name in (cat.name, cat.short_name) or (cat.short_name and name == cat.short_name + "指标"):
                return cat
        return None

    def _keep_published(self, project: Project, rows: list[_Row]) -> Project:
        """Where the table's own score differs from the rule's, keep it as an override and say so. A 定性 score
        inside its tier's band becomes that tier and percentage; a table scored by another 计分口径 (all its
        published scores follow 一体化 and not the template's) is given that convention instead of overrides."""
        published = {id(item.indicator): item for item in rows if item.published is not None}
        if not published:
            return project
        project = self._detect_convention(project, published)
        return self._apply_published(project, published, report=True)

    def _detect_convention(self, project: Project, published: dict[int, _Row]) -> Project:
        kept = self._apply_published(project, published, report=False)
        if not _overrides(kept):
            return project
        current = resolve(project.convention, self.template.convention)[0]
        for other in CONVENTIONS.values():
            if other.id == current.id:
                continue
            trial = replace(project, convention=other.id)
            if not _overrides(self._apply_published(trial, published, report=False)):
                self.problem(self.grid.name, f"原表各项得分均符合“{other.name}”，与“{current.name}”不同，"
                             f"已按该计分口径（{other.id}）导入，可在得分面板中切换", Level.INFO)
                return trial
        return project

    def _apply_published(self, project: Project, published: dict[int, _Row], *, report: bool) -> Project:
        scores = score_project(project, self.template)
        tiers = self.template.qualitative_tiers
        cats = []
        for ci, cat in enumerate(project.categories):
            groups = []
            for gi, grp in enumerate(cat.groups):
                inds = []
                for ii, ind in enumerate(grp.indicators):
                    item = published.get(id(ind))
                    line = scores.line((ci, gi, ii))
                    if item is not None and item.published is not None and line is not None:
                        kept = item.published
                        if round_score(kept) != line.score:
                            chosen = tier_index(ind, tiers) if ind.rule.kind == "qualitative" else None
                            pct = (kept * 100 / ind.weight).quantize(_PCT) if ind.weight > 0 else None
                            if chosen is not None and 0 <= chosen < len(tiers) and pct is not None \
                                    and tiers[chosen].contains(pct) and round_score(ind.weight * pct / 100) == kept:
                                ind = replace(ind, tier=chosen, tier_percent=pct)
                            else:
                                ind = replace(ind, override_score=kept, override_reason=KEPT_REASON)
                                if report:
                                    self.problem(item.published_at, f"原表得分与计分规则结果不同：“{ind.name}”原表得分 "
                                                 f"{fmt_decimal(kept)}，按规则计算为 {fmt_decimal(line.score)}；"
                                                 "已保留原表得分")
                    inds.append(ind)
                groups.append(replace(grp, indicators=tuple(inds)))
            cats.append(replace(cat, groups=tuple(groups)))
        return replace(project, categories=tuple(cats))

    # ------------------------------------------------------------------ the funds block

    def _amount(self, r: int, col: int | None) -> Decimal | None:
        text = self.grid.text(r, col)
        if col is None or not text or text in _BLANK:
            return None
        p = parse(text)
        if p.kind is Kind.NUMBER and p.comparator is None and p.value is not None:
            if p.unit == "万元":
                return p.value
            if p.unit == "元":
                return p.value / _TEN_THOUSAND
            if p.unit == "":
                return p.value / self.unit_scale
        self.problem(self.grid.at(r, col), f"无法识别金额“{text}”，已忽略", Level.ERROR)
        return None

    def _budget(self, funds: Funds) -> Budget:
        figures: dict[str, dict[str, Decimal | None]] = {}
        for key in ("initial", "adjusted", "received", "executed"):
            col = funds.columns.get(key)
            if col is None:
                continue
            values: dict[str, Decimal | None] = {}
            for r, label in funds.rows:
                value = self._amount(r, col)
                if value is not None:
                    values[label] = (values.get(label) or ZERO) + value
            figures[key] = values
        levels_given = any(v.get(level) is not None for v in figures.values() for level in _FISCAL_LEVELS)
        fiscal_row = next((r for r, k in funds.rows if k == "fiscal"), funds.row)
        out: dict[str, BudgetRow] = {}
        for key, values in figures.items():
            fiscal = values.get("fiscal")
            parts = {level: values.get(level) for level in _FISCAL_LEVELS}
            if levels_given:
                level_sum = sum((v or ZERO for v in parts.values()), ZERO)
                if fiscal is not None and fiscal != level_sum:
                    self.problem(self.grid.at(fiscal_row, funds.columns[key]),
                                 f"财政拨款 {fmt_decimal(fiscal)} 与各级财政资金之和 {fmt_decimal(level_sum)} 不一致，"
                                 "按各级财政资金导入")
            else:
                parts["county"] = fiscal
            row = BudgetRow(**parts, carryover=values.get("carryover"), other=values.get("other"),
                            stated_total=values.get("total"))
            if row.is_empty() and row.stated_total is not None:
                total_row = next((r for r, k in funds.rows if k == "total"), funds.row)
                self.problem(self.grid.at(total_row, funds.columns[key]),
                             "只有年度资金总额，没有财政拨款、上年结转、其他资金等分项金额；请在预算表中补填")
            out[key] = row
        return Budget(**out)

    def _execution_row(self, funds: Funds | None, rows: list[_Row]) -> _Row | None:
        """The MoF form scores 预算执行率 in the funds block (分值 / 执行率 / 得分), not in the indicator table."""
        if funds is None or "weight" not in funds.columns:
            return None
        if any(item.indicator.rule.kind == "execution_rate" for item in rows):
            return None
        grid = self.grid

        def first(key: str) -> tuple[str, str]:
            col = funds.columns.get(key)
            if col is None:
                return "", ""
            for r in [funds.row + 1, *(r for r, _ in funds.rows)]:
                if grid.text(r, col):
                    return grid.text(r, col), grid.at(r, col)
            return "", ""

        weight_text, weight_at = first("weight")
        if not weight_text:
            return None
        p = parse(weight_text)
        if p.kind is not Kind.NUMBER or p.value is None or p.comparator is not None:
            self.problem(weight_at, f"无法识别预算执行率的分值“{weight_text}”，已忽略", Level.ERROR)
            return None
        rate_text, _ = first("rate")
        score_text, score_at = first("score")
        published: Decimal | None = None
        if score_text:
            s = parse(score_text)
            if s.kind is Kind.NUMBER and s.value is not None and s.comparator is None and s.unit in ("", "分"):
                published = s.value
            else:
                self.problem(score_at, f"无法识别预算执行率的得分“{score_text}”，已忽略", Level.ERROR)
        known = next((c for c in self.template.categories
                      if any(i.rule.kind == "execution_rate" for g in c.groups for i in g.indicators)), None)
        cat_name = known.name if known else "预算执行指标"
        group_name = known.groups[0].name if known and known.groups else cat_name
        indicator = Indicator(name="预算执行率", weight=p.value, rule=Rule("execution_rate"), target="100%",
                              actual=rate_text)
        return _Row(funds.row, cat_name, group_name, indicator, published, score_at)


def _overrides(project: Project) -> int:
    return sum(1 for _, ind in project.indicators() if ind.override_reason == KEPT_REASON)


def _split_weight(text: str) -> tuple[str, Decimal | None]:
    """“产出指标（50分）” → (“产出指标”, 50)."""
    m = _WEIGHT_IN_NAME.search(text)
    if m is None:
        return text, None
    return text[: m.start()].strip() or text, Decimal(m.group(1))
