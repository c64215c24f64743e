"""Records ⇄ plain JSON data: the project interchange format and the template file format (docs/)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.scoring.numbers import magnitude_problem
from app.scoring.params import to_decimal
from app.scoring.records import (
    BUDGET_COLUMNS,
    BUDGET_ROWS,
    NARRATIVE_KEYS,
    REVIEW_STATUSES,
    Budget,
    BudgetRow,
    Category,
    GradeBand,
    Group,
    Indicator,
    PenaltyDef,
    PenaltyInput,
    Project,
    QualitativeTier,
    ReviewInfo,
    Rule,
    SubItem,
    Template,
)

PROJECT_FORMAT = "jixiao-project"
TEMPLATE_FORMAT = "jixiao-template"
FORMAT_VERSION = 1
MAX_TEXT = 20000  # characters in one text field
MAX_ITEMS = 2000  # entries in one list


class CodecError(ValueError):
    """Data that cannot become records; the message is Chinese and names the place."""


# --------------------------------------------------------------------------- reading helpers


class _Reader:
    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise CodecError(f"{where or '内容'}应为对象（{{…}}）")
        self.data: dict[str, Any] = data
        self.where = where

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise CodecError(f"{self.at(key)} 应为文字")
        if isinstance(value, Decimal) and magnitude_problem(value):
            raise CodecError(f"{self.at(key)} {magnitude_problem(value)}")
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
        if len(text) > MAX_TEXT:
            raise CodecError(f"{self.at(key)} 过长（超过 {MAX_TEXT} 字）")
        return text

    def required_text(self, key: str) -> str:
        if not self.has(key):
            raise CodecError(f"缺少 {self.at(key)}")
        return self.text(key)

    def decimal(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        d = to_decimal(value)
        if d is None or not d.is_finite() or abs(d) > Decimal("1e12") or magnitude_problem(d):
            shown = str(value) if len(str(value)) <= 40 else str(value)[:37] + "…"
            raise CodecError(f"{self.at(key)} 应为数字（整数部分最多 12 位、最多 10 位小数），实际为“{shown}”")
        return d

    def required_decimal(self, key: str) -> Decimal:
        d = self.decimal(key)
        if d is None:
            raise CodecError(f"缺少 {self.at(key)}")
        return d

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise CodecError(f"{self.at(key)} 应为整数")
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise CodecError(f"{self.at(key)} 应为 true 或 false")
        return value

    def items(self, key: str) -> list[tuple[str, Any]]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise CodecError(f"{self.at(key)} 应为列表")
        if len(value) > MAX_ITEMS:
            raise CodecError(f"{self.at(key)} 的项数过多（超过 {MAX_ITEMS}）")
        return [(f"{self.at(key)}[{i}]", v) for i, v in enumerate(value)]

    def child(self, key: str) -> _Reader:
        return _Reader(self.data.get(key) or {}, self.at(key))


def _num(d: Decimal | None) -> str | None:
    return None if d is None else format(d, "f")


def _prune(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v not in (None, "", [], {}, ())}


# --------------------------------------------------------------------------- rules and indicators


def rule_from(data: Any, where: str) -> Rule:
    r = _Reader(data, where)
    params = r.data.get("params") or {}
    if not isinstance(params, dict):
        raise CodecError(f"{r.at('params')} 应为对象")
    return Rule(r.required_text("kind"), params)


def indicator_from(data: Any, where: str) -> Indicator:
    r = _Reader(data, where)
    checks = r.data.get("checks")
    if checks is not None and (not isinstance(checks, list) or not all(isinstance(c, bool) for c in checks)):
        raise CodecError(f"{r.at('checks')} 应为 true/false 列表")
    tier = r.integer("tier")
    override, reviewer = r.child("override"), r.child("reviewer")
    return Indicator(
        name=r.required_text("name"),
        weight=r.required_decimal("weight"),
        rule=rule_from(r.data.get("rule") or {"kind": "proportional"}, r.at("rule")),
        target=r.text("target"),
        actual=r.text("actual"),
        explanation=r.text("explanation"),
        benchmark=r.text("benchmark"),
        criteria=r.text("criteria"),
        checks=tuple(checks) if checks is not None else None,
        level=r.decimal("level"),
        tier=tier,
        tier_percent=r.decimal("tier_percent"),
        manual_score=r.decimal("manual_score"),
        subitems=tuple(
            SubItem(s.required_text("name"), s.text("target"), s.text("actual"), s.text("explanation"))
            for s in (_Reader(v, w) for w, v in r.items("subitems"))
        ),
        deviation_reason=r.text("deviation_reason"),
        override_score=override.decimal("score"),
        override_reason=override.text("reason"),
        reviewer_score=reviewer.decimal("score"),
        reviewer_note=reviewer.text("note"),
        not_applicable=r.boolean("not_applicable"),
    )


def indicator_to(ind: Indicator) -> dict[str, Any]:
    out = _indicator_to(ind)
    if ind.checks == ():  # assessed with nothing ticked is not “not assessed” (None): keep the empty list
        out["checks"] = []
    return out


def _indicator_to(ind: Indicator) -> dict[str, Any]:
    return _prune({
        "name": ind.name,
        "weight": _num(ind.weight),
        "rule": ind.rule.to_json(),
        "target": ind.target,
        "actual": ind.actual,
        "explanation": ind.explanation,
        "benchmark": ind.benchmark,
        "criteria": ind.criteria,
        "checks": list(ind.checks) if ind.checks is not None else None,
        "level": _num(ind.level),
        "tier": ind.tier,
        "tier_percent": _num(ind.tier_percent),
        "manual_score": _num(ind.manual_score),
        "subitems": [_prune({"name": s.name, "target": s.target, "actual": s.actual,
                             "explanation": s.explanation}) for s in ind.subitems],
        "deviation_reason": ind.deviation_reason,
        "override": _prune({"score": _num(ind.override_score), "reason": ind.override_reason}),
        "reviewer": _prune({"score": _num(ind.reviewer_score), "note": ind.reviewer_note}),
        "not_applicable": ind.not_applicable or None,
    })


def categories_from(r: _Reader) -> tuple[Category, ...]:
    cats: list[Category] = []
    for cw, cdata in r.items("categories"):
        c = _Reader(cdata, cw)
        groups: list[Group] = []
        for gw, gdata in c.items("groups"):
            g = _Reader(gdata, gw)
            inds = tuple(indicator_from(v, w) for w, v in g.items("indicators"))
            groups.append(Group(g.required_text("name"), g.decimal("weight"), inds))
        cats.append(Category(c.required_text("name"), c.required_decimal("weight"), tuple(groups), c.text("short")))
    return tuple(cats)


def categories_to(categories: tuple[Category, ...]) -> list[dict[str, Any]]:
    return [
        _prune({
            "name": c.name,
            "short": c.short_name,
            "weight": _num(c.weight),
            "groups": [
                {"name": g.name, "weight": _num(g.weight), "indicators": [indicator_to(i) for i in g.indicators]}
                for g in c.groups
            ],
        })
        for c in categories
    ]


# --------------------------------------------------------------------------- project


def budget_from(r: _Reader) -> Budget:
    rows: dict[str, BudgetRow] = {}
    for key, _, _ in BUDGET_ROWS:
        row = r.child(key)
        unknown = [k for k in row.data if k not in {c for c, _ in BUDGET_COLUMNS} | {"stated_total"}]
        if unknown:
            raise CodecError(f"{row.at(unknown[0])} 不是预算表的列")
        cells = {c: row.decimal(c) for c, _ in BUDGET_COLUMNS}
        rows[key] = BudgetRow(**cells, stated_total=row.decimal("stated_total"))
    return Budget(**rows)


def budget_to(budget: Budget) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, _, _ in BUDGET_ROWS:
        row = budget.row(key)
        cells = _prune({c: _num(row.cell(c)) for c, _ in BUDGET_COLUMNS} | {"stated_total": _num(row.stated_total)})
        if cells:
            out[key] = cells
    return out


def project_from(data: Any, where: str = "project", templates: Mapping[str, Template] | None = None) -> tuple[
    Project, Template | None
]:
    """A project and, when the JSON embeds one, its template."""
    r = _Reader(data, where)
    embedded: Template | None = None
    tref = r.data.get("template")
    if isinstance(tref, dict):
        embedded = template_from(tref, r.at("template"))
        template_id = embedded.id
    elif isinstance(tref, str) and tref:
        template_id = tref
    else:
        raise CodecError(f"缺少 {r.at('template')}（模板编号或内嵌模板）")
    year = r.integer("year")
    if year is None or not 1900 <= year <= 2200:
        raise CodecError(f"{r.at('year')} 应为年度，如 2021")
    narrative = r.child("narrative")
    unknown = [k for k in narrative.data if k not in NARRATIVE_KEYS]
    if unknown:
        raise CodecError(f"{narrative.at(unknown[0])} 不是已知的文字段落")
    review = r.child("review")
    project = Project(
        id=r.integer("id"),
        year=year,
        name=r.required_text("name"),
        template_id=template_id,
        department=r.text("department"),
        unit=r.text("unit"),
        contact=r.text("contact"),
        phone=r.text("phone"),
        region=r.text("region"),
        narrative={k: narrative.text(k) for k in narrative.data if narrative.text(k)},
        budget=budget_from(r.child("budget")),
        categories=categories_from(r),
        materials=tuple(_text_item(v, w) for w, v in r.items("materials")),
        penalties=tuple(
            PenaltyInput(p.required_text("key"), p.text("value"),
                         p.boolean("applied") if p.has("applied") else None)
            for p in (_Reader(v, w) for w, v in r.items("penalties"))
        ),
        review=ReviewInfo(review.text("agency"), review.text("reviewers"), review.text("date"),
                          _review_status(review), review.text("opinion")),
        convention=r.text("convention"),
        published_total=r.decimal("published_total"),
    )
    return project, embedded


def _review_status(review: _Reader) -> str:
    status = review.text("status") or REVIEW_STATUSES[0]
    if status not in REVIEW_STATUSES:
        raise CodecError(f"{review.at('status')} 应为{'、'.join(REVIEW_STATUSES)}之一")
    return status


def _text_item(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise CodecError(f"{where} 应为文字")
    return value


def project_to(project: Project, template: Template | None = None) -> dict[str, Any]:
    """Plain JSON data for a project; with ``template`` it is embedded instead of referenced."""
    return _prune({
        "id": project.id,
        "year": project.year,
        "name": project.name,
        "department": project.department,
        "unit": project.unit,
        "contact": project.contact,
        "phone": project.phone,
        "region": project.region,
        "template": template_to(template) if template is not None else project.template_id,
        "narrative": {k: v for k, v in project.narrative.items() if v},
        "budget": budget_to(project.budget),
        "categories": categories_to(project.categories),
        "materials": list(project.materials),
        "penalties": [_prune({"key": p.key, "value": p.value, "applied": p.applied}) for p in project.penalties],
        "review": _prune({"agency": project.review.agency, "reviewers": project.review.reviewers,
                          "date": project.review.date,
                          "status": project.review.status if project.review.status != REVIEW_STATUSES[0] else "",
                          "opinion": project.review.opinion}),
        "convention": project.convention,
        "published_total": _num(project.published_total),
    })


def document_from(data: Any, templates: Mapping[str, Template] | None = None) -> list[tuple[Project, Template | None]]:
    """A project interchange document: ``{"format": "jixiao-project", "projects": [...]}`` or one project."""
    if not isinstance(data, dict):
        raise CodecError("文件内容不是项目数据（应为 JSON 对象）")
    fmt = data.get("format")
    if fmt is not None and fmt != PROJECT_FORMAT:
        raise CodecError(f"文件格式“{fmt}”不是项目数据（应为 {PROJECT_FORMAT}）")
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise CodecError(f"项目数据版本 {version} 比本程序支持的版本 {FORMAT_VERSION} 新，请升级程序")
    if "projects" in data:
        r = _Reader(data, "")
        return [project_from(v, w, templates) for w, v in r.items("projects")]
    if "project" in data:
        return [project_from(data["project"], "project", templates)]
    return [project_from(data, "", templates)]


def document_to(projects: list[tuple[Project, Template | None]]) -> dict[str, Any]:
    return {"format": PROJECT_FORMAT, "version": FORMAT_VERSION,
            "projects": [project_to(p, t) for p, t in projects]}


# --------------------------------------------------------------------------- template


def template_from(data: Any, where: str = "") -> Template:
    """A template from its JSON data; structural problems raise, rule problems are found by validation."""
    r = _Reader(data, where)
    fmt = r.data.get("format")
    if fmt is not None and fmt != TEMPLATE_FORMAT:
        raise CodecError(f"{r.at('format')}“{fmt}”不是模板格式")
    grades = tuple(
        GradeBand(g.required_text("label"), g.required_decimal("min"), g.text("long"))
        for g in (_Reader(v, w) for w, v in r.items("grades"))
    )
    tiers = tuple(
        QualitativeTier(t.required_text("label"), t.required_decimal("low"), t.required_decimal("high"),
                        t.boolean("low_inclusive", True), t.boolean("high_inclusive", True))
        for t in (_Reader(v, w) for w, v in r.items("qualitative_tiers"))
    )
    penalties = tuple(
        PenaltyDef(
            key=p.required_text("key"), name=p.required_text("name"), group=p.text("group"),
            points=p.required_decimal("points"), operator=p.required_text("operator"),
            threshold=p.required_decimal("threshold"), source=p.text("source"),
            fallback_indicator=tuple(_text_item(v, w) for w, v in p.items("fallback_indicator")),
            cap_grade=p.text("cap_grade"), explanation=p.text("explanation"),
            benchmark=p.text("benchmark"), criteria=p.text("criteria"),
        )
        for p in (_Reader(v, w) for w, v in r.items("penalties"))
    )
    threshold = r.decimal("overachievement_threshold")
    return Template(
        id=r.required_text("id"),
        name=r.required_text("name"),
        layout=r.text("layout", "mof"),
        total=r.decimal("total") or Decimal(100),
        categories=categories_from(r),
        grades=grades,
        qualitative_tiers=tiers,
        penalties=penalties,
        execution_base=r.text("execution_base", "adjusted"),
        rescale_not_applicable=r.boolean("rescale_not_applicable", True),
        overachievement_threshold=threshold if threshold is not None else Decimal("0.2"),
        has_reviewer=r.boolean("has_reviewer"),
        convention=r.text("convention"),
        version=r.integer("version") or 1,
        description=r.text("description"),
        source=data,
    )


def template_to(t: Template) -> dict[str, Any]:
    return _prune({
        "format": TEMPLATE_FORMAT,
        "id": t.id,
        "name": t.name,
        "version": t.version,
        "description": t.description,
        "layout": t.layout,
        "total": _num(t.total),
        "execution_base": t.execution_base,
        "rescale_not_applicable": t.rescale_not_applicable,
        "overachievement_threshold": _num(t.overachievement_threshold),
        "has_reviewer": t.has_reviewer or None,
        "convention": t.convention,
        "grades": [_prune({"label": g.label, "min": _num(g.minimum), "long": g.long_label}) for g in t.grades],
        "qualitative_tiers": [
            {"label": q.label, "low": _num(q.low), "high": _num(q.high),
             "low_inclusive": q.low_inclusive, "high_inclusive": q.high_inclusive}
            for q in t.qualitative_tiers
        ],
        "penalties": [
            _prune({"key": p.key, "name": p.name, "group": p.group, "points": _num(p.points),
                    "operator": p.operator, "threshold": _num(p.threshold), "source": p.source,
                    "fallback_indicator": list(p.fallback_indicator), "cap_grade": p.cap_grade,
                    "explanation": p.explanation, "benchmark": p.benchmark, "criteria": p.criteria})
            for p in t.penalties
        ],
        "categories": categories_to(t.categories),
    })
