"""The minutes of a dispatch meeting (调度会纪要): plain functions over plain data (no Django import).

`build_minutes` turns a meeting — its date, place, chair, attendees, the agenda the platform compiled and
the decisions with their items' units and deadlines — into the same `Content` the briefing is made of,
so the Word and PDF renderers lay it out in the same official-document layout (GB/T 9704-2012): the red
masthead 重点工程调度会议纪要, the document number 调度会纪要〔2026〕3号 (its own sequence per year), the
issuing office and date, the title, the body and the record (抄送, 印发).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from tiaodu.briefings.content import Block, Column, Content, cn_date, cn_ordinal

MINUTES_HEADER = "重点工程调度会议纪要"  # 10 characters: one line of 40 pt in the 156 mm text block
MINUTES_PREFIX = "调度会纪要"  # the document number: 调度会纪要〔2026〕3号
MINUTES_COPY_TO = "区委、区政府领导"


@dataclass
class MinutesContent(Content):
    """Content numbered 调度会纪要〔year〕N号 instead of 第N期."""

    @property
    def number_text(self) -> str:
        return minutes_number(self.year, self.number)


def minutes_number(year: int, number: int) -> str:
    return f"{MINUTES_PREFIX}〔{year}〕{number}号"


def document_title(content: Content) -> str:
    """The file's title (Word core properties, PDF metadata): 重点工程建设调度通报（2026年第3期) or
    重点工程调度会议纪要（调度会纪要〔2026〕3号）."""
    if isinstance(content, MinutesContent):
        return f"{content.header}（{content.number_text}）"
    return f"{content.header}（{content.year}年{content.number_text}）"


def keywords(content: Content) -> str:
    return "会议纪要" if isinstance(content, MinutesContent) else "调度通报"


# --- the inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionLine:
    """A decision, with the item it became (units, person, deadline) when it did."""

    content: str
    units: Sequence[str] = ()
    person: str = ""
    deadline: datetime.date | None = None
    project: str = ""


@dataclass(frozen=True)
class LagLine:
    name: str
    lead_unit: str
    lag_text: str


@dataclass(frozen=True)
class MinutesInputs:
    title: str  # the meeting's title
    date: datetime.date
    location: str
    chair: str  # 王区长（常务副区长）
    attendees: Sequence[str]  # 张三（北园街道）
    attendees_note: str
    lagging: Sequence[LagLine]
    missing: Sequence[str]  # names of projects whose report is missing
    problems: Sequence[str]  # 项目：难题（责任单位）
    overdue: Sequence[str]  # 事项（承办单位，时限）
    decisions: Sequence[DecisionLine]


def _names(items: Sequence[str], limit: int = 8) -> str:
    shown = "、".join(items[:limit])
    return shown + (f"等{len(items)}项" if len(items) > limit else "")


def opening(inputs: MinutesInputs) -> str:
    place = f"在{inputs.location}" if inputs.location else ""
    chair = inputs.chair or "会议主持人"
    return (
        f"{cn_date(inputs.date)}，{chair}{place}主持召开{inputs.title}，逐项调度重点工程建设进展，"
        "研究解决项目推进中的困难和问题。现将会议议定事项纪要如下："
    )


def section_basics(inputs: MinutesInputs) -> list[Block]:
    attendees = "、".join(inputs.attendees)
    if inputs.attendees_note:
        attendees = f"{attendees}；{inputs.attendees_note}" if attendees else inputs.attendees_note
    return [
        Block("p", text=f"会议时间：{cn_date(inputs.date)}"),
        Block("p", text=f"会议地点：{inputs.location or '—'}"),
        Block("p", text=f"主持人：{inputs.chair or '—'}"),
        Block("p", text=f"参会人员：{attendees or '—'}"),
    ]


def section_agenda(inputs: MinutesInputs) -> list[Block]:
    """The agenda in brief: the lagging projects in a table, the rest in a sentence each."""
    blocks = []
    if inputs.lagging:
        blocks.append(Block("p", text=f"会议逐项调度了{len(inputs.lagging)}个滞后项目："))
        blocks.append(
            Block(
                "table",
                columns=[
                    Column("序号", 0.6),
                    Column("项目名称", 3.0, "left"),
                    Column("牵头单位", 2.6, "left"),
                    Column("滞后情况", 4.4, "left"),
                ],
                rows=[
                    [str(i), line.name, line.lead_unit, line.lag_text or "滞后"]
                    for i, line in enumerate(inputs.lagging, start=1)
                ],
            )
        )
    else:
        blocks.append(Block("p", text="截至会议日期，无滞后项目。"))
    if inputs.missing:
        blocks.append(
            Block("p", text=f"未按时报送进度的项目{len(inputs.missing)}个：{_names(inputs.missing)}。")
        )
    if inputs.problems:
        blocks.append(
            Block("p", text=f"提请区领导协调的难题{len(inputs.problems)}个：{_names(inputs.problems, 5)}。")
        )
    if inputs.overdue:
        blocks.append(Block("p", text=f"超期督办事项{len(inputs.overdue)}项：{_names(inputs.overdue, 5)}。"))
    return blocks


def decision_paragraphs(n: int, decision: DecisionLine) -> list[Block]:
    head = f"{n}．{decision.content.strip()}"
    if decision.project:
        head = f"{n}．（{decision.project}）{decision.content.strip()}"
    if decision.units:
        duty = f"责任单位：{'、'.join(decision.units)}"
        if decision.person:
            duty += f"；责任人：{decision.person}"
        duty += f"；完成时限：{cn_date(decision.deadline) if decision.deadline else '—'}。"
    else:
        duty = "（未转为督办事项）"
    return [Block("p", text=head), Block("p", text=duty)]


def section_decisions(inputs: MinutesInputs) -> list[Block]:
    if not inputs.decisions:
        return [Block("p", text="本次会议未形成决定事项。")]
    blocks = [Block("p", text="会议议定以下事项，由督查室列入督办，各责任单位按时限办结并报送办理进展：")]
    for n, decision in enumerate(inputs.decisions, start=1):
        blocks.extend(decision_paragraphs(n, decision))
    return blocks


def copy_to(inputs: MinutesInputs) -> str:
    units: list[str] = []
    for decision in inputs.decisions:
        units.extend(u for u in decision.units if u not in units)
    return "，".join([MINUTES_COPY_TO, *(["、".join(units)] if units else [])]) + "。"


def minutes_title(meeting_title: str) -> str:
    title = meeting_title.strip()
    return title if title.endswith("纪要") else f"{title}纪要"


def build_minutes(
    *, inputs: MinutesInputs, number: int, year: int, issuer: str, issued_on: datetime.date
) -> MinutesContent:
    """The minutes 调度会纪要〔year〕`number`号 of the meeting `inputs` describes."""
    blocks: list[Block] = [Block("p", text=opening(inputs))]
    for n, (title, section) in enumerate(
        (
            ("会议基本情况", section_basics(inputs)),
            ("议程概述", section_agenda(inputs)),
            ("会议决定事项", section_decisions(inputs)),
        ),
        start=1,
    ):
        blocks.append(Block("h1", text=f"{cn_ordinal(n)}、{title}"))
        blocks.extend(section)
    return MinutesContent(
        header=MINUTES_HEADER,
        number=number,
        year=year,
        issuer=issuer,
        as_of=inputs.date,
        date_text=cn_date(issued_on),
        title=minutes_title(inputs.title),
        blocks=blocks,
        copy_to=copy_to(inputs),
    )
