"""The public API of the .jxdb layer: a Document opened from a file, edited in a working copy, saved."""

from __future__ import annotations

import contextlib
import errno
import getpass
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlalchemy.util import LRUCache

from app.models import jxdb, lock, mapping, recovery
from app.models.errors import JxdbError, LockedError, LockInfo, reason
from app.models.mapping import ProjectSummary
from app.models.recovery import RecoveryInfo
from app.models.regular import regular_file_opener
from app.models.schema import SCHEMA_VERSION
from app.scoring import history
from app.scoring.codec import CodecError, template_to
from app.scoring.history import Change, HistoryEntry
from app.scoring.records import Project, Template

__all__ = ["ChangedOnDiskError", "Document", "JxdbError", "LockInfo", "LockedError", "ProjectSummary", "RecoveryInfo"]

_R = TypeVar("_R")
_REMEMBERED = 16  # projects whose stored state is kept for fast updates


#: Compiled SQL shared by every document's engine (all use the same dialect and options), so opening a
#: document does not compile the same statements again.
_COMPILED_CACHE: LRUCache[Any, Any] = LRUCache(1000)


def _make_engine(working: Path) -> Engine:
    engine = create_engine("sqlite://", poolclass=StaticPool,
                           creator=lambda: sqlite3.connect(str(working), check_same_thread=False))
    engine = engine.execution_options(compiled_cache=_COMPILED_CACHE)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        jxdb.configure(dbapi_conn)
        # the working copy is local and replaced only by Save; NORMAL keeps commits fast and safe
        # against a crash of the program (a power cut may cost the working copy, never the saved file)
        dbapi_conn.execute("PRAGMA synchronous = OFF")

    return engine


