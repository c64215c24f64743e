"""Check every stored value of a .jxdb has the type and range the program works with, before it is used."""

from __future__ import annotations

import sqlite3
from decimal import Decimal, InvalidOperation

from sqlalchemy import Boolean, Column, Integer, Text

from app.models.schema import DecimalText, metadata
from app.scoring.numbers import magnitude_problem
from app.scoring.records import BUDGET_COLUMNS, BUDGET_ROWS

#: The longest decimal text that needs no closer look (15 + 10 digits, a sign and a point).
_PLAIN_DECIMAL = 27
_BUDGET_ROWS = tuple(key for key, _, _ in BUDGET_ROWS)
_BUDGET_COLUMNS = (*(c for c, _ in BUDGET_COLUMNS), "stated_total")
#: JSON text columns: nested deeper than this they are refused (Python's parser would hit its recursion limit).
_JSON_COLUMNS = {("indicators", "rule_params"), ("templates", "data")}
MAX_JSON_DEPTH = 64


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


def find_bad_value(conn: sqlite3.Connection) -> str | None:
    """Where the first unusable value is ("表.列"), or None when every value is fine. Reads the whole file
    with one scan per table; decimals are looked at in Python only when their text is unusual."""
    for table in metadata.sorted_tables:
        conds = [f"({_column_problem(c)})" for c in table.columns]
        if table.name == "budget_cells":
            conds.append(f"row NOT IN ({', '.join(map(repr, _BUDGET_ROWS))})")
            conds.append(f"col NOT IN ({', '.join(map(repr, _BUDGET_COLUMNS))})")
        row = conn.execute(f'SELECT 1 FROM "{table.name}" WHERE {" OR ".join(conds)} LIMIT 1').fetchone()
        if row is not None:
            return table.name
        for col in table.columns:
            name = f'"{col.name}"'
            if isinstance(col.type, DecimalText):
                unusual = conn.execute(
                    f'SELECT {name} FROM "{table.name}" WHERE {name} IS NOT NULL AND '
                    f"(length({name}) > {_PLAIN_DECIMAL} OR {name} GLOB '*[^0-9.-]*')")
                for (value,) in unusual:
                    if _decimal_problem(value):
                        return f"{table.name}.{col.name}"
            elif (table.name, col.name) in _JSON_COLUMNS:
                brackets = f"length({name}) - length(replace(replace({name}, '[', ''), '{{', ''))"
                deep = conn.execute(f'SELECT {name} FROM "{table.name}" WHERE {brackets} > {MAX_JSON_DEPTH}')
                for (value,) in deep:
                    if json_depth(str(value)) > MAX_JSON_DEPTH:
                        return f"{table.name}.{col.name}"
    return None


def _decimal_problem(value: object) -> bool:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return True
    return bool(magnitude_problem(number))


def json_depth(text: str) -> int:
    """How deeply brackets nest in JSON text (strings skipped), without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest
