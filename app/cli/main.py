"""Argument parsing and dispatch for ``python -m app``: the explicit list of subcommands, or the window."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.cli import export, files, score, server
from app.cli.common import EXIT_BAD_INPUT, Command, Parser, UserError
from app.paths import log_dir

#: Every subcommand, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    score.SCORE,
    files.DEMO,
    files.IMPORT,
    files.DUMP,
    files.CHECK,
    export.EXPORT,
    server.PUSH,
    server.PULL,
    server.SERVER,
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m app", description="绩效自评：项目支出绩效自评的录入、计分、打印与导出")
    parser.add_argument("--version", action="version", version=f"绩效自评 {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(p)
        p.set_defaults(handler=command.handler)
    return parser


def build_gui_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m app", description="绩效自评（不带命令时打开窗口）",
                    epilog="命令：" + "、".join(c.name for c in COMMANDS) + "（python -m app 命令 --help 查看用法）")
    parser.add_argument("file", nargs="?", metavar="FILE.jxdb", help="要打开的项目文件")
    parser.add_argument("--db", metavar="postgresql://用户名@服务器/数据库",
                        help="打开服务器上的绩效自评数据库（密码在窗口中输入，见 docs/server.md）")
    parser.add_argument("--smoke", action="store_true", help="启动、打开文件、显示窗口后立即退出（安装检查用）")
    parser.add_argument("--version", action="version", version=f"绩效自评 {__version__}")
    return parser


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
    argv = list(argv)
    try:
        if (argv and argv[0] in {c.name for c in COMMANDS}) or argv[:1] in (["-h"], ["--help"]):
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
    """The window, imported only now so that the commands start without loading Qt."""
    try:
        from app.ui import application
    except ImportError as exc:
        if exc.name and exc.name.startswith("app.ui"):
            raise UserError("窗口界面尚未包含在此版本中，请使用命令：python -m app score 项目文件") from exc
        raise UserError(f"无法启动窗口界面：缺少组件 {exc.name}。请重新安装本程序。") from exc
    if args.db and args.file:
        raise UserError("不能同时打开文件和服务器数据库，请只指定其中一个。")
    return int(application.run_gui(args.file, smoke=args.smoke, db=args.db))
