"""The file subcommands of docs/cli.md: demo, import, dump, check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import common as cli
from app.exporters.atomic import ExportError
from app.exporters.selfcheck import write_findings
from app.models import interchange
from app.models.document import Document, JxdbError, LockedError
from app.models.server import ServerDocument
from app.scoring.engine import score_project
from app.scoring.numbers import fmt_decimal
from app.scoring.records import Level
from app.scoring.selfcheck import OWN_CODES, Finding, self_check
from app.scoring.templates import validate_template

_LEVEL = {Level.ERROR: "错误", Level.WARNING: "提示", Level.INFO: "说明"}


def _open(path: Path, *, read_only: bool) -> Document:
    try:
        return Document.open(path, read_only=read_only)
    except LockedError as exc:
        raise cli.UserError(f"{exc}（命令行只读操作不受影响，可先关闭窗口中的文件）") from exc
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc


# --------------------------------------------------------------------------- demo


def _demo_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", metavar="OUT.jxdb", help="要写入的示例文件（不能已存在）")


def cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists():
        raise cli.UserError(f"“{out}”已存在。为避免覆盖，请换一个文件名或先删除该文件。")
    try:
        count = interchange.write_sample_file(out, cli.builtin_templates())
    except (JxdbError, interchange.InterchangeError) as exc:
        raise cli.UserError(str(exc)) from exc
    sys.stdout.write(f"已写入示例文件 {out}（{count} 个项目）\n")
    return cli.EXIT_OK


# --------------------------------------------------------------------------- import


def _import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.jxdb", help="项目文件（不存在时新建）")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="项目数据文件（.json）或自评表（.xlsx）")


def cmd_import(args: argparse.Namespace) -> int:
    target = Path(args.file)
    if target.suffix.lower() != ".jxdb":
        raise cli.UserError(f"“{target.name}”不是 .jxdb 文件名。请指定要导入到的 .jxdb 项目文件。")
    items = cli.load_sources(args.sources)  # reads and checks every source before touching the file
    doc = _open(target, read_only=False) if target.exists() else Document.new()
    try:
        if doc.read_only:
            why = getattr(doc, "read_only_reason", "") or "文件或其所在文件夹是只读的"
            raise cli.UserError(f"无法导入到文件“{target.name}”：{why}。请改正后再导入，或复制到可写的位置。")
        for item in items:
            doc.add_project(item.project, item.template)
        if doc.path is None:
            doc.save_as(target)
        else:
            doc.save()
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc
    finally:
        doc.close()
    sys.stdout.write(f"已导入 {len(items)} 个项目到 {target}\n")
    return cli.EXIT_OK


# --------------------------------------------------------------------------- dump


def _dump_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.jxdb", help="项目文件，或服务器数据库地址 postgresql://账号@服务器/数据库")
    p.add_argument("--project", type=cli.id_number, metavar="ID", help="只输出该编号的项目")


def cmd_dump(args: argparse.Namespace) -> int:
    doc: Document | ServerDocument
    if cli.is_server_address(args.file):
        from app.cli.server import open_server

        doc = open_server(args.file)
    else:
        doc = _open(Path(args.file), read_only=True)
    try:
        text = interchange.dump_text(doc, args.project, cli.builtin_templates())
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc
    finally:
        doc.close()
    sys.stdout.write(text)
    return cli.EXIT_OK


# --------------------------------------------------------------------------- check


def _check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.jxdb", help="项目文件")
    p.add_argument("--report", metavar="自查.xlsx", help="把自查发现的问题写成可打印的整改清单（.xlsx）")


def cmd_check(args: argparse.Namespace) -> int:
    """File integrity, then every template's and project's issues. Exit 0 when the file is sound."""
    path = Path(args.file)
    report_path = Path(args.report) if args.report else None
    if report_path is not None and report_path.suffix.lower() != ".xlsx":
        raise cli.UserError(f"整改清单“{report_path.name}”应为 .xlsx 文件")
    doc = _open(path, read_only=True)
    lines: list[str] = []
    findings: list[Finding] = []
    try:
        problems = doc.integrity_check()
        if problems:
            raise cli.UserError(f"文件“{path.name}”的完整性检查未通过（{problems[0]}）。请使用备份文件（.bak）。")
        templates = doc.templates()
        for tid, template in templates.items():
            for issue in validate_template(template):
                lines.append(f"  [{_LEVEL[issue.level]}] 模板 {tid}：{issue.message}")
        summaries = doc.list_projects()
        for summary in summaries:
            project = doc.load_project(summary.id)
            report = score_project(project, doc.template_for(project))
            lines.append(f"{summary.id}. {project.name}（{project.year}年）总分 {fmt_decimal(report.total, 2)}"
                         f" 等级 {report.grade}")
            for issue in report.issues:
                where = f"{issue.where}：" if str(issue.where) else ""
                lines.append(f"  [{_LEVEL[issue.level]}] {where}{issue.message}")
            found = self_check(project, doc.template_for(project), report)
            findings += found
            lines += [f"  [自查] {f.indicator}：{f.problem}" for f in found if f.code in OWN_CODES]
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc
    finally:
        doc.close()
    sys.stdout.write(f"文件“{path.name}”完好：{len(summaries)} 个项目，{len(templates)} 个模板。\n")
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    if report_path is not None:
        try:
            write_findings(findings, report_path, source=path.name, projects=len(summaries))
        except ExportError as exc:
            raise cli.UserError(str(exc)) from exc
        sys.stdout.write(f"已写入整改清单 {report_path}（{len(findings)} 个问题）\n")
    return cli.EXIT_OK


DEMO = cli.Command("demo", "生成示例文件（包含全部示例项目）", _demo_arguments, cmd_demo)
IMPORT = cli.Command("import", "从项目数据文件或自评表导入项目（文件不存在时新建）", _import_arguments, cmd_import)
DUMP = cli.Command("dump", "以交换格式 JSON 输出项目", _dump_arguments, cmd_dump)
CHECK = cli.Command("check", "检查文件完整性和每个项目的问题", _check_arguments, cmd_check)
