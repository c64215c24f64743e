"""Find the parts of a 自评表 on a sheet by their words: identity cells, the funds block, the indicator header."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from app.importers.workbook_cells import Grid

#: Indicator-table columns: key → patterns on the normalised header text; the first key that matches wins.
INDICATOR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("comparator", r"指标(值)?性质|比较符|运算符|^符号$"),
    ("unit", r"^(度量|计量|指标值?)?单位$"),
    ("level1", r"一级指标|^一级$"),
    ("level2", r"二级指标|^二级$"),
    ("level3", r"三级指标|^三级$|^目标指标$|^指标名称$|^具体指标$|^指标内容$"),
    ("completion", r"完成率|完成比例|得分率"),
    ("deviation", r"偏差|原因|改进措施"),
    ("reviewer", r"复核|审核|核定"),
    ("target", r"指标值|目标值|计划值|标杆值|预期值|预期目标"),
    ("actual", r"实际完成|完成值|业绩值|实际值|全年实际|完成情况"),
    ("weight", r"分值|权重|满分|标准分"),
    ("score", r"得分|自评分|^评分$|^分数$"),
)
#: Funds-block columns.
FUNDS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("initial", r"年初预算"),
    ("received", r"实际到位|到位数|到位资金"),
    ("executed", r"全年执行|执行数|实际支出|支出数|执行金额"),
    ("adjusted", r"全年预算|调整后预算|预算数"),
    ("rate", r"执行率"),
    ("weight", r"分值|权重"),
    ("score", r"得分"),
)
#: Funds-block row labels → budget column (``total`` is the printed 年度资金总额, ``fiscal`` 财政拨款).
FUNDS_ROWS: tuple[tuple[str, str], ...] = (
    ("total", r"总额|合计|总计|资金总"),
    ("carryover", r"结转|结余"),
    ("central", r"中央"),
    ("provincial", r"省级|省财政|^省"),
    ("city", r"市级|市财政|^市"),
    ("county", r"县级|区级|县财政|区财政|本级|^县|^区"),
    ("fiscal", r"财政拨款|财政资金|财政"),
    ("other", r"其他|其它|自筹|社会资金"),
)
IDENTITY_LABELS: tuple[tuple[str, str], ...] = (
    ("name", r"^项目名称"),
    ("department", r"^主管部门|^主管单位"),
    ("unit", r"^实施单位|^项目(实施)?单位|^预算单位|^执行单位"),
    ("contact", r"^项目负责人|^联系人"),
    ("phone", r"^联系电话|^电话"),
    ("year", r"^(评价|项目|预算|所属)?年度($|:)"),
)
TOTAL_ROW = re.compile(r"^(总分|总分值|合计|总计|得分合计|分值合计|综合得分|总得分|总计得分|合计得分)$")
NOTE_ROW = re.compile(r"^(注|说明|备注|填表|填报|单位负责人|负责人|审核人|制表|财务负责人|日期)|盖章|签名|签字")
GRADE_ROW = re.compile(r"等级|评级|评价结果|结论")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_REGION = re.compile(r"^(.{2,12}?[省市县区旗州])(?:\d{4}年度?)?项目支出(?:绩效)?自评表")


def norm(text: str) -> str:
    """Header text without spaces, line breaks, full-width forms or a trailing unit in brackets."""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    return re.sub(r"\((分|%|万元|元|个)\)$", "", s)


def classify(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    s = norm(text)
    if not s:
        return None
    for key, pattern in table:
        if re.search(pattern, s):
            return key
    return None


@dataclass
class Header:
    """The indicator table's header: its last row and the column of each known key."""

    row: int
    columns: dict[str, int]


@dataclass
class Funds:
    """The funds block: header row, the columns of each figure, and each labelled row."""

    row: int
    columns: dict[str, int]
    rows: list[tuple[int, str]] = field(default_factory=list)  # (row, key of FUNDS_ROWS)
    end: int = 0


