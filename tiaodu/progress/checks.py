"""Checks of a weekly report's input, shared by the web form, the API and the 周报 import.

Messages in Chinese, naming the field: quantities are numbers ≥ 0; the as-of date is not in the future
nor before the project's planned start; a 已竣工/已验收 project takes no report (every path goes through
`check`, so all refuse alike); a figure lower than the last accepted one needs a reason (and is flagged);
a figure above the target is accepted with a warning (and flagged).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from tiaodu.core.domain import DONE_STATUSES
from tiaodu.orgs.models import Unit
from tiaodu.progress import selectors
from tiaodu.progress.models import Report
from tiaodu.projects.models import MONEY, QUANTITY, Indicator, Project


def quantity_key(indicator_id: int) -> str:
    return f"quantity_{indicator_id}"


def reason_key(indicator_id: int) -> str:
    return f"reason_{indicator_id}"


def fmt(value: Decimal) -> str:
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return format(value, ",f")


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def parse_number(raw, *, label: str, spec: dict = QUANTITY) -> Decimal | None:
    """A user's number (text, int, float or Decimal) or None when blank; ValidationError text otherwise."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(f"{label}须为数字")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        text = str(raw).strip().replace(",", "").replace("，", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{label}须为数字（填写的是「{str(raw).strip()[:30]}」）")
    if not value.is_finite():
        raise ValueError(f"{label}须为数字")
    if value < 0:
        raise ValueError(f"{label}不能小于0")
    places = spec["decimal_places"]
    if value >= Decimal(10) ** (spec["max_digits"] - places):
        raise ValueError(f"{label}数值过大")
    return value.quantize(Decimal(1).scaleb(-places))


def report_refusal(project: Project) -> str | None:
    """Why the project takes no report at all (it is 已竣工 or 已验收), or None."""
    if project.status in DONE_STATUSES:
        return f"项目「{project.name}」{project.get_status_display()}，不再填报周报"
    return None


# --- the input ------------------------------------------------------------------------------------


@dataclass
class ReportInput:
    """What a reporter enters. `figures`: {indicator id: (quantity as typed, decrease reason)}."""

    as_of: Any
    figures: Mapping[int, tuple[Any, str]] = field(default_factory=dict)
    investment_done: Any = None
    image_progress: str = ""
    problems: str = ""


@dataclass
class Checked:
    as_of: datetime.date | None
    quantities: dict[int, Decimal]
    reasons: dict[int, str]
    investment: Decimal | None
    errors: dict[str, list[str]]
    warnings: list[str]
    decreased: set[int]
    above: set[int]


def check_as_of(project: Project, as_of) -> tuple[datetime.date | None, str | None]:
    """The as-of date as a date (None when missing or invalid) and what is wrong with it (or None)."""
    if isinstance(as_of, datetime.datetime):
        as_of = as_of.date()
    if isinstance(as_of, str):
        try:
            as_of = datetime.date.fromisoformat(as_of.strip())
        except ValueError:
            return None, f"截至日期无效「{as_of}」，请按YYYY-MM-DD填写"
    if as_of is None:
        return None, "请填写截至日期"
    if not isinstance(as_of, datetime.date):
        return None, "截至日期无效"
    if as_of > selectors.today():
        return as_of, f"截至日期不能晚于今天（{cn_date(selectors.today())}）"
    if as_of.year < 2000:
        return as_of, "截至日期须在2000年之后"
    if project.planned_start and as_of < project.planned_start:
        start = cn_date(project.planned_start)
        return as_of, f"截至日期{cn_date(as_of)}早于项目计划开工日期（{start}），开工前不填报周报"
    return as_of, None


def check(
    *,
    project: Project,
    indicators: list[Indicator],
    data: ReportInput,
    exclude: int | None,
    final: bool,
    unit: Unit | None = None,
) -> Checked:
    """`unit`: the reporting unit. For an indicator split into territorial shares it reports its own share:
    the decrease check compares with its own last accepted figure, the above-target check with its share."""
    errors: dict[str, list[str]] = {}
    warnings: list[str] = []

    def err(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    as_of, problem = check_as_of(project, data.as_of)
    if problem:
        err("as_of", problem)
    refusal = report_refusal(project)
    if refusal:
        err("__all__", refusal)

    investment = None
    try:
        investment = parse_number(data.investment_done, label="累计完成投资(万元)", spec=MONEY)
    except ValueError as exc:
        err("investment_done", str(exc))

    by_id = {i.pk: i for i in indicators}
    quantities: dict[int, Decimal] = {}
    reasons: dict[int, str] = {}
    for ind_id, (raw, reason) in data.figures.items():
        indicator = by_id.get(int(ind_id))
        if indicator is None:
            err("__all__", "指标不属于本项目")
            continue
        try:
            value = parse_number(raw, label=f"「{indicator.name}」累计完成量")
        except ValueError as exc:
            err(quantity_key(indicator.pk), str(exc))
            continue
        if value is not None:
            quantities[indicator.pk] = value
            reasons[indicator.pk] = (reason or "").strip()

    decreased: set[int] = set()
    above: set[int] = set()
    if as_of is not None and quantities:
        accepted = selectors.last_accepted(quantities, as_of=as_of, exclude=exclude, unit=unit)
        held = selectors.share_targets(project, unit)
        for ind_id, value in quantities.items():
            indicator = by_id[ind_id]
            last = accepted.get(ind_id)
            if last is not None and value < last[0]:
                decreased.add(ind_id)
                if final and not reasons[ind_id]:
                    err(
                        reason_key(ind_id),
                        f"「{indicator.name}」累计完成量{fmt(value)}低于上次审核通过的{fmt(last[0])}"
                        f"（截至{cn_date(last[1])}），请填写减少原因",
                    )
            target = held.get(ind_id, indicator.target)
            if value > target:
                above.add(ind_id)
                what = "本单位分解目标" if ind_id in held else "目标值"
                warnings.append(
                    f"「{indicator.name}」累计完成量{fmt(value)}{indicator.unit_of_measure}超过{what}"
                    f"{fmt(target)}{indicator.unit_of_measure}，请核实"
                )
    if final and indicators and not quantities and not any(k.startswith("quantity_") for k in errors):
        err("__all__", "请至少填写一项指标的累计完成量")
    return Checked(as_of, quantities, reasons, investment, errors, warnings, decreased, above)


def raise_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def check_text(data: ReportInput) -> None:
    errors = {}
    if len(data.image_progress or "") > 5000:
        errors["image_progress"] = "形象进度不能超过5000字"
    if len(data.problems or "") > 5000:
        errors["problems"] = "存在问题不能超过5000字"
    if errors:
        raise ValidationError(errors)


def image_progress_check(*, report: Report, confirmed: bool) -> None:
    """A report submitted on the web whose 形象进度 is last week's text, unchanged, needs the reporter's
    「确认沿用」(the form pre-fills last week's text). The 周报 import is not checked: its text is what the
    file says, typed on purpose."""
    text = (report.image_progress or "").strip()
    carried = selectors.carried_over_report(report.project, unit=report.reporting_unit, before=report.as_of)
    if confirmed or not text or carried is None or (carried.image_progress or "").strip() != text:
        return
    raise ValidationError(
        {
            "image_progress": f"形象进度与上周（截至{cn_date(carried.as_of)}）相同：请改为本周的形象进度，"
            "或勾选“确认沿用上周形象进度”"
        }
    )
