"""A bureau database on a PostgreSQL server, opened like a .jxdb: the same Document API, edits written to
the server at once under optimistic locking, and queued on this PC while the server cannot be reached."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from app.models import mapping, server_schema
from app.models.errors import JxdbError
from app.models.mapping import ProjectSummary
from app.models.server_queue import OfflineQueue, QueuedEdit
from app.scoring import history
from app.scoring.codec import CodecError, template_to
from app.scoring.engine import score_project
from app.scoring.history import Change, HistoryEntry
from app.scoring.records import NARRATIVE_SECTIONS, Project, Template

_R = TypeVar("_R")
#: a project as written, with its row ids and server version
_Known = tuple[Project, mapping.StoredShape, int]
log = logging.getLogger(__name__)
_LABELS = {"name": "项目名称", "year": "年度", "unit": "单位名称", "department": "主管部门", "contact": "联系人",
           "phone": "联系电话", "region": "地区", "convention": "计分口径", "published_total": "原表总分"}
_NARRATIVE_LABELS = dict(NARRATIVE_SECTIONS)


class ServerUnavailable(JxdbError):
    """The server cannot be reached (down, network cut, timeout)."""


class AuthError(JxdbError):
    """The server refused the login (wrong or missing password, unknown account)."""


class RefusedError(JxdbError):
    """The server refused a write this account may not make (row-level security, column privileges);
    the project should be read afresh."""

    refused = True


class _UniqueClash(JxdbError):
    """Two PCs inserted the same key at once (e.g. the same new template); safe to try again."""


class ConflictError(JxdbError):
    """Someone else saved the project since we read it; our edit was not written."""

    conflict = True

    def __init__(self, message: str, *, project_id: int, mine: Project, theirs: Project | None, who: str,
                 when: datetime | None, changes: list[str]) -> None:
        super().__init__(message)
        self.project_id, self.mine, self.theirs = project_id, mine, theirs
        self.who, self.when, self.changes = who, when, changes


@dataclass(frozen=True)
class Account:
    """Who we are connected as: the login, its kind (unit / reviewer / admin / owner) and unit."""

    login: str
    kind: str
    unit: str | None

    def describe(self) -> str:
        kinds = {"unit": "单位账号", "reviewer": "复核账号", "admin": "管理员", "owner": "数据库所有者"}
        return f"{self.login}（{kinds.get(self.kind, self.kind)}{'，' + self.unit if self.unit else ''}）"


def server_url(url: str, password: str | None = None) -> URL:
    """A SQLAlchemy URL for ``postgresql://user@host[:port]/db`` (the psycopg driver), with ``password``."""
    try:
        parsed = make_url(url.strip())
    except ArgumentError as exc:
        raise JxdbError(f"服务器地址“{url}”格式不对，应为 postgresql://用户名@服务器地址:端口/数据库名。") from exc
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        raise JxdbError(f"服务器地址“{url}”不是 PostgreSQL 地址，应以 postgresql:// 开头。")
    if not parsed.host or not parsed.database or not parsed.username:
        raise JxdbError(f"服务器地址“{url}”缺少服务器、数据库名或用户名，应为 postgresql://用户名@服务器地址:端口/数据库名。")
    parsed = parsed.set(drivername="postgresql+psycopg")
    if password is not None:
        parsed = parsed.set(password=password)
    return parsed


def public_url(url: URL) -> str:
    """The address without the password (for titles, logs and the queue file)."""
    # (URL.set(password=None) keeps the password in SQLAlchemy 2.1 and prints it as ***: build it anew)
    return URL.create("postgresql", url.username, None, url.host, url.port, url.database).render_as_string()


def _driver_missing() -> JxdbError:
    return JxdbError("本机没有安装连接服务器所需的组件（psycopg）。请安装“pip install jixiao-ziping[server]”，"
                     "或使用包含服务器功能的安装包。")


#: How long a new connection may take (libpq's minimum is 2 s), and how long sent data may stay unanswered
#: before the connection counts as cut (a LAN answers in well under a millisecond; retransmits at 0.2, 0.6,
#: 1.4 s still fit).
CONNECT_TIMEOUT_S = 2
UNANSWERED_MS = 2000
#: A connection problem reported faster than this came from a stale pooled connection, not from a cut.
_STALE_S = 0.5


