"""Frozen domain records: a project, its budget and indicators, templates, and the score report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

ZERO = Decimal(0)
HUNDRED = Decimal(100)
#: The override reason the importer writes when it keeps a published score that differs from the rule's.
PUBLISHED_REASON = "导入时保留原表得分"

# --------------------------------------------------------------------------- narrative

#: The narrative sections of a project, in report order: (key, label shown to the user).
NARRATIVE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "项目概况"),
    ("basis", "立项依据"),
    ("necessity", "设立的必要性"),
    ("measures", "保证项目实施的措施与制度"),
    ("plan", "项目实施计划"),
    ("goal_period", "项目实施期绩效目标"),
    ("goal_annual", "项目年度目标"),
    ("evaluation_work", "评价工作开展情况"),
    ("conclusion", "综合评价及结论"),
    ("analysis_budget", "项目实施和预算执行情况及分析"),
    ("analysis_decision", "决策情况及分析"),
    ("analysis_process", "过程情况及分析"),
    ("analysis_output", "产出情况及分析"),
    ("analysis_benefit", "效益情况及分析"),
    ("analysis_satisfaction", "满意度情况及分析"),
    ("experience", "项目主要经验做法"),
    ("problems", "项目管理中存在问题及原因分析"),
    ("suggestions", "进一步加强项目管理措施及建议"),
    ("other", "其他需要说明的问题"),
)
NARRATIVE_KEYS: frozenset[str] = frozenset(k for k, _ in NARRATIVE_SECTIONS)
NARRATIVE_LABELS: dict[str, str] = dict(NARRATIVE_SECTIONS)

# --------------------------------------------------------------------------- budget

#: Budget columns that are typed (万元). The 财政资金 小计 and 年度总金额 are derived.
FISCAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("central", "中央级"),
    ("provincial", "省级"),
    ("city", "市级"),
    ("county", "县区级"),
)
OTHER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
BUDGET_COLUMNS: tuple[tuple[str, str], ...] = FISCAL_COLUMNS + OTHER_COLUMNS
BUDGET_ROWS: tuple[tuple[str, str, str], ...] = (
    ("initial", "年初预算资金", "(1)"),
    ("adjusted", "全年预算资金", "(2)"),
    ("received", "实际到位资金", "(3)"),
    ("executed", "全年执行资金", "(4)"),
)


@dataclass(frozen=True)
class BudgetRow:
    """One typed row of the budget grid, in 万元. ``None`` means the cell is empty."""

    central: Decimal | None = None
    provincial: Decimal | None = None
    city: Decimal | None = None
    county: Decimal | None = None
    carryover: Decimal | None = None
    other: Decimal | None = None
    #: A total as printed in an imported document; only compared with the derived one.
    stated_total: Decimal | None = None

    def cell(self, column: str) -> Decimal | None:
        value: Decimal | None = getattr(self, column)
        return value

    @property
    def fiscal(self) -> Decimal:
        """财政资金小计: the sum of the four levels of government."""
        return sum((self.cell(c) or ZERO for c, _ in FISCAL_COLUMNS), ZERO)

    @property
    def total(self) -> Decimal:
        """年度总金额: 财政资金 + 上年结转 + 其他资金."""
        return self.fiscal + (self.carryover or ZERO) + (self.other or ZERO)

    def is_empty(self) -> bool:
        return all(self.cell(c) is None for c, _ in BUDGET_COLUMNS)


@dataclass(frozen=True)
class Budget:
    """The budget grid: 年初预算 (1), 全年预算 (2), 实际到位 (3), 全年执行 (4)."""

    initial: BudgetRow = field(default_factory=BudgetRow)
    adjusted: BudgetRow = field(default_factory=BudgetRow)
    received: BudgetRow = field(default_factory=BudgetRow)
    executed: BudgetRow = field(default_factory=BudgetRow)

    def row(self, key: str) -> BudgetRow:
        value: BudgetRow = getattr(self, key)
        return value

    def is_empty(self) -> bool:
        return all(self.row(k).is_empty() for k, _, _ in BUDGET_ROWS)


# --------------------------------------------------------------------------- rules and indicators


@dataclass(frozen=True)
class Rule:
    """A scoring rule: its kind (see ``app.scoring.rules.RULE_KINDS``) and JSON-like parameters."""

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "params": dict(self.params)} if self.params else {"kind": self.kind}


@dataclass(frozen=True)
class SubItem:
    """A fourth-level quantitative item of an average_completion indicator (e.g. 经济效益)."""

    name: str
    target: str = ""
    actual: str = ""
    explanation: str = ""


@dataclass(frozen=True)
class Indicator:
    """A third-level indicator with everything the user types about it."""

    name: str
    weight: Decimal
    rule: Rule
    target: str = ""  # 指标值 / 标杆值 as typed
    actual: str = ""  # 实际完成值 / 业绩值 as typed
    explanation: str = ""  # 指标解释
    benchmark: str = ""  # 标杆值
    criteria: str = ""  # 评分标准 (text)
    checks: tuple[bool, ...] | None = None  # checklist: which conditions are met
    level: Decimal | None = None  # levels: chosen percentage (0–100)
    tier: int | None = None  # qualitative: chosen tier (0 = best)
    tier_percent: Decimal | None = None  # qualitative: percentage within the tier
    manual_score: Decimal | None = None  # manual: the typed score
    subitems: tuple[SubItem, ...] = ()
    deviation_reason: str = ""  # 偏差原因分析及改进措施
    override_score: Decimal | None = None
    override_reason: str = ""
    reviewer_score: Decimal | None = None  # 第三方复核 / 财政审核
    reviewer_note: str = ""  # 扣分事项
    not_applicable: bool = False


@dataclass(frozen=True)
class Group:
    """A second-level group (二级指标). ``weight`` None means: not fixed, the sum of its indicators."""

    name: str
    weight: Decimal | None
    indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class Category:
    """A first-level category (一级指标) with its weight."""

    name: str
    weight: Decimal
    groups: tuple[Group, ...] = ()
    short_name: str = ""  # tab label, e.g. 产出

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class PenaltyInput:
    """What the user says about a template penalty item: a figure typed by hand, or applied by hand."""

    key: str
    value: str = ""  # e.g. "45%": used when the figure cannot be taken from the budget
    applied: bool | None = None  # a hand decision; None = decide by the rule


@dataclass(frozen=True)
class ReviewInfo:
    """Who reviewed the evaluation (第三方机构, 复核人员) for the signature lines."""

    agency: str = ""
    reviewers: str = ""
    date: str = ""


@dataclass(frozen=True)
class Project:
    """One project's self-evaluation: identity, narrative, budget and indicator tree."""

    year: int
    name: str
    template_id: str
    department: str = ""  # 主管部门
    unit: str = ""  # 实施单位
    contact: str = ""  # 项目负责人/联系人
    phone: str = ""
    region: str = ""  # e.g. 罗定市 (form title)
    narrative: Mapping[str, str] = field(default_factory=dict)
    budget: Budget = field(default_factory=Budget)
    categories: tuple[Category, ...] = ()
    materials: tuple[str, ...] = ()  # 附件2 绩效自评相关资料
    penalties: tuple[PenaltyInput, ...] = ()
    review: ReviewInfo = field(default_factory=ReviewInfo)
    id: int | None = None
    convention: str = ""  # 计分口径 chosen for this project; "" = the template's
    published_total: Decimal | None = None  # 总分 as printed in an imported table, kept to compare

    def indicators(self) -> list[tuple[tuple[int, int, int], Indicator]]:
        """Every indicator with its (category, group, indicator) index."""
        out: list[tuple[tuple[int, int, int], Indicator]] = []
        for ci, cat in enumerate(self.categories):
            for gi, grp in enumerate(cat.groups):
                for ii, ind in enumerate(grp.indicators):
                    out.append(((ci, gi, ii), ind))
        return out


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class GradeBand:
    """A grade: ``label`` when the total is at least ``minimum``; ``long_label`` for sentences (优秀)."""

    label: str
    minimum: Decimal
    long_label: str = ""


