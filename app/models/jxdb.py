"""The .jxdb file on disk: header checks, verified connections, migration on open and the atomic save."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import struct
import time
from pathlib import Path

from app.models import migrations, values
from app.models.errors import JxdbError, reason
from app.models.regular import NOT_A_FILE, NotRegularFileError, is_special, regular_file_opener
from app.models.schema import APPLICATION_ID, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
TEMP_SUFFIX = ".tmp~"
BACKUP_SUFFIX = ".bak"


def quote(path: Path) -> str:
    return f"“{path.name}”"


def _damaged(path: Path, what: str) -> JxdbError:
    return JxdbError(f"文件{quote(path)}已损坏（{what}），无法打开。"
                     "请使用同一文件夹中的备份文件（.bak）或重新获取该文件。")


def check_header(path: Path) -> int:
    """Check that ``path`` is a readable, complete .jxdb file of a version we can read; return that
    version. Only reads the file. Raises JxdbError with a message for the user."""
    name = quote(path)
    if not path.exists():
        raise JxdbError(f"找不到文件{name}（{path.parent}），请检查路径是否正确，或文件是否已被移动或删除。")
    if path.is_dir():
        raise JxdbError(f"{name}是一个文件夹，不是绩效自评文件。请选择扩展名为 .jxdb 的文件。")
    if is_special(path):
        raise JxdbError(f"{name}{NOT_A_FILE}。请选择扩展名为 .jxdb 的文件。")
    try:
        with open(path, "rb", opener=regular_file_opener) as fh:
            header = fh.read(HEADER_SIZE)
            size = os.fstat(fh.fileno()).st_size
    except PermissionError as exc:
        raise JxdbError(f"没有权限读取文件{name}。请检查文件权限，或联系计算机管理员。") from exc
    except IsADirectoryError as exc:
        raise JxdbError(f"{name}是一个文件夹，不是绩效自评文件。请选择扩展名为 .jxdb 的文件。") from exc
    except NotRegularFileError as exc:
        raise JxdbError(f"{name}{NOT_A_FILE}。请选择扩展名为 .jxdb 的文件。") from exc
    except OSError as exc:
        raise JxdbError(f"无法读取文件{name}（{reason(exc)}）。"
                        "请检查文件所在的磁盘或网络位置是否可用。") from exc
    if size == 0:
        raise JxdbError(f"文件{name}是空的（0 字节），不是有效的绩效自评文件。可能保存或复制时中断，"
                        "请使用备份文件（.bak）或重新获取该文件。")
    if header[:16] != SQLITE_MAGIC:
        if len(header) < 16 and SQLITE_MAGIC.startswith(header):
            raise _incomplete(path, None, size)
        raise JxdbError(f"文件{name}不是绩效自评文件（.jxdb），无法打开。请确认选择了正确的文件。")
    if len(header) < HEADER_SIZE:
        raise _incomplete(path, None, size)
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    user_version, _, application_id = struct.unpack(">iii", header[60:72])
    if application_id != _signed(APPLICATION_ID):
        raise JxdbError(f"文件{name}是其他程序的数据库文件，不是绩效自评文件（.jxdb），无法打开。"
                        "请确认选择了正确的文件。")
    if user_version > SCHEMA_VERSION:
        raise JxdbError(f"文件{name}由较新版本的绩效自评程序保存（文件格式版本 {user_version}），"
                        f"本程序只能打开版本 {SCHEMA_VERSION} 及以前的文件。请升级本程序后再打开。")
    if user_version < migrations.OLDEST_SUPPORTED:
        raise _damaged(path, f"文件格式版本 {user_version} 无效")
    if page_size < 512 or page_size & (page_size - 1):
        raise _damaged(path, "文件头无效")
    expected = page_size * pages if pages and valid_for == change_counter else None
    if (expected is not None and size < expected) or size % page_size:
        raise _incomplete(path, expected, size)
    return int(user_version)


def _incomplete(path: Path, expected: int | None, size: int) -> JxdbError:
    should = f"应有 {expected} 字节，实际只有 {size} 字节" if expected else f"只有 {size} 字节"
    return JxdbError(f"文件{quote(path)}不完整（{should}），可能下载、复制或保存时中断。"
                     "请重新获取该文件，或使用同一文件夹中的备份文件（.bak）。")


def _signed(value: int) -> int:
    return value - (1 << 32) if value >= 1 << 31 else value


def configure(conn: sqlite3.Connection) -> None:
    """The pragmas every connection to a .jxdb gets (also applied by the SQLAlchemy connect event)."""
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = DELETE")


def connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection in autocommit mode, configured; for checks, migrations and copies."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        configure(conn)
    except (sqlite3.Error, UnicodeDecodeError):
        conn.close()
        raise
    return conn


def verify(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """``quick_check`` and the schema (exactly our tables and indexes, no trigger or view)."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        if rows != ["ok"]:
            raise _damaged(path, "数据库完整性检查未通过")
        objects, details = migrations.schema_signature(conn)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # SQLite's message may quote broken text
        raise _damaged(path, "数据库无法读取") from exc
    expected_objects, expected_details = migrations.expected_signature(version)
    if objects != expected_objects:
        extra = sorted(n for t, n, _ in objects - expected_objects)
        kinds = {t for t, _, _ in objects - expected_objects}
        if kinds & {"trigger", "view"} or extra:
            raise JxdbError(f"文件{quote(path)}含有本程序不认识的内容（{'、'.join(extra[:3])}），"
                            "可能被其他程序修改过。为安全起见不予打开，请向文件提供者索取原始文件。")
        raise _damaged(path, "缺少数据表")
    if details != expected_details:
        raise _damaged(path, "数据表结构不符")