def make_engine(url: URL) -> Engine:
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise _driver_missing() from exc
    # A network cut must not freeze the window for long. No ping before each use (after a cut it would wait
    # for the unanswered ping, then for a new connection attempt: 13.4 s in tests/perf/bench_network_cut.py
    # with the earlier timeouts); instead a pooled connection that fails at once (the server restarted) is
    # replaced and the work tried once more (ServerDocument._retrying), and one that hangs counts as cut
    # after UNANSWERED_MS: the edit is queued on this PC.
    return create_engine(
        url, pool_pre_ping=False, pool_size=2, max_overflow=2,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "jixiao", "keepalives": 1,
                      "keepalives_idle": 10, "keepalives_interval": 2, "keepalives_count": 2,
                      "tcp_user_timeout": UNANSWERED_MS, "options": "-c statement_timeout=30000"})


def _orig(exc: BaseException) -> BaseException:
    return exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc


def is_connection_problem(exc: BaseException) -> bool:
    """True when ``exc`` means the server could not be reached or the connection broke."""
    import psycopg

    inner = _orig(exc)
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(inner, psycopg.errors.AdminShutdown | psycopg.errors.CannotConnectNow):
        return True
    return isinstance(inner, psycopg.OperationalError | psycopg.InterfaceError) and \
        not isinstance(inner, psycopg.errors.QueryCanceled | psycopg.errors.LockNotAvailable) and \
        "authentication" not in str(inner) and "password" not in str(inner)


def _where(url: URL) -> str:
    return f"{url.host}{':' + str(url.port) if url.port else ''}"


def connection_error(url: URL, exc: BaseException) -> JxdbError:
    """A Chinese message for a failure to connect (``exc`` from the driver or SQLAlchemy)."""
    import psycopg

    inner = _orig(exc)
    words = str(inner)
    if "password authentication failed" in words or "no password supplied" in words:
        return AuthError(f"服务器 {_where(url)} 拒绝登录：用户名“{url.username}”或密码不正确。请重新输入。")
    if "does not exist" in words and "database" in words:
        return JxdbError(f"服务器 {_where(url)} 上没有名为“{url.database}”的数据库。请检查数据库名，或联系管理员。")
    if "does not exist" in words and "role" in words:
        return AuthError(f"服务器 {_where(url)} 上没有账号“{url.username}”。请检查用户名，或联系管理员。")
    if "permission denied for database" in words or "no pg_hba.conf entry" in words:
        return AuthError(f"账号“{url.username}”没有权限连接服务器 {_where(url)} 上的数据库“{url.database}”。"
                         "请联系管理员。")
    if isinstance(inner, psycopg.OperationalError | psycopg.InterfaceError) or is_connection_problem(exc):
        return ServerUnavailable(f"无法连接服务器 {_where(url)}。请检查网络连接和服务器是否开启；"
                                 "如仍不能连接，请联系管理员。")
    return JxdbError(f"连接服务器 {_where(url)} 失败（{inner.__class__.__name__}）。请联系管理员。")


# --------------------------------------------------------------------------- what changed


def changed_places(before: Project, after: Project) -> list[str]:
    """Where ``after`` differs from ``before``, in words a user knows (for conflict messages)."""
    out = [label for key, label in _LABELS.items() if getattr(before, key) != getattr(after, key)]
    for key in sorted(set(before.narrative) | set(after.narrative)):
        if before.narrative.get(key, "") != after.narrative.get(key, ""):
            out.append(_NARRATIVE_LABELS.get(key, key))
    if before.budget != after.budget:
        out.append("预算执行情况")
    if before.materials != after.materials:
        out.append("佐证材料清单")
    if before.penalties != after.penalties:
        out.append("扣分事项")
    if before.review != after.review:
        out.append("复核信息")
    shape_a = [[len(g.indicators) for g in c.groups] for c in before.categories]
    shape_b = [[len(g.indicators) for g in c.groups] for c in after.categories]
    if shape_a != shape_b:
        out.append("指标（增删了指标）")
        return out
    for ca, cb in zip(before.categories, after.categories, strict=True):
        for ga, gb in zip(ca.groups, cb.groups, strict=True):
            for ia, ib in zip(ga.indicators, gb.indicators, strict=True):
                if ia != ib:
                    review_only = replace(ia, reviewer_score=ib.reviewer_score, reviewer_note=ib.reviewer_note) == ib
                    out.append(f"指标“{ib.name or ia.name}”" + ("的复核意见" if review_only else ""))
    return out