@dataclass(frozen=True)
class QualitativeTier:
    """One MoF qualitative tier and the share of the weight (percent) it allows."""

    label: str
    low: Decimal
    high: Decimal
    low_inclusive: bool = True
    high_inclusive: bool = True

    def contains(self, pct: Decimal) -> bool:
        above = pct >= self.low if self.low_inclusive else pct > self.low
        below = pct <= self.high if self.high_inclusive else pct < self.high
        return above and below

    @property
    def default_percent(self) -> Decimal:
        """The tier's top: its upper bound, or one point below it when the bound is excluded."""
        return self.high if self.high_inclusive else self.high - 1


@dataclass(frozen=True)
class PenaltyDef:
    """A 扣分项: when a figure meets a condition, subtract points and maybe cap the grade."""

    key: str
    name: str  # 财政资金支出率
    group: str  # 支出率
    points: Decimal  # points subtracted from the total
    operator: str  # "<", "<=", ">", ">="
    threshold: Decimal  # percent
    source: str = ""  # a budget figure: fiscal_spend_rate, execution_rate, arrival_rate
    fallback_indicator: tuple[str, ...] = ()  # path of an indicator whose actual gives the figure
    cap_grade: str = ""  # the best grade allowed when applied
    explanation: str = ""
    benchmark: str = ""
    criteria: str = ""


