"""ORM rows ⇄ scoring records: the only module that knows both the tables and ``app.scoring.records``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from app.models import jsontext, values
from app.models.schema import (
    Base,
    BudgetCellRow,
    CategoryRow,
    CheckRow,
    GroupRow,
    HistoryRow,
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
from app.scoring.history import Change, HistoryEntry
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
class ProjectSummary:
    """One line of the project list: the identity columns of a project row."""

    id: int
    year: int
    name: str
    department: str
    unit: str
    template_id: str


@dataclass(frozen=True)
class StoredShape:
    """The row ids of a stored project's indicator tree, by position, so an edit can update rows in place."""

    category_ids: tuple[int, ...]
    group_ids: tuple[tuple[int, ...], ...]
    indicator_ids: tuple[tuple[tuple[int, ...], ...], ...]


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


def store_template(conn: Connection, template: Template) -> tuple[str, bool]:
    """Store ``template`` unless the same one is stored; a different template with the same id is stored
    under a new id (``id-2``, ``id-3`` …). Returns the id it has in the database and whether it was added."""
    from dataclasses import replace

    candidate, n = template.id, 1
    while True:
        stored = stored_template_json(conn, candidate)
        if stored is None:
            write_template(conn, replace(template, id=candidate))
            return candidate, True
        if stored == template_json(replace(template, id=candidate)):
            return candidate, False
        n += 1
        candidate = f"{template.id}-{n}"


# --------------------------------------------------------------------------- project lists


def read_summaries(conn: Connection, year: int | None = None) -> list[ProjectSummary]:
    stmt = select(ProjectRow.id, ProjectRow.year, ProjectRow.name, ProjectRow.department, ProjectRow.unit,
                  ProjectRow.template_id)
    if year is not None:
        stmt = stmt.where(ProjectRow.year == year)
    stmt = stmt.order_by(ProjectRow.year.desc(), ProjectRow.name, ProjectRow.id)
    return [ProjectSummary(*row) for row in conn.execute(stmt)]


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
            "review_date": p.review.date, "review_status": p.review.status, "review_opinion": p.review.opinion}


def insert_project(conn: Connection, project: Project) -> tuple[int, StoredShape]:
    """Store a new project (its template must already be stored); returns its id and row ids."""
    result = conn.execute(insert(_table(ProjectRow)).values(**_project_values(project)))
    key = result.inserted_primary_key
    assert key is not None
    pid = int(key[0])
    return pid, _insert_children(conn, pid, project)


def replace_project(conn: Connection, project: Project) -> StoredShape:
    """Replace everything stored for ``project.id`` by ``project``."""
    assert project.id is not None
    pid = project.id
    conn.execute(update(_table(ProjectRow)).where(ProjectRow.id == pid).values(**_project_values(project)))
    for cls in (CategoryRow, NarrativeRow, BudgetCellRow, MaterialRow, PenaltyInputRow):
        conn.execute(delete(_table(cls)).where(_table(cls).c.project_id == pid))
    return _insert_children(conn, pid, project)


def _same_shape(a: Project, b: Project) -> bool:
    return [[len(g.indicators) for g in c.groups] for c in a.categories] == \
        [[len(g.indicators) for g in c.groups] for c in b.categories]


def _budget_cells(p: Project) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for key, _, _ in BUDGET_ROWS:
        brow = p.budget.row(key)
        for col in _BUDGET_CELL_COLUMNS:
            value = brow.stated_total if col == "stated_total" else brow.cell(col)
            if value is not None:
                out.append((key, col, str(value)))
    return out


def _exact(value: Any) -> Any:
    """A value compared as stored: Decimal("3") and Decimal("3.00") differ."""
    return str(value) if isinstance(value, Decimal) else value


