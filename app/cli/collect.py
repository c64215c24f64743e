"""The `collect` subcommand (汇集): units' files into the bureau's year file, a report line per source."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_BAD_INPUT, EXIT_OK, Command, UserError, builtin_templates
from app.importers.collect import DECISION_LABELS, CollectReport, CollectTarget, Decision, Duplicate, collect
from app.models.document import Document, JxdbError, LockedError

_CHOICES = {"keep": Decision.KEEP, "replace": Decision.REPLACE, "both": Decision.BOTH}


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="YEAR.jxdb", help="财政局的年度汇总文件（不存在时新建），"
                   "或服务器数据库地址 postgresql://账号@服务器/数据库")
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="单位报来的文件或文件夹（.jxdb、.xlsx、.json；文件夹连同子文件夹一起查找）")
    p.add_argument("--on-duplicate", choices=sorted(_CHOICES), default="keep",
                   help="同一单位、同一项目、同一年度的项目已在文件中时：keep 保留原有（默认）、"
                        "replace 用新报来的替换、both 都保留")
    p.add_argument("--year", type=int, help="只汇集该年度的项目")


def _open_target(target: Path) -> Document:
    if target.suffix.lower() != ".jxdb":
        raise UserError(f"“{target.name}”不是 .jxdb 文件名。请指定要汇集到的 .jxdb 文件。")
    try:
        doc = Document.open(target) if target.exists() else Document.new()
    except LockedError as exc:
        raise UserError(f"{exc}（汇集需要写入该文件，请先在窗口中关闭它）") from exc
    except JxdbError as exc:
        raise UserError(str(exc)) from exc
    if doc.read_only:
        doc.close()
        raise UserError(f"文件“{target.name}”或其所在文件夹是只读的，无法汇集。请复制到可写的位置后再汇集。")
    return doc


def _is_server(address: str) -> bool:
    return address.lower().startswith(("postgresql:", "postgres:"))


def cmd_collect(args: argparse.Namespace) -> int:
    templates = builtin_templates()
    doc: CollectTarget
    if _is_server(args.file):  # each source is written in one transaction on the server: nothing to save
        from app.cli.server import open_server

        server = open_server(args.file)
        doc, target_name, close = server, server.address, server.close
    else:
        target = Path(args.file)
        document = _open_target(target)
        doc, target_name, close = document, str(target), document.close
    decision = _CHOICES[args.on_duplicate]
    bar = _progress_bar()

    def decide(dup: Duplicate) -> Decision:
        return decision

    def progress(done: int, total: int, path: Path) -> bool:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.set_postfix_str(path.name[-20:], refresh=True)
        return True

    try:
        report = collect(doc, [Path(s) for s in args.sources], templates, decide, year=args.year, progress=progress)
        if report.taken and isinstance(doc, Document):
            if doc.path is None:
                doc.save_as(Path(args.file))
            else:
                doc.save()
    except JxdbError as exc:
        raise UserError(str(exc)) from exc
    finally:
        if bar is not None:
            bar.close()
        close()
    _print_report(report, target_name, DECISION_LABELS[decision])
    return EXIT_BAD_INPUT if report.refused else EXIT_OK


def _progress_bar() -> Any:
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=0, desc="汇集", unit="个文件", file=sys.stderr, ncols=80)


def _print_report(report: CollectReport, target: str, duplicate_rule: str) -> None:
    for outcome in report.outcomes:
        stream = sys.stderr if outcome.refused else sys.stdout
        print(f"{outcome.source}：{outcome.summary()}", file=stream)
        for problem in outcome.problems:
            print(f"  提示：{problem}", file=sys.stdout)
    refused = len(report.refused)
    line = f"已汇集 {report.taken} 个项目到 {target}（重复项目：{duplicate_rule}）"
    if refused:
        line += f"；{refused} 个文件未汇集，文件中的内容不受影响"
    if not report.taken:
        line = f"没有汇集任何项目，{target} 未改动" + (f"；{refused} 个文件未汇集" if refused else "")
    print(line)


COLLECT = Command("collect", "把各单位报来的文件（.jxdb、.xlsx、.json 或文件夹）汇集到年度汇总文件", _arguments,
                  cmd_collect)