@dataclass(frozen=True)
class Template:
    """A framework: categories with default indicators and rules, grade bands, penalties, settings."""

    id: str
    name: str
    layout: str  # "mof" or "four_part": which documents it exports
    total: Decimal
    categories: tuple[Category, ...]
    grades: tuple[GradeBand, ...]
    qualitative_tiers: tuple[QualitativeTier, ...]
    penalties: tuple[PenaltyDef, ...] = ()
    execution_base: str = "adjusted"  # adjusted (全年预算) / received (实际到位) / initial (年初预算)
    rescale_not_applicable: bool = True
    overachievement_threshold: Decimal = Decimal("0.2")
    has_reviewer: bool = False
    convention: str = ""  # 计分口径 (app.scoring.conventions); "" = mof-2020
    version: int = 1
    description: str = ""
    source: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


# --------------------------------------------------------------------------- results


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    """Where an issue is: category/group/indicator indices (any may be None) and a field name."""

    path: tuple[str, ...] = ()
    index: tuple[int, ...] = ()
    field: str = ""  # target, actual, weight, deviation_reason, override_reason, budget.<row>.<col>, …

    def __str__(self) -> str:
        return "/".join(self.path)


@dataclass(frozen=True)
class Issue:
    """A problem found while validating or scoring; never an exception."""

    level: Level
    code: str
    message: str
    where: Location = field(default_factory=Location)


@dataclass(frozen=True)
class ScoreLine:
    """The result for one indicator."""

    path: tuple[str, str, str]
    index: tuple[int, int, int]
    weight: Decimal
    computed: Decimal  # the rule's score, rounded to 0.01
    score: Decimal  # the final score (the override when there is one)
    completion: Decimal | None  # 完成率 as a fraction, None when it does not apply
    overridden: bool = False
    not_applicable: bool = False
    reviewer_score: Decimal | None = None
    note: str = ""  # how the score was reached, in Chinese


@dataclass(frozen=True)
class CategoryScore:
    name: str
    weight: Decimal  # weight counted (not-applicable indicators excluded)
    score: Decimal
    reviewer_score: Decimal | None = None


@dataclass(frozen=True)
class AppliedPenalty:
    key: str
    name: str
    points: Decimal
    cap_grade: str = ""


@dataclass(frozen=True)
class ScoreReport:
    """Everything the score panel and the exporters show."""

    lines: tuple[ScoreLine, ...]
    categories: tuple[CategoryScore, ...]
    subtotal: Decimal  # sum of indicator scores (after rescaling)
    penalties: tuple[AppliedPenalty, ...]
    total: Decimal
    grade: str
    grade_long: str
    template_total: Decimal
    rescaled: bool
    issues: tuple[Issue, ...]
    reviewer_total: Decimal | None = None
    execution_rate: Decimal | None = None  # 预算执行率 from the budget, a fraction
    arrival_rate: Decimal | None = None  # 预算到位率 from the budget, a fraction
    convention: str = "mof-2020"  # the 计分口径 in force (id)
    convention_label: str = ""  # 计分口径：… as printed

    def line(self, index: tuple[int, int, int]) -> ScoreLine | None:
        for ln in self.lines:
            if ln.index == index:
                return ln
        return None

    def issues_at(self, index: tuple[int, ...]) -> list[Issue]:
        return [i for i in self.issues if i.where.index[: len(index)] == index and i.where.index]
