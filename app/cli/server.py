"""The server subcommands: push and pull projects, and ``server`` (init, units, accounts); see docs/server.md."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from app.cli import common as cli
from app.models import server_admin, server_schema
from app.models.document import Document, JxdbError, LockedError
from app.models.server import AuthError, ServerDocument, connection_error, make_engine, server_url
from app.models.transfer import copy_projects, pull_to_file

_R = TypeVar("_R")


def _ask_password(url: URL) -> str:
    if not sys.stdin.isatty():
        raise cli.UserError(f"服务器要求账号“{url.username}”的密码：请在终端中运行以在提示时输入，"
                            "或在环境变量 PGPASSWORD 中提供（密码不会保存在本机）。")
    return getpass.getpass(f"账号“{url.username}”在服务器 {url.host} 上的密码：")


def _with_password(url: str, attempt: Callable[[URL], _R]) -> _R:
    """Run ``attempt`` with the address as given (libpq also reads PGPASSWORD and the .pgpass file);
    when the server asks for a password, prompt for it once (it is never stored)."""
    try:
        parsed = server_url(url)
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc
    try:
        return attempt(parsed)
    except AuthError as exc:
        if parsed.password is not None or os.environ.get("PGPASSWORD"):
            raise cli.UserError(str(exc)) from exc
        password = _ask_password(parsed)
    try:
        return attempt(parsed.set(password=password))
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc


def open_server(url: str) -> ServerDocument:
    def attempt(parsed: URL) -> ServerDocument:
        return ServerDocument.connect(parsed)

    try:
        doc = _with_password(url, attempt)
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc
    return doc


def _as_admin(url: str, fn: Callable[[Connection], _R]) -> _R:
    """Run ``fn`` on the server in one transaction (the account must have the rights it needs)."""
    def attempt(parsed: URL) -> _R:
        engine = make_engine(parsed)
        try:
            with engine.begin() as conn:
                return fn(conn)
        except JxdbError:
            raise
        except OperationalError as exc:  # could not connect or log in
            raise connection_error(parsed, exc) from exc
        except SQLAlchemyError as exc:
            raise JxdbError(_admin_error(exc)) from exc
        finally:
            engine.dispose()

    try:
        return _with_password(url, attempt)
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc


def _admin_error(exc: SQLAlchemyError) -> str:
    words = str(getattr(exc, "orig", exc))
    if "permission denied" in words or "must be owner" in words:
        return "该账号没有权限做这项操作：初始化和升级须由数据库所有者运行，管理账号须由管理员账号运行。"
    return f"服务器返回错误：{words.splitlines()[0] if words else exc.__class__.__name__}"


# --------------------------------------------------------------------------- push and pull


def _push_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.jxdb", help="要上传的项目文件")
    p.add_argument("url", metavar="postgresql://用户名@服务器/数据库", help="服务器数据库地址")
    p.add_argument("--year", type=int, help="只上传该年度的项目")
    p.add_argument("--replace", action="store_true",
                   help="服务器上已有同年度、同名称、同单位的项目时用文件中的覆盖（默认跳过）")


def cmd_push(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        source = Document.open(path, read_only=True)
    except LockedError as exc:
        raise cli.UserError(str(exc)) from exc
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc
    try:
        server = open_server(args.url)
        try:
            done = copy_projects(source, server, year=args.year, replace=args.replace)
        except JxdbError as exc:
            raise cli.UserError(str(exc)) from exc
        finally:
            server.close()
    finally:
        source.close()
    sys.stdout.write(f"已上传到服务器：{done.summary()}。\n")
    return cli.EXIT_OK


def _pull_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", metavar="postgresql://用户名@服务器/数据库", help="服务器数据库地址")
    p.add_argument("file", metavar="FILE.jxdb", help="要写入的项目文件（已存在时把项目添加进去）")
    p.add_argument("--year", type=int, help="只下载该年度的项目")


def cmd_pull(args: argparse.Namespace) -> int:
    server = open_server(args.url)
    try:
        done = pull_to_file(server, Path(args.file), year=args.year)
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc
    finally:
        server.close()
    sys.stdout.write(f"已从服务器下载到 {args.file}：{done.summary()}。\n")
    return cli.EXIT_OK


PUSH = cli.Command("push", "把 .jxdb 文件中的项目上传到服务器数据库", _push_arguments, cmd_push)
PULL = cli.Command("pull", "把服务器数据库中的项目下载到 .jxdb 文件", _pull_arguments, cmd_pull)


# --------------------------------------------------------------------------- server administration


def _new_password(login: str) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"为账号“{login}”设置密码（至少 8 个字符）：")
    if getpass.getpass("再输入一次：") != first:
        raise cli.UserError("两次输入的密码不一致，账号未改动。")
    return first


def _server_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["init", "add-unit", "units", "add-account", "accounts", "password",
                                      "remove-account"],
                   help="init：建立或升级数据库；add-unit/units：单位；add-account/accounts/password/remove-account：账号")
    p.add_argument("url", metavar="postgresql://用户名@服务器/数据库", help="服务器数据库地址（所有者或管理员账号）")
    p.add_argument("name", nargs="?", metavar="名称", help="单位名称（add-unit）或账号名（add-account 等）")
    p.add_argument("--kind", choices=sorted(server_admin.KINDS), default="unit",
                   help="账号类型：unit 单位、reviewer 复核、admin 管理员（add-account）")
    p.add_argument("--unit", help="单位账号所属单位（add-account --kind unit）")


def cmd_server(args: argparse.Namespace) -> int:
    action, name = args.action, (args.name or "").strip()
    if action in ("add-unit", "add-account", "password", "remove-account") and not name:
        raise cli.UserError(f"“server {action}”需要{'单位名称' if action == 'add-unit' else '账号名'}。")
    lines: list[str]
    if action == "init":
        lines = _as_admin(args.url, server_schema.initialise)
    elif action == "add-unit":
        _as_admin(args.url, lambda c: server_admin.add_unit(c, name))
        lines = [f"已添加单位“{name}”"]
    elif action == "units":
        lines = _as_admin(args.url, server_admin.units) or ["（还没有单位）"]
    elif action == "add-account":
        _valid_login(name)
        password = _new_password(name)
        _as_admin(args.url, lambda c: server_admin.add_account(c, name, args.kind, password, args.unit))
        lines = [f"已添加{server_admin.KINDS[args.kind]}“{name}”" + (f"（{args.unit}）" if args.kind == "unit" else "")]
    elif action == "accounts":
        rows = _as_admin(args.url, server_admin.accounts)
        lines = [f"{r.login}\t{server_admin.KINDS.get(r.kind, r.kind)}\t{r.unit or ''}"
                 for r in rows] or ["（还没有账号）"]
    elif action == "password":
        password = _new_password(name)
        _as_admin(args.url, lambda c: server_admin.set_password(c, name, password))
        lines = [f"已修改账号“{name}”的密码"]
    else:
        _as_admin(args.url, lambda c: server_admin.remove_account(c, name))
        lines = [f"已删除账号“{name}”"]
    sys.stdout.write("\n".join(lines) + "\n")
    return cli.EXIT_OK


def _valid_login(name: str) -> bool:
    try:
        server_admin.check_login(name)
    except JxdbError as exc:
        raise cli.UserError(str(exc)) from exc
    return True


SERVER = cli.Command("server", "服务器数据库的建立、升级、单位和账号管理（见 docs/server.md）", _server_arguments,
                     cmd_server)