class Document:
    """A .jxdb document. Edits are committed at once to a private working copy; ``save`` writes it back
    atomically. Use ``Document.new()``, ``Document.open(path)`` or ``Document.recover(info)``."""

    def __init__(self, working: Path, path: Path | None, *, read_only: bool, modified: bool,
                 locked: bool) -> None:
        self.path = path
        self.read_only = read_only
        #: Why a document the user did not ask to open read-only is read-only ("" otherwise), in Chinese.
        self.read_only_reason = ""
        self._modified = modified
        self._working = working
        self._locked = locked  # whether we hold the lock beside ``path``
        self._engine: Engine | None = _make_engine(working)
        self._templates: dict[str, Template] | None = None
        #: the last stored state of recently used projects with their row ids (for fast updates)
        self._stored: dict[int, tuple[Project, mapping.StoredShape]] = {}
        #: The name written into the history with each change (the login name unless the window sets one).
        self.user = _login_name()
        #: ``path`` as it was when opened or last saved, to notice another program replacing it
        self._on_disk: DiskState | None = None

    # ------------------------------------------------------------------ creating and opening

    @classmethod
    def new(cls) -> Document:
        """An empty document, not yet saved anywhere."""
        try:
            working = recovery.new_working_path()
        except OSError as exc:
            raise _no_working_copy(exc) from exc
        try:
            recovery.write_sidecar(working, None, dirty=False)
            jxdb.create_empty(working)
        except (OSError, sqlite3.Error) as exc:
            recovery.remove_working(working)
            raise _no_working_copy(exc) from exc
        return cls(working, None, read_only=False, modified=False, locked=False)

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Document:
        """Open ``path``: check it, take the lock (unless read-only), and work on a local copy.
        Raises LockedError when someone else has it open, JxdbError for every other problem."""
        path = Path(os.path.abspath(Path(path).expanduser()))
        jxdb.check_header(path)
        why = ""
        if not read_only and not _writable(path):
            read_only, why = True, "文件或所在文件夹是只读的"
        locked = False
        if not read_only:
            try:
                lock.acquire(path)
                locked = True
            except LockedError:
                raise
            except OSError as exc:  # e.g. a folder we may read but not write: open read-only, and say why
                read_only, why = True, lock.lock_problem(path, exc)
        try:
            working = recovery.new_working_path()
        except OSError as exc:
            if locked:
                lock.release(path)
            raise _no_working_copy(exc) from exc
        try:
            try:
                recovery.write_sidecar(working, path, dirty=False)
            except OSError as exc:
                raise _no_working_copy(exc) from exc
            on_disk = disk_state(path)
            jxdb.open_working_copy(path, working, recovery.backup_dir())
            doc = cls(working, path, read_only=read_only, modified=False, locked=locked)
            doc._on_disk = on_disk
            doc.read_only_reason = why
        except BaseException:
            recovery.remove_working(working)
            if locked:
                lock.release(path)
            raise
        try:
            doc.templates()
        except BaseException:
            doc.close()
            raise
        return doc

    @staticmethod
    def find_recoverable() -> list[RecoveryInfo]:
        """Working copies with unsaved changes left by a program that crashed or was killed."""
        return recovery.find_recoverable()

    @classmethod
    def recover(cls, info: RecoveryInfo) -> Document:
        """Open a crashed working copy as an unsaved document (``modified`` is True). Its ``path`` is the
        original file when that can be locked; otherwise the document is read-only (use save_as)."""
        working = info.working_path
        if not working.is_file():
            raise JxdbError("要恢复的工作副本已不存在，可能已被恢复或删除。")
        try:
            recovery.write_sidecar(working, info.original_path, dirty=True)
        except OSError as exc:
            raise _no_working_copy(exc) from exc
        conn = None
        try:
            conn = jxdb.connect(working)
            jxdb.verify(conn, working, SCHEMA_VERSION)
            jxdb.check_values(conn, working)
        except (sqlite3.DatabaseError, UnicodeDecodeError, JxdbError) as exc:
            raise JxdbError("未保存的工作副本已损坏，无法恢复。可以放弃这份副本，再打开原文件。") from exc
        finally:
            if conn is not None:
                conn.close()
        path, read_only, locked, why = info.original_path, False, False, ""
        if path is not None:
            try:
                lock.acquire(path)
                locked = True
            except LockedError:
                read_only = True
            except OSError as exc:
                read_only, why = True, lock.lock_problem(path, exc)
        doc = cls(working, path, read_only=read_only, modified=True, locked=locked)
        doc.read_only_reason = why
        doc._on_disk = disk_state(path) if path is not None else None
        try:
            doc.templates()
        except BaseException:
            doc._dispose()
            raise
        return doc

    @staticmethod
    def discard_recoverable(info: RecoveryInfo) -> None:
        """Delete a crashed working copy (its original file is not touched)."""
        data = recovery.read_sidecar(info.working_path)
        pid = data.get("pid") if data else None
        if isinstance(pid, int) and pid != os.getpid() and lock.pid_alive(pid):
            raise JxdbError("这份工作副本正被另一个正在运行的绩效自评程序使用，不能删除。")
        recovery.remove_working(info.working_path)

    # ------------------------------------------------------------------ state

    @property
    def modified(self) -> bool:
        """True when the working copy has changes not yet saved to ``path``."""
        return self._modified

    @property
    def working_path(self) -> Path:
        return self._working

    def _set_modified(self, value: bool) -> None:
        if value != self._modified:
            self._modified = value
            with contextlib.suppress(OSError):
                recovery.write_sidecar(self._working, self.path, dirty=value)

    def _engine_or_fail(self) -> Engine:
        if self._engine is None:
            raise JxdbError("文件已关闭。")
        return self._engine

    def _read(self, fn: Callable[[Connection], _R]) -> _R:
        try:
            with self._engine_or_fail().connect() as conn:
                return fn(conn)
        except (SQLAlchemyError, CodecError, ValueError, InvalidOperation, KeyError, TypeError, RecursionError) as exc:
            raise self._data_error(exc) from exc

    def _write(self, fn: Callable[[Connection], _R]) -> _R:
        try:
            with self._engine_or_fail().begin() as conn:
                result = fn(conn)
        except DBAPIError as exc:
            raise _working_error(exc.orig or exc) from exc
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise _working_error(exc) from exc
        self._set_modified(True)
        return result

    def _data_error(self, exc: BaseException) -> JxdbError:
        name = self.path.name if self.path else "新文件"
        # the library's own text (English, several lines, maybe raw bytes of the damage) is no message for users
        return JxdbError(f"文件“{name}”中的数据已损坏，无法读取。请使用备份文件（.bak）或重新获取该文件。")

    # ------------------------------------------------------------------ projects

    def list_projects(self, year: int | None = None) -> list[ProjectSummary]:
        """Projects ordered by year (newest first), then name."""
        return self._read(lambda c: mapping.read_summaries(c, year))

    def years(self) -> list[int]:
        return self._read(mapping.read_years)

    def load_project(self, project_id: int) -> Project:
        """The scoring record of a stored project, with ``id`` set."""
        found = self._read(lambda c: mapping.read_project_rows(c, project_id))
        if found is None:
            raise JxdbError(f"文件中没有编号为 {project_id} 的项目。")
        self._remember(*found)
        return found[0]

    def load_projects(self, project_ids: Sequence[int]) -> list[Project]:
        """Several stored projects at once, in the order asked (ids not in the file are left out); much faster
        than one ``load_project`` after another for a whole year."""
        found = self._read(lambda c: mapping.read_projects_rows(c, project_ids))
        return [found[pid][0] for pid in project_ids if pid in found]

    def _remember(self, project: Project, shape: mapping.StoredShape) -> None:
        assert project.id is not None
        self._stored.pop(project.id, None)
        # a copy of the narrative dict: a caller editing it in place must still be seen as a change
        self._stored[project.id] = (replace(project, narrative=dict(project.narrative)), shape)
        while len(self._stored) > _REMEMBERED:
            del self._stored[next(iter(self._stored))]

    def templates(self) -> dict[str, Template]:
        """The templates stored in the file, by id."""
        if self._templates is None:
            self._templates = self._read(mapping.read_templates)
        return dict(self._templates)

    def template_for(self, project: Project) -> Template:
        template = self.templates().get(project.template_id)
        if template is None:
            raise JxdbError(f"项目“{project.name}”使用的模板“{project.template_id}”不在文件中，文件可能已损坏。")
        return template

    def add_project(self, project: Project, template: Template) -> int:
        """Store a new project scored with ``template`` (stored in the file when it is not there yet; a
        different template with the same id is stored under a new id). Returns the new project's id."""
        def add(conn: Connection) -> tuple[Project, mapping.StoredShape]:
            tid = self._store_template(conn, template)
            stored = replace(project, id=None, template_id=tid)
            pid, shape = mapping.insert_project(conn, stored)
            return replace(stored, id=pid), shape

        stored, shape = self._write(add)
        self._remember(stored, shape)
        assert stored.id is not None
        return stored.id

    def add_projects(self, items: Sequence[tuple[Project, Template]], *, replacing: Sequence[int] = ()) -> list[int]:
        """Delete the projects ``replacing`` and add ``items`` in one transaction: all of it or, should
        anything fail, none of it. Returns the new projects' ids in order."""
        def apply(conn: Connection) -> list[tuple[Project, mapping.StoredShape]]:
            for project_id in replacing:
                if not mapping.project_exists(conn, project_id):
                    raise JxdbError(f"文件中没有编号为 {project_id} 的项目。")
                mapping.delete_project(conn, project_id)
            out: list[tuple[Project, mapping.StoredShape]] = []
            stored_as: dict[int, tuple[Template, str]] = {}  # each template object is compared with the file once
            for project, template in items:
                known = stored_as.get(id(template))
                if known is None or known[0] is not template:
                    known = stored_as[id(template)] = (template, self._store_template(conn, template))
                tid = known[1]
                stored = replace(project, id=None, template_id=tid)
                pid, shape = mapping.insert_project(conn, stored)
                out.append((replace(stored, id=pid), shape))
            return out

        for project_id in replacing:
            self._stored.pop(project_id, None)
        try:
            added = self._write(apply)
        finally:
            self._templates = None  # a rolled-back template must not stay cached
        ids: list[int] = []
        for stored, shape in added:
            self._remember(stored, shape)
            assert stored.id is not None
            ids.append(stored.id)
        return ids

    def _store_template(self, conn: Connection, template: Template) -> str:
        tid, added = mapping.store_template(conn, template)
        if added:
            self._templates = None
        return tid

    def update_project(self, project: Project, *, also: Sequence[Change] = ()) -> None:
        """Replace the stored project ``project.id``; committed to the working copy at once, together with the
        history of what changed in its scores, overrides and review (and the changes ``also`` given)."""
        if project.id is None:
            raise ValueError("update_project needs a project with an id")
        if project.template_id not in self.templates():
            raise JxdbError(f"模板“{project.template_id}”不在文件中，无法保存项目“{project.name}”。")

        old, shape = self._stored.get(project.id, (None, None))

        def update(conn: Connection) -> mapping.StoredShape:
            pid = project.id or 0
            before = old
            if before is None:
                found = mapping.read_project_rows(conn, pid)
                if found is None:
                    raise JxdbError(f"文件中没有编号为 {project.id} 的项目。")
                before = found[0]
            result = mapping.update_project(conn, old, shape, project)
            mapping.insert_history(conn, pid, _now(), self.user, [*history.changes(before, project), *also])
            return result

        self._stored.pop(project.id, None)  # unknown state should the write fail
        self._remember(project, self._write(update))

    def history(self, project_id: int) -> list[HistoryEntry]:
        """Every recorded change of the project's scores, overrides and review, newest first."""
        return self._read(lambda c: mapping.read_history(c, project_id))

    def delete_project(self, project_id: int) -> None:
        self._stored.pop(project_id, None)
        self._write(lambda c: mapping.delete_project(c, project_id))

    def store_template(self, template: Template) -> str:
        """Store a template in the file (see add_project for id clashes); returns the id it has there."""
        return self._write(lambda c: self._store_template(c, template))

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` of the working copy: [] when sound, else SQLite's findings."""
        def check(conn: Connection) -> list[str]:
            rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            problems = [] if rows == ["ok"] else rows
            return problems + [f"外键不一致：{tuple(r)}" for r in fk]

        return self._read(check)

    # ------------------------------------------------------------------ saving and closing

    def changed_on_disk(self) -> bool:
        """Whether another program replaced or changed ``path`` since it was opened or last saved here
        (size and modification time first; the content hash decides when those differ)."""
        if self.path is None or self._on_disk is None:
            return False
        return self._on_disk.differs(self.path)

    def save(self, *, overwrite: bool = False) -> None:
        """Write the working copy to ``path`` atomically (the previous version becomes ``path.bak``).
        Raises ChangedOnDiskError when another program changed the file since it was opened, unless
        ``overwrite`` (the user chose 覆盖)."""
        if self.path is None:
            raise JxdbError("这是一个新文件，还没有保存位置。请使用“另存为”选择保存位置。")
        if self.read_only:
            raise JxdbError(f"文件“{self.path.name}”是以只读方式打开的，不能直接保存。"
                            "请使用“另存为”保存到其他位置或换一个文件名。")
        if not overwrite and self.changed_on_disk():
            raise ChangedOnDiskError(f"文件“{self.path.name}”在打开后已被其他程序修改或替换。直接保存会覆盖对方的内容；"
                                     "请用“另存为”保存到其他文件，或确认后覆盖。")
        self._write_to(self.path)
        self._on_disk = disk_state(self.path)
        self._set_modified(False)

    def save_as(self, path: Path) -> None:
        """Write the working copy to ``path`` atomically; the document then belongs to ``path``."""
        path = Path(os.path.abspath(Path(path).expanduser()))
        if self.path is not None and path == self.path and not self.read_only:
            self.save(overwrite=True)  # the user chose this very file in 另存为 (and confirmed replacing it)
            return
        if path.is_dir():
            raise JxdbError(f"“{path.name}”是一个文件夹，不能保存为文件。请换一个文件名。")
        try:
            lock.acquire(path)
        except LockedError:
            raise
        except OSError as exc:
            raise jxdb.save_error(path, exc) from exc
        try:
            self._write_to(path)
        except BaseException:
            lock.release(path)
            raise
        self._on_disk = disk_state(path)
        if self._locked and self.path is not None and self.path != path:
            lock.release(self.path)
        self.path, self.read_only, self._locked, self.read_only_reason = path, False, True, ""
        self._modified = True  # force the sidecar to name the new path
        self._set_modified(False)

    def _write_to(self, target: Path) -> None:
        engine = self._engine_or_fail()
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            jxdb.write_atomic(raw, target)

    def close(self) -> None:
        """Discard the working copy (unsaved changes are lost) and release the lock."""
        if self._engine is None:
            return
        self._dispose()
        recovery.remove_working(self._working)
        if self._locked and self.path is not None:
            lock.release(self.path)
            self._locked = False

    def _dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def export_templates(self) -> Iterator[dict[str, Any]]:
        """The stored templates as template-file JSON data."""
        for template in self.templates().values():
            yield template_to(template)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in the environment
        return ""


def _now() -> str:
    return datetime.now().isoformat(sep=" ", timespec="seconds")
class ChangedOnDiskError(JxdbError):
    """Save would overwrite a file another program changed since it was opened here."""


@dataclass(frozen=True)
class DiskState:
    """A saved file as this program last saw it."""

    size: int
    mtime_ns: int
    digest: str

    def differs(self, path: Path) -> bool:
        try:
            st = path.stat()
        except OSError:
            return False  # gone: saving creates it again, nothing of anyone's is overwritten
        if (st.st_size, st.st_mtime_ns) == (self.size, self.mtime_ns):
            return False
        now = disk_state(path)
        return now is not None and now.digest != self.digest


def disk_state(path: Path) -> DiskState | None:
    """Size, modification time and SHA-256 of ``path``; None when it cannot be read."""
    try:
        digest = hashlib.sha256()
        with open(path, "rb", opener=regular_file_opener) as fh:
            st = os.fstat(fh.fileno())
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return DiskState(st.st_size, st.st_mtime_ns, digest.hexdigest())


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _no_working_copy(exc: BaseException) -> JxdbError:
    return JxdbError(f"无法在本机创建工作副本（{reason(exc)}）。请检查本机磁盘空间和用户数据文件夹的权限后重试。")


def _working_error(exc: BaseException) -> JxdbError:
    text = str(exc).lower()
    if getattr(exc, "errno", None) == errno.ENOSPC or "disk is full" in text:
        return JxdbError("本机磁盘空间不足，无法记录修改。请清理磁盘空间后继续；已保存的文件不受影响。")
    return JxdbError(f"无法记录修改（{reason(exc)}）。请用“另存为”保存后重新打开文件；已保存的文件不受影响。")
