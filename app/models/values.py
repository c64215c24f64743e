"""Check every stored value of a .jxdb has the type and range the program works with, before it is used."""

from __future__ import annotations

import re
import sqlite3
from decimal import Decimal, InvalidOperation

from sqlalchemy import Boolean, Column, Integer, Text

from app.models.schema import DecimalText, metadata
from app.scoring.numbers import magnitude_problem
from app.scoring.records import BUDGET_COLUMNS, BUDGET_ROWS, Project

#: The longest decimal text that needs no closer look (15 + 10 digits, a sign and a point).
_PLAIN_DECIMAL = 27
_BUDGET_ROWS = tuple(key for key, _, _ in BUDGET_ROWS)
_BUDGET_COLUMNS = (*(c for c, _ in BUDGET_COLUMNS), "stated_total")
#: JSON text columns: nested deeper than this they are refused (Python's parser would hit its recursion limit).
_JSON_COLUMNS = {("indicators", "rule_params"), ("templates", "data")}
MAX_JSON_DEPTH = 64
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_LONG_JSON = 2 * MAX_JSON_DEPTH  # shorter JSON cannot nest deeper


def _column_problem(col: Column[object]) -> str:
    """An SQL condition that is true for a value this column must never hold."""
    name = f'"{col.name}"'
    allowed: tuple[str, ...]
    if isinstance(col.type, Integer | Boolean):
        allowed = ("integer",)
    elif isinstance(col.type, DecimalText):
        allowed = ("text", "integer")
    elif isinstance(col.type, Text):
        allowed = ("text",)
    else:  # pragma: no cover - every column of the schema is one of the above
        return "0"
    if col.nullable:
        allowed += ("null",)
    cond = f"typeof({name}) NOT IN ({', '.join(repr(a) for a in allowed)})"
    if isinstance(col.type, Boolean):
        cond += f" OR {name} NOT IN (0, 1)"
    return cond


#: The big tables of a project's content: at open only the weight (an early column, cheap to reach) and the
#: JSON are checked; everything else in them is checked when a project is loaded (check_loaded). Reading
#: every column of 30 000 indicators at open would cost about 100 ms.
_CHECKED_ON_LOAD = {"indicators", "indicator_checks", "subitems", "narratives", "materials", "penalty_inputs"}


def _checked_at_open(table: str, col: Column[object]) -> bool:
    return table not in _CHECKED_ON_LOAD or col.name == "weight"


def find_bad_value(conn: sqlite3.Connection) -> str | None:
    """Where the first unusable value is ("表" or "表.列"), or None when every value is fine. One scan per
    table: SQL flags wrong types and picks out the few rows whose decimals or JSON need a closer look."""
    for table in metadata.sorted_tables:
        wrong = [f"({_column_problem(c)})" for c in table.columns if _checked_at_open(table.name, c)] or ["0"]
        if table.name == "budget_cells":
            wrong.append(f"row NOT IN ({', '.join(map(repr, _BUDGET_ROWS))})")
            wrong.append(f"col NOT IN ({', '.join(map(repr, _BUDGET_COLUMNS))})")
        decimals = [c.name for c in table.columns
                    if isinstance(c.type, DecimalText) and _checked_at_open(table.name, c)]
        jsons = [c.name for c in table.columns if (table.name, c.name) in _JSON_COLUMNS]
        unusual = [f"(length(\"{n}\") > {_PLAIN_DECIMAL} OR rtrim(\"{n}\", '0123456789.-') != '')"
                   for n in decimals]
        unusual += [f'length("{n}") > {_LONG_JSON}' for n in jsons]
        picked = ", ".join(f'"{n}"' for n in decimals + jsons) or "1"
        rows = conn.execute(f'SELECT {" OR ".join(wrong)}, {picked} FROM "{table.name}" '
                            f'WHERE {" OR ".join(wrong + unusual)}')
        for bad, *fields in rows:
            if bad:
                return table.name
            for name, value in zip(decimals, fields[: len(decimals)], strict=False):
                if value is not None and _decimal_problem(value):
                    return f"{table.name}.{name}"
            for name, value in zip(jsons, fields[len(decimals):], strict=False):
                if json_depth(str(value)) > MAX_JSON_DEPTH:
                    return f"{table.name}.{name}"
    return None


def _decimal_problem(value: object) -> bool:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return True
    return bool(magnitude_problem(number))


def json_depth(text: str) -> int:
    """How deeply brackets nest in JSON text (brackets inside strings do not count), without parsing it."""
    depth = deepest = 0
    for token in _BRACKETS.findall(text):
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def check_loaded(project: Project) -> None:
    """What find_bad_value leaves to load time: the text of a loaded project is text (a number or bytes
    there is damage), the tier an integer, every decimal in range. Raises ValueError."""
    texts: list[object] = [*project.narrative.values(), *project.materials]
    texts += [x for p in project.penalties for x in (p.key, p.value)]
    numbers: list[Decimal | None] = []
    for _, ind in project.indicators():
        texts += [ind.name, ind.rule.kind, ind.target, ind.actual, ind.explanation, ind.benchmark, ind.criteria,
                  ind.deviation_reason, ind.override_reason, ind.reviewer_note]
        texts += [x for sub in ind.subitems for x in (sub.name, sub.target, sub.actual, sub.explanation)]
        numbers += [ind.level, ind.tier_percent, ind.manual_score, ind.override_score, ind.reviewer_score]
        if ind.tier is not None and type(ind.tier) is not int:
            raise ValueError("tier is not an integer")
    if any(type(t) is not str for t in texts):
        raise ValueError("a text field holds something else")
    if any(n is not None and magnitude_problem(n) for n in numbers):
        raise ValueError("a decimal out of range")
