"""Build 自评表 workbooks in the layouts provinces publish, from a project, for the import tests."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from app.scoring.engine import score_project
from app.scoring.numbers import fmt_decimal, parse
from app.scoring.records import Budget, Project, Template

MOF_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")


def _save(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with typed text kept as text: a target typed as “=8个” is not a formula."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    wb.save(path)


def _num(text: str) -> Any:
    """A cell value: numbers as numbers (as Excel users type them), other text as text."""
    p = parse(text)
    if p.kind.value == "number" and not p.comparator and not p.unit and p.value is not None:
        return int(p.value) if p.value == p.value.to_integral_value() else float(p.value)
    return text


def _rows(project: Project, template: Template, skip_execution: bool) -> list[tuple[str, str, Any, Decimal]]:
    """(category, group, indicator, published score) in order."""
    report = score_project(project, template)
    out = []
    for (ci, gi, ii), ind in project.indicators():
        if skip_execution and ind.rule.kind == "execution_rate":
            continue
        line = report.line((ci, gi, ii))
        assert line is not None
        out.append((project.categories[ci].name, project.categories[ci].groups[gi].name, ind, line.score))
    return out


def _merge_runs(ws: Worksheet, col: int, first_row: int, values: Sequence[str]) -> None:
    """Merge runs of equal values in one column, as the published tables do."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if i - start > 1:
                ws.merge_cells(start_row=first_row + start, start_column=col,
                               end_row=first_row + i - 1, end_column=col)
            start = i


def _budget_value(budget: Budget, row: str, column: str) -> Decimal | None:
    r = budget.row(row)
    if column == "fiscal":
        parts = [r.cell(c) for c in ("central", "provincial", "city", "county")]
        return None if all(p is None for p in parts) else r.fiscal
    if column == "total":
        return None if r.is_empty() else r.total
    return r.cell(column)


def mof_form(project: Project, template: Template, path: Path, *, unit: str = "万元",
             scores: dict[str, Any] | None = None, total: Any = None) -> Path:
    """The MoF form of 财预〔2020〕10号 附件1: title, identity, funds block with 预算执行率's 分值/执行率/得分,
    年度总体目标, then the indicator table with merged 一级/二级 cells and a 总分 row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "自评表"
    ws.append(["项目支出绩效自评表"])
    ws.merge_cells("A1:J1")
    ws.append([f"（{project.year}年度）"])
    ws.merge_cells("A2:J2")
    ws.append(["项目名称", project.name])
    ws.merge_cells("B3:J3")
    ws.append(["主管部门", project.department, None, None, None, "实施单位", project.unit])
    ws.merge_cells("B4:E4")
    ws.merge_cells("G4:J4")
    report = score_project(project, template)
    exe = next(((ind, report.line(idx)) for idx, ind in project.indicators() if ind.rule.kind == "execution_rate"),
               None)
    scale = Decimal(10000) if unit == "元" else Decimal(1)
    ws.append([f"项目资金（{unit}）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    labels = (("total", "年度资金总额"), ("fiscal", "其中：当年财政拨款"), ("carryover", "上年结转资金"),
              ("other", "其他资金"))
    for i, (key, label) in enumerate(labels):
        values = [_budget_value(project.budget, r, key) for r in ("initial", "adjusted", "executed")]
        row: list[Any] = [None, label] + [None if v is None else float(v * scale) for v in values]
        if i == 0 and exe is not None:
            ind, line = exe
            assert line is not None
            rate = report.execution_rate
            row += [float(ind.weight), None if rate is None else float(rate), float(line.score)]
        ws.append(row)
        if i == 0 and exe is not None:
            ws.cell(ws.max_row, 7).number_format = "0.00%"
    ws.merge_cells(start_row=5, start_column=1, end_row=9, end_column=1)
    for col in (6, 7, 8):
        ws.merge_cells(start_row=6, start_column=col, end_row=9, end_column=col)
    ws.append(["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
    ws.append([None, project.narrative.get("goal_annual", ""), None, None, None,
               project.narrative.get("analysis_output", "")])
    ws.merge_cells("A10:A11")
    header_row = ws.max_row + 1
    ws.append(["绩效指标", *MOF_HEADER])
    rows = _rows(project, template, skip_execution=exe is not None)
    for cat, grp, ind, score in rows:
        published = (scores or {}).get(ind.name, float(score))
        ws.append([None, cat, grp, ind.name, _num(ind.target), _num(ind.actual), float(ind.weight), published,
                   ind.deviation_reason])
    first = header_row + 1
    ws.merge_cells(start_row=header_row, start_column=1, end_row=header_row + len(rows), end_column=1)
    _merge_runs(ws, 2, first, [r[0] for r in rows])
    _merge_runs(ws, 3, first, [r[0] + "/" + r[1] for r in rows])
    all_weights = sum((ind.weight for _, ind in project.indicators()), Decimal(0))
    ws.append(["总分", None, None, None, None, None, float(all_weights),
               float(report.total) if total is None else total])
    ws.append(["注：本表由项目实施单位填写。"])
    _save(wb, path)
    return path


def seed_attachment(project: Project, template: Template, path: Path) -> Path:
    """Seed 000's 附件1: a title with the year, identity written as “项目名称：…”, 预算执行率 as an indicator row,
    headers 目标指标 / 权重 / 目标值 / 业绩值 / 完成率 / 指标得分, merged 一级/二级 cells, no funds block."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "附件1"
    ws.append([f"{project.year}年度项目支出绩效自评表"])
    ws.append([f"项目名称：{project.name}", None, None, None, f"实施单位：{project.unit}"])
    ws.append([])
    ws.append(["一级指标", "二级指标", "目标指标", "权重", "目标值", "业绩值", "完成率", "指标得分",
               "偏差原因分析及改进措施"])
    report = score_project(project, template)
    rows = _rows(project, template, skip_execution=False)
    first = ws.max_row + 1
    for (cat, grp, ind, score), (_, _) in zip(rows, project.indicators(), strict=True):
        line = next(ln for ln in report.lines if ln.path == (cat, grp, ind.name))
        completion = "" if line.completion is None else fmt_decimal(line.completion * 100, 2) + "%"
        ws.append([cat, grp, ind.name, fmt_decimal(ind.weight), ind.target, ind.actual, completion,
                   fmt_decimal(score), ind.deviation_reason])
    _merge_runs(ws, 1, first, [r[0] for r in rows])
    _merge_runs(ws, 2, first, [r[0] + "/" + r[1] for r in rows])
    ws.append(["合计", None, None, "100", None, None, None, fmt_decimal(report.total)])
    _save(wb, path)
    return path


