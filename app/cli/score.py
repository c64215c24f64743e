"""The `score` subcommand: every project of the given sources scored, as text or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli.common import EXIT_OK, Command, Loaded, UserError, load_sources, year_number
from app.scoring.engine import score_project
from app.scoring.numbers import fmt_decimal
from app.scoring.records import Level, ScoreReport


def report_json(item: Loaded, report: ScoreReport) -> dict[str, Any]:
    p = item.project
    return {
        "id": p.id,
        "name": p.name,
        "year": p.year,
        "unit": p.unit,
        "department": p.department,
        "template": item.template.id,
        "convention": report.convention,
        "source": item.where or str(item.source),
        "total": fmt_decimal(report.total, 2),
        "grade": report.grade,
        "reviewer_total": fmt_decimal(report.reviewer_total, 2) if report.reviewer_total is not None else None,
        "categories": [
            {"name": c.name, "weight": fmt_decimal(c.weight), "score": fmt_decimal(c.score, 2),
             "reviewer_score": fmt_decimal(c.reviewer_score, 2) if c.reviewer_score is not None else None}
            for c in report.categories
        ],
        "penalties": [{"name": x.name, "points": fmt_decimal(x.points)} for x in report.penalties],
        "indicators": [
            {"path": list(ln.path), "weight": fmt_decimal(ln.weight), "score": fmt_decimal(ln.score, 2),
             "computed": fmt_decimal(ln.computed, 2),
             "completion": fmt_decimal(ln.completion, 4) if ln.completion is not None else None,
             "overridden": ln.overridden, "not_applicable": ln.not_applicable,
             "reviewer_score": fmt_decimal(ln.reviewer_score, 2) if ln.reviewer_score is not None else None}
            for ln in report.lines
        ],
        "issues": [{"level": i.level.value, "where": str(i.where), "field": i.where.field, "message": i.message}
                   for i in report.issues],
    }


_LEVEL_MARK = {Level.ERROR: "错误", Level.WARNING: "提示", Level.INFO: "说明"}


def report_text(item: Loaded, report: ScoreReport) -> str:
    p = item.project
    lines = [f"{p.name}（{p.year}年，{p.unit or p.department or '未填写单位'}）", f"  模板：{item.template.name}",
             f"  {report.convention_label}"]
    width = max((len(c.name) for c in report.categories), default=4)
    for c in report.categories:
        lines.append(f"  {c.name:<{width}}  {fmt_decimal(c.score, 2):>7} / {fmt_decimal(c.weight)}")
    for pen in report.penalties:
        lines.append(f"  扣分项：{pen.name}  -{fmt_decimal(pen.points)}")
    total = f"  总分 {fmt_decimal(report.total)}  等级 {report.grade}"
    if report.reviewer_total is not None:
        total += f"  （复核 {fmt_decimal(report.reviewer_total)}）"
    lines.append(total)
    for issue in report.issues:
        where = f"{issue.where}：" if str(issue.where) else ""
        lines.append(f"  [{_LEVEL_MARK[issue.level]}] {where}{issue.message}")
    return "\n".join(lines)


def cmd_score(args: argparse.Namespace) -> int:
    items = load_sources(args.sources, args.year)
    if not items:
        raise UserError("没有找到项目" + (f"（{args.year}年）" if args.year else ""))
    results = [(item, score_project(item.project, item.template)) for item in items]
    if args.json:
        payload = {"projects": [report_json(i, r) for i, r in results]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write("\n\n".join(report_text(i, r) for i, r in results) + "\n")
    return EXIT_OK


def _score_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="项目文件（.jxdb、.json 或 .xlsx），"
                   "或服务器数据库地址 postgresql://账号@服务器/数据库")
    p.add_argument("--year", type=year_number, help="只计算该年度的项目")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（小数以字符串表示）")


SCORE = Command("score", "计算项目得分和等级", _score_arguments, cmd_score)
