"""The `export` subcommand: a year's projects to Word/Excel/PDF in parallel, with a progress bar and a summary."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from app.cli.common import EXIT_BAD_INPUT, EXIT_OK, Command, UserError, year_number
from app.exporters.batch import FORMATS, BatchOutcome, ProjectResult, open_read_only, plan_jobs, run_batch
from app.models import recovery
from app.models.errors import JxdbError, reason


def parse_formats(text: str) -> list[str]:
    wanted = [f.strip().lower().lstrip(".") for f in text.replace("，", ",").split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise UserError(f"不支持的导出格式“{'、'.join(unknown) or text}”，可用：docx、xlsx、pdf")
    return [f for f in FORMATS if f in wanted]


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.jxdb", help="项目文件，或服务器数据库地址 postgresql://账号@服务器/数据库")
    p.add_argument("--to", required=True, metavar="DIR", help="导出到的文件夹（不存在时自动创建）")
    p.add_argument("--year", type=year_number, help="只导出该年度的项目")
    p.add_argument("--format", default="docx,xlsx,pdf", help="导出格式，逗号分隔：docx,xlsx,pdf（默认全部）")
    p.add_argument("--jobs", type=int, default=0, help="同时工作的进程数（默认等于处理器核数）")
    p.add_argument("--overwrite", action="store_true", help="覆盖已存在的同名文件")


def _prepare_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}：这是一个文件，请指定一个文件夹")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建文件夹 {folder}（{reason(exc)}），请换一个文件夹") from exc
    if not os.access(folder, os.W_OK):
        raise UserError(f"没有写入文件夹 {folder} 的权限，请换一个文件夹")


def cmd_export(args: argparse.Namespace) -> int:
    if args.file.lower().startswith(("postgresql:", "postgres:")):
        return _export_from_server(args)
    with contextlib.suppress(OSError):
        recovery.remove_stale()  # working copies left by an export that was killed
    formats = parse_formats(args.format)
    if args.jobs < 0:
        raise UserError("--jobs 不能为负数")
    source = Path(args.file)
    folder = Path(args.to)
    try:
        doc = open_read_only(source)
    except JxdbError as exc:
        raise UserError(str(exc)) from exc
    try:
        summaries = doc.list_projects(args.year)  # type: ignore[attr-defined]
    finally:
        doc.close()
    if not summaries:
        raise UserError("文件中没有项目" + (f"（{args.year}年）" if args.year else ""))
    _prepare_folder(folder)
    try:
        jobs = plan_jobs([(s.id, s.unit, s.name) for s in summaries], folder, formats)
    except ValueError as exc:  # naming's own message: the folder path is too long
        raise UserError(str(exc)) from exc
    bar = _progress_bar(len(jobs))

    def progress(result: ProjectResult) -> None:
        if bar is not None:
            bar.update(1)
            if result.error:
                bar.write(f"失败：{result.label}：{result.error}", file=sys.stderr)

    try:
        outcome = run_batch(
            source,
            open_read_only,
            jobs,
            folder,
            formats=formats,
            workers=args.jobs or None,
            overwrite=args.overwrite,
            progress=progress,
        )
    finally:
        if bar is not None:
            bar.close()
    _print_outcome(outcome, folder)
    return EXIT_BAD_INPUT if outcome.failed or outcome.summary_error else EXIT_OK


def _export_from_server(args: argparse.Namespace) -> int:
    """A server database: its projects (as the account sees them) are saved to a temporary .jxdb first,
    which the export workers then read like any file."""
    import tempfile

    from app.cli.server import open_server
    from app.models.transfer import pull_to_file

    parse_formats(args.format)  # bad options are reported before connecting
    server = open_server(args.file)
    with tempfile.TemporaryDirectory(prefix="jixiao-server-") as tmp:
        snapshot = Path(tmp) / f"{server.url.database}.jxdb"
        try:
            pull_to_file(server, snapshot, year=args.year)
        except JxdbError as exc:
            raise UserError(str(exc)) from exc
        finally:
            server.close()
        return cmd_export(argparse.Namespace(**{**vars(args), "file": str(snapshot)}))


def _progress_bar(total: int):  # type: ignore[no-untyped-def]
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="导出", unit="个项目", file=sys.stderr, ncols=80)


def _print_outcome(outcome: BatchOutcome, folder: Path) -> None:
    ok = [r for r in outcome.results if not r.error]
    if outcome.disk_full:  # one message: every further file would fail the same way
        print(f"错误：磁盘空间不足，导出已停止（已完整导出 {len(ok)} 个项目，位于 {folder}）。"
              "请清理磁盘或换一个文件夹后重新导出。", file=sys.stderr)
        return
    files = len(outcome.written)
    print(f"已导出 {len(ok)} 个项目，共 {files} 个文件，位于 {folder}")
    if outcome.summary:
        print(f"汇总表：{outcome.summary}")
    if outcome.summary_error:
        print(f"汇总表未写出：{outcome.summary_error}", file=sys.stderr)
    if outcome.failed:
        print(f"{len(outcome.failed)} 个项目导出失败：", file=sys.stderr)
        for r in outcome.failed:
            print(f"  {r.label}：{r.error}", file=sys.stderr)


EXPORT = Command("export", "批量导出项目的自评报告、自评表、打印表和汇总表", _arguments, cmd_export)
