"""What every command shares: exit codes, the one-line user error, the built-in templates and reading sources."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from app.importers.sources import READERS, Loaded, SourceError
from app.paths import templates_dir
from app.scoring.records import Template
from app.scoring.templates import TemplateError, load_directory

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_USAGE", "Command", "Loaded", "Parser", "UserError",
           "builtin_templates", "load_sources"]

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

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"用法错误：{message}\n")


def builtin_templates() -> dict[str, Template]:
    try:
        return load_directory(templates_dir())
    except TemplateError as exc:
        raise UserError(f"内置模板有误：{exc}。请重新安装本程序。") from exc


def load_sources(paths: Sequence[str], year: int | None = None) -> list[Loaded]:
    """Every project of the given files, filtered by year; bad files raise UserError, problems go to stderr."""
    templates = builtin_templates()
    out: list[Loaded] = []
    for name in paths:
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
            raise UserError(f"{name}：无法读取（{exc.strerror or exc}）") from exc
        for problem in read.problems:
            sys.stderr.write(f"提示：{path.name} {problem}\n")
        out += read.items
    if year is not None:
        out = [item for item in out if item.project.year == year]
    return out
