"""Start the window: QApplication, Qt's zh_CN translation, the error hook and log, which file to open."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app.models import recovery
from app.models.document import Document, JxdbError, RecoveryInfo
from app.paths import log_dir
from app.ui import files, platform_check, server_mode, single_instance
from app.ui.dialogs import prompts
from app.ui.main_window import MainWindow
from app.ui.screen_fit import fit_to_screen

log = logging.getLogger("app.ui")
LOG_NAME = "jixiao-gui.log"
_keep: list[object] = []  # the translator and hook live as long as the application


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup_logging() -> logging.Handler | None:
    """Log to a rotating file in the user data folder; returns the handler (None when the folder is not writable)."""
    try:
        handler = RotatingFileHandler(log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def install_translator(app: QApplication) -> bool:
    """Qt's own Chinese texts for standard buttons and dialogs (确定 / 取消); Chinese is also Qt's default locale."""
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(chinese)  # file types in Qt's file dialog and QLocale() figures, whatever the system's locale
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(chinese, "qtbase", "_", folder):
        app.installTranslator(translator)
        _keep.append(translator)
        return True
    log.warning("qtbase_zh_CN.qm not found in %s", folder)
    return False


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An unexpected error: the details go to the log, the user sees one short Chinese dialog."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    try:
        QMessageBox.critical(None, "程序出错",
                             f"程序遇到意外错误（{kind.__name__}），当前操作未完成。\n"
                             "您的数据仍在，请先保存（或另存为）再继续。\n\n"
                             f"详情已写入日志：{log_file()}\n请把该文件发给维护人员。")
    except Exception:  # never let the hook itself fail
        sys.__excepthook__(kind, exc, tb)


def _offer_recovery(window: MainWindow) -> bool:
    """After a crash: offer each left-over working copy. True when one was opened."""
    try:
        found: list[RecoveryInfo] = Document.find_recoverable()
    except (OSError, JxdbError) as exc:
        log.warning("find_recoverable: %s", exc)
        return False
    for info in found:
        name = info.original_path.name if info.original_path is not None else "未命名文件"
        choice = prompts.choose(
            window, "恢复未保存的修改",
            f"上次程序没有正常关闭，“{name}”有未保存的修改（{info.modified:%Y-%m-%d %H:%M}）。\n"
            "是否恢复这些修改？", ["恢复", "放弃这些修改", "以后再说"])
        try:
            if choice == 0:
                if not window.maybe_save():
                    return False
                window.set_document(Document.recover(info))
                return True
            if choice == 1:
                Document.discard_recoverable(info)
        except JxdbError as exc:
            prompts.error(window, "无法恢复", str(exc))
    return False


def start(window: MainWindow, file: str | None, smoke: bool, db: str | None = None) -> None:
    """Open what the command line asks, else the last file, else (first run) the sample file."""
    if db and (server_mode.connect(window, db, quiet=smoke) or smoke):
        return
    if file:
        if not smoke:  # no recovery offer when a file is named, but the leftovers of killed runs still go
            with contextlib.suppress(OSError):
                recovery.remove_stale()
        window.open_path(Path(file), quiet=smoke)
        return
    if smoke:
        window.set_document(Document.new())
        return
    if _offer_recovery(window):
        return
    last = files.last_file(window.settings)
    if last is not None and last.exists() and window.open_path(last):
        return
    if not window.settings.value("sampleCreated", False, bool):
        sample = files.first_run_file()
        window.settings.setValue("sampleCreated", True)
        if sample is not None and window.open_path(sample):
            return
    window.set_document(Document.new())


def _open_received(window: MainWindow, path: str) -> None:
    """A second start handed us a file: come to the front and open it (asking about unsaved changes)."""
    single_instance.bring_to_front(window)
    doc = window.ctl.document
    if doc is not None and doc.path is not None and Path(path) == doc.path:
        return
    window.open_path(Path(path))


def _smoke_print(window: MainWindow) -> str | None:
    """--smoke with a file: the print path works too (PDF written, first page rasterised by pdfium)."""
    ctl = window.ctl
    if ctl.project is None or ctl.template is None or ctl.report is None:
        return None
    from app.ui import printing

    try:
        with printing.form_pdf(ctl.project, ctl.template, ctl.report) as pages:
            image = pages.image(0, 30)
    except Exception as exc:  # any failure here is what the self-check is for
        log.exception("smoke: printing")
        return f"打印功能无法使用（{type(exc).__name__}），详情已写入日志 {log_file()}"
    return None if not image.isNull() else "打印功能无法使用（页面图像为空）"


def _smoke(file: str | None, db: str | None = None) -> int:
    """``--smoke``: start, open, show, quit. Never a dialog (prompts are recorded instead); any error,
    message or exception makes the exit status 1 with one Chinese line on stderr."""
    problems: list[str] = []
    prompts.HEADLESS = problems

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        problems.append(f"程序内部错误（{kind.__name__}），详情已写入日志 {log_file()}")

    old_hook, sys.excepthook = sys.excepthook, hook
    window: MainWindow | None = None
    try:
        window = MainWindow()
        start(window, file, smoke=True, db=db)
        window.resize(1400, 900)
        window.show()
        QApplication.processEvents()
        problem = _smoke_print(window)
        if problem is not None:
            problems.append(problem)
    except JxdbError as exc:
        problems.append(str(exc))
    except Exception as exc:
        hook(type(exc), exc, exc.__traceback__)
    finally:
        if window is not None:
            with contextlib.suppress(Exception):
                window.set_document(None)
                window.close()
        sys.excepthook = old_hook
        prompts.HEADLESS = None
    if problems:
        sys.stderr.write(f"错误：{problems[0]}\n")
        return 1
    return 0


def run_gui(file: str | None, smoke: bool = False, db: str | None = None) -> int:
    """``python -m app [FILE] [--db URL] [--smoke]``."""
    setup_logging()
    existing = QApplication.instance()
    if existing is None:
        why = platform_check.problem()  # Qt would abort with an English message instead
        if why is not None:
            log.error("window cannot start: %s", why)
            sys.stderr.write(f"错误：{why}\n")
            return 1
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    platform_check.release()
    app.setOrganizationName("JixiaoZiping")
    app.setApplicationName("绩效自评")
    app.setApplicationDisplayName("绩效自评")
    install_translator(app)
    if file and not Path(file).exists():
        sys.stderr.write(f"错误：{file}：文件不存在，请检查路径\n")
        return 1
    if smoke:
        return _smoke(file, db)
    window = MainWindow()
    instance = single_instance.claim(os.path.abspath(file) if file else None)
    if instance is None:  # a running window took the file
        window.deleteLater()
        return 0
    _keep.append(instance)
    instance.fileReceived.connect(lambda path: _open_received(window, path))
    instance.activationRequested.connect(lambda: single_instance.bring_to_front(window))
    sys.excepthook = _excepthook
    if window.settings.value("geometry") is None and fit_to_screen(window, 1400, 900):
        window.setWindowState(Qt.WindowState.WindowMaximized)  # a laptop screen: all of it for the window
    window.show()
    QTimer.singleShot(0, lambda: start(window, file, smoke=False, db=db))
    return int(app.exec())
