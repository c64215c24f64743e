"""自查.xlsx: the printable 整改清单 (项目 / 指标 / 问题 / 整改建议) of a 自查, A4 with the header on every page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from app.exporters.atomic import atomic_write
from app.exporters.xlsxkit import borders, fit_row_heights, merge, print_setup, put, set_widths
from app.scoring.records import Level
from app.scoring.selfcheck import Finding

TITLE = "绩效自评自查整改清单"
HEADS = ("序号", "项目", "指标", "问题", "整改建议", "类别")
WIDTHS = [6.0, 22.0, 24.0, 42.0, 38.0, 7.0]
_LEVEL = {Level.ERROR: "必须改", Level.WARNING: "应核对", Level.INFO: "说明"}
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
FONT_PT = 10  # body text; the print is at least 9 pt after fit-to-width (the widths fit A4 landscape)


def write_findings(findings: list[Finding], path: Path, *, source: str = "", projects: int = 0,
                   overwrite: bool = True) -> None:
    """Write the 整改清单 to ``path`` atomically (raises ExportError with a Chinese message)."""

    def write(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "整改清单"
        set_widths(ws, WIDTHS)
        last = len(HEADS)
        put(ws, 1, 1, TITLE, bold=True, size=16)
        merge(ws, 1, 1, 1, last)
        ws.row_dimensions[1].height = 30
        counted = f"{projects} 个项目，" if projects else ""
        errors = sum(1 for f in findings if f.level is Level.ERROR)
        summary = (f"{source}  " if source else "") + f"自查日期：{date.today():%Y年%m月%d日}  {counted}" \
            f"共 {len(findings)} 个问题（必须改 {errors} 个）"
        put(ws, 2, 1, summary, align="left")
        merge(ws, 2, 1, 2, last)
        for col, head in enumerate(HEADS, start=1):
            cell = put(ws, 3, col, head, bold=True)
            cell.fill = _HEAD_FILL
        row = 4
        for n, f in enumerate(findings, start=1):
            put(ws, row, 1, n, size=FONT_PT)
            put(ws, row, 2, f.project, align="left", size=FONT_PT)
            put(ws, row, 3, f.indicator, align="left", size=FONT_PT)
            put(ws, row, 4, f.problem, align="left", size=FONT_PT)
            put(ws, row, 5, f.advice, align="left", size=FONT_PT)
            put(ws, row, 6, _LEVEL[f.level], size=FONT_PT)
            row += 1
        if not findings:
            put(ws, row, 1, "未发现问题", size=FONT_PT)
            merge(ws, row, 1, row, last)
            row += 1
        borders(ws, 3, row - 1, 1, last)
        fit_row_heights(ws, 3, row - 1)
        ws.freeze_panes = "A4"
        print_setup(ws, "3:3")
        wb.save(tmp)

    atomic_write(path, write, overwrite=overwrite)
