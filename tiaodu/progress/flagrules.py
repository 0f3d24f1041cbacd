"""The anomaly flags (数据异常) of a submitted weekly report: the rules, on plain data. Pure.

tiaodu/progress/anomalies.py gathers the facts from the database and stores the result in Report.flags
(a list of {"code", "message"}); a flag never blocks submission, and verifying a flagged report needs a
note (审核意见). "Previous accepted" is the same unit's latest 已审核 report of the project dated earlier
(selectors.accepted_reports_before). The thresholds are the cycle settings (ReportingCycle.FLAG_FIELDS):

* decrease — a cumulative figure below the previous accepted one;
* jump — an increment since the previous accepted report above `jump_factor` × the planned increment over
  the same working days and above `jump_min_pct` % of the target (the unit's share of it when the
  indicator is split between territorial units);
* stalled — a 在建 project whose figures did not change over the last `stalled_reports` reports (this one
  and the accepted ones before it) while its plan grew over that span;
* copied_text — 形象进度 identical (ignoring whitespace) to the previous accepted report's while a figure changed;
* photo_no_time / photo_old — a photo without EXIF time, or taken more than `photo_max_age_days` before
  the as-of date;
* photo_far — EXIF position more than `photo_max_distance_m` from the project's point or geometry;
* photo_reused — a photo within `photo_hash_distance` bits (perceptual hash) of a photo of an earlier
  report (of another report thread: a revision copies its photos).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

CODES = {
    "decrease": "累计数减少",
    "jump": "增量异常",
    "stalled": "进度停滞",
    "copied_text": "形象进度照抄",
    "photo_no_time": "照片无拍摄时间",
    "photo_old": "照片过旧",
    "photo_far": "照片位置偏离",
    "photo_reused": "照片重复",
}


@dataclass(frozen=True)
class Thresholds:
    jump_factor: Decimal = Decimal(3)
    jump_min_pct: Decimal = Decimal(10)
    stalled_reports: int = 3
    photo_max_age_days: int = 14
    photo_max_distance_m: int = 1000
    photo_hash_distance: int = 6


@dataclass(frozen=True)
class FigureFacts:
    """One indicator of the report. `previous`: the figure of the previous accepted report (None: none);
    `planned_now` / `planned_previous`: the plan (for the unit's share) at this report's and at the previous
    accepted report's as-of date (None: no plan); `target`: the target (the unit's share of it)."""

    name: str
    unit: str
    target: Decimal
    quantity: Decimal
    previous: Decimal | None = None
    planned_now: Decimal | None = None
    planned_previous: Decimal | None = None


@dataclass(frozen=True)
class PhotoFacts:
    name: str
    taken_at: datetime.date | None
    distance_m: float | None  # None: no EXIF position or no project position
    reused_from: str | None = None  # what it repeats, in words (e.g. "XM-001 截至2026年11月12日周报")


@dataclass(frozen=True)
class ReportFacts:
    as_of: datetime.date
    under_construction: bool
    text: str
    figures: Sequence[FigureFacts]
    photos: Sequence[PhotoFacts]
    previous_as_of: datetime.date | None = None
    previous_text: str | None = None
    # The accepted reports before this one (newest first, at most stalled_reports − 1): their figures
    # {indicator name: quantity} and as-of dates, with the plans' growth over the whole span.
    history: Sequence[dict[str, Decimal]] = ()
    history_as_of: Sequence[datetime.date] = ()
    plan_grew: bool = False


def flag(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def fmt(value: Decimal) -> str:
    value = Decimal(value).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return format(value, ",f")


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def about(value: Decimal) -> str:
    """A computed quantity as people write it: whole above 100, one decimal above 1, else two."""
    places = 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 2
    return fmt(Decimal(value).quantize(Decimal(1).scaleb(-places)))


def distance_text(metres: float) -> str:
    return f"{metres / 1000:.1f}公里" if metres >= 1000 else f"{metres:.0f}米"


def figure_flags(facts: ReportFacts, limits: Thresholds) -> list[dict[str, str]]:
    out = []
    for f in facts.figures:
        if f.previous is None or facts.previous_as_of is None:
            continue
        since = f"（截至{cn_date(facts.previous_as_of)}）"
        if f.quantity < f.previous:
            out.append(
                flag(
                    "decrease",
                    f"「{f.name}」累计{fmt(f.quantity)}{f.unit}低于上次审核通过的{fmt(f.previous)}{f.unit}{since}",
                )
            )
            continue
        increment = f.quantity - f.previous
        floor = f.target * limits.jump_min_pct / 100
        planned = None
        if f.planned_now is not None and f.planned_previous is not None:
            planned = max(f.planned_now - f.planned_previous, Decimal(0))
        if increment > floor and (planned is None or increment > limits.jump_factor * planned):
            plan_text = "无计划" if planned is None else f"同期计划增量约{about(planned)}{f.unit}"
            out.append(
                flag(
                    "jump",
                    f"「{f.name}」较上次审核通过{since}增加{fmt(increment)}{f.unit}，{plan_text}，"
                    f"超过目标{fmt(f.target)}{f.unit}的{fmt(limits.jump_min_pct)}%",
                )
            )
    return out


def stalled_flag(facts: ReportFacts, limits: Thresholds) -> list[dict[str, str]]:
    needed = limits.stalled_reports - 1
    if not facts.under_construction or not facts.plan_grew or not facts.figures:
        return []
    if len(facts.history) < needed or len(facts.history_as_of) < needed:
        return []
    now = {f.name: f.quantity for f in facts.figures}
    if any(h != now for h in facts.history[:needed]):
        return []
    since = facts.history_as_of[needed - 1]
    return [
        flag(
            "stalled",
            f"连续{limits.stalled_reports}份周报（截至{cn_date(since)}起）各项指标累计数均未变化，同期计划已增长",
        )
    ]


def _plain(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def text_flag(facts: ReportFacts) -> list[dict[str, str]]:
    text = _plain(facts.text)
    if not text or facts.previous_text is None or _plain(facts.previous_text) != text:
        return []
    changed = [f.name for f in facts.figures if f.previous is not None and f.quantity != f.previous]
    if not changed:
        return []
    return [
        flag(
            "copied_text",
            f"形象进度与上次审核通过的周报（截至{cn_date(facts.previous_as_of)}）完全相同，"
            f"但「{'」「'.join(changed)}」已变化",
        )
    ]


def photo_flags(facts: ReportFacts, limits: Thresholds) -> list[dict[str, str]]:
    out = []
    for p in facts.photos:
        name = f"照片「{p.name}」"
        if p.taken_at is None:
            out.append(flag("photo_no_time", f"{name}没有拍摄时间（EXIF），无法确认是本期所拍"))
        elif (facts.as_of - p.taken_at).days > limits.photo_max_age_days:
            days = (facts.as_of - p.taken_at).days
            out.append(
                flag(
                    "photo_old",
                    f"{name}拍摄于{cn_date(p.taken_at)}，早于截至日期{days}天（超过{limits.photo_max_age_days}天）",
                )
            )
        if p.distance_m is not None and p.distance_m > limits.photo_max_distance_m:
            out.append(flag("photo_far", f"{name}拍摄地点距项目{distance_text(p.distance_m)}"))
        if p.reused_from:
            out.append(flag("photo_reused", f"{name}与{p.reused_from}的照片相同"))
    return out


def report_flags(facts: ReportFacts, limits: Thresholds) -> list[dict[str, str]]:
    """Every flag of the report, in a fixed order: figures, stalled, text, photos."""
    return [
        *figure_flags(facts, limits),
        *stalled_flag(facts, limits),
        *text_flag(facts),
        *photo_flags(facts, limits),
    ]


def planned_share(planned: Decimal | None, target: Decimal, share_target: Decimal | None) -> Decimal | None:
    """The plan of a unit's share: the indicator's plan × share / target (the plan itself without a share)."""
    if planned is None or share_target is None or not target:
        return planned
    return planned * share_target / target
