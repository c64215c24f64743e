"""What every command shares: exit codes, the one-line user error, the built-in templates and reading sources."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from app.importers.sources import READERS, Loaded, SourceError
from app.models.errors import reason
from app.paths import templates_dir
from app.scoring.records import Template
from app.scoring.templates import TemplateError, load_directory

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_USAGE", "Command", "Loaded", "Parser", "UserError",
           "builtin_templates", "id_number", "is_server_address", "load_sources", "year_number"]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """Bad input: the message (Chinese) is printed on stderr and the exit status is 1."""


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, its help line, its arguments and the function that runs it."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    """argparse with Chinese usage errors and exit status 2."""

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "用法：", 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage: ", "用法：", 1)
        for english, chinese in (("positional arguments:", "参数："), ("options:", "选项："),
                                 ("show this help message and exit", "显示本帮助并退出"),
                                 ("show program's version number and exit", "显示版本号并退出")):
            text = text.replace(english, chinese)
        return text

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        message = re.sub(r"^argument ([^:]+): ", r"参数 \1：", message)  # argparse's own words are English
        message = re.sub(r"invalid (\w+) value: ", "不是有效的数值：", message)
        message = re.sub(r"invalid choice: (.+) \(choose from (.+)\)", r"\1 不是可选的值，可选：\2", message)
        message = re.sub(r"the following arguments are required: ", "缺少参数：", message)
        message = re.sub(r"expected one argument", "后面应跟一个值", message)
        message = re.sub(r"unrecognized arguments: ", "无法识别的参数：", message)
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


def is_server_address(text: str) -> bool:
    """True for ``postgresql://…`` (a bureau database on a server) rather than a file name."""
    return text.lower().startswith(("postgresql:", "postgres:"))


def _load_server(address: str, year: int | None) -> list[Loaded]:
    """Every project the account may see on the server (of ``year``), with its stored template."""
    from app.cli.server import open_server  # the server commands build on this module
    from app.models.errors import JxdbError

    doc = open_server(address)
    try:
        projects = doc.load_projects([s.id for s in doc.list_projects(year)])
        return [Loaded(p, doc.template_for(p), Path(doc.url.database or "server"), doc.address) for p in projects]
    except JxdbError as exc:
        raise UserError(str(exc)) from exc
    finally:
        doc.close()


def load_sources(paths: Sequence[str], year: int | None = None) -> list[Loaded]:
    """Every project of the given files, filtered by year; bad files raise UserError, problems go to stderr."""
    templates = builtin_templates()
    out: list[Loaded] = []
    for name in paths:
        if is_server_address(name):
            out += _load_server(name, year)
            continue
        path = Path(name)
        if not path.exists():
            raise UserError(f"{name}：文件不存在，请检查路径")
        if path.is_dir():
            raise UserError(f"{name}：这是一个文件夹，请指定项目文件")
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            kinds = "、".join(sorted(READERS))
            raise UserError(f"{name}：不支持的文件类型“{path.suffix}”，可用：{kinds}")
        try:
            read = reader(path, templates)
        except SourceError as exc:
            raise UserError(str(exc)) from exc
        except PermissionError as exc:
            raise UserError(f"{name}：没有读取权限，请检查文件权限或联系管理员") from exc
        except IsADirectoryError as exc:
            raise UserError(f"{name}：这是一个文件夹，请指定项目文件") from exc
        except OSError as exc:
            raise UserError(f"{name}：无法读取（{reason(exc)}）") from exc
        for problem in read.problems:
            sys.stderr.write(f"提示：{path.name} {problem}\n")
        out += read.items
    if year is not None:
        out = [item for item in out if item.project.year == year]
    return out
