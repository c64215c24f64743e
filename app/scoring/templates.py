"""Load templates from their JSON data files and validate them into issues that name the place."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from app.scoring.codec import CodecError, template_from
from app.scoring.conventions import CONVENTIONS
from app.scoring.numbers import fmt_decimal
from app.scoring.params import validate
from app.scoring.records import ZERO, Issue, Level, Location, Project, Template

PENALTY_OPERATORS = ("<", "<=", ">", ">=")
PENALTY_SOURCES = ("", "execution_rate", "arrival_rate", "fiscal_spend_rate")
LAYOUTS = ("mof", "four_part")
MAX_TEMPLATE_BYTES = 2_000_000


class TemplateError(ValueError):
    """A template file that cannot be used; the message is Chinese."""


def validate_template(t: Template) -> list[Issue]:
    """Every problem of a template: rules, parameters, weights, grades, tiers, penalties."""
    issues: list[Issue] = []

    def err(code: str, msg: str, path: tuple[str, ...] = (), index: tuple[int, ...] = (), field: str = "") -> None:
        issues.append(Issue(Level.ERROR, code, msg, Location(path, index, field)))

    if t.layout not in LAYOUTS:
        err("layout", f"模板 layout 应为 {'、'.join(LAYOUTS)} 之一，实际为“{t.layout}”")
    if t.convention and t.convention not in CONVENTIONS:
        err("convention", f"计分口径 convention “{t.convention}” 无效，应为 {'、'.join(CONVENTIONS)} 之一")
    if t.execution_base not in ("adjusted", "received", "initial"):
        err("execution_base", f"execution_base “{t.execution_base}” 无效")
    cat_sum = sum((c.weight for c in t.categories), ZERO)
    if cat_sum != t.total:
        err("weights_total", f"一级指标权重之和为 {fmt_decimal(cat_sum)}，应为 {fmt_decimal(t.total)}")
    for ci, cat in enumerate(t.categories):
        fixed = [g.weight for g in cat.groups if g.weight is not None]
        if len(fixed) == len(cat.groups) and cat.groups and sum(fixed, ZERO) != cat.weight:
            err("weights_category", f"“{cat.name}”的二级指标权重之和为 {fmt_decimal(sum(fixed, ZERO))}，"
                f"应为 {fmt_decimal(cat.weight)}", (cat.name,), (ci,), "weight")
        for gi, grp in enumerate(cat.groups):
            s = sum((i.weight for i in grp.indicators), ZERO)
            if grp.weight is not None and grp.indicators and s != grp.weight:
                err("weights_group", f"“{cat.name}/{grp.name}”的三级指标权重之和为 {fmt_decimal(s)}，"
                    f"应为 {fmt_decimal(grp.weight)}", (cat.name, grp.name), (ci, gi), "weight")
            for ii, ind in enumerate(grp.indicators):
                path = (cat.name, grp.name, ind.name)
                for msg in validate(ind.rule.kind, ind.rule.params, "/".join(path)):
                    err("bad_rule", msg, path, (ci, gi, ii), "rule")
                if ind.weight < 0:
                    err("weight_negative", f"{'/'.join(path)}：权重不能为负数", path, (ci, gi, ii), "weight")
    minima = [g.minimum for g in t.grades]
    if not t.grades:
        err("grades", "模板没有等级划分")
    elif len(set(minima)) != len(minima):
        err("grades", "等级的分数下限有重复")
    for i, q in enumerate(t.qualitative_tiers):
        if q.low > q.high or q.low < 0 or q.high > 100:
            err("tiers", f"定性档次“{q.label}”的范围 {fmt_decimal(q.low)}–{fmt_decimal(q.high)} 无效", (), (i,))
    for p in t.penalties:
        where = ("扣分项", p.name)
        if p.operator not in PENALTY_OPERATORS:
            err("penalty", f"扣分项“{p.name}”的比较符“{p.operator}”无效", where)
        if p.source not in PENALTY_SOURCES:
            err("penalty", f"扣分项“{p.name}”的数据来源“{p.source}”无效", where)
        if p.points < 0:
            err("penalty", f"扣分项“{p.name}”的扣分不能为负数", where)
        if p.cap_grade and p.cap_grade not in [g.label for g in t.grades]:
            err("penalty", f"扣分项“{p.name}”限制的等级“{p.cap_grade}”不在等级划分中", where)
    return issues


def load_template(path: Path) -> tuple[Template, list[Issue]]:
    """Read and validate a template file. Unreadable or malformed files raise TemplateError."""
    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"模板文件 {path.name} 过大")
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TemplateError(f"无法读取模板文件 {path.name}：{exc}") from exc
    try:
        template = template_from(data)
    except CodecError as exc:
        raise TemplateError(f"模板文件 {path.name} 有误：{exc}") from exc
    return template, validate_template(template)


def load_directory(directory: Path) -> dict[str, Template]:
    """Every valid template of a folder, keyed by id. A template with errors raises TemplateError."""
    out: dict[str, Template] = {}
    for path in sorted(directory.glob("*.json")):
        template, issues = load_template(path)
        errors = [i for i in issues if i.level is Level.ERROR]
        if errors:
            raise TemplateError(f"模板文件 {path.name} 有误：" + "；".join(i.message for i in errors))
        out[template.id] = template
    return out


def new_project(template: Template, year: int, name: str, **identity: str) -> Project:
    """A project whose indicator tree is the template's defaults."""
    return Project(year=year, name=name, template_id=template.id, categories=template.categories,
                   **identity)  # type: ignore[arg-type]


def total_weight(t: Template) -> Decimal:
    return sum((c.weight for c in t.categories), ZERO)