def _columns(grid: Grid, row: int, table: tuple[tuple[str, str], ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, text in grid.row_texts(row):
        key = classify(text, table)
        if key is not None and key not in found:
            found[key] = col
    return found


def _is_indicator_header(cols: dict[str, int]) -> bool:
    names = {"level1", "level2", "level3"} & cols.keys()
    values = {"weight", "score", "target", "actual"} & cols.keys()
    return ("level3" in names or len(names) >= 2) and len(values) >= 2


def find_header(grid: Grid, start: int = 1) -> Header | None:
    """The first row (from ``start``) naming the indicator columns; a second header row below it that
    refines some columns (指标值 over 指标性质 / 指标值 / 度量单位) is merged in."""
    for row in grid.rows(start):
        cols = _columns(grid, row, INDICATOR_COLUMNS)
        if not _is_indicator_header(cols):
            continue
        own = [(c, t) for c, t in grid.row_texts(row + 1) if not grid.is_merged_copy(row + 1, c)]
        keys = [(c, classify(t, INDICATOR_COLUMNS)) for c, t in own]
        if own and all(k is not None for _, k in keys):  # a second header row of sub-headings
            refined = dict(cols)
            for col, key in keys:
                assert key is not None
                for old in [k for k, c in refined.items() if c == col]:
                    del refined[old]
                refined[key] = col
            return Header(row + 1, refined)
        return Header(row, cols)
    return None


def starts_a_table(grid: Grid, row: int) -> bool:
    """A row that begins another 自评表: its title, its 项目名称 line, or a funds header."""
    texts = {norm(t) for _, t in grid.row_texts(row)}
    if len(texts) == 1 and "自评表" in next(iter(texts)):  # a title: one (merged) cell
        return True
    if any(classify(t, IDENTITY_LABELS) == "name" for t in texts):
        return True
    cols = _columns(grid, row, FUNDS_COLUMNS)
    return bool({"executed", "adjusted"} & cols.keys()) and len(cols) >= 2


def find_funds(grid: Grid, before: int, first: int = 1) -> Funds | None:
    """The funds block between ``first`` and ``before``: a row naming 全年执行数 / 全年预算数 and the labelled rows
    below it."""
    for row in grid.rows(first, before - 1):
        cols = _columns(grid, row, FUNDS_COLUMNS)
        if not ({"executed", "adjusted"} & cols.keys()) or len(cols) < 2:
            continue
        funds = Funds(row, cols)
        first_amount = min(cols[k] for k in ("initial", "adjusted", "received", "executed") if k in cols)
        r = row + 1
        while r < before:
            label = _row_label(grid, r, first_amount)
            key = classify(label, FUNDS_ROWS) if label else None
            if key is None:
                break
            funds.rows.append((r, key))
            r += 1
        funds.end = r
        return funds
    return None


def _row_label(grid: Grid, row: int, first_amount: int) -> str:
    """The rightmost text left of the amounts (a merged 项目资金（万元） cell further left is skipped)."""
    for col in range(first_amount - 1, 0, -1):
        text = grid.text(row, col)
        if text:
            return text
    return ""


def money_unit(grid: Grid, last_row: int, first: int = 1) -> str | None:
    """万元 or 元 as stated above ``last_row`` (项目资金（万元）, 单位：元); None when not stated."""
    for row in grid.rows(first, last_row):
        for _, text in grid.row_texts(row):
            s = norm(text) if "(" not in text and "（" not in text else "".join(
                unicodedata.normalize("NFKC", text).split())
            if re.search(r"\(万元\)|单位[:：]?万元|金额[:：]?万元", s):
                return "万元"
            if re.search(r"\(元\)|单位[:：]?元|金额[:：]?元", s):
                return "元"
    return None


def identity(grid: Grid, last_row: int, first: int = 1) -> dict[str, tuple[str, str]]:
    """项目名称 / 主管部门 / 实施单位 / 联系人 / 年度 above ``last_row``: key → (value, cell address)."""
    out: dict[str, tuple[str, str]] = {}
    for row in grid.rows(first, last_row):
        cells = grid.row_texts(row)
        for i, (col, text) in enumerate(cells):
            key = classify(text, IDENTITY_LABELS)
            if key is None or key in out:
                continue
            inline = re.split(r"[:：]", text, maxsplit=1)
            if len(inline) == 2 and inline[1].strip():
                out[key] = (inline[1].strip(), grid.at(row, col))
                continue
            for col2, value in cells[i + 1:]:
                if value == text:
                    continue
                if classify(value, IDENTITY_LABELS) is not None:
                    break
                out[key] = (value, grid.at(row, col2))
                break
    return out


def title_year(grid: Grid, last_row: int, first: int = 1) -> tuple[int, str] | None:
    """The year of a title such as “2021年度项目支出绩效自评表” or “（2021年度）”, with its cell."""
    for row in grid.rows(first, last_row):
        for col, text in grid.row_texts(row):
            if ("年度" in text or "自评" in text) and (m := _YEAR.search(text)):
                return int(m.group(1)), grid.at(row, col)
    return None


def title_region(grid: Grid, last_row: int, first: int = 1) -> str:
    """罗定市 of “罗定市项目支出绩效自评表”; empty when the title names no place."""
    for row in grid.rows(first, last_row):
        for _, text in grid.row_texts(row):
            m = _REGION.match("".join(unicodedata.normalize("NFKC", text).split()))
            if m and not _YEAR.match(m.group(1)):
                return m.group(1)
    return ""


def goals(grid: Grid, last_row: int, first: int = 1) -> tuple[str, str]:
    """年度总体目标: the texts under 预期目标 and 实际完成情况 above the indicator table."""
    for row in grid.rows(first, last_row - 1):
        cols = {norm(t): c for c, t in grid.row_texts(row)}
        target_col = next((c for t, c in cols.items() if t.startswith("预期目标")), None)
        actual_col = next((c for t, c in cols.items() if t.startswith("实际完成情况")), None)
        if target_col is None:
            continue
        expected, achieved = [], []
        r = row + 1
        while r < last_row:
            a, b = grid.text(r, target_col), grid.text(r, actual_col)
            if (not a and not b) or classify(a, INDICATOR_COLUMNS):
                break
            if a and a not in expected:
                expected.append(a)
            if b and b not in achieved:
                achieved.append(b)
            r += 1
        return "\n".join(expected), "\n".join(achieved)
    return "", ""
