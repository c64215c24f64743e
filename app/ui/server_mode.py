"""The window's server side: 连接服务器…, the answer to an edit conflict, the offline banner's retry,
and a saved snapshot for batch export (the batch workers read a .jxdb file)."""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from app.models.document import Document, JxdbError
from app.models.server import AuthError, ConflictError, ServerDocument, server_url
from app.paths import user_data_dir
from app.ui.dialogs import prompts

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)
RETRY_MS = 5000


def is_server(doc: object) -> bool:
    return isinstance(doc, ServerDocument)


def own_unit(doc: object) -> str:
    """The unit a unit account works for (new projects get it), else ''."""
    return (doc.account.unit or "") if isinstance(doc, ServerDocument) and doc.account.kind == "unit" else ""


def document_name(doc: Any) -> str:
    """What the title bar calls a document."""
    if is_server(doc):
        return str(doc.display_name)
    return doc.path.name if doc.path is not None else "未命名.jxdb"


def connect(window: MainWindow, url: str | None = None, *, quiet: bool = False) -> bool:
    """文件 → 连接服务器… (and ``--db URL``): ask unsaved changes first, then the connect dialog; with a
    ``url`` a connection without the dialog is tried first (the password may come from PGPASSWORD)."""
    from app.ui.dialogs.connect_dialog import ConnectDialog

    if not quiet and not window.maybe_save():
        return False
    doc: ServerDocument | None = None
    message = ""
    if url:
        try:
            doc = ServerDocument.connect(url)
        except AuthError as exc:
            if quiet:
                raise
            # no password in the address: simply ask for it; a wrong one: say so
            message = str(exc) if server_url(url).password else ""
        except JxdbError as exc:
            if quiet:
                raise
            message = str(exc)
    if doc is None:
        dialog = ConnectDialog(window, window.settings, url, message)
        if not dialog.exec() or dialog.document is None:
            return False
        doc = dialog.document
    window.set_document(doc)
    send_queued(window, doc)
    return True


def send_queued(window: MainWindow, doc: ServerDocument) -> None:
    """Edits left on this PC from an earlier outage (maybe an earlier run): send them now."""
    try:
        waiting = len(doc.queue)
    except JxdbError as exc:
        prompts.error(window, "离线修改", str(exc))
        return
    if not waiting:
        return
    notes = doc.try_reconnect()
    if notes is None:
        window._update_title()
        return
    window.statusBar().showMessage(f"已上传本机保存的 {waiting} 个项目的离线修改。", 8000)
    window.ctl.reload_project()
    window.project_list.reload_years()
    if notes:
        prompts.info(window, "离线修改", "\n".join(notes))


class Reconnector:
    """While the server is away: probe its port in a background thread (the window never freezes on a
    dead network), and once it answers, send the queued edits. ``tick`` runs every RETRY_MS."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._probe: threading.Thread | None = None
        self._answered = False
        self.timer = QTimer(window)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        doc = self.window.ctl.document
        if not isinstance(doc, ServerDocument) or not doc.offline:
            self._answered = False
            return
        if not self._answered:
            if self._probe is None or not self._probe.is_alive():
                self._probe = threading.Thread(target=self._run_probe, args=(doc,), daemon=True)
                self._probe.start()
            return
        self._answered = False
        notes = doc.try_reconnect()
        if notes is None:
            return
        window = self.window
        window.statusBar().showMessage("已重新连接服务器，本机保存的修改已上传。", 8000)
        window._update_title()
        window.project_list.reload_years()
        if notes:
            prompts.info(window, "离线修改", "\n".join(notes))

    def _run_probe(self, doc: ServerDocument) -> None:
        self._answered = doc.reachable()


def on_conflict(window: MainWindow, exc: object) -> None:
    """Someone else changed the project: say who and what; load theirs, or keep mine as a copy first."""
    if not isinstance(exc, ConflictError):
        return
    ctl = window.ctl
    options = ["载入最新内容", "把我的修改另存为项目副本"]
    choice = prompts.choose(window, "项目已被他人修改", str(exc), options)
    if choice == 1 or exc.theirs is None:
        template = ctl.template
        if template is not None:
            copy = replace(exc.mine, id=None, name=f"{exc.mine.name}（我的修改）")
            try:
                new_id = ctl.add_project(copy, template)
            except JxdbError as err:
                prompts.error(window, "无法保存副本", str(err))
                return
            window.statusBar().showMessage(f"您的修改已另存为项目“{copy.name}”（编号 {new_id}）。", 10000)
    if exc.theirs is None:  # deleted on the server
        ctl.select_project(None)
        window.project_list.reload_years()
        return
    ctl.reload_project()
    window.project_list.reload_years()
    window.project_list.select_id(exc.project_id)


def manage_accounts(window: MainWindow) -> None:
    """文件 → 单位与账号… (admin accounts): the accounts dialog."""
    from app.ui.dialogs.accounts_dialog import AccountsDialog

    doc = window.ctl.document
    if isinstance(doc, ServerDocument) and doc.can_administer:
        AccountsDialog(window, doc).exec()


def can_manage_accounts(doc: object) -> bool:
    return isinstance(doc, ServerDocument) and doc.can_administer


def on_refused(window: MainWindow, text: str) -> None:
    """The server refused an edit (this account may not make it): say so and show what is stored."""
    prompts.error(window, "没有权限", text)
    window.ctl.reload_project()


def banner_text(doc: object) -> str | None:
    """The yellow banner's text for a server document (None: no banner)."""
    if isinstance(doc, ServerDocument) and doc.offline:
        return doc.status_text()
    return None


def snapshot_for_batch(window: MainWindow, doc: ServerDocument) -> tuple[Path, list[tuple[int, int, str, str]]] | None:
    """The server's projects (as this account sees them) saved into a .jxdb in the user data folder."""
    folder = user_data_dir() / "server-snapshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc.url.database}.jxdb"
    with contextlib.suppress(OSError):
        path.unlink()
    try:
        doc.save_as(path)
        with Document.open(path, read_only=True) as snap:
            projects = [(p.id, p.year, p.unit, p.name) for p in snap.list_projects()]
    except JxdbError as exc:
        prompts.error(window, "批量导出", str(exc))
        return None
    return path, projects