def comparator_layout(project: Project, template: Template, path: Path) -> Path:
    """A provincial variant: amounts in 元 with the four levels of government, a two-row header where 指标值
    spans 指标性质 / 指标值 / 度量单位, 一级/二级 written once and left blank below (no merges), blank rows and
    a note row inside the table, weights and scores as numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append([f"{project.region or ''}{project.year}年度项目支出绩效自评表"])
    ws.append(["单位：元"])
    ws.append(["项目名称", project.name, None, "主管部门", project.department])
    ws.append(["实施单位", project.unit, None, "项目负责人", project.contact or "/"])
    ws.append(["资金来源", "年初预算数", "全年预算数", "全年执行数"])
    rows_b = (("年度资金总额", "total"), ("中央财政资金", "central"), ("省级财政资金", "provincial"),
              ("市级财政资金", "city"), ("县级财政资金", "county"), ("上年结转资金", "carryover"),
              ("其他资金", "other"))
    for label, key in rows_b:
        vals = [_budget_value(project.budget, r, key) for r in ("initial", "adjusted", "executed")]
        ws.append([label] + [None if v is None else float(v * 10000) for v in vals])
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", None, None, "实际完成值", "分值", "得分", "偏差原因"])
    h = ws.max_row
    ws.append([None, None, None, "指标性质", "指标值", "度量单位"])
    for col in (1, 2, 3, 7, 8, 9, 10):
        ws.merge_cells(start_row=h, start_column=col, end_row=h + 1, end_column=col)
    ws.merge_cells(start_row=h, start_column=4, end_row=h, end_column=6)
    last_cat = last_grp = ""
    report = score_project(project, template)
    for (ci, gi, ii), ind in project.indicators():
        cat, grp = project.categories[ci].name, project.categories[ci].groups[gi].name
        line = report.line((ci, gi, ii))
        assert line is not None
        p = parse(ind.target)
        if p.kind.value == "number" and p.value is not None:
            nature = {"≥": "≥", "≤": "≤", "=": "=", ">": ">", "<": "<"}.get(p.comparator or "", "")
            target_cell: Any = fmt_decimal(p.value) if p.unit in ("%", "‰") else _num(fmt_decimal(p.value))
            if p.unit in ("%", "‰"):
                target_cell += p.unit
                unit_cell = ""
            else:
                unit_cell = p.unit
        else:
            nature, target_cell, unit_cell = "定性", ind.target, ""
        actual_cell: Any = ind.actual
        a = parse(ind.actual)
        if a.kind.value == "number" and unit_cell and a.unit == unit_cell and not a.comparator and a.value is not None:
            actual_cell = _num(fmt_decimal(a.value))
        ws.append([cat if cat != last_cat else None, grp if (cat, grp) != (last_cat, last_grp) else None,
                   ind.name, nature, target_cell, unit_cell, actual_cell, float(ind.weight), float(line.score),
                   ind.deviation_reason])
        if ii == 0 and gi == 0 and ci == 0:
            ws.append([])
        last_cat, last_grp = cat, grp
    ws.append(["说明：分值、得分保留两位小数。"])
    ws.append(["合计", None, None, None, None, None, None, 100, float(report.total)])
    _save(wb, path)
    return path
