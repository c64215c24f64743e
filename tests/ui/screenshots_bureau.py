"""Grab the bureau's windows offscreen: ``python tests/ui/screenshots_bureau.py [OUT_DIR]`` (docs/screenshots/).

A year of 60 made-up projects of eight units (from sample 000 with varied budgets, actuals and review states):
年度总览 (overview.png), its charts as exported (overview-charts.png) and the 复核 tab (review.png)."""

from __future__ import annotations

import os
import random
import sys
import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

UNITS = ("县档案馆", "县教育局", "县卫生健康局", "县农业农村局", "县交通运输局", "县水利局", "县民政局", "县文化旅游局")
NAMES = ("农村饮水安全巩固提升", "义务教育薄弱环节改善", "基层医疗机构设备购置", "高标准农田建设", "农村公路养护",
         "小型水库除险加固", "城乡低保资金", "公共文化服务体系建设")


def year_file(path: Path) -> Path:
    from app.models.document import Document
    from app.scoring import edits
    from tests.bureau.helpers import seed000

    project, template = seed000()
    rnd = random.Random(4)
    with Document.new() as doc:
        for i in range(60):
            p = replace(project, id=None, unit=rnd.choice(UNITS), name=f"{rnd.choice(NAMES)}项目（{i + 1}）",
                        year=2024)
            scale = Decimal(rnd.choice([5, 20, 50, 120, 300]))
            b = p.budget
            executed = (scale * Decimal(rnd.uniform(0.5, 1.05))).quantize(Decimal("0.01"))
            p = replace(p, budget=replace(b, adjusted=replace(b.adjusted, county=scale),
                                          executed=replace(b.executed, county=executed)))
            for index, _ in p.indicators()[:rnd.randint(0, 6)]:
                p = edits.set_indicator(p, index, actual="50%")
            if rnd.random() < 0.35:
                p = replace(p, review=replace(p.review, status=rnd.choice(["已复核", "退回修改"])))
            doc.add_project(p, template)
        doc.save_as(path)
    return path


def main(out: Path) -> None:
    from PySide6.QtCore import QSettings, QSize
    from PySide6.QtWidgets import QApplication

    from app.scoring import edits
    from app.ui.application import install_translator
    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_translator(app)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = year_file(Path(tmp) / "2024年度.jxdb")
        window = MainWindow(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        window.resize(1400, 900)
        window.show()
        window.open_path(path, quiet=True)
        overview = window.show_overview()
        assert overview is not None
        while not overview.finished_scoring():
            app.processEvents()
        overview.resize(1300, 900)
        app.processEvents()
        overview.grab().save(str(out / "overview.png"))
        overview.charts.image(QSize(1800, 1150), scale=1.5).save(str(out / "overview-charts.png"))
        overview.close()
        project = window.ctl.project
        assert project is not None
        index, ind = project.indicators()[1]
        window.act_review_columns.trigger()
        window.ctl.edit(edits.set_indicator(project, index, reviewer_score=ind.weight - 1,
                                            reviewer_note="佐证资料缺少验收报告"), "复核得分")
        project = window.ctl.project
        assert project is not None
        window.ctl.edit(replace(project, review=replace(project.review, status="退回修改", reviewers="王复核",
                                                        opinion="请补充验收报告后重新报送。")), "复核")
        window.act_review.trigger()
        app.processEvents()
        window.grab().save(str(out / "review.png"))
        collect_shot(window, Path(tmp), out / "collect.png")
        window.set_document(None)
        window.close()
    print("written:", ", ".join(str(out / n) for n in ("overview.png", "overview-charts.png", "review.png",
                                                         "collect.png")))


def collect_shot(window: object, tmp: Path, target: Path) -> None:
    """文件 → 汇集 after a run: three units' files, one of them damaged, one project sent again."""
    from PySide6.QtWidgets import QApplication

    from app.importers.collect import Decision
    from app.ui.dialogs.collect import CollectDialog
    from tests.bureau.helpers import unit_json, unit_jxdb

    inbox = tmp / "收件箱"
    inbox.mkdir()
    unit_jxdb(inbox / "县审计局.jxdb", "县审计局", ["审计信息化建设", "政府投资审计"])
    unit_json(inbox / "县统计局.json", "县统计局", ["经济普查"])
    unit_json(inbox / "县档案馆-补报.json", "县档案馆", ["馆藏档案数字化"])
    (inbox / "县林业局自评表.xlsx").write_bytes(b"not a workbook")
    doc = window.ctl.document  # type: ignore[attr-defined]
    dialog = CollectDialog(doc, window.builtin, window)  # type: ignore[attr-defined]
    dialog.resize(820, 560)
    dialog.add_sources([inbox])
    dialog.on_duplicate.setCurrentIndex(dialog.on_duplicate.findData(Decision.REPLACE.value))
    dialog.show()
    dialog.start()
    QApplication.processEvents()
    dialog.grab().save(str(target))
    dialog.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
