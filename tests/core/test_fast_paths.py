"""Equivalence of the fast paths of `xlsx.decimal`, `audit.display_value` and the bulk writer's JSON text
(issue 16) with what they replaced (copied here as references, or json.dumps itself): same value, or
the same error and message."""

from __future__ import annotations

import datetime
import enum
import json
import math
import sys
import types
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from hypothesis import given, settings
from hypothesis import strategies as st

from tiaodu.core import bulk
from tiaodu.core.audit import diff, display_value
from tiaodu.core.models import ChangeRecord
from tiaodu.core.xlsx import CellError, decimal, raw_text
from tiaodu.projects.models import _CODE_REFUSED, PROJECT_CODE_RESERVED, project_code_problem


def reference_decimal(raw, *, places: int, max_digits: int, nonnegative: bool = False):
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise CellError(message=f"不是有效的数字「{raw_text(raw)}」")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise CellError(message=f"不是有效的数字「{raw}」")
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    elif isinstance(raw, str):
        stripped = raw.strip().replace(",", "").replace("，", "")
        if not stripped:
            return None
        try:
            value = Decimal(stripped)
        except InvalidOperation:
            raise CellError(message=f"不是有效的数字「{raw.strip()}」") from None
        if not value.is_finite():
            raise CellError(message=f"不是有效的数字「{raw.strip()}」")
    else:
        raise CellError(message=f"不是有效的数字「{raw_text(raw)}」")
    if nonnegative and value < 0:
        raise CellError(message=f"不能为负数「{raw_text(raw)}」")
    if abs(value) >= Decimal(10) ** (max_digits - places):
        raise CellError(message=f"数值过大「{raw_text(raw)}」")
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def reference_display_value(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list | tuple | set):
        return "、".join(sorted(str(v) for v in value))
    return str(value)


def outcome(func, *args, **kwargs):
    """("ok", result with its exact form) or ("error", type, message): a CellError's message, or
    another exception (a Decimal signal, say) as the reference raised it."""
    try:
        result = func(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the reference's exceptions are part of its behaviour
        return ("error", type(error), str(error))
    return ("ok", type(result), str(result), result)


class Size(enum.IntEnum):
    BIG = 7


class Text(str):
    pass


class Float(float):
    def __repr__(self):
        return "Float(2.5)"


NUMBER_TEXT = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.integers().map(lambda i: f"{i:,}"),
    st.integers().map(lambda i: f"{i:,}".replace(",", "，")),
    st.text(alphabet=" 0123456789.,，-+eE_nNaIifty", max_size=30),
    st.text(max_size=10),
)
CELLS = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    NUMBER_TEXT,
    NUMBER_TEXT.map(lambda t: f"  {t}\t"),
    st.decimals(allow_nan=False),
    st.dates(),
    st.datetimes(),
    st.builds(Text, NUMBER_TEXT),
    st.builds(Float, st.floats()),
    st.just(Size.BIG),
    st.just(datetime.time(8, 30)),
)
TABLE = [
    None,
    "",
    " ",
    "，",
    "1,234.565",
    "１２",
    "-0",
    "0.005",
    "-0.005",
    "9999999999999999.995",
    "1e3",
    "NaN",
    "-inf",
    "Infinity",
    "sNaN",
    "abc",
    "1_000",
    12,
    -1,
    0,
    2.675,
    1e16,
    float("nan"),
    float("-inf"),
    True,
    False,
    Decimal("1.5"),
    datetime.date(2026, 4, 1),
    Text("7"),
    Size.BIG,
    10**20,
    -(10**15),
    "99999999999999999999999999999.5",
    "  3.14159  ",
]


@given(raw=CELLS, places=st.integers(0, 6), digits=st.integers(1, 22), nonnegative=st.booleans())
@settings(max_examples=3000, deadline=None)
def test_decimal_is_the_reference(raw, places, digits, nonnegative):
    kwargs = {"places": places, "max_digits": places + digits, "nonnegative": nonnegative}
    assert outcome(decimal, raw, **kwargs) == outcome(reference_decimal, raw, **kwargs)


def test_decimal_table_matches_reference_and_user_messages():
    for raw in TABLE:
        for places, max_digits in ((2, 18), (3, 18), (0, 5), (6, 9)):
            for nonnegative in (False, True):
                kwargs = {"places": places, "max_digits": max_digits, "nonnegative": nonnegative}
                assert outcome(decimal, raw, **kwargs) == outcome(reference_decimal, raw, **kwargs), raw
    assert decimal("1,234.565", places=2, max_digits=18) == Decimal("1234.57")
    assert str(decimal(2.675, places=2, max_digits=18)) == "2.68"
    assert outcome(decimal, "abc", places=2, max_digits=18)[2] == "不是有效的数字「abc」"
    assert outcome(decimal, -1, places=2, max_digits=18, nonnegative=True)[2] == "不能为负数「-1」"
    assert outcome(decimal, 1e16, places=2, max_digits=18)[2] == "数值过大「10000000000000000」"
    assert outcome(decimal, Decimal("1.5"), places=2, max_digits=18)[2] == "不是有效的数字「1.5」"


class Named:
    def __str__(self):
        return "某单位"


VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(),
    st.builds(Text, st.text()),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=5), max_size=4),
    st.sets(st.integers(), max_size=4),
    st.tuples(st.text(max_size=3), st.text(max_size=3)),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=3),
    st.just(Size.BIG),
    st.just(Named()),
    st.just(datetime.time(8, 30)),
)


