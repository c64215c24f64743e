"""JSON text with exact decimals: Decimal values are written as JSON numbers and read back as Decimal."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

_encode_str = json.encoder.encode_basestring  # ensure_ascii=False flavour


def dumps(obj: Any, indent: int | None = None) -> str:
    """``obj`` (dicts, lists, str, int, bool, None, Decimal) as JSON text; decimals keep their digits.

    ``json.dumps`` cannot write a Decimal as a number without going through float, so this is a small
    writer of its own. With ``indent`` the layout matches ``json.dumps(obj, indent=indent)``.
    """
    out: list[str] = []
    _write(obj, out, indent, 0)
    return "".join(out)


def loads(text: str | bytes) -> Any:
    """Parse JSON text; numbers with a fraction or exponent become Decimal, never float."""
    return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)


def _no_constant(name: str) -> Any:
    raise ValueError(f"JSON 中不允许 {name}")


def _write(obj: Any, out: list[str], indent: int | None, level: int) -> None:
    if obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, str):
        out.append(_encode_str(obj))
    elif isinstance(obj, int):
        out.append(int.__repr__(obj))
    elif isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"无法写入非有限数值 {obj}")
        out.append(str(obj))
    elif isinstance(obj, float):
        out.append(json.dumps(obj, allow_nan=False))
    elif isinstance(obj, Mapping):
        _write_items([(_key(k), v) for k, v in obj.items()], "{", "}", out, indent, level)
    elif isinstance(obj, list | tuple):
        _write_items([(None, v) for v in obj], "[", "]", out, indent, level)
    else:
        raise TypeError(f"cannot write {type(obj).__name__} as JSON")


def _key(k: Any) -> str:
    if not isinstance(k, str):
        raise TypeError(f"JSON keys must be str, not {type(k).__name__}")
    return k


def _write_items(items: list[tuple[str | None, Any]], opening: str, closing: str, out: list[str],
                 indent: int | None, level: int) -> None:
    if not items:
        out.append(opening + closing)
        return
    out.append(opening)
    inner = "\n" + " " * (indent * (level + 1)) if indent is not None else ""
    for i, (k, v) in enumerate(items):
        if i:
            out.append(",")
        out.append(inner)
        if k is not None:
            out.append(_encode_str(k))
            out.append(": " if indent is not None else ":")
        _write(v, out, indent, level + 1)
    if indent is not None:
        out.append("\n" + " " * (indent * level))
    out.append(closing)
