"""自查: the checks a unit runs before handing in a self-evaluation, each with what to do about it (整改建议)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.scoring.engine import score_project
from app.scoring.numbers import GE, GT, LE, LT, fmt_decimal, parse
from app.scoring.records import Indicator, Issue, Level, Project, ScoreLine, ScoreReport, Template
from app.scoring.rules import match

#: A 偏差原因 shorter than this (after removing spaces) says nothing.
MIN_REASON_CHARS = 5
#: The dimensions a MoF self-evaluation must cover (财预〔2020〕10号).
DIMENSIONS = ("产出", "效益", "满意度")
_FIELDS = {"cost_forward": "target", "rate_above_100": "actual", "placeholder": "target",
           "reason_short": "deviation_reason", "overachievement_unexplained": "deviation_reason",
           "lenient": "override_score", "harsh": "override_score"}
_PLACEHOLDER = re.compile(r"\*|[XxＸｘ×]{2,}")
_EMPTY_REASONS = {"无", "/", "-", "—", "——", "暂无", "没有", "见上", "同上"}


@dataclass(frozen=True)
class Finding:
    """One line of the 整改清单: where, what is wrong, what to do."""

    project: str  # 项目名称（年度）
    indicator: str  # 一级/二级/三级 path, or 资金表 / 权重 / 总分 / 指标体系
    problem: str
    advice: str
    level: Level
    code: str
    index: tuple[int, ...] = ()  # (category, group, indicator) when it is about one indicator
    field: str = ""  # the field to select in the window (target, actual, deviation_reason, budget, …)


#: What to do, per issue code of the engine (codes not listed get the generic advice).
ADVICE: dict[str, str] = {
    "missing_actual": "填写实际完成值（数值、百分比或评价档次）",
    "missing_target": "填写年度指标值，如“≥50个”“≤90万元”“100%”",
    "unreadable": "按“≥50个”“≤90万元”“95%”的格式改写，数字与单位写清楚",
    "unit_mismatch": "统一指标值与实际完成值的单位，或以百分比填写完成程度",
    "incomparable": "以百分比填写完成程度，或改写为可比较的数值",
    "qualitative_unrated": "选择评价档次：达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差",
    "deviation_reason": "写明未达到指标值的原因和下一步改进措施",
    "override_reason": "写明手工调整得分的理由",
    "published_differs": "核对原表得分：按计分规则改正，或在调整理由中写明依据",
    "published_unchecked": "补全指标值和完成值，使原表得分可以核对",
    "published_total": "总分应等于各项得分之和，请改正原表总分",
    "rate_mismatch": "执行率应等于全年执行数 ÷ 全年预算数，请核对资金表和执行率",
    "execution_unscored": "添加“预算执行率”指标（分值一般为10分）并按执行率计分",
    "weights_total": "调整一级指标分值，使合计等于满分（100分）",
    "weights_category": "调整二级指标分值，使合计等于一级指标分值",
    "weights_group": "调整三级指标分值，使合计等于二级指标分值",
    "weight_negative": "分值应为正数",
    "tier_band": "把得分调整到该档的范围内，或改选评价档次",
    "tier_range": "档内百分比应在该档范围内",
    "manual_missing": "填写得分",
    "manual_range": "得分应在 0 到分值之间",
    "override_range": "调整后得分应在 0 到分值之间",
    "convention": "在得分面板中选择有效的计分口径",
    "budget_missing": "填写资金表（年初预算、全年预算、全年执行）",
    "zero_base": "填写全年预算数",
    "bad_rule": "在模板或指标中改正计分规则",
    "unchecked": "逐项勾选评分标准中满足的条件",
    "level_unset": "选择得分档次",
}
GENERIC_ADVICE = "请核对并改正"
#: Codes the self-check adds to the engine's issues.
OWN_CODES = frozenset({"cost_forward", "rate_above_100", "placeholder", "reason_short", "lenient", "harsh",
                       "overachievement_unexplained", "dimension_missing"})
#: Engine issues that the self-check words itself (or that only inform).
_SKIP = {"overachievement", "override_differs", "rescaled", "reviewer_missing", "penalty_unknown",
         "penalty_applied"}


def project_label(project: Project) -> str:
    return f"{project.name}（{project.year}年）"


def self_check(project: Project, template: Template, report: ScoreReport | None = None) -> list[Finding]:
    """Every problem a reviewer would send back, errors first, in the order of the table."""
    report = report or score_project(project, template)
    label = project_label(project)
    out: list[Finding] = []
    for issue in report.issues:
        if issue.level is Level.INFO or issue.code in _SKIP:
            continue
        out.append(Finding(label, _where(issue), issue.message, ADVICE.get(issue.code, GENERIC_ADVICE),
                           issue.level, issue.code, issue.where.index, issue.where.field))
    lines = {ln.index: ln for ln in report.lines}
    for (ci, gi, ii), ind in project.indicators():
        line = lines.get((ci, gi, ii))
        if line is None or line.not_applicable:
            continue
        path = "/".join((project.categories[ci].name, project.categories[ci].groups[gi].name, ind.name))
        group = project.categories[ci].groups[gi].name
        for level, code, problem, advice in _indicator_checks(ind, group, line, report):
            out.append(Finding(label, path, problem, advice, level, code, (ci, gi, ii), _FIELDS.get(code, "")))
    out += [Finding(label, "指标体系", problem, advice, Level.WARNING, "dimension_missing")
            for problem, advice in _dimensions(project)]
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
    return sorted(out, key=lambda f: (order[f.level], f.index == (), f.index))


def _where(issue: Issue) -> str:
    if str(issue.where):
        return str(issue.where)
    field = issue.where.field
    if field.startswith("budget"):
        return "资金表"
    if field == "published_total":
        return "总分"
    if field == "weight":
        return "权重"
    if field == "convention":
        return "计分口径"
    return "项目"


def _indicator_checks(ind: Indicator, group: str, line: ScoreLine,
                      report: ScoreReport) -> list[tuple[Level, str, str, str]]:
    found: list[tuple[Level, str, str, str]] = []
    target, actual = parse(ind.target), parse(ind.actual)
    if ("成本" in group or "成本" in ind.name) and target.comparator in (GE, GT):
        found.append((Level.WARNING, "cost_forward", f"成本指标的指标值写成了“{ind.target}”（正向）",
                      "成本指标应为反向指标：指标值改为“≤…”，如“≤90万元”"))
    if "率" in ind.name and "增" not in ind.name and actual.unit == "%" and actual.value is not None \
            and actual.value > 100:
        found.append((Level.WARNING, "rate_above_100", f"比率类指标的实际完成值为 {ind.actual}，超过100%",
                      "核对完成值：完成率、合格率、满意度等一般不超过100%"))
    for text, name in ((ind.target, "指标值"), (ind.actual, "实际完成值")):
        if _PLACEHOLDER.search(text):
            found.append((Level.ERROR, "placeholder", f"{name}“{text}”中留有占位符（* 或 XX）",
                          f"把占位符替换为实际的{name}"))
    reason = "".join(ind.deviation_reason.split())
    if line.score < line.weight and reason and (len(reason) < MIN_REASON_CHARS or reason in _EMPTY_REASONS):
        found.append((Level.WARNING, "reason_short", f"得分低于满分，偏差原因只写了“{ind.deviation_reason.strip()}”",
                      f"写明未达到指标值的具体原因和改进措施（不少于 {MIN_REASON_CHARS} 个字）"))
    if ind.rule.kind == "proportional":
        found += _leniency(ind, line)
    if not reason and any(i.code == "overachievement" and i.where.index == line.index for i in report.issues):
        found.append((Level.WARNING, "overachievement_unexplained", "完成值超出指标值较多，未说明原因",
                      "在偏差原因中说明超额完成的原因；若指标值设定偏低，应酌情扣分并写明理由"))
    return found


def _leniency(ind: Indicator, line: ScoreLine) -> list[tuple[Level, str, str, str]]:
    """Full marks on a row that missed its target (lenient), or less on a row that met it (harsh)."""
    target, actual = parse(ind.target), parse(ind.actual)
    m = match(target, actual)
    if m.problem or m.mode != "ratio" or target.comparator is None:
        return []
    a, b, comparator = m.a, m.b, target.comparator
    missed = (comparator in (GE, GT) and b < a) or (comparator in (LE, LT) and b > a)
    met = (comparator in (GE, GT) and b >= a) or (comparator in (LE, LT) and b <= a)
    full = fmt_decimal(line.weight)
    if missed and line.score >= line.weight:
        what = "未达到指标值" if comparator in (GE, GT) else "超出了指标值上限"
        return [(Level.WARNING, "lenient", f"实际完成值 {ind.actual} {what}（{ind.target}），却得满分 {full} 分",
                 "按计分规则扣分，或写明给满分的依据")]
    if met and line.overridden and line.score < line.weight and not ind.override_reason.strip():
        return [(Level.WARNING, "harsh", f"实际完成值 {ind.actual} 已达到指标值（{ind.target}），"
                 f"得分 {fmt_decimal(line.score)} 低于满分 {full} 分", "写明扣分理由，或改为满分")]
    return []


def _dimensions(project: Project) -> list[tuple[str, str]]:
    names = [(c.name + c.short_name, c) for c in project.categories]
    out: list[tuple[str, str]] = []
    for word in DIMENSIONS:
        has = any(word in name and any(not i.not_applicable for g in cat.groups for i in g.indicators)
                  for name, cat in names)
        has = has or any(word in g.name and any(not i.not_applicable for i in g.indicators)
                         for c in project.categories for g in c.groups)
        if not has:
            out.append((f"缺少{word}指标", f"按财预〔2020〕10号要求设置{word}指标并填写"))
    return out


def self_check_all(items: list[tuple[Project, Template]]) -> list[Finding]:
    out: list[Finding] = []
    for project, template in items:
        out += self_check(project, template)
    return out
