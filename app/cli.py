"""The command line of docs/cli.md: argument parsing, subcommands, Chinese messages and exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from app import __version__
from app.paths import log_dir, templates_dir
from app.scoring.engine import score_project
from app.scoring.numbers import fmt_decimal
from app.scoring.records import Level, Project, ScoreReport, Template
from app.scoring.templates import TemplateError, load_directory

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
log = logging.getLogger(__name__)


class UserError(Exception):
    """Bad input: the message (Chinese) is printed on stderr and the exit status is 1."""


@dataclass(frozen=True)
class Loaded:
    """A project read from a source, with the template it is scored against."""

    project: Project
    template: Template
    source: Path


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese usage errors and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        message = re.sub(r"^argument ([^:]+): ", r"参数 \1：", message)  # argparse's own words are English
        message = re.sub(r"invalid (\w+) value: ", "不是有效的数值：", message)
        self.exit(EXIT_USAGE, f"用法错误：{message}\n")


def year_number(text: str) -> int:
    """An argparse type: a year from 1900 to 2200."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度应为整数，如 2024，实际为“{text[:40]}”") from None
    if not 1900 <= value <= 2200:
        raise argparse.ArgumentTypeError(f"年度应在 1900 到 2200 之间，实际为“{text[:40]}”")
    return value


def id_number(text: str) -> int:
    """An argparse type: a project number (a positive 64-bit integer, as SQLite stores it)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"项目编号应为正整数，实际为“{text[:40]}”") from None
    if not 1 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"项目编号超出范围，实际为“{text[:40]}”")
    return value


def builtin_templates() -> dict[str, Template]:
    try:
        return load_directory(templates_dir())
    except TemplateError as exc:
        raise UserError(f"内置模板有误：{exc}。请重新安装本程序。") from exc


#: Readers per file suffix, registered by app.models (.json, .jxdb, .xlsx) with ``register_source``.
SOURCE_READERS: dict[str, Callable[[Path, dict[str, Template]], list[Loaded]]] = {}


def register_source(suffix: str, reader: Callable[[Path, dict[str, Template]], list[Loaded]]) -> None:
    SOURCE_READERS[suffix] = reader


def load_sources(paths: Sequence[str], year: int | None = None) -> list[Loaded]:
    """Every project of the given files, filtered by year; bad files raise UserError."""
    _register_optional_readers()
    templates = builtin_templates()
    out: list[Loaded] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise UserError(f"{name}：文件不存在，请检查路径")
        if path.is_dir():
            raise UserError(f"{name}：这是一个文件夹，请指定项目文件")
        reader = SOURCE_READERS.get(path.suffix.lower())
        if reader is None:
            kinds = "、".join(sorted(SOURCE_READERS))
            raise UserError(f"{name}：不支持的文件类型“{path.suffix}”，可用：{kinds}")
        try:
            out += reader(path, templates)
        except PermissionError as exc:
            raise UserError(f"{name}：没有读取权限，请检查文件权限或联系管理员") from exc
        except IsADirectoryError as exc:
            raise UserError(f"{name}：这是一个文件夹，请指定项目文件") from exc
        except OSError as exc:
            from app.models.errors import reason  # the one place OS errors become Chinese

            raise UserError(f"{name}：无法读取（{reason(exc)}）") from exc
    if year is not None:
        out = [item for item in out if item.project.year == year]
    return out


def _register_optional_readers() -> None:
    """Readers that live in other packages, imported lazily so `score` on JSON stays light."""
    _load_commands()


# --------------------------------------------------------------------------- score


def report_json(item: Loaded, report: ScoreReport) -> dict[str, Any]:
    p = item.project
    return {
        "id": p.id,
        "name": p.name,
        "year": p.year,
        "unit": p.unit,
        "department": p.department,
        "template": item.template.id,
        "source": str(item.source),
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
    lines = [f"{p.name}（{p.year}年，{p.unit or p.department or '未填写单位'}）", f"  模板：{item.template.name}"]
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


# --------------------------------------------------------------------------- parser and dispatch

#: Subcommands: name → (help, add_arguments, handler). Other packages add theirs with ``register``.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def register(
    name: str, help_text: str, add_arguments: Callable[[argparse.ArgumentParser], None],
    handler: Callable[[argparse.Namespace], int],
) -> None:
    COMMANDS[name] = (help_text, add_arguments, handler)


def _score_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="项目文件（.jxdb、.json 或 .xlsx）")
    p.add_argument("--year", type=year_number, help="只计算该年度的项目")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（小数以字符串表示）")


register("score", "计算项目得分和等级", _score_arguments, cmd_score)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m app", description="绩效自评：项目支出绩效自评的录入、计分、打印与导出")
    parser.add_argument("--version", action="version", version=f"绩效自评 {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name, (help_text, add_arguments, handler) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_arguments(p)
        p.set_defaults(handler=handler)
    return parser


def build_gui_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m app", description="绩效自评（不带命令时打开窗口）",
                     epilog="命令：" + "、".join(COMMANDS) + "（python -m app 命令 --help 查看用法）")
    parser.add_argument("file", nargs="?", metavar="FILE.jxdb", help="要打开的项目文件")
    parser.add_argument("--smoke", action="store_true", help="启动、打开文件、显示窗口后立即退出（安装检查用）")
    parser.add_argument("--version", action="version", version=f"绩效自评 {__version__}")
    return parser


def _load_commands() -> None:
    for module in ("app.models.commands", "app.exporters.commands"):
        try:
            __import__(module)
        except ImportError as exc:
            if exc.name != module:
                raise


def _write_crash_log() -> Path | None:
    try:
        path = log_dir() / "jixiao-cli.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
        return path
    except OSError:
        return None


def run(argv: Sequence[str]) -> int:
    """Parse and run; bad input gives one Chinese line on stderr and exit 1, never a traceback."""
    _load_commands()
    argv = list(argv)
    try:
        if (argv and argv[0] in COMMANDS) or argv[:1] in (["-h"], ["--help"]):
            args = build_parser().parse_args(argv)
            return int(args.handler(args))
        gui_args = build_gui_parser().parse_args(argv)
        return _run_gui(gui_args)
    except UserError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("已取消\n")
        return 130
    except Exception as exc:  # a bug: keep the message short, the details in the log
        where = _write_crash_log()
        sys.stderr.write(f"程序内部错误：{exc.__class__.__name__}。详情已写入日志 {where}，请将该文件发给维护人员。\n")
        return EXIT_BAD_INPUT


def _run_gui(args: argparse.Namespace) -> int:
    import importlib

    try:
        application = importlib.import_module("app.ui.application")
    except ImportError as exc:
        if exc.name and exc.name.startswith("app.ui"):
            raise UserError("窗口界面尚未包含在此版本中，请使用命令：python -m app score 项目文件") from exc
        raise UserError(f"无法启动窗口界面：缺少组件 {exc.name}。请重新安装本程序。") from exc
    return int(application.run_gui(args.file, smoke=args.smoke))
