"""Rule parameters: their schema per rule kind, validation into messages, and typed accessors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation, Overflow, localcontext
from fractions import Fraction
from typing import Any

from app.scoring.numbers import COMPARATORS, MAX_INTEGER_DIGITS

BUDGET_SOURCES = ("actual", "arrival_rate", "execution_rate", "fiscal_spend_rate")
PENALTY_UNITS = ("percent", "points")
STEP_MODES = ("continuous", "floor", "ceil")
DEFAULT_LEVELS = (Decimal(100), Decimal(75), Decimal(50), Decimal(25), Decimal(0))


def to_decimal(value: Any) -> Decimal | None:
    """A JSON number or a string such as "0.5", "1/3" or "5%" as a Decimal; None if it is not one."""
    number = _to_decimal(value)
    if number is None or not number.is_finite():
        return None
    if not number.is_zero() and not -MAX_EXPONENT <= number.adjusted() < MAX_INTEGER_DIGITS:
        return None  # 10⁹⁹⁹ or 10⁻⁹⁹⁹: no rule parameter is that; arithmetic on it would overflow
    return number


#: How small a parameter may be (beyond, it is refused like text).
MAX_EXPONENT = 20


def _to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):  # a JSON number read exactly (docs/interchange.md)
        return value
    if isinstance(value, int):
        return Decimal(value) if abs(value) < 10 ** MAX_INTEGER_DIGITS else None
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 100:
            return None
        try:
            if "/" in text:
                frac = Fraction(text)
                with localcontext() as ctx:
                    ctx.traps[InvalidOperation] = ctx.traps[Overflow] = True
                    return Decimal(frac.numerator) / Decimal(frac.denominator)
            return Decimal(text)
        except (InvalidOperation, ValueError, ZeroDivisionError, ArithmeticError):
            return None
    return None


def dec(params: Mapping[str, Any], name: str, default: Decimal | int | str) -> Decimal:
    value = to_decimal(params.get(name, default))
    return value if value is not None else Decimal(default)


def flag(params: Mapping[str, Any], name: str, default: bool) -> bool:
    value = params.get(name, default)
    return value if isinstance(value, bool) else default


def choice(params: Mapping[str, Any], name: str, options: tuple[str, ...], default: str) -> str:
    value = params.get(name, default)
    return value if value in options else default


# --------------------------------------------------------------------------- validation

Check = Callable[[Any], str | None]


def _number(positive: bool = False, nonnegative: bool = False) -> Check:
    def check(value: Any) -> str | None:
        d = to_decimal(value)
        if d is None or not d.is_finite():
            return "应为数字"
        if positive and d <= 0:
            return "应大于0"
        if nonnegative and d < 0:
            return "不能为负数"
        return None

    return check


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "应为 true 或 false"


def _one_of(options: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        return None if value in options else "应为以下之一：" + "、".join(options)

    return check


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else "应为文字"


def _list_of(item_check: Callable[[Any, str], list[str]], min_len: int = 1) -> Callable[[Any, str], list[str]]:
    def check(value: Any, where: str) -> list[str]:
        if not isinstance(value, list) or len(value) < min_len:
            return [f"{where}应为至少 {min_len} 项的列表"]
        out: list[str] = []
        for i, item in enumerate(value, 1):
            out += item_check(item, f"{where}第{i}项")
        return out

    return check


def _object(fields: Mapping[str, tuple[Check, bool]]) -> Callable[[Any, str], list[str]]:
    def check(value: Any, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where}应为对象"]
        out = [f"{where}缺少 {k}" for k, (_, req) in fields.items() if req and k not in value]
        out += [f"{where}有未知参数 {k}" for k in value if k not in fields]
        for k, (chk, _) in fields.items():
            if k in value and (msg := chk(value[k])):
                out.append(f"{where}的 {k} {msg}")
        return out

    return check


_SOURCE = (_one_of(BUDGET_SOURCES), False)
_PENALTY = {
    "step": (_number(positive=True), False),
    "penalty": (_number(nonnegative=True), True),
    "penalty_unit": (_one_of(PENALTY_UNITS), False),
}

#: Scalar parameters per rule kind: name → (check, required).
SCALARS: dict[str, dict[str, tuple[Check, bool]]] = {
    "proportional": {"default_comparator": (_one_of(COMPARATORS), False)},
    "qualitative": {},
    "execution_rate": {
        "base": (_one_of(("adjusted", "received", "initial")), False),
        "column": (_one_of(("total", "fiscal")), False),
    },
    "deduct_per_point": {
        "benchmark": (_number(), False),
        "continuous": (_bool, False),
        "source": _SOURCE,
        **_PENALTY,
    },
    "band": {
        "low": (_number(), True),
        "high": (_number(), True),
        "low_inclusive": (_bool, False),
        "high_inclusive": (_bool, False),
        "mode": (_one_of(STEP_MODES), False),
        "source": _SOURCE,
        **_PENALTY,
    },
    "tiers": {
        "unit": (_one_of(PENALTY_UNITS), False),
        "below": (_number(nonnegative=True), False),
        "source": _SOURCE,
    },
    "checklist": {},
    "levels": {},
    "composite": {},
    "average_completion": {
        "step": (_number(positive=True), False),
        "penalty": (_number(nonnegative=True), False),
        "cap_each": (_bool, False),
    },
    "manual": {},
}

_TIER = _object({"min": (_number(), True), "inclusive": (_bool, False), "score": (_number(nonnegative=True), True)})
_ITEM = _object({"text": (_text, True), "share": (_number(nonnegative=True), False), "veto": (_bool, False)})


def _levels_check(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        return [f"{where}应为百分比列表"]
    return [f"{where}第{i}项应为0到100之间的数" for i, v in enumerate(value, 1)
            if (d := to_decimal(v)) is None or not 0 <= d <= 100]


#: List parameters per rule kind: name → (check, required).
LISTS: dict[str, dict[str, tuple[Callable[[Any, str], list[str]], bool]]] = {
    "tiers": {"tiers": (_list_of(_TIER), True)},
    "checklist": {"items": (_list_of(_ITEM), True)},
    "levels": {"choices": (_levels_check, False)},
}

RULE_KINDS: tuple[str, ...] = tuple(SCALARS)


def validate(kind: str, params: Mapping[str, Any], where: str = "规则") -> list[str]:
    """Every problem with a rule's kind and parameters, as Chinese messages naming the place."""
    if kind not in SCALARS:
        return [f"{where}：未知的计分规则“{kind}”（可用：{'、'.join(RULE_KINDS)}）"]
    if not isinstance(params, Mapping):
        return [f"{where}：规则参数应为对象"]
    out: list[str] = []
    scalars, lists = SCALARS[kind], LISTS.get(kind, {})
    for name in params:
        if name not in scalars and name not in lists and not (kind == "composite" and name == "parts"):
            out.append(f"{where}：{kind} 规则没有参数 {name}")
    for name, (chk, required) in scalars.items():
        if name in params:
            if (msg := chk(params[name])) is not None:
                out.append(f"{where}：参数 {name} {msg}")
        elif required:
            out.append(f"{where}：缺少参数 {name}")
    for name, (lchk, required) in lists.items():
        if name in params:
            out += [f"{where}：{m}" for m in lchk(params[name], f"参数 {name} ")]
        elif required:
            out.append(f"{where}：缺少参数 {name}")
    if kind == "band" and not out and dec(params, "low", 0) > dec(params, "high", 0):
        out.append(f"{where}：区间下限大于上限")
    if kind == "checklist" and not out:
        shares = [to_decimal(i["share"]) for i in params["items"] if "share" in i]
        if shares and len(shares) == len(params["items"]):
            total = sum((s or Decimal(0) for s in shares), Decimal(0))
            if abs(total - 1) > Decimal("0.001"):
                out.append(f"{where}：各条件所占比例之和为 {total:.4f}，应为 1")
    if kind == "composite":
        out += _validate_parts(params.get("parts"), where)
    return out


def _validate_parts(parts: Any, where: str) -> list[str]:
    if not isinstance(parts, list) or not parts:
        return [f"{where}：组合规则需要 parts 列表"]
    out: list[str] = []
    total = Decimal(0)
    for i, part in enumerate(parts, 1):
        pw = f"{where}第{i}部分"
        if not isinstance(part, dict) or "rule" not in part or not isinstance(part["rule"], dict):
            out.append(f"{pw}：应包含 share 和 rule")
            continue
        share = to_decimal(part.get("share"))
        if share is None or share < 0:
            out.append(f"{pw}：share 应为非负数")
        else:
            total += share
        sub = part["rule"]
        if sub.get("kind") == "composite":
            out.append(f"{pw}：组合规则不能嵌套")
            continue
        out += validate(str(sub.get("kind")), sub.get("params", {}), pw)
    if not out and abs(total - 1) > Decimal("0.001"):
        out.append(f"{where}：各部分比例之和为 {total:.4f}，应为 1")
    return out