def open_working_copy(source: Path, working: Path, backup_dir: Path) -> None:
    """Copy ``source`` (already header-checked) to ``working``, verify it and migrate it to the current
    version (backing the original up in ``backup_dir`` first). ``source`` is only read."""
    version = check_header(source)
    try:
        shutil.copyfile(source, working)
        wal = sidecar(source, "-wal")
        if wal.is_file() and wal.stat().st_size:
            # another SQLite tool left the file in WAL mode: the newest data may be only in the -wal. SQLite
            # reads it whenever it exists, so the copy gets it too; configure() below folds it into the copy.
            shutil.copyfile(wal, sidecar(working, "-wal"))
    except OSError as exc:
        raise _copy_error(source, exc) from exc
    try:
        conn = connect(working)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise _damaged(source, "数据库无法读取") from exc
    try:
        # the copy must still be what we checked (the file could change between check and copy)
        try:
            actual = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise _damaged(source, "数据库无法读取") from exc
        if actual != version or app_id != _signed(APPLICATION_ID):
            raise _damaged(source, "文件在读取过程中被改动")
        verify(conn, source, version)
        if version < SCHEMA_VERSION:
            backup_before_migration(source, backup_dir, version)
            try:
                migrations.migrate(conn, version)
                if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise _damaged(source, "升级文件格式后检查未通过")
            except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
                raise _damaged(source, "无法升级文件格式") from exc
            verify(conn, source, SCHEMA_VERSION)
        check_values(conn, source)
    finally:
        conn.close()


def sidecar(path: Path, suffix: str) -> Path:
    """SQLite's file beside ``path``: "-wal", "-shm" or "-journal"."""
    return path.with_name(path.name + suffix)


def remove_wal_sidecars(target: Path) -> None:
    """Remove ``target``'s -wal and -shm: SQLite would apply a -wal to whatever file has the name, and an
    old one beside a newly saved file makes it read as malformed."""
    for suffix in ("-wal", "-shm"):
        path = sidecar(target, suffix)
        if path.exists():
            path.unlink()


