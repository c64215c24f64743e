"""ORM rows ⇄ scoring records: the only module that knows both the tables and ``app.scoring.records``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from app.models import jsontext
from app.models.schema import (
    Base,
    BudgetCellRow,
    CategoryRow,
    CheckRow,
    GroupRow,
    IndicatorRow,
    MaterialRow,
    NarrativeRow,
    PenaltyInputRow,
    ProjectRow,
    SubItemRow,
    TemplateRow,
    metadata,
)
from app.scoring.codec import template_from, template_to
from app.scoring.records import (
    BUDGET_COLUMNS,
    BUDGET_ROWS,
    NARRATIVE_SECTIONS,
    Budget,
    BudgetRow,
    Category,
    Group,
    Indicator,
    PenaltyInput,
    Project,
    ReviewInfo,
    Rule,
    SubItem,
    Template,
)

_NARRATIVE_ORDER = {key: i for i, (key, _) in enumerate(NARRATIVE_SECTIONS)}
_BUDGET_CELL_COLUMNS = (*(c for c, _ in BUDGET_COLUMNS), "stated_total")


def _table(cls: type[Base]) -> Table:
    return metadata.tables[cls.__tablename__]


@dataclass(frozen=True)
class SummaryRow:
    """The identity columns of a project row, for lists."""

    id: int
    year: int
    name: str
    department: str
    unit: str
    template_id: str


# --------------------------------------------------------------------------- templates


def template_json(template: Template) -> str:
    return jsontext.dumps(template_to(template))


def read_templates(conn: Connection) -> dict[str, Template]:
    """Every template stored in the file, by id. Raises CodecError/ValueError on damaged data."""
    rows = conn.execute(select(TemplateRow.id, TemplateRow.data).order_by(TemplateRow.id)).all()
    out: dict[str, Template] = {}
    for tid, data in rows:
        template = template_from(jsontext.loads(data), f"模板 {tid}")
        out[tid] = template if template.id == tid else _with_id(template, tid)
    return out


def _with_id(template: Template, tid: str) -> Template:
    from dataclasses import replace

    return replace(template, id=tid)


def stored_template_json(conn: Connection, template_id: str) -> str | None:
    value: str | None = conn.execute(select(TemplateRow.data).where(TemplateRow.id == template_id)).scalar()
    return value


def write_template(conn: Connection, template: Template) -> None:
    conn.execute(insert(_table(TemplateRow)).values(id=template.id, name=template.name,
                                                    data=template_json(template)))


# --------------------------------------------------------------------------- project lists


def read_summaries(conn: Connection, year: int | None = None) -> list[SummaryRow]:
    stmt = select(ProjectRow.id, ProjectRow.year, ProjectRow.name, ProjectRow.department, ProjectRow.unit,
                  ProjectRow.template_id)
    if year is not None:
        stmt = stmt.where(ProjectRow.year == year)
    stmt = stmt.order_by(ProjectRow.year.desc(), ProjectRow.name, ProjectRow.id)
    return [SummaryRow(*row) for row in conn.execute(stmt)]


def read_years(conn: Connection) -> list[int]:
    return list(conn.execute(select(ProjectRow.year).distinct().order_by(ProjectRow.year.desc())).scalars())


def project_exists(conn: Connection, project_id: int) -> bool:
    return conn.execute(select(ProjectRow.id).where(ProjectRow.id == project_id)).first() is not None


def project_template_id(conn: Connection, project_id: int) -> str | None:
    value: str | None = conn.execute(
        select(ProjectRow.template_id).where(ProjectRow.id == project_id)).scalar()
    return value


# --------------------------------------------------------------------------- writing a project


def _project_values(p: Project) -> dict[str, Any]:
    return {"year": p.year, "name": p.name, "template_id": p.template_id, "department": p.department,
            "unit": p.unit, "contact": p.contact, "phone": p.phone, "region": p.region,
            "review_agency": p.review.agency, "review_reviewers": p.review.reviewers,
            "review_date": p.review.date}


def insert_project(conn: Connection, project: Project) -> int:
    """Store a new project (its template must already be stored); returns its id."""
    result = conn.execute(insert(_table(ProjectRow)).values(**_project_values(project)))
    key = result.inserted_primary_key
    assert key is not None
    pid = int(key[0])
    _insert_children(conn, pid, project)
    return pid


def replace_project(conn: Connection, project: Project) -> None:
    """Replace everything stored for ``project.id`` by ``project``."""
    assert project.id is not None
    pid = project.id
    conn.execute(update(_table(ProjectRow)).where(ProjectRow.id == pid).values(**_project_values(project)))
    for cls in (CategoryRow, NarrativeRow, BudgetCellRow, MaterialRow, PenaltyInputRow):
        conn.execute(delete(_table(cls)).where(_table(cls).c.project_id == pid))
    _insert_children(conn, pid, project)


def delete_project(conn: Connection, project_id: int) -> None:
    conn.execute(delete(_table(ProjectRow)).where(ProjectRow.id == project_id))


def _next_id(conn: Connection, cls: type[Base]) -> int:
    table = _table(cls)
    return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1


def _insert_children(conn: Connection, pid: int, p: Project) -> None:
    rows: dict[type[Base], list[dict[str, Any]]] = defaultdict(list)
    rows[NarrativeRow] = [{"project_id": pid, "key": k, "text": v} for k, v in p.narrative.items()]
    for key, _, _ in BUDGET_ROWS:
        brow = p.budget.row(key)
        for col in _BUDGET_CELL_COLUMNS:
            value = brow.stated_total if col == "stated_total" else brow.cell(col)
            if value is not None:
                rows[BudgetCellRow].append({"project_id": pid, "row": key, "col": col, "value": value})
    rows[MaterialRow] = [{"project_id": pid, "position": i, "text": t} for i, t in enumerate(p.materials)]
    rows[PenaltyInputRow] = [{"project_id": pid, "position": i, "key": x.key, "value": x.value,
                              "applied": x.applied} for i, x in enumerate(p.penalties)]
    if p.categories:
        cat_id, grp_id, ind_id = (_next_id(conn, c) for c in (CategoryRow, GroupRow, IndicatorRow))
        for ci, cat in enumerate(p.categories):
            rows[CategoryRow].append({"id": cat_id, "project_id": pid, "position": ci, "name": cat.name,
                                      "short_name": cat.short_name, "weight": cat.weight})
            for gi, grp in enumerate(cat.groups):
                rows[GroupRow].append({"id": grp_id, "category_id": cat_id, "position": gi, "name": grp.name,
                                       "weight": grp.weight})
                for ii, ind in enumerate(grp.indicators):
                    rows[IndicatorRow].append(_indicator_values(ind, ind_id, grp_id, ii))
                    rows[CheckRow] += [{"indicator_id": ind_id, "position": k, "met": met}
                                       for k, met in enumerate(ind.checks or ())]
                    rows[SubItemRow] += [{"indicator_id": ind_id, "position": k, "name": s.name, "target": s.target,
                                          "actual": s.actual, "explanation": s.explanation}
                                         for k, s in enumerate(ind.subitems)]
                    ind_id += 1
                grp_id += 1
            cat_id += 1
    for cls in (NarrativeRow, BudgetCellRow, MaterialRow, PenaltyInputRow, CategoryRow, GroupRow, IndicatorRow,
                CheckRow, SubItemRow):
        if rows[cls]:
            conn.execute(insert(_table(cls)), rows[cls])


def _indicator_values(ind: Indicator, ind_id: int, grp_id: int, position: int) -> dict[str, Any]:
    return {
        "id": ind_id, "group_id": grp_id, "position": position, "name": ind.name, "weight": ind.weight,
        "rule_kind": ind.rule.kind, "rule_params": jsontext.dumps(dict(ind.rule.params)),
        "target": ind.target, "actual": ind.actual, "explanation": ind.explanation,
        "benchmark": ind.benchmark, "criteria": ind.criteria, "has_checks": ind.checks is not None,
        "level": ind.level, "tier": ind.tier, "tier_percent": ind.tier_percent,
        "manual_score": ind.manual_score, "deviation_reason": ind.deviation_reason,
        "override_score": ind.override_score, "override_reason": ind.override_reason,
        "reviewer_score": ind.reviewer_score, "reviewer_note": ind.reviewer_note,
        "not_applicable": ind.not_applicable,
    }


# --------------------------------------------------------------------------- reading a project


def read_project(conn: Connection, project_id: int) -> Project | None:
    """The stored project, or None when there is no project with that id."""
    prow = conn.execute(select(_table(ProjectRow)).where(ProjectRow.id == project_id)).mappings().first()
    if prow is None:
        return None
    pid = project_id
    stored = {k: v for k, v in conn.execute(
        select(NarrativeRow.key, NarrativeRow.text).where(NarrativeRow.project_id == pid))}
    order = sorted(stored, key=lambda k: (_NARRATIVE_ORDER.get(k, len(_NARRATIVE_ORDER)), k))
    narrative = {k: stored[k] for k in order}
    cells: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row, col, value in conn.execute(select(BudgetCellRow.row, BudgetCellRow.col, BudgetCellRow.value)
                                        .where(BudgetCellRow.project_id == pid)):
        cells[row][col] = value
    budget = Budget(**{key: BudgetRow(**cells[key]) for key, _, _ in BUDGET_ROWS})
    materials = tuple(conn.execute(select(MaterialRow.text).where(MaterialRow.project_id == pid)
                                   .order_by(MaterialRow.position)).scalars())
    penalties = tuple(PenaltyInput(k, v, a) for k, v, a in conn.execute(
        select(PenaltyInputRow.key, PenaltyInputRow.value, PenaltyInputRow.applied)
        .where(PenaltyInputRow.project_id == pid).order_by(PenaltyInputRow.position)))
    return Project(
        id=pid, year=prow["year"], name=prow["name"], template_id=prow["template_id"],
        department=prow["department"], unit=prow["unit"], contact=prow["contact"], phone=prow["phone"],
        region=prow["region"], narrative=narrative, budget=budget, categories=_read_categories(conn, pid),
        materials=materials, penalties=penalties,
        review=ReviewInfo(prow["review_agency"], prow["review_reviewers"], prow["review_date"]),
    )


def _read_categories(conn: Connection, pid: int) -> tuple[Category, ...]:
    cats = conn.execute(select(CategoryRow.id, CategoryRow.name, CategoryRow.weight, CategoryRow.short_name)
                        .where(CategoryRow.project_id == pid).order_by(CategoryRow.position)).all()
    if not cats:
        return ()
    in_project = select(CategoryRow.id).where(CategoryRow.project_id == pid)
    groups = conn.execute(select(GroupRow.id, GroupRow.category_id, GroupRow.name, GroupRow.weight)
                          .where(GroupRow.category_id.in_(in_project)).order_by(GroupRow.position)).all()
    group_ids = select(GroupRow.id).where(GroupRow.category_id.in_(in_project))
    ind_rows = conn.execute(select(_table(IndicatorRow)).where(IndicatorRow.group_id.in_(group_ids))
                            .order_by(IndicatorRow.position)).mappings().all()
    ind_ids = select(IndicatorRow.id).where(IndicatorRow.group_id.in_(group_ids))
    checks: dict[int, list[bool]] = defaultdict(list)
    for iid, met in conn.execute(select(CheckRow.indicator_id, CheckRow.met)
                                 .where(CheckRow.indicator_id.in_(ind_ids)).order_by(CheckRow.position)):
        checks[iid].append(bool(met))
    subitems: dict[int, list[SubItem]] = defaultdict(list)
    for iid, name, target, actual, explanation in conn.execute(
            select(SubItemRow.indicator_id, SubItemRow.name, SubItemRow.target, SubItemRow.actual,
                   SubItemRow.explanation).where(SubItemRow.indicator_id.in_(ind_ids))
            .order_by(SubItemRow.position)):
        subitems[iid].append(SubItem(name, target, actual, explanation))
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for r in ind_rows:
        iid = r["id"]
        params = jsontext.loads(r["rule_params"])
        if not isinstance(params, dict):
            raise ValueError("rule_params is not an object")
        indicators[r["group_id"]].append(Indicator(
            name=r["name"], weight=r["weight"], rule=Rule(r["rule_kind"], params), target=r["target"],
            actual=r["actual"], explanation=r["explanation"], benchmark=r["benchmark"], criteria=r["criteria"],
            checks=tuple(checks[iid]) if r["has_checks"] else None, level=r["level"], tier=r["tier"],
            tier_percent=r["tier_percent"], manual_score=r["manual_score"], subitems=tuple(subitems[iid]),
            deviation_reason=r["deviation_reason"], override_score=r["override_score"],
            override_reason=r["override_reason"], reviewer_score=r["reviewer_score"],
            reviewer_note=r["reviewer_note"], not_applicable=bool(r["not_applicable"]),
        ))
    by_category: dict[int, list[Group]] = defaultdict(list)
    for gid, cid, name, weight in groups:
        by_category[cid].append(Group(name, weight, tuple(indicators[gid])))
    return tuple(Category(name, weight, tuple(by_category[cid]), short) for cid, name, weight, short in cats)
