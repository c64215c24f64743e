"""The main window: project list, tabs generated from the template, score panel, menus and toolbar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.importers.importing import read_sources
from app.models.document import ChangedOnDiskError, Document, JxdbError, LockedError
from app.models.server import ServerDocument
from app.paths import log_dir, user_documents_dir
from app.scoring import edits
from app.scoring.records import Issue, Location, Project, ScoreReport, Template
from app.scoring.selfcheck import Finding
from app.scoring.templates import new_project
from app.ui import exporting, files, printing, server_mode
from app.ui.controller import Controller, DocumentLike
from app.ui.dialogs import prompts
from app.ui.dialogs.project_dialog import ProjectDialog
from app.ui.dialogs.self_check import SelfCheckDialog
from app.ui.editors.budget import BudgetEditor
from app.ui.editors.indicators import ROW_ACTIONS, IndicatorEditor
from app.ui.editors.narrative import TextFields, analysis_editor, overview_editor
from app.ui.editors.review import ReviewEditor
from app.ui.overview import OverviewWindow
from app.ui.project_list import ProjectList
from app.ui.score_panel import ScorePanel

log = logging.getLogger(__name__)
APP_TITLE = "绩效自评"
Editor = IndicatorEditor | BudgetEditor | TextFields | ReviewEditor


def _has_review(project: Project) -> bool:
    """Whether the project already holds review scores or opinions (then their columns are always shown)."""
    return any(ind.reviewer_score is not None or ind.reviewer_note for _, ind in project.indicators())


def _describe(exc: Exception) -> str | None:
    return str(exc) if isinstance(exc, JxdbError) else None


class MainWindow(QMainWindow):
    """One window, one open document at a time."""

    def __init__(self, settings: QSettings | None = None, templates: dict[str, Template] | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else files.open_settings()
        self.builtin = templates if templates is not None else files.builtin_templates()
        self.ctl = Controller(self)
        self.ctl.describe_error = _describe
        self.editors: list[Editor] = []
        self.category_editors: dict[int, IndicatorEditor] = {}
        self.budget_editor: BudgetEditor | None = None
        self.review_editor: ReviewEditor | None = None
        self.overview: OverviewWindow | None = None

        self.banner = QFrame(self)
        self.banner.setStyleSheet("QFrame { background: #fff4ce; border-bottom: 1px solid #e0c36a; }")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 4, 10, 4)
        self.banner_text = QLabel(self.banner)
        self.banner_text.setWordWrap(True)  # a long file name or reason wraps instead of widening the window
        save_as_button = QPushButton("另存为…", self.banner)
        save_as_button.clicked.connect(self.save_as)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(save_as_button)
        self.banner.hide()

        self.project_list = ProjectList(self.ctl, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.placeholder = QLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #666; font-size: 14pt;")
        self.start_page = QWidget(self)
        start_layout = QVBoxLayout(self.start_page)
        start_layout.addStretch(1)
        start_layout.addWidget(self.placeholder)
        self.start_buttons = self._button_row((("新建项目…", self.new_project),
                                               ("导入自评表…", lambda: self.import_files())))
        start_layout.addWidget(self.start_buttons)
        # no file open: the same first steps as the 文件 menu, without looking for them
        self.file_buttons = self._button_row((("新建文件", self.new_file), ("打开…", self.open_file)))
        start_layout.addWidget(self.file_buttons)
        start_layout.addStretch(1)
        self.centre = QStackedWidget(self)
        self.centre.addWidget(self.start_page)
        self.centre.addWidget(self.tabs)
        self.panel = ScorePanel(self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.project_list)
        split.addWidget(self.centre)
        split.addWidget(self.panel)
        split.setStretchFactor(1, 1)
        split.setSizes([210, 920, 270])
        split.setChildrenCollapsible(False)
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(split, 1)
        self.setCentralWidget(body)
        self._make_actions()
        self.statusBar()

        self.ctl.changed.connect(self._on_changed)
        self.ctl.projectSwitched.connect(self._build_tabs)
        self.ctl.documentChanged.connect(self._update_title)
        self.ctl.documentChanged.connect(self._reload_overview)
        self.ctl.failed.connect(lambda text: prompts.error(self, "无法完成操作", text))
        self.ctl.conflicted.connect(lambda exc: server_mode.on_conflict(self, exc), Qt.ConnectionType.QueuedConnection)
        self.ctl.refused.connect(lambda text: server_mode.on_refused(self, text), Qt.ConnectionType.QueuedConnection)
        self.reconnector = server_mode.Reconnector(self)
        self.ctl.undo_stack.cleanChanged.connect(lambda _: self._update_title())
        self.project_list.selected.connect(self.ctl.select_project)
        self.project_list.newRequested.connect(self.new_project)
        self.project_list.copyRequested.connect(self.copy_project)
        self.project_list.deleteRequested.connect(self.delete_project)
        self.panel.issueActivated.connect(self.go_to_issue)
        self.panel.conventionChosen.connect(self.set_convention)
        self.self_check_dialog: SelfCheckDialog | None = None
        self._build_tabs()
        self._update_title()
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def _button_row(self, buttons: tuple[tuple[str, Callable[[], object]], ...]) -> QWidget:
        """A centred row of large buttons for the start page."""
        row = QWidget(self.start_page)
        layout = QHBoxLayout(row)
        layout.addStretch(1)
        for text, slot in buttons:
            button = QPushButton(text, row)
            button.setMinimumWidth(140)
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addStretch(1)
        return row

    # ------------------------------------------------------------------ menus and toolbar

    def _action(self, text: str, slot: object, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        bar = self.menuBar()
        self.act_new = self._action("新建文件", self.new_file, QKeySequence.StandardKey.New, "新建一个空的绩效自评文件")
        self.act_open = self._action("打开…", self.open_file, QKeySequence.StandardKey.Open, "打开 .jxdb 文件")
        self.act_connect = self._action("连接服务器…", lambda: server_mode.connect(self), "Ctrl+Shift+L",
                                        "打开局域网服务器上的绩效自评数据库")
        self.act_save = self._action("保存", self.save, QKeySequence.StandardKey.Save, "保存到当前文件")
        self.act_save_as = self._action("另存为…", self.save_as, "Ctrl+Shift+S", "保存到另一个文件")
        self.act_close = self._action("关闭", self.close_file, "Ctrl+W", "关闭当前文件")
        self.act_quit = self._action("退出", self.close, "Ctrl+Q")
        self.recent_menu = QMenu("最近打开", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m = bar.addMenu("文件(&F)")
        m.addActions([self.act_new, self.act_open, self.act_connect])
        m.addMenu(self.recent_menu)
        m.addSeparator()
        m.addActions([self.act_save, self.act_save_as, self.act_close])
        self.act_accounts = self._action("单位与账号…", lambda: server_mode.manage_accounts(self), None,
                                         "管理服务器上的单位和账号（管理员）")
        m.addAction(self.act_accounts)
        m.addSeparator()
        self.act_import = self._action("导入…", lambda _=False: self.import_files(), "Ctrl+I",
                                       "从已有的自评表（.xlsx）或项目数据（.json）导入项目")
        m.addAction(self.act_import)
        self.act_collect = self._action("汇集…", self.collect_files, "Ctrl+Shift+I",
                                        "把各单位报来的文件或文件夹中的项目汇集到当前文件")
        m.addAction(self.act_collect)
        export_menu = m.addMenu("导出当前项目")
        self.act_exports: list[QAction] = []
        for kind, (text, _, _, _) in exporting.FORMATS.items():
            act = self._action(text, lambda _=False, k=kind: self.export(k))
            export_menu.addAction(act)
            self.act_exports.append(act)
        self.act_batch = self._action("批量导出…", self.batch_export, "Ctrl+Shift+E",
                                      "把文件中一个年度的项目一次导出为 Word、Excel、PDF 和汇总表")
        m.addAction(self.act_batch)
        self.act_preview = self._action("打印预览…", self.print_preview, "Ctrl+F2", "预览当前项目的绩效自评表")
        self.act_print = self._action("打印…", self.print_form, QKeySequence.StandardKey.Print,
                                      "打印当前项目的绩效自评表")
        m.addActions([self.act_preview, self.act_print])
        m.addSeparator()
        m.addAction(self.act_quit)

        stack = self.ctl.undo_stack
        self.act_undo = stack.createUndoAction(self, "撤销")
        self.act_undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.act_redo = stack.createRedoAction(self, "重做")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_copy = self._action("复制", self.copy, None, "复制选中的单元格或文字")
        self.act_paste = self._action("粘贴", self.paste, None, "粘贴（可从 Excel/WPS 粘贴多行多列）")
        self.act_copy.setShortcut(QKeySequence.StandardKey.Copy)
        self.act_paste.setShortcut(QKeySequence.StandardKey.Paste)
        for act in (self.act_copy, self.act_paste):
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the focused widget handles the keys
        m = bar.addMenu("编辑(&E)")
        m.addActions([self.act_undo, self.act_redo])
        m.addSeparator()
        m.addActions([self.act_copy, self.act_paste])

        self.act_new_project = self._action("新建项目…", self.new_project, "Ctrl+Shift+N", "选择评价框架新建项目")
        self.act_copy_project = self._action("复制项目…", self.copy_project, None, "复制当前项目，如复制到下一年度")
        self.act_delete_project = self._action("删除项目", self.delete_project, None, "删除当前项目")
        self.act_self_check = self._action("自查(&J)…", self.self_check, "F7",
                                           "提交前检查当前项目，列出需要整改的问题，可导出整改清单")
        self.act_self_check.setIconText("自查")  # the toolbar's text, without the menu's (J)
        self.act_copy_unit = self._action("复制单位的项目到新年度…", self.copy_unit_to_year, None,
                                          "把一个单位一个年度的全部项目复制到新年度（保留目标，清空实际完成值）")
        m = bar.addMenu("项目(&P)")
        m.addActions([self.act_new_project, self.act_copy_project, self.act_delete_project])
        m.addSeparator()
        m.addAction(self.act_self_check)
        m.addSeparator()
        m.addAction(self.act_copy_unit)
        self.act_review_columns = self._action("显示复核列", self._toggle_review_columns, "Ctrl+Shift+R",
                                               "在指标表格中显示“复核得分”“复核意见”两列（所有评价框架）")
        self.act_review_columns.setCheckable(True)
        self.act_review_columns.setChecked(bool(self.settings.value("view/review_columns", False, type=bool)))
        self.act_review = self._action("复核…", self.show_review, "Ctrl+R", "打开当前项目的“复核”页")
        self.act_overview = self._action("年度总览…", self.show_overview, "Ctrl+Shift+O",
                                         "一个年度全部项目的得分、等级、复核状态和图表")
        self.act_return = self._action("退回整改…", self.return_unit, None,
                                       "为一个单位生成整改通知（Word）和整改清单（Excel），可把项目设为“退回修改”")
        m = bar.addMenu("复核(&R)")
        m.addActions([self.act_review, self.act_review_columns])
        m.addSeparator()
        m.addActions([self.act_overview, self.act_return])

        self.indicator_menu = bar.addMenu("指标(&I)")
        self.act_rows: list[QAction] = []
        for method, text, key, tip in ROW_ACTIONS:
            act = self._action(text, lambda _=False, m=method: self._row_tool(m), key, tip)
            # the keys work in the indicator tables (each table gets the actions), not in a combo box
            # where Alt+↓ opens the list; the menu works from anywhere
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.indicator_menu.addAction(act)
            self.act_rows.append(act)
        self.indicator_menu.addSeparator()
        self.act_next_tab = self._action("下一页签", lambda: self._step_tab(1), None, "切换到下一个页签")
        self.act_next_tab.setShortcuts([QKeySequence("Ctrl+Tab"), QKeySequence("Ctrl+PgDown")])
        self.act_prev_tab = self._action("上一页签", lambda: self._step_tab(-1), None, "切换到上一个页签")
        self.act_prev_tab.setShortcuts([QKeySequence("Ctrl+Shift+Tab"), QKeySequence("Ctrl+PgUp")])
        self.indicator_menu.addActions([self.act_next_tab, self.act_prev_tab])
        self.tabs.currentChanged.connect(self._tab_changed)

        m = bar.addMenu("帮助(&H)")
        m.addAction(self._action("关于", self.about))
        m.addAction(self._action("日志文件位置", self.show_logs))

        tools = QToolBar("工具栏", self)
        tools.setObjectName("main-toolbar")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tools.addActions([self.act_open, self.act_save])
        tools.addSeparator()
        tools.addActions([self.act_undo, self.act_redo])
        tools.addSeparator()
        tools.addActions([self.act_new_project, self.act_copy_project])
        tools.addSeparator()
        tools.addActions([self.act_self_check, self.act_preview, self.act_batch])
        self.addToolBar(tools)

    def current_indicator_editor(self) -> IndicatorEditor | None:
        """The indicator table of the tab shown (the 预算执行 tab of the MoF form has one too)."""
        widget = self.tabs.currentWidget() if self.centre.currentWidget() is self.tabs else None
        if isinstance(widget, IndicatorEditor):
            return widget
        return widget.indicators if isinstance(widget, BudgetEditor) else None

    def _row_tool(self, method: str) -> None:
        editor = self.current_indicator_editor()
        if editor is not None:
            self.commit_pending()
            getattr(editor, method)()
            editor.table.setFocus()

    def _tab_changed(self, _index: int) -> None:
        if self.review_editor is not None and self.tabs.currentWidget() is self.review_editor:
            self.review_editor.ensure_loaded()
        self._update_row_tools()

    def _update_row_tools(self) -> None:
        enabled = self.current_indicator_editor() is not None
        for act in self.act_rows:
            act.setEnabled(enabled)

    def _step_tab(self, delta: int) -> None:
        if self.centre.currentWidget() is self.tabs and self.tabs.count():
            self.commit_pending()
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + delta) % self.tabs.count())
            widget = self.tabs.currentWidget()
            target = (widget.table if isinstance(widget, IndicatorEditor | BudgetEditor)
                      else widget.focusWidget() if widget is not None else None)
            if target is None and widget is not None:  # the first widget of the page that takes the focus
                chain = widget.nextInFocusChain()
                while chain is not widget and not (widget.isAncestorOf(chain)
                                                   and chain.focusPolicy() & Qt.FocusPolicy.TabFocus):
                    chain = chain.nextInFocusChain()
                target = chain
            if target is not None:
                target.setFocus(Qt.FocusReason.TabFocusReason)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = files.recent_files(self.settings)
        for path in paths:
            act = self.recent_menu.addAction(str(path))
            act.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not paths:
            self.recent_menu.addAction("（无）").setEnabled(False)

    # ------------------------------------------------------------------ state shown

    def _update_title(self) -> None:
        doc = self.ctl.document
        if doc is None:
            self.setWindowTitle(APP_TITLE)
            self.setWindowModified(False)
        else:
            self.setWindowTitle(f"{server_mode.document_name(doc)}[*] - {APP_TITLE}")
            self.setWindowModified(self.ctl.modified)
        read_only = doc is not None and doc.read_only
        offline = server_mode.banner_text(doc)
        self.banner.setVisible(read_only or offline is not None)
        if offline is not None:
            self.banner_text.setText(offline)
        elif read_only and doc is not None and doc.path is not None:
            why = getattr(doc, "read_only_reason", "")
            self.banner_text.setText(f"“{doc.path.name}”以只读方式打开{f'（{why}）' if why else ''}："
                                     "修改不能保存到原文件，请使用“另存为”保存到其他位置。")
        has_doc, has_project = doc is not None, self.ctl.project is not None
        self.act_accounts.setVisible(server_mode.is_server(doc))
        self.act_accounts.setEnabled(server_mode.can_manage_accounts(doc))
        for act in (self.act_save, self.act_save_as, self.act_close, self.act_new_project, self.act_batch,
                    self.act_collect, self.act_overview, self.act_copy_unit, self.act_return):
            act.setEnabled(has_doc)
        for act in (self.act_copy_project, self.act_delete_project, self.act_preview, self.act_print, self.act_review,
                    self.act_self_check, *self.act_exports):
            act.setEnabled(has_project)
        self.project_list.setEnabled(has_doc)

    def _on_changed(self, report: ScoreReport) -> None:
        """Repaint the panel first (what the user looks at), then the editors and an open overview."""
        self.panel.show_report(report)
        dialog = self.self_check_dialog
        if dialog is not None and dialog.isVisible() and self.ctl.project is not None and self.ctl.template \
                and dialog.current[0].id == self.ctl.project.id:
            dialog.update_current(self.ctl.project, self.ctl.template)
        for editor in self.editors:
            editor.refresh(report)
        if self.overview is not None and self.overview.isVisible() and self.ctl.project is not None:
            self.overview.project_changed(self.ctl.project, report)
        self._update_title()
        if self.ctl.project is not None:
            self._refresh_list_item()

    def _refresh_list_item(self) -> None:
        project = self.ctl.project
        items = self.project_list.model.items
        row = self.project_list.model.row_of(project.id if project else None)
        if project is not None and row >= 0:
            item = items[row]
            if (item.name, item.year, item.unit, item.department) != (project.name, project.year, project.unit,
                                                                      project.department):
                items[row] = replace(item, name=project.name, year=project.year, unit=project.unit,
                                     department=project.department)
                index = self.project_list.model.index(row)
                self.project_list.model.dataChanged.emit(index, index)

    def _build_tabs(self) -> None:
        """Make the tabs for the selected project from its template."""
        current = self.tabs.tabText(self.tabs.currentIndex()) if self.tabs.count() else ""
        self.tabs.blockSignals(True)
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        self.tabs.blockSignals(False)
        self.editors, self.category_editors, self.budget_editor, self.review_editor = [], {}, None, None
        project, template = self.ctl.project, self.ctl.template
        self._update_title()
        if project is not None and self.project_list.model.row_of(project.id) >= 0:
            self.project_list.reload()  # an undo may switch projects: keep the list in step
        if project is None or template is None:
            self.panel.show_report(None)
            has_doc = self.ctl.document is not None
            self.placeholder.setText("请在左侧选择项目，或新建一个项目、导入已有的自评表" if has_doc
                                     else "请打开或新建一个绩效自评文件")
            self.start_buttons.setVisible(has_doc)
            self.file_buttons.setVisible(not has_doc)
            self.centre.setCurrentWidget(self.start_page)
            self._update_row_tools()
            return
        budget_ci = next((ci for ci, c in enumerate(project.categories)
                          if template.layout == "mof" and c.name.startswith("预算执行")), None)
        overview = overview_editor(self.ctl, template, self.tabs)
        review = self.act_review_columns.isChecked() or _has_review(project)
        self.budget_editor = BudgetEditor(self.ctl, template, budget_ci, self.tabs, review=review)
        self.budget_editor.message.connect(self._status)
        self.tabs.addTab(overview, "基本信息")
        self.tabs.addTab(self.budget_editor, "预算执行")
        self.editors = [overview, self.budget_editor]
        if budget_ci is not None and self.budget_editor.indicators is not None:
            self.category_editors[budget_ci] = self.budget_editor.indicators
        for ci, cat in enumerate(project.categories):
            if ci == budget_ci:
                continue
            editor = IndicatorEditor(self.ctl, ci, template, self.tabs, review=review)
            editor.message.connect(self._status)
            self.tabs.addTab(editor, cat.label)
            self.editors.append(editor)
            self.category_editors[ci] = editor
        for indicator_editor in self.category_editors.values():
            indicator_editor.row_actions = self.act_rows
            indicator_editor.table.addActions(self.act_rows)
        analysis = analysis_editor(self.ctl, template, self.tabs)
        self.tabs.addTab(analysis, "分析与建议")
        self.review_editor = ReviewEditor(self.ctl, self.tabs)
        self.tabs.addTab(self.review_editor, "复核")
        self.editors += [analysis, self.review_editor]
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i) == current:
                self.tabs.setCurrentIndex(i)
        self.centre.setCurrentWidget(self.tabs)
        self._update_row_tools()

    def show_overview(self) -> OverviewWindow | None:
        """复核 → 年度总览: one window per open file, following the window's edits."""
        doc = self.ctl.document
        if doc is None:
            return None
        self.commit_pending()
        if self.overview is None or self.overview.doc is not doc:
            if self.overview is not None:
                self.overview.close()
            year = self.ctl.project.year if self.ctl.project is not None else None
            self.overview = OverviewWindow(doc, self, year=year)
            self.overview.projectActivated.connect(self._show_project)
        else:
            self.overview.reload()
        self.overview.show()
        self.overview.raise_()
        self.overview.activateWindow()
        return self.overview

    def _reload_overview(self) -> None:
        if self.overview is not None and self.overview.isVisible() and self.overview.doc is self.ctl.document:
            self.overview.reload()

    def _show_project(self, project_id: int) -> None:
        self.project_list.select_id(project_id)
        self.raise_()
        self.activateWindow()

    def _toggle_review_columns(self, checked: bool) -> None:
        self.settings.setValue("view/review_columns", checked)
        self.commit_pending()
        self._build_tabs()

    def show_review(self) -> None:
        if self.ctl.project is not None and self.review_editor is not None:
            self.tabs.setCurrentWidget(self.review_editor)
            self.review_editor.ensure_loaded()
            self.review_editor.status.setFocus()

    def _status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def go_to_issue(self, issue: Issue) -> None:
        """Show the tab and select the cell an issue names."""
        where = issue.where
        if where.field.startswith("penalty.") and self.budget_editor is not None:
            self.tabs.setCurrentWidget(self.budget_editor)
            return
        if where.field.startswith("budget.") and self.budget_editor is not None and len(where.index) < 3:
            self.tabs.setCurrentWidget(self.budget_editor)
            self.budget_editor.select(where.field)
            return
        if where.index and where.index[0] in self.category_editors:
            editor = self.category_editors[where.index[0]]
            tab: QWidget = editor
            if self.budget_editor is not None and editor is self.budget_editor.indicators:
                tab = self.budget_editor
            self.tabs.setCurrentWidget(tab)
            if len(where.index) >= 2:
                editor.select(where.index[1], where.index[2] if len(where.index) > 2 else None, where.field)

    # ------------------------------------------------------------------ 计分口径 and 自查

    def set_convention(self, convention: str) -> None:
        """The score panel's 计分口径 choice: an undoable edit of the project."""
        project, report = self.ctl.project, self.ctl.report
        if project is None or report is None or convention == report.convention:
            return
        self.ctl.update(lambda p: replace(p, convention=convention), "更改计分口径")
        if self.ctl.report is not None:
            self._status(f"{self.ctl.report.convention_label}，总分 {self.ctl.report.total}")

    def self_check(self) -> SelfCheckDialog | None:
        """项目 → 自查: the findings of the current project in a window beside the editors."""
        self.commit_pending()
        doc, project, template = self.ctl.document, self.ctl.project, self.ctl.template
        if doc is None or project is None or template is None:
            return None

        def load_all() -> list[tuple[Project, Template]]:
            out = []
            for summary in doc.list_projects():
                other = doc.load_project(summary.id)
                out.append((other, doc.template_for(other)))
            return out

        if self.self_check_dialog is not None:
            self.self_check_dialog.close()
            self.self_check_dialog.deleteLater()
        source = doc.path.name if doc.path is not None else "未命名.jxdb"
        dialog = SelfCheckDialog((project, template), len(doc.list_projects()), load_all, source, self)
        dialog.locate.connect(self._locate_finding)
        self.self_check_dialog = dialog
        dialog.show()
        return dialog

    def _locate_finding(self, project_id: int | None, finding: Finding) -> None:
        if project_id is not None and (self.ctl.project is None or self.ctl.project.id != project_id):
            self.project_list.select_id(project_id)
        if finding.field.startswith("budget") and not finding.index and self.budget_editor is not None:
            self.tabs.setCurrentWidget(self.budget_editor)
            return
        self.go_to_issue(Issue(finding.level, finding.code, finding.problem,
                               Location((), finding.index, finding.field)))

    # ------------------------------------------------------------------ documents

    def set_document(self, doc: DocumentLike | None) -> None:
        if self.overview is not None:
            self.overview.close()
            self.overview.deleteLater()
            self.overview = None
        old = self.ctl.document
        if self.self_check_dialog is not None and old is not doc:  # its findings belong to the old file
            self.self_check_dialog.close()
        self.ctl.set_document(doc)
        if old is not None and old is not doc:
            old.close()
        self.project_list.reload_years()
        self.project_list.select_id(self.project_list.first_id())
        self._update_title()

    def commit_pending(self) -> None:
        """A cell still being typed in counts: every open cell editor hands its text over first."""
        for view in self.findChildren(QAbstractItemView):
            if view.state() != QAbstractItemView.State.EditingState:
                continue
            for editor in view.viewport().findChildren(QWidget):
                if editor.parentWidget() is view.viewport():
                    view.commitData(editor)
                    view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def maybe_save(self) -> bool:
        """Ask 保存 / 不保存 / 取消 when there are unsaved changes; False means: stop what you were doing."""
        self.commit_pending()
        doc = self.ctl.document
        if doc is None or not self.ctl.modified:
            return True
        if server_mode.is_server(doc):  # queued edits stay on this PC and are sent on the next connection
            prompts.info(self, "修改尚未上传", f"{server_mode.banner_text(doc) or ''}\n"
                         "关闭后这些修改仍保存在本机，下次连接同一服务器时自动上传。")
            return True
        name = doc.path.name if doc.path is not None else "未命名.jxdb"
        answer = prompts.ask_save(self, name)
        if answer is prompts.Answer.SAVE:
            return self.save()
        return answer is prompts.Answer.DISCARD

    def open_path(self, path: Path, *, quiet: bool = False) -> bool:
        """Open a file in this window (after asking about unsaved changes). ``quiet``: no dialogs at all."""
        if not quiet and not self.maybe_save():
            return False
        try:
            doc = Document.open(path)
        except LockedError as exc:
            if quiet:
                doc = Document.open(path, read_only=True)
            elif prompts.confirm(self, "文件正在使用",
                                 f"“{path.name}”正由 {exc.owner.describe()} 打开。\n\n"
                                 "可以以只读方式打开它：能查看和修改，但只能另存为其他文件。",
                                 "只读打开", "取消"):
                try:
                    doc = Document.open(path, read_only=True)
                except JxdbError as exc2:
                    prompts.error(self, "无法打开文件", str(exc2))
                    return False
            else:
                return False
        except JxdbError as exc:
            if quiet:
                raise
            prompts.error(self, "无法打开文件", str(exc))
            return False
        self.set_document(doc)
        if doc.path is not None and not quiet:
            files.add_recent(self.settings, doc.path)
        return True

    def new_file(self) -> None:
        if not self.maybe_save():
            return
        try:
            self.set_document(Document.new())
        except JxdbError as exc:
            prompts.error(self, "无法新建文件", str(exc))

    def open_file(self) -> None:
        last = files.last_file(self.settings)
        folder = str(last.parent) if last is not None else str(user_documents_dir())
        path = prompts.open_file(self, folder)
        if path is not None:
            self.open_path(path)

    def save(self) -> bool:
        self.commit_pending()
        doc = self.ctl.document
        if doc is None:
            return False
        if server_mode.is_server(doc):
            try:
                doc.save()  # edits are on the server already; this sends any queued while offline
            except JxdbError as exc:
                prompts.error(self, "保存", str(exc))
                return False
            self._update_title()
            self._status("所有修改都已保存在服务器上")
            return True
        if doc.path is None or doc.read_only:
            return self.save_as()
        try:
            try:
                doc.save()
            except ChangedOnDiskError as exc:  # another program saved over it since it was opened here
                choice = prompts.choose(self, "文件已被其他程序修改", str(exc), ["另存为…", "覆盖", "取消"])
                if choice == 0:
                    return self.save_as()
                if choice != 1:
                    return False
                assert isinstance(doc, Document)  # only a .jxdb file can be replaced on disk
                doc.save(overwrite=True)
        except JxdbError as exc:
            prompts.error(self, "保存失败", f"{exc}\n\n您的修改仍在程序中，可以用“另存为”保存到其他位置。")
            return False
        self.ctl.mark_saved()
        self._update_title()
        self._status(f"已保存到 {doc.path}")
        return True

    def save_as(self) -> bool:
        self.commit_pending()
        doc = self.ctl.document
        if doc is None:
            return False
        if doc.path is not None:
            suggested = doc.path.with_name(doc.path.stem + "（副本）.jxdb") if doc.read_only else doc.path
        else:
            suggested = user_documents_dir() / "绩效自评.jxdb"
        path = prompts.save_file(self, str(suggested))
        if path is None:
            return False
        try:
            doc.save_as(path)
        except JxdbError as exc:
            prompts.error(self, "保存失败", f"{exc}\n\n您的修改仍在程序中，可以换一个位置再试。")
            return False
        files.add_recent(self.settings, path)
        self.ctl.mark_saved()
        self._update_title()
        self._status(f"已保存到 {path}")
        return True

    def close_file(self) -> bool:
        if not self.maybe_save():
            return False
        self.set_document(None)
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            self.settings.setValue("geometry", self.saveGeometry())
            self.set_document(None)
            event.accept()
        else:
            event.ignore()

    # ------------------------------------------------------------------ projects

    def _templates(self) -> dict[str, Template]:
        doc = self.ctl.document
        stored = doc.templates() if doc is not None else {}
        return {**self.builtin, **{k: v for k, v in stored.items() if k not in self.builtin}}

    def new_project(self) -> None:
        if self.ctl.document is None:
            return
        templates = self._templates()
        if not templates:
            prompts.error(self, "无法新建项目", "找不到评价框架（模板）文件。请重新安装本程序。")
            return
        year = self.ctl.project.year if self.ctl.project is not None else date.today().year - 1
        choice = ProjectDialog.ask(self, "新建项目", templates, year, unit=server_mode.own_unit(self.ctl.document))
        if choice is None:
            return
        template = templates.get(choice.template_id)
        if template is None:
            prompts.error(self, "无法新建项目", f"找不到所选的评价框架（{choice.template_id}）。请重新选择。")
            return
        project = new_project(template, choice.year, choice.name, unit=choice.unit)
        self._add(project, template)

    def copy_project(self) -> None:
        project, template = self.ctl.project, self.ctl.template
        if project is None or template is None:
            return
        choice = ProjectDialog.ask(self, "复制项目", None, project.year + 1, project.name, project.unit)
        if choice is None:
            return
        copy = replace(project, id=None, year=choice.year, name=choice.name, unit=choice.unit)
        self._add(edits.without_results(copy) if choice.clear_results else copy, template)

    def return_unit(self) -> list[Path]:
        """复核 → 退回整改: the unit's 整改通知 and 整改清单, and (if asked) its projects set to 退回修改."""
        from app.exporters.atomic import ExportError
        from app.exporters.naming import safe_stem
        from app.exporters.notice import write_notice
        from app.exporters.selfcheck import write_findings
        from app.scoring.rectify import rectification
        from app.ui.dialogs.return_notice import RETURNED, ReturnDialog

        doc = self.ctl.document
        if doc is None:
            return []
        self.commit_pending()
        current = self.ctl.project
        folder = doc.path.parent if doc.path is not None else user_documents_dir()
        dialog = ReturnDialog(doc, self, unit=(current.unit or current.department) if current else "",
                              year=current.year if current else None,
                              issuer=str(self.settings.value("bureau/issuer", "")), folder=folder)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        unit, year, issuer = dialog.unit.currentText(), int(dialog.year.currentData()), dialog.issuer.text().strip()
        self.settings.setValue("bureau/issuer", issuer)
        ids = dialog.chosen()
        if dialog.mark.isChecked() and not doc.read_only:
            self.ctl.set_review_status(ids, RETURNED)
        items = []
        for pid in ids:
            project = doc.load_project(pid)
            items.append(rectification(project, doc.template_for(project)))
        out = Path(dialog.folder.text())
        stem = safe_stem(f"{unit}-{year}年度")
        notice, listing = out / f"{stem}整改通知.docx", out / f"{stem}整改清单.xlsx"
        existing = [p.name for p in (notice, listing) if p.exists()]
        if existing and not prompts.confirm(self, "文件已存在", "、".join(existing) + " 已存在。要替换吗？",
                                            "替换", "取消"):
            return []
        try:
            write_findings([f for i in items for f in i.findings], listing, source=f"{unit} {year}年度",
                           projects=len(items))
            write_notice(notice, unit, year, items, issuer=issuer, deadline=dialog.deadline.text().strip(),
                         attachment=listing.stem)
        except ExportError as exc:
            prompts.error(self, "无法生成整改通知", str(exc))
            return []
        prompts.info(self, "已生成", f"整改通知：{notice}\n整改清单：{listing}")
        self._status(f"已为{unit}生成整改通知（{len(items)} 个项目）")
        return [notice, listing]

    def copy_unit_to_year(self) -> list[int]:
        """项目 → 复制单位的项目到新年度: the dialog is the confirmation; all projects are added in one step."""
        from app.ui.dialogs.copy_year import CopyYearDialog

        doc = self.ctl.document
        if doc is None:
            return []
        if doc.read_only:
            prompts.error(self, "无法复制", "当前文件是只读的，不能添加项目。请先“另存为”一个新文件。")
            return []
        self.commit_pending()
        current = self.ctl.project
        dialog = CopyYearDialog(doc, self, unit=(current.unit or current.department) if current else "",
                                year=current.year if current else None)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        year = dialog.target.value()
        try:
            items = []
            for pid in dialog.chosen():
                project = doc.load_project(pid)
                items.append((edits.for_new_year(project, year), doc.template_for(project)))
            ids = self.ctl.add_projects(items)
        except JxdbError as exc:
            prompts.error(self, "无法复制", f"{exc}\n没有复制任何项目。")
            return []
        self.project_list.reload_years()
        if ids:
            self.project_list.select_id(ids[0])
        self._status(f"已复制 {len(ids)} 个项目到 {year} 年")
        return ids

    def _add(self, project: Project, template: Template) -> None:
        try:
            new_id = self.ctl.add_project(project, template)
        except JxdbError as exc:
            prompts.error(self, "无法添加项目", str(exc))
            return
        self.project_list.reload_years()
        self.project_list.select_id(new_id)

    def delete_project(self) -> None:
        project = self.ctl.project
        if project is None or project.id is None:
            return
        after = ("项目将立即从服务器上删除，不能撤销，也不能找回。" if getattr(self.ctl.document, "autosaves", False)
                 else "删除后不能撤销；在保存之前关闭文件并选择“不保存”可以找回。")
        if not prompts.confirm(self, "删除项目", f"确定删除项目“{project.name}”（{project.year}年）吗？\n{after}",
                               "删除", "取消"):
            return
        try:
            self.ctl.delete_project(project.id)
        except JxdbError as exc:
            prompts.error(self, "无法删除项目", str(exc))
            return
        self.project_list.reload_years()
        self.project_list.select_id(self.project_list.first_id())

    def import_files(self, paths: list[Path] | None = None) -> list[int]:
        """文件 → 导入: read the chosen workbooks / JSON files, show what was found, add after confirmation."""
        doc = self.ctl.document
        if doc is None:
            return []
        if doc.read_only:
            prompts.error(self, "无法导入", "当前文件是只读的，不能添加项目。请先“另存为”一个新文件再导入。")
            return []
        if paths is None:
            folder = str(doc.path.parent) if doc.path is not None else str(user_documents_dir())
            paths = prompts.import_files(self, folder)
        if not paths:
            return []
        batch = read_sources(paths, self._templates())
        lines = [f"{p.year}年  {p.unit or p.department}  {p.name}（{source}）" for p, _, source in batch.projects]
        notes = [*(f"未导入：{r}" for r in batch.refused), *batch.problems[:30]]
        if len(batch.problems) > 30:
            notes.append(f"……另有 {len(batch.problems) - 30} 条提示")
        if not batch.projects:
            prompts.error(self, "没有可导入的项目", "\n".join(notes) or "所选文件中没有找到项目。")
            return []
        text = f"找到 {len(lines)} 个项目：\n" + "\n".join(lines)
        if notes:
            text += "\n\n需要注意：\n" + "\n".join(notes)
        if not prompts.confirm(self, "导入项目", text + "\n\n导入这些项目吗？", "导入", "取消"):
            return []
        ids: list[int] = []
        try:
            for project, template, _ in batch.projects:
                ids.append(self.ctl.add_project(project, template))
        except JxdbError as exc:
            prompts.error(self, "导入中断", f"{exc}\n已导入 {len(ids)} 个项目。")
        self.project_list.reload_years()
        if ids:
            self.project_list.select_id(ids[0])
            self._status(f"已导入 {len(ids)} 个项目")
        return ids

    def collect_files(self) -> None:
        """文件 → 汇集: the collect dialog on the open file; the list follows what was added or replaced."""
        from app.ui.dialogs.collect import CollectDialog

        doc = self.ctl.document
        if doc is None:
            return
        if not isinstance(doc, Document | ServerDocument):
            return
        if isinstance(doc, ServerDocument) and doc.offline:
            prompts.error(self, "无法汇集", "服务器暂时无法连接，不能汇集。请在连接恢复后再试。")
            return
        if doc.read_only:
            prompts.error(self, "无法汇集", "当前文件是只读的，不能添加项目。请先“另存为”一个新文件再汇集。")
            return
        self.commit_pending()
        dialog = CollectDialog(doc, self._templates(), self)
        dialog.exec()
        report = dialog.report
        if report is None or not report.taken:
            return
        self.ctl.projects_collected(replaced=any(o.replaced for o in report.outcomes))
        self.project_list.reload_years()
        current = self.ctl.project.id if self.ctl.project is not None else None
        self.project_list.select_id(current if current is not None else self.project_list.first_id())
        self._update_title()
        self._status(f"已汇集 {report.taken} 个项目")

    # ------------------------------------------------------------------ export and print

    def export(self, kind: str) -> Path | None:
        self.commit_pending()
        project, template, report = self.ctl.project, self.ctl.template, self.ctl.report
        if project is None or template is None or report is None:
            return None
        doc = self.ctl.document
        folder = doc.path.parent if doc is not None and doc.path is not None else None
        path = exporting.export(self, kind, project, template, report, folder)
        if path is not None:
            self._status(f"已导出到 {path}")
            self._offer_open(path)
        return path

    def _offer_open(self, path: Path) -> None:
        """After an export: open the file or its folder right away, or just close the note."""
        choice = prompts.choose(self, "导出完成", f"已导出到：\n{path}", ["打开文件", "打开文件夹", "关闭"])
        if choice in (0, 1):
            target = path if choice == 0 else path.parent
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
                prompts.error(self, "无法打开", f"系统没有能打开“{target}”的程序。文件已保存在：\n{path}")

    def batch_export(self) -> None:
        """The batch dialog reads the saved file, so unsaved changes are saved first (after asking)."""
        from app.ui.dialogs.batch_export import BatchExportDialog

        doc = self.ctl.document
        if doc is None:
            return
        self.commit_pending()
        if isinstance(doc, ServerDocument):
            snapshot = server_mode.snapshot_for_batch(self, doc)
            if snapshot is not None:
                BatchExportDialog(snapshot[0], snapshot[1], self,
                                  default_folder=user_documents_dir() / f"{doc.url.database}-导出").exec()
            return
        if doc.path is None or self.ctl.modified:
            question = "批量导出使用已保存的文件。要先保存当前的修改吗？"
            if not prompts.confirm(self, "批量导出", question, "保存", "取消"):
                return
            if not self.save() or doc.path is None:
                return
        projects = [(p.id, p.year, p.unit, p.name) for p in doc.list_projects()]
        dialog = BatchExportDialog(doc.path, projects, self)
        dialog.exec()

    def print_preview(self) -> None:
        self.commit_pending()  # a cell still being typed in is part of the form
        if self.ctl.project is not None and self.ctl.template is not None and self.ctl.report is not None:
            printing.preview(self, self.ctl.project, self.ctl.template, self.ctl.report)

    def print_form(self) -> None:
        self.commit_pending()
        if self.ctl.project is not None and self.ctl.template is not None and self.ctl.report is not None:
            printing.print_form(self, self.ctl.project, self.ctl.template, self.ctl.report)

    # ------------------------------------------------------------------ edit menu, help

    def copy(self) -> None:
        widget = QApplication.focusWidget()
        fn = getattr(widget, "copy", None)
        if callable(fn):
            fn()

    def paste(self) -> None:
        widget = QApplication.focusWidget()
        fn = getattr(widget, "paste", None)
        if callable(fn):
            fn()

    def about(self) -> None:
        prompts.info(self, "关于绩效自评",
                     f"绩效自评 {__version__}\n\n"
                     "单位：绩效自评的录入、计分、自查、打印与导出。\n"
                     "财政局：汇集、复核、年度总览、汇总表和退回整改。\n"
                     "评价框架：财政部自评表，四部分共性指标体系。\n"
                     "计分口径：财政部自评规则，预算管理一体化系统规则。")

    def show_logs(self) -> None:
        folder = log_dir()
        prompts.info(self, "日志文件位置",
                     f"日志文件保存在：\n{folder}\n\n遇到问题时，请把该文件夹中的文件发给维护人员。")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