def _queued_time(queued_at: str) -> str:
    """The queue's ISO time as the history writes it (``2026-12-01 10:30:00``); now when it is missing."""
    try:
        when = datetime.fromisoformat(queued_at)
    except ValueError:
        when = datetime.now()
    return when.isoformat(sep=" ", timespec="seconds")


# --------------------------------------------------------------------------- the document


class ServerDocument:
    """The projects of one server database, opened with one account. Edits are committed at once (there
    is nothing to save); ``save_as`` writes a .jxdb copy. Use ``ServerDocument.connect(url, password)``."""

    autosaves = True
    path: Path | None = None
    read_only = False

    def __init__(self, engine: Engine, url: URL, account: Account, queue_folder: Path | None = None) -> None:
        self._engine: Engine | None = engine
        self.url = url
        self.address = public_url(url)
        self.account = account
        self.display_name = f"{url.database}（服务器 {_where(url)}，{account.login}）"
        self._templates: dict[str, Template] | None = None
        #: last state read or written, with row ids and server version, per project
        self._stored: dict[int, tuple[Project, mapping.StoredShape]] = {}
        self._versions: dict[int, int] = {}
        self.queue = OfflineQueue(self.address, account.login, queue_folder)
        #: True after the server could not be reached: edits are queued until ``flush`` succeeds
        self.offline = False
        #: the last project lists read, shown again while the server cannot be reached
        self._lists: dict[int | None, list[ProjectSummary]] = {}
        self._years: list[int] | None = None

    @classmethod
    def connect(cls, url: str | URL, password: str | None = None, *,
                queue_folder: Path | None = None) -> ServerDocument:
        """Connect, check the database is ours and of this version, and find out who we are."""
        parsed = url if isinstance(url, URL) else server_url(url, password)
        if isinstance(url, URL) and password is not None:
            parsed = url.set(password=password)
        engine = make_engine(parsed)
        try:
            with engine.connect() as conn:
                server_schema.check_versions(conn)
                login, kind, unit = conn.execute(text(
                    "SELECT session_user, jx_my_kind(), jx_my_unit()")).one()
        except JxdbError:
            engine.dispose()
            raise
        except (SQLAlchemyError, OSError) as exc:
            engine.dispose()
            raise connection_error(parsed, exc) from exc
        doc = cls(engine, parsed, Account(str(login), str(kind or "owner"), unit), queue_folder)
        try:
            doc.templates()  # kept for working offline
        except JxdbError:
            doc.close()
            raise
        return doc

    # ------------------------------------------------------------------ state

    @property
    def modified(self) -> bool:
        """True while edits wait on this PC to be sent to the server."""
        return self.offline and len(self.queue) > 0

    def status_text(self) -> str:
        if not self.offline:
            return ""
        waiting = len(self.queue)
        return (f"服务器暂时无法连接。{waiting} 个项目的修改已保存在本机，连接恢复后会自动上传。"
                if waiting else "服务器暂时无法连接，正在重试…")

    def _engine_or_fail(self) -> Engine:
        if self._engine is None:
            raise JxdbError("服务器连接已关闭。")
        return self._engine

    def _error(self, exc: BaseException) -> JxdbError:
        import psycopg

        log.warning("server %s: %s", self.address, str(_orig(exc)).splitlines()[0] if str(_orig(exc)) else exc)
        if is_connection_problem(exc):
            self.offline = True
            return ServerUnavailable(f"与服务器 {_where(self.url)} 的连接中断。请检查网络；"
                                     "修改会先保存在本机，连接恢复后自动上传。")
        inner = _orig(exc)
        if isinstance(inner, psycopg.errors.InsufficientPrivilege):
            if self.account.kind == "reviewer":
                return RefusedError("复核账号只能填写复核得分、复核意见和复核信息，不能修改单位的自评内容。"
                                    "这次修改没有写入。")
            said = getattr(getattr(inner, "diag", None), "message_primary", None) or ""
            if self.account.kind == "unit" and "单位账号" in said:  # the review guard's own words (server step 2)
                return RefusedError(f"{said}。这次修改没有写入。")
            if self.account.kind == "unit":
                return RefusedError(f"账号“{self.account.login}”只能查看和修改本单位（{self.account.unit}）的项目，"
                                    f"项目的单位名称须为“{self.account.unit}”。这次修改没有写入。")
            return RefusedError(f"账号“{self.account.login}”没有权限做这项修改。请联系管理员。")
        if isinstance(inner, psycopg.errors.UniqueViolation):
            return _UniqueClash("另一台电脑同时写入了相同的内容，这次修改没有写入。请重试。")
        if isinstance(inner, psycopg.errors.SerializationFailure | psycopg.errors.DeadlockDetected):
            return JxdbError("另一台电脑同时在修改同一项目，这次修改没有写入。请重试。")
        if isinstance(exc, CodecError | ValueError | InvalidOperation | KeyError):
            return JxdbError("服务器上的项目数据有误，无法读取。请联系管理员检查数据库。")
        return JxdbError(f"服务器返回错误（{inner.__class__.__name__}）。这次修改没有写入，请重试或联系管理员。")

    def _retrying(self, attempt: Callable[[], _R]) -> _R:
        """``attempt()``, once more when it failed at once on a dead pooled connection (the server restarted
        since it was last used: SQLAlchemy has dropped the pool's connections); a slow failure is a cut."""
        started = time.monotonic()
        try:
            return attempt()
        except DBAPIError as exc:
            if not (exc.connection_invalidated and time.monotonic() - started < _STALE_S):
                raise
        return attempt()

    def _read(self, fn: Callable[[Connection], _R]) -> _R:
        def attempt() -> _R:
            with self._engine_or_fail().connect() as conn:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")  # one consistent snapshot
                return fn(conn)

        try:
            result = self._retrying(attempt)
        except JxdbError:
            raise
        except (SQLAlchemyError, CodecError, ValueError, InvalidOperation, KeyError) as exc:
            raise self._error(exc) from exc
        return result

    def _write(self, fn: Callable[[Connection], _R]) -> _R:
        def attempt() -> _R:
            with self._engine_or_fail().begin() as conn:
                return fn(conn)

        try:
            result = self._retrying(attempt)
        except JxdbError:
            raise
        except SQLAlchemyError as exc:
            raise self._error(exc) from exc
        if self.offline and not self.queue.load():
            self.offline = False  # reachable again and nothing waiting (queued edits keep it until flush)
        return result

    # ------------------------------------------------------------------ reading

    def list_projects(self, year: int | None = None) -> list[ProjectSummary]:
        """The projects this account may see; while the server is away, the list last read."""
        try:
            self._lists[year] = self._read(lambda c: mapping.read_summaries(c, year))
        except ServerUnavailable:
            if year not in self._lists:
                raise
        return list(self._lists[year])

    def years(self) -> list[int]:
        try:
            self._years = self._read(mapping.read_years)
        except ServerUnavailable:
            if self._years is None:
                raise
        return list(self._years)

    def reachable(self, timeout: float = 3.0) -> bool:
        """Whether the server's port answers (a plain TCP connect; safe to call from another thread)."""
        import socket

        try:
            with socket.create_connection((self.url.host or "localhost", self.url.port or 5432), timeout=timeout):
                return True
        except OSError:
            return False

    def templates(self) -> dict[str, Template]:
        if self._templates is None:
            self._templates = self._read(mapping.read_templates)
        return dict(self._templates)

    def template_for(self, project: Project) -> Template:
        template = self.templates().get(project.template_id)
        if template is None:
            self._templates = None  # stored by another PC since we read them
            template = self.templates().get(project.template_id)
        if template is None:
            raise JxdbError(f"项目“{project.name}”使用的模板“{project.template_id}”不在服务器上。请联系管理员。")
        return template

    def load_project(self, project_id: int) -> Project:
        queued = self.queue.load().get(project_id)
        if queued is not None:
            return queued.project  # not yet sent: the newest state is on this PC

        def read(conn: Connection) -> tuple[tuple[Project, mapping.StoredShape] | None, int | None]:
            version = conn.execute(text("SELECT version FROM projects WHERE id = :id"), {"id": project_id}).scalar()
            return mapping.read_project_rows(conn, project_id), version

        found, version = self._read(read)
        if found is None or version is None:
            raise JxdbError(f"服务器上没有编号为 {project_id} 的项目（可能已被删除，或不属于本账号的单位）。")
        self._remember(found[0], found[1], int(version))
        return found[0]

    def load_projects(self, project_ids: Sequence[int]) -> list[Project]:
        """Several projects at once, in the order asked (ids not visible to this account are left out); a few
        queries per table instead of one ``load_project`` after another. Edits queued on this PC win."""
        queued = self.queue.load()
        wanted = [pid for pid in project_ids if pid not in queued]
        found = self._read(lambda c: mapping.read_projects_rows(c, wanted)) if wanted else {}
        out: list[Project] = []
        for pid in project_ids:
            if pid in queued:
                out.append(queued[pid].project)
            elif pid in found:
                out.append(found[pid][0])
        return out

    def version_of(self, project_id: int) -> int | None:
        """The server version of the project as this PC last read or wrote it."""
        return self._versions.get(project_id)

    def _remember(self, project: Project, shape: mapping.StoredShape, version: int) -> None:
        assert project.id is not None
        self._stored[project.id] = (replace(project, narrative=dict(project.narrative)), shape)
        self._versions[project.id] = version
        while len(self._stored) > 16:
            del self._stored[next(iter(self._stored))]

    def forget(self, project_id: int) -> None:
        """Drop what we know of a project (the next load reads it afresh)."""
        self._stored.pop(project_id, None)
        self._versions.pop(project_id, None)

    # ------------------------------------------------------------------ writing

    def _store_template(self, conn: Connection, template: Template) -> str:
        tid, added = mapping.store_template(conn, template)
        if added or tid not in (self._templates or {}):  # new here, or stored by another PC meanwhile
            self._templates = None
        return tid

    def store_template(self, template: Template) -> str:
        return self._write(lambda c: self._store_template(c, template))

    def add_project(self, project: Project, template: Template) -> int:
        if self.account.kind == "unit" and not project.unit.strip():
            project = replace(project, unit=self.account.unit or "")

        def add(conn: Connection) -> tuple[Project, mapping.StoredShape]:
            tid = self._store_template(conn, template)
            stored = replace(project, id=None, template_id=tid)
            pid, shape = mapping.insert_project(conn, stored)
            return replace(stored, id=pid), shape

        try:
            stored, shape = self._write(add)
        except _UniqueClash:
            stored, shape = self._write(add)  # another PC stored the same template at this moment: once more
        assert stored.id is not None
        self._remember(stored, shape, 1)
        return stored.id

    def add_projects(self, items: Sequence[tuple[Project, Template]], *, replacing: Sequence[int] = ()) -> list[int]:
        """Delete the projects ``replacing`` and add ``items`` in one transaction on the server: all of it
        or, should anything fail (a project of another unit, a reviewer deleting), none of it. Returns the
        new projects' ids in order (as ``Document.add_projects``; used by 汇集)."""
        if self.offline:
            raise ServerUnavailable("服务器暂时无法连接，不能添加项目。请在连接恢复后再试。")
        own = self.account.unit if self.account.kind == "unit" else None
        items = [(replace(p, unit=own) if own and not p.unit.strip() else p, t) for p, t in items]

        def apply(conn: Connection) -> list[tuple[Project, mapping.StoredShape]]:
            for project_id in replacing:
                gone = conn.execute(text("DELETE FROM projects WHERE id = :id"), {"id": project_id}).rowcount
                if not gone:
                    raise RefusedError(f"服务器上没有编号为 {project_id} 的项目，或本账号没有权限删除（替换）它。")
            out: list[tuple[Project, mapping.StoredShape]] = []
            stored_as: dict[int, tuple[Template, str]] = {}  # each template object is compared once
            for project, template in items:
                known = stored_as.get(id(template))
                if known is None or known[0] is not template:
                    known = stored_as[id(template)] = (template, self._store_template(conn, template))
                stored = replace(project, id=None, template_id=known[1])
                pid, shape = mapping.insert_project(conn, stored)
                out.append((replace(stored, id=pid), shape))
            return out

        try:
            try:
                added = self._write(apply)
            except _UniqueClash:
                added = self._write(apply)  # another PC stored the same template at this moment: once more
        finally:
            self._templates = None  # a rolled-back template must not stay cached
        for project_id in replacing:
            self.forget(project_id)
        ids: list[int] = []
        for stored, shape in added:
            self._remember(stored, shape, 1)
            assert stored.id is not None
            ids.append(stored.id)
        return ids

    def _bump(self, conn: Connection, project_id: int, version: int | None) -> int | None:
        """Claim the next version of a project if it is still at ``version``; None when it is not."""
        row = conn.execute(text(
            "UPDATE projects SET version = version + 1, updated_by = session_user, updated_at = now() "
            "WHERE id = :id AND (CAST(:v AS INTEGER) IS NULL OR version = :v) RETURNING version"),
            {"id": project_id, "v": version}).first()
        return None if row is None else int(row[0])

    def _conflict(self, conn: Connection, mine: Project, base: Project | None) -> ConflictError:
        assert mine.id is not None
        row = conn.execute(text("SELECT updated_by, updated_at FROM projects WHERE id = :id"),
                           {"id": mine.id}).first()
        if row is None:
            return ConflictError(f"项目“{mine.name}”已被其他人从服务器上删除，这次修改没有写入。"
                                 "可以把您的修改另存为新项目。", project_id=mine.id, mine=mine, theirs=None,
                                 who="", when=None, changes=[])
        who, when = str(row[0]), row[1]
        theirs = mapping.read_project(conn, mine.id)
        changes = changed_places(base, theirs) if base is not None and theirs is not None else []
        what = "、".join(changes[:6]) + ("等" if len(changes) > 6 else "") if changes else "项目内容"
        stamp = f"{when:%Y-%m-%d %H:%M}" if isinstance(when, datetime) else ""
        return ConflictError(
            f"项目“{mine.name}”已被 {who} 于 {stamp} 修改（{what}）。为免覆盖对方的修改，您的这次修改没有写入服务器。"
            "可以载入最新内容，或把您的修改另存为项目副本。",
            project_id=mine.id, mine=mine, theirs=theirs, who=who, when=when if isinstance(when, datetime) else None,
            changes=changes)

    def update_project(self, project: Project, *, also: Sequence[Change] = ()) -> None:
        """Write ``project`` over the stored one, unless someone else changed it since we read it
        (ConflictError), with the history of what changed in its scores and review (and ``also``), as a .jxdb
        does. While the server is unreachable the edit is queued on this PC; its history is written when it is
        sent (``flush``), dated when it was made."""
        if project.id is None:
            raise ValueError("update_project needs a project with an id")
        pid = project.id
        if self.offline:
            self._queue(project)
            return
        old, shape = self._stored.get(pid, (None, None))
        version = self._versions.get(pid)

        def update(conn: Connection) -> tuple[mapping.StoredShape, int]:
            new_version = self._bump(conn, pid, version)
            if new_version is None:
                raise self._conflict(conn, project, old)
            before = old
            if before is None:
                found = mapping.read_project_rows(conn, pid)
                before = found[0] if found is not None else None
            result = mapping.update_project(conn, old, shape, project)
            if before is not None:
                mapping.insert_history(conn, pid, datetime.now().isoformat(sep=" ", timespec="seconds"),
                                       self.account.login, [*history.changes(before, project), *also])
            return result, new_version

        self._stored.pop(pid, None)
        try:
            new_shape, new_version = self._write(update)
        except ServerUnavailable:
            self._queue(project)
            return
        except ConflictError:
            raise
        except JxdbError:
            self.forget(pid)
            raise
        self._remember(project, new_shape, new_version)

    def _queue(self, project: Project) -> None:
        assert project.id is not None
        self.offline = True
        self.queue.put(project, self._versions.get(project.id))

    def history(self, project_id: int) -> list[HistoryEntry]:
        """Every recorded change of the project's scores, overrides and review, newest first."""
        return self._read(lambda c: mapping.read_history(c, project_id))

    def delete_project(self, project_id: int) -> None:
        if self.offline:
            raise ServerUnavailable("服务器暂时无法连接，不能删除项目。请在连接恢复后再试。")

        def delete(conn: Connection) -> int:
            return conn.execute(text("DELETE FROM projects WHERE id = :id"), {"id": project_id}).rowcount

        if not self._write(delete):
            raise JxdbError("服务器上没有这个项目，或本账号没有权限删除它。")
        self.forget(project_id)

    def flush(self) -> list[str]:
        """Send the queued edits. Returns what happened (for the user); raises ServerUnavailable while the
        server is still away. An edit whose project changed on the server meanwhile is kept as a copy."""
        edits = self.queue.load()
        notes: list[str] = []
        for pid, edit in edits.items():
            def send(conn: Connection, pid: int = pid, edit: QueuedEdit = edit) -> tuple[str, _Known | None]:
                mine = edit.project
                version = self._bump(conn, pid, edit.base_version)
                if version is not None:
                    current = mapping.read_project_rows(conn, pid)
                    if current is not None:
                        shape = mapping.update_project(conn, current[0], current[1], mine)
                        # history as for a live edit: when the edit was made on this PC, what it changed
                        changes = history.changes(current[0], mine)
                        template = (self._templates or {}).get(mine.template_id)
                        if template is not None:  # the 自评总分/复核总分 lines the window adds to a live edit
                            changes += history.total_changes(score_project(current[0], template),
                                                             score_project(mine, template))
                        mapping.insert_history(conn, pid, _queued_time(edit.queued_at), self.account.login,
                                               changes)
                        return "sent", (mine, shape, version)
                elif mapping.read_project(conn, pid) == mine:
                    return "sent", None  # already there (sent before the program stopped, not yet unqueued)
                stamp = datetime.now().strftime("%m-%d %H:%M")
                copy = replace(mine, id=None, name=f"{mine.name}（离线修改 {stamp}）")
                mapping.insert_project(conn, copy)
                return "copied", None

            try:
                outcome, known = self._write(send)
            except ServerUnavailable:
                raise
            except JxdbError as exc:
                notes.append(f"项目“{edit.project.name}”的离线修改无法上传：{exc}（修改仍保存在本机）")
                continue
            self.queue.remove(pid)
            self.forget(pid)
            if known is not None:  # the next edit is checked against the version we just wrote
                self._remember(*known)
            if outcome == "copied":
                notes.append(f"项目“{edit.project.name}”在断线期间已被他人修改，您的离线修改已另存为项目副本。")
        if not self.queue.load():
            self.offline = False
        return notes

    def try_reconnect(self) -> list[str] | None:
        """Try to send queued edits: the notes, or None while the server is still away."""
        try:
            return self.flush()
        except ServerUnavailable:
            self.offline = True
            return None

    # ------------------------------------------------------------------ administration

    @property
    def can_administer(self) -> bool:
        """Admin accounts and the database owner manage units and accounts."""
        return self.account.kind in ("admin", "owner")

    def administer(self, fn: Callable[[Connection], _R]) -> _R:
        """Run ``fn`` (see app.models.server_admin) in one transaction on the server."""
        return self._write(fn)

    # ------------------------------------------------------------------ saving and closing

    def save(self) -> None:
        """Nothing to save (edits are on the server); sends queued edits, if any."""
        if self.offline:
            notes = self.try_reconnect()
            if notes is None:
                raise ServerUnavailable("服务器仍无法连接。您的修改已保存在本机，连接恢复后自动上传。")

    def save_as(self, path: Path) -> None:
        """Write every project visible to this account to a .jxdb file (the document stays on the server)."""
        from app.models.transfer import pull_to_file

        pull_to_file(self, Path(path))

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> ServerDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def export_templates(self) -> list[dict[str, Any]]:
        return [template_to(t) for t in self.templates().values()]