@given(value=VALUES)
@settings(max_examples=3000, deadline=None)
def test_display_value_is_the_reference(value):
    assert outcome(display_value, value) == outcome(reference_display_value, value)


def test_display_value_table():
    cases = [
        (None, ""),
        ("", ""),
        (True, "是"),
        (False, "否"),
        (Decimal("1500.000"), "1500"),
        (Decimal("0E-7"), "0"),
        (Decimal("-0.10"), "-0.1"),
        (datetime.date(2026, 4, 1), "2026-04-01"),
        (datetime.datetime(2026, 4, 1, 8, 5), "2026-04-01 08:05"),
        (12, "12"),
        (0, "0"),
        (2.5, "2.5"),
        ("望城区", "望城区"),
    ]
    for value, shown in cases:
        assert display_value(value) == reference_display_value(value) == shown, value
    for value in (
        ["乙", "甲"],
        {"b": 1, "a": "中"},
        Size.BIG,
        Named(),
        Decimal("NaN"),
        Decimal("sNaN"),
        Text(""),
    ):
        assert outcome(display_value, value) == outcome(reference_display_value, value)
    assert display_value(["乙", "甲"]) == "乙、甲"  # code-point order


JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text())
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.one_of(st.text(), st.integers(), st.booleans(), st.none()), inner, max_size=4)
    ),
    max_leaves=20,
)
CHANGES = st.dictionaries(st.text(), st.lists(st.text(), min_size=2, max_size=2), max_size=14)


def sqlite_ops():
    # through the backend's base module: importing its operations module first is a circular import
    from django.db.backends.sqlite3.base import DatabaseWrapper

    return types.SimpleNamespace(ops=DatabaseWrapper.ops_class(None))


@given(value=st.one_of(CHANGES, st.dictionaries(st.text(), JSON_VALUES, max_size=5)))
@settings(max_examples=2000, deadline=None)
def test_change_json_is_json_dumps(value):
    """The text the bulk writer stores for a JSONField on SQLite is Django's (json.dumps) to the byte."""
    field = ChangeRecord._meta.get_field("changes")
    db = sqlite_ops()
    assert bulk._json_as_text(field, db)
    assert outcome(bulk._converter(field, db), value) == outcome(field.get_db_prep_save, value, db)
    assert bulk._converter(field, db)(value) == json.dumps(value)


def test_change_json_odd_values():
    field = ChangeRecord._meta.get_field("changes")
    db = sqlite_ops()
    circular: dict = {}
    circular["自己"] = circular
    odd = [
        {"总投资": [Decimal("1.5"), "2"]},  # not serialisable: the same TypeError
        circular,  # the same "Circular reference detected"
        {"a": [float("nan"), float("inf")]},
        {1: "x", None: "y", False: "z", 2.5: "w"},
        ["列表", "不是字典"],
        "文本",
    ]
    for value in odd:
        assert outcome(bulk._converter(field, db), value) == outcome(field.get_db_prep_save, value, db)
    assert bulk._converter(field, db)({"状态": ["", "在建"]}) == '{"\\u72b6\\u6001": ["", "\\u5728\\u5efa"]}'


def test_json_fast_path_only_where_django_dumps_text():
    from django.db.backends.postgresql.operations import DatabaseOperations

    field = ChangeRecord._meta.get_field("changes")
    assert not bulk._json_as_text(field, types.SimpleNamespace(ops=DatabaseOperations(None)))


def reference_diff(before, after) -> dict:
    before = before or {}
    after = after or {}
    out = {}
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key, ""), after.get(key, "")
        if old != new:
            out[key] = [old, new]
    return out


VIEWS = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["名称", "状态", "目标值", "属地单位", "x"]),
        st.one_of(st.just(""), st.text(max_size=4), st.none(), st.integers(-1, 1)),
        max_size=5,
    ),
)


@given(before=VIEWS, after=VIEWS)
@settings(max_examples=2000, deadline=None)
def test_diff_is_the_reference(before, after):
    """`audit.diff` of a new object (no `before`) takes a short path: the same changes, in the same order."""
    got, want = diff(before, after), reference_diff(before, after)
    assert got == want and list(got) == list(want)


def reference_project_code_problem(code: str) -> str | None:
    if any(ch in code for ch in "/?#\\%") or any(ch.isspace() for ch in code):
        return "项目编号不能包含空格或 / ? # \\ % 等字符"
    if code.lower() in PROJECT_CODE_RESERVED:
        return f"项目编号不能为「{code}」（系统保留）"
    return None


def test_the_code_check_refuses_every_character_it_did():
    """The short path of `project_code_problem` is taken only for codes the full checks pass: its
    pattern matches every character they refuse (every code point tried)."""
    for point in range(sys.maxunicode + 1):
        ch = chr(point)
        if ch in "/?#\\%" or ch.isspace():
            assert _CODE_REFUSED.search(ch), hex(point)


@given(
    code=st.one_of(
        st.text(max_size=12),
        st.sampled_from(["new", "NEW", "New", "XM-000001", "a b", "a\u3000b", "x%", "ZD-001"]),
    )
)
@settings(max_examples=3000, deadline=None)
def test_project_code_problem_is_the_reference(code):
    assert project_code_problem(code) == reference_project_code_problem(code)


def test_the_choice_labels_of_the_change_log_view_are_the_enums():
    from tiaodu.projects.ledger import schema
    from tiaodu.projects.models import ProjectStatus, ProjectType

    for labels, choices in ((schema._TYPE_LABELS, ProjectType), (schema._STATUS_LABELS, ProjectStatus)):
        assert labels == {value: str(choices(value).label) for value in choices.values}