def check_values(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file holding a value the program cannot use (a weight of 10⁹ digits, a year 'abc', a name
    stored as bytes, JSON nested 100 000 deep): it would fail later, in the middle of work."""
    try:
        where = values.find_bad_value(conn)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise _damaged(path, "数据库无法读取") from exc
    if where is not None:
        raise _damaged(path, f"数据表 {where} 中有无效的数值或内容")


def backup_before_migration(source: Path, backup_dir: Path, version: int) -> Path:
    """Copy the user's file, as it is, into the backups folder before its copy is migrated."""
    from datetime import datetime

    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{source.stem}.v{version}.{stamp}{source.suffix}"
    try:
        shutil.copyfile(source, target)
    except OSError as exc:
        raise JxdbError(f"升级文件格式前无法备份文件{quote(source)}（{reason(exc)}），未作任何改动。"
                        "请检查磁盘空间后重试。") from exc
    return target


def _copy_error(source: Path, exc: OSError) -> JxdbError:
    if exc.errno == errno.ENOSPC:
        return JxdbError(f"磁盘空间不足，无法打开文件{quote(source)}。请清理本机磁盘空间后重试。")
    return JxdbError(f"无法读取文件{quote(source)}（{reason(exc)}）。请检查文件所在的磁盘或网络位置是否可用。")


def create_empty(path: Path) -> None:
    """A new working copy of the current schema at ``path`` (which must not exist)."""
    conn = connect(path)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # a working copy, see Document
        conn.execute("BEGIN IMMEDIATE")
        migrations.create_schema(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()


# --------------------------------------------------------------------------- saving


def _fsync_path(path: Path, directory: bool = False) -> None:
    if directory and os.name == "nt":
        return  # directories cannot be opened for fsync on Windows; NTFS journals the rename
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(source: Path, target: Path) -> None:
    """``os.replace``; on Windows retried briefly, since a virus scanner or an indexer may hold the target
    open for a moment (the rename then fails with a sharing violation)."""
    attempts = 10 if os.name == "nt" else 1
    for attempt in range(attempts):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


def _copy_database(source: sqlite3.Connection, tmp: Path) -> None:
    """A consistent copy of ``source`` in ``tmp`` with the online backup API."""
    dest = sqlite3.connect(str(tmp), isolation_level=None)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


def write_atomic(source: sqlite3.Connection, target: Path) -> None:
    """Save: copy ``source`` to ``target.tmp~`` in the target folder, flush it to disk, check it, keep the
    previous ``target`` as ``target.bak``, then rename the temp over ``target``. On any failure the
    temp files are removed, ``target`` is untouched and JxdbError says why."""
    tmp = target.with_name(target.name + TEMP_SUFFIX)
    bak = target.with_name(target.name + BACKUP_SUFFIX)
    bak_tmp = target.with_name(target.name + BACKUP_SUFFIX + TEMP_SUFFIX)
    if target.is_dir():
        raise JxdbError(f"{quote(target)}是一个文件夹，不能保存为文件。请换一个文件名。")
    try:
        for leftover in (tmp, bak_tmp):
            if leftover.exists():
                leftover.unlink()
        _copy_database(source, tmp)
        _fsync_path(tmp)
        check = sqlite3.connect(str(tmp))  # not a file: URI, which SQLite refuses for UNC (\\server\share) paths
        try:
            ok = check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            check.close()
        if not ok:
            raise JxdbError(f"保存文件{quote(target)}时校验未通过，原文件未被改动。"
                            "请重试，或用“另存为”保存到其他位置。")
        if target.exists():
            shutil.copyfile(target, bak_tmp)
            _fsync_path(bak_tmp)
            _replace(bak_tmp, bak)
        remove_wal_sidecars(target)  # its content was read into the working copy when the file was opened
        _replace(tmp, target)
        with contextlib.suppress(OSError):
            _fsync_path(target.parent, directory=True)
    except (OSError, sqlite3.Error) as exc:
        for leftover in (tmp, bak_tmp):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise save_error(target, exc) from exc
    except BaseException:
        for leftover in (tmp, bak_tmp):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise


def save_error(target: Path, exc: BaseException) -> JxdbError:
    name = quote(target)
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or "disk is full" in text:
        return JxdbError(f"磁盘空间不足，文件{name}未能保存，原文件未被改动。"
                         "请清理磁盘空间后重试，或用“另存为”保存到其他位置。")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or isinstance(exc, PermissionError) or "readonly" in text \
            or "unable to open" in text:
        return JxdbError(f"没有权限写入文件夹“{target.parent}”，文件{name}未能保存。请用“另存为”保存到其他位置。")
    if code == errno.ENOENT or isinstance(exc, FileNotFoundError):
        return JxdbError(f"文件夹“{target.parent}”不存在，文件{name}未能保存。请选择其他位置。")
    return JxdbError(f"保存文件{name}失败（{reason(exc)}），原文件未被改动。请重试，或用“另存为”保存到其他位置。")