def _changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The columns of ``new`` whose stored value differs from ``old``."""
    return {k: v for k, v in new.items() if _exact(old.get(k)) != _exact(v) or type(old.get(k)) is not type(v)}


def update_project(conn: Connection, old: Project | None, shape: StoredShape | None, new: Project) -> StoredShape:
    """Store ``new`` over the stored project ``old`` (as last read or written, with its row ids ``shape``):
    only the rows that changed are written. Without ``old`` (or when the tree changed shape) every row of
    the project is rewritten."""
    if old is None or shape is None or old.id != new.id or not _same_shape(old, new):
        return replace_project(conn, new)
    pid = new.id
    assert pid is not None
    project_changes = _changed(_project_values(old), _project_values(new))
    if project_changes:
        conn.execute(update(_table(ProjectRow)).where(ProjectRow.id == pid).values(**project_changes))
    changed: dict[type[Base], bool] = {
        NarrativeRow: dict(old.narrative) != dict(new.narrative) or _settings(old) != _settings(new),
        BudgetCellRow: _budget_cells(old) != _budget_cells(new),
        MaterialRow: old.materials != new.materials,
        PenaltyInputRow: old.penalties != new.penalties,
    }
    for cls, differs in changed.items():
        if differs:
            conn.execute(delete(_table(cls)).where(_table(cls).c.project_id == pid))
    rows = _leaf_rows(pid, new)
    for cls, differs in changed.items():
        if differs and rows[cls]:
            conn.execute(insert(_table(cls)), rows[cls])
    for ci, (oc, nc) in enumerate(zip(old.categories, new.categories, strict=True)):
        cid = shape.category_ids[ci]
        if oc is not nc and (oc.name, str(oc.weight), oc.short_name) != (nc.name, str(nc.weight), nc.short_name):
            conn.execute(update(_table(CategoryRow)).where(CategoryRow.id == cid)
                         .values(name=nc.name, weight=nc.weight, short_name=nc.short_name))
        for gi, (og, ng) in enumerate(zip(oc.groups, nc.groups, strict=True)):
            gid = shape.group_ids[ci][gi]
            if og is ng:
                continue
            if (og.name, str(og.weight)) != (ng.name, str(ng.weight)):
                conn.execute(update(_table(GroupRow)).where(GroupRow.id == gid).values(name=ng.name, weight=ng.weight))
            for ii, (oi, ni) in enumerate(zip(og.indicators, ng.indicators, strict=True)):
                if oi is not ni:
                    _update_indicator(conn, shape.indicator_ids[ci][gi][ii], gid, ii, oi, ni)
    return shape


def _update_indicator(conn: Connection, iid: int, gid: int, position: int, old: Indicator, new: Indicator) -> None:
    changes = _changed(_indicator_values(old, iid, gid, position), _indicator_values(new, iid, gid, position))
    if changes:  # only the columns that changed (a reviewer account may update only the review columns)
        conn.execute(update(_table(IndicatorRow)).where(IndicatorRow.id == iid).values(**changes))
    if old.checks != new.checks:
        conn.execute(delete(_table(CheckRow)).where(CheckRow.indicator_id == iid))
        if new.checks:
            conn.execute(insert(_table(CheckRow)), [{"indicator_id": iid, "position": k, "met": met}
                                                    for k, met in enumerate(new.checks)])
    if old.subitems != new.subitems:
        conn.execute(delete(_table(SubItemRow)).where(SubItemRow.indicator_id == iid))
        if new.subitems:
            conn.execute(insert(_table(SubItemRow)), _subitem_rows(iid, new))


def _subitem_rows(iid: int, ind: Indicator) -> list[dict[str, Any]]:
    return [{"indicator_id": iid, "position": k, "name": s.name, "target": s.target, "actual": s.actual,
             "explanation": s.explanation} for k, s in enumerate(ind.subitems)]


#: Project settings kept in the narratives table under reserved keys (no schema change; an older program
#: reading the file ignores keys it does not know). See docs/file-format.md.
SETTING_PREFIX = "setting."


def _settings(p: Project) -> dict[str, str]:
    out = {"convention": p.convention,
           "published_total": str(p.published_total) if p.published_total is not None else ""}
    return {SETTING_PREFIX + k: v for k, v in out.items() if v}


def _apply_settings(p: Project, stored: dict[str, str]) -> Project:
    published: Decimal | None = None
    text = stored.get("published_total", "")
    if text:
        try:
            published = Decimal(text)
        except ArithmeticError:
            published = None
        if published is not None and not published.is_finite():
            published = None
    return replace(p, convention=stored.get("convention", ""), published_total=published)


def _leaf_rows(pid: int, p: Project) -> dict[type[Base], list[dict[str, Any]]]:
    """The rows of a project that hang directly off it (not the indicator tree)."""
    texts = {**p.narrative, **_settings(p)}
    return {
        NarrativeRow: [{"project_id": pid, "key": k, "text": v} for k, v in texts.items()],
        BudgetCellRow: [{"project_id": pid, "row": r, "col": c, "value": Decimal(v)} for r, c, v in _budget_cells(p)],
        MaterialRow: [{"project_id": pid, "position": i, "text": t} for i, t in enumerate(p.materials)],
        PenaltyInputRow: [{"project_id": pid, "position": i, "key": x.key, "value": x.value, "applied": x.applied}
                          for i, x in enumerate(p.penalties)],
    }


def delete_project(conn: Connection, project_id: int) -> None:
    conn.execute(delete(_table(ProjectRow)).where(ProjectRow.id == project_id))


def _next_ids(conn: Connection, cls: type[Base], count: int) -> list[int]:
    """``count`` unused row ids. On a server the table's sequence hands them out (other clients insert at
    the same time, and row-level security hides their rows from max(id)); in a file, max(id) + 1 …"""
    table = _table(cls)
    if conn.dialect.name == "postgresql":
        seq = f"{table.name}_id_seq"
        rows = conn.execute(select(func.nextval(seq)).select_from(func.generate_series(1, count))).scalars()
        return sorted(int(v) for v in rows)
    first = int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1
    return list(range(first, first + count))


def _insert_children(conn: Connection, pid: int, p: Project) -> StoredShape:
    rows: dict[type[Base], list[dict[str, Any]]] = defaultdict(list, _leaf_rows(pid, p))
    cat_ids: list[int] = []
    grp_ids: list[tuple[int, ...]] = []
    ind_ids: list[tuple[tuple[int, ...], ...]] = []
    if p.categories:
        n_groups = sum(len(c.groups) for c in p.categories)
        n_inds = sum(len(g.indicators) for c in p.categories for g in c.groups)
        cat_pool = iter(_next_ids(conn, CategoryRow, len(p.categories)))
        grp_pool = iter(_next_ids(conn, GroupRow, n_groups) if n_groups else [])
        ind_pool = iter(_next_ids(conn, IndicatorRow, n_inds) if n_inds else [])
        for ci, cat in enumerate(p.categories):
            cat_id = next(cat_pool)
            rows[CategoryRow].append({"id": cat_id, "project_id": pid, "position": ci, "name": cat.name,
                                      "short_name": cat.short_name, "weight": cat.weight})
            cat_ids.append(cat_id)
            these_groups: list[int] = []
            these_inds: list[tuple[int, ...]] = []
            for gi, grp in enumerate(cat.groups):
                grp_id = next(grp_pool)
                rows[GroupRow].append({"id": grp_id, "category_id": cat_id, "position": gi, "name": grp.name,
                                       "weight": grp.weight})
                these_groups.append(grp_id)
                in_group: list[int] = []
                for ii, ind in enumerate(grp.indicators):
                    ind_id = next(ind_pool)
                    rows[IndicatorRow].append(_indicator_values(ind, ind_id, grp_id, ii))
                    rows[CheckRow] += [{"indicator_id": ind_id, "position": k, "met": met}
                                       for k, met in enumerate(ind.checks or ())]
                    rows[SubItemRow] += _subitem_rows(ind_id, ind)
                    in_group.append(ind_id)
                these_inds.append(tuple(in_group))
            grp_ids.append(tuple(these_groups))
            ind_ids.append(tuple(these_inds))
    for cls in (NarrativeRow, BudgetCellRow, MaterialRow, PenaltyInputRow, CategoryRow, GroupRow, IndicatorRow,
                CheckRow, SubItemRow):
        if rows[cls]:
            conn.execute(insert(_table(cls)), rows[cls])
    return StoredShape(tuple(cat_ids), tuple(grp_ids), tuple(ind_ids))


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
    found = read_project_rows(conn, project_id)
    return found[0] if found else None


def read_project_rows(conn: Connection, project_id: int) -> tuple[Project, StoredShape] | None:
    """The stored project with the row ids of its tree, or None when there is no such project."""
    return read_projects_rows(conn, [project_id]).get(project_id)


#: Project ids per query when many projects are read at once (well under SQLite's limit of bound values).
CHUNK = 400


def read_projects_rows(conn: Connection, project_ids: Sequence[int]) -> dict[int, tuple[Project, StoredShape]]:
    """Several stored projects with the row ids of their trees, by id, in a few queries per table (a year's
    projects for the overview); ids that are not stored are left out."""
    out: dict[int, tuple[Project, StoredShape]] = {}
    ids = list(dict.fromkeys(project_ids))
    for start in range(0, len(ids), CHUNK):
        out.update(_read_chunk(conn, ids[start:start + CHUNK]))
    return out


def _among(column: Any, ids: list[int]) -> Any:
    """``column IN (ids)``, or ``column = id`` for one id (the common case of opening one project: cheaper)."""
    return column == ids[0] if len(ids) == 1 else column.in_(ids)


def _read_chunk(conn: Connection, ids: list[int]) -> dict[int, tuple[Project, StoredShape]]:
    prows = {r["id"]: r for r in conn.execute(select(_table(ProjectRow)).where(_among(ProjectRow.id, ids))).mappings()}
    if not prows:
        return {}
    stored: dict[int, dict[str, str]] = defaultdict(dict)
    settings: dict[int, dict[str, str]] = defaultdict(dict)
    for pid, k, v in conn.execute(select(NarrativeRow.project_id, NarrativeRow.key, NarrativeRow.text)
                                  .where(_among(NarrativeRow.project_id, ids))):
        if k.startswith(SETTING_PREFIX):
            settings[pid][k[len(SETTING_PREFIX):]] = v
        else:
            stored[pid][k] = v
    cells: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for pid, row, col, value in conn.execute(select(BudgetCellRow.project_id, BudgetCellRow.row, BudgetCellRow.col,
                                                    BudgetCellRow.value).where(_among(BudgetCellRow.project_id, ids))):
        cells[pid][row][col] = value
    materials: dict[int, list[str]] = defaultdict(list)
    for pid, text in conn.execute(select(MaterialRow.project_id, MaterialRow.text)
                                  .where(_among(MaterialRow.project_id, ids)).order_by(MaterialRow.position)):
        materials[pid].append(text)
    penalties: dict[int, list[PenaltyInput]] = defaultdict(list)
    for pid, k, v, applied in conn.execute(
            select(PenaltyInputRow.project_id, PenaltyInputRow.key, PenaltyInputRow.value, PenaltyInputRow.applied)
            .where(_among(PenaltyInputRow.project_id, ids)).order_by(PenaltyInputRow.position)):
        penalties[pid].append(PenaltyInput(k, v, applied))
    trees = _read_categories(conn, ids)
    out: dict[int, tuple[Project, StoredShape]] = {}
    for pid, prow in prows.items():
        texts = stored[pid]
        order = sorted(texts, key=lambda k: (_NARRATIVE_ORDER.get(k, len(_NARRATIVE_ORDER)), k))
        budget = Budget(**{key: BudgetRow(**cells[pid][key]) for key, _, _ in BUDGET_ROWS})
        categories, shape = trees.get(pid, ((), StoredShape((), (), ())))
        project = _apply_settings(Project(
            id=pid, year=prow["year"], name=prow["name"], template_id=prow["template_id"],
            department=prow["department"], unit=prow["unit"], contact=prow["contact"], phone=prow["phone"],
            region=prow["region"], narrative={k: texts[k] for k in order}, budget=budget, categories=categories,
            materials=tuple(materials[pid]), penalties=tuple(penalties[pid]),
            review=ReviewInfo(prow["review_agency"], prow["review_reviewers"], prow["review_date"],
                              prow["review_status"], prow["review_opinion"]),
        ), settings[pid])
        values.check_loaded(project)
        out[pid] = project, shape
    return out


def _read_categories(conn: Connection, ids: list[int]) -> dict[int, tuple[tuple[Category, ...], StoredShape]]:
    """The indicator trees of the projects ``ids`` with their row ids, by project id."""
    cats = conn.execute(select(CategoryRow.id, CategoryRow.project_id, CategoryRow.name, CategoryRow.weight,
                               CategoryRow.short_name)
                        .where(_among(CategoryRow.project_id, ids)).order_by(CategoryRow.position)).all()
    if not cats:
        return {}
    in_projects = select(CategoryRow.id).where(_among(CategoryRow.project_id, ids))
    groups = conn.execute(select(GroupRow.id, GroupRow.category_id, GroupRow.name, GroupRow.weight)
                          .where(GroupRow.category_id.in_(in_projects)).order_by(GroupRow.position)).all()
    groups_in_projects = select(GroupRow.id).where(GroupRow.category_id.in_(in_projects))
    ind_rows = conn.execute(select(_table(IndicatorRow)).where(IndicatorRow.group_id.in_(groups_in_projects))
                            .order_by(IndicatorRow.position)).mappings().all()
    ind_ids = select(IndicatorRow.id).where(IndicatorRow.group_id.in_(groups_in_projects))
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
    indicator_ids: dict[int, list[int]] = defaultdict(list)
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
        indicator_ids[r["group_id"]].append(iid)
    by_category: dict[int, list[Group]] = defaultdict(list)
    group_ids: dict[int, list[int]] = defaultdict(list)
    for gid, cid, name, weight in groups:
        by_category[cid].append(Group(name, weight, tuple(indicators[gid])))
        group_ids[cid].append(gid)
    per_project: dict[int, list[Any]] = defaultdict(list)
    for cat in cats:
        per_project[cat[1]].append(cat)
    out: dict[int, tuple[tuple[Category, ...], StoredShape]] = {}
    for pid, rows in per_project.items():
        shape = StoredShape(tuple(c[0] for c in rows), tuple(tuple(group_ids[c[0]]) for c in rows),
                            tuple(tuple(tuple(indicator_ids[g]) for g in group_ids[c[0]]) for c in rows))
        out[pid] = tuple(Category(name, weight, tuple(by_category[cid]), short)
                         for cid, _, name, weight, short in rows), shape
    return out


# --------------------------------------------------------------------------- history


def insert_history(conn: Connection, project_id: int, at: str, who: str, entries: list[Change]) -> None:
    if entries:
        conn.execute(insert(_table(HistoryRow)), [
            {"project_id": project_id, "at": at, "who": who, "what": c.what, "before": c.before, "after": c.after}
            for c in entries])


def read_history(conn: Connection, project_id: int) -> list[HistoryEntry]:
    """A project's history, newest first."""
    rows = conn.execute(select(HistoryRow.at, HistoryRow.who, HistoryRow.what, HistoryRow.before, HistoryRow.after)
                        .where(HistoryRow.project_id == project_id).order_by(HistoryRow.id.desc()))
    return [HistoryEntry(*row) for row in rows]
