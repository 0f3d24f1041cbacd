"""The briefing's content: plain functions over plain data (no Django import).

`build_content` turns the briefing's inputs — the progress overview (`progress_status`, the single source
of every figure, a tiaodu.progress.figures.ProgressStatus), the projects' names and units, the escalated
problems and the warned supervision items — into one `Content`: the header fields and a list of blocks
(headings, paragraphs, tables, images). It is the sections in order, one pure function each
(`section_overview` … `section_items`), numbered 一、二、…. The Word and PDF renderers both walk the same
blocks, so the two files say exactly the same thing; the Excel ledger is written from the same data.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tiaodu.briefings import investment_section, plan_changes
from tiaodu.briefings.plan_changes import PlanChange
from tiaodu.core import domain
from tiaodu.investment.figures import InvestmentStatus
from tiaodu.progress.figures import ProgressStatus, ProjectFigures, TypeSummary, summary_sentence, units_text

# The domain's words (one definition, tiaodu.core.domain), under the names the renderers use.
TYPE_ORDER = domain.TYPE_ORDER
TYPE_NOUN = domain.TYPE_NOUNS
STATUS_LABELS = domain.STATUS_LABELS
LEVEL_LABELS = domain.LEVEL_LABELS
WARNING_LABELS = {"red": "红牌", "yellow": "黄牌"}
CN_NUMERALS = "一二三四五六七八九十"
HEADER = "重点工程建设调度通报"
COPY_TO = "区委、区政府领导，各专项工程指挥部，各街道办事处，区直各有关部门。"


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for section numbers)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else CN_NUMERALS[tens - 1] + "十"
    return head + (CN_NUMERALS[ones - 1] if ones else "")


def short_date(day: datetime.date | None) -> str:
    """2026.11.20 (dates inside tables)."""
    return f"{day.year}.{day.month}.{day.day}" if day else "—"


def pct_text(fraction: float | None, places: int = 1) -> str:
    """0.8571 → 85.7% (a fraction, as progress_status gives shares and rates)."""
    if fraction is None:
        return "—"
    return f"{fraction * 100:.{places}f}%"


def pct_value_text(percent: float | None) -> str:
    """45.3 → 45.3% (planned_pct / actual_pct are already percentages)."""
    if percent is None:
        return "—"
    return f"{percent:.1f}%"


def num_text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or float(value) == int(float(value)):
        return f"{int(float(value)):,}"
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


# --- the inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectInfo:
    """What the briefing names besides the figures (from the project register)."""

    code: str
    name: str
    type: str
    category: str
    category_order: int = 0
    lead_unit: str = ""
    territorial_units: Sequence[str] = ()
    supporting_units: Sequence[str] = ()
    responsible: str = ""
    supervising_leader: str = ""


@dataclass(frozen=True)
class ProblemLine:
    """An open problem at 分管区领导 level or above."""

    project: str
    type: str  # its label (资金, 用地…)
    description: str
    owner: str
    level: str  # its label
    since: datetime.date | None


@dataclass(frozen=True)
class ItemLine:
    """An open supervision item with a warning on the as-of date."""

    title: str
    assignees: str
    deadline: datetime.date | None
    warning: str  # "yellow" | "red"


@dataclass(frozen=True)
class ReportSource:
    """The weekly report an indicator's figure comes from (the ledger's sheet 数据来源)."""

    report: int  # the report's id: its number in the platform (its page: /reports/<id>/)
    as_of: datetime.date
    reporter: str  # who submitted it (else who drafted it): a person's name
    verifier: str  # who verified it ("" when not verified: a submitted report counts too)
    verified_at: datetime.datetime | None  # local time, naive


@dataclass(frozen=True)
class FlagLine:
    """One anomaly flag (数据异常) of a weekly report of the briefing's week (the ledger's sheet 数据异常)."""

    project: str  # its name
    unit: str  # the reporting unit
    as_of: datetime.date
    kind: str  # the flag's label (累计数减少, 照片过旧…)
    message: str


@dataclass(frozen=True)
class BriefingInputs:
    """Everything a briefing for `status.as_of` states (tiaodu.briefings.selectors.briefing_inputs)."""

    status: ProgressStatus
    projects: Mapping[str, ProjectInfo]
    problems: Sequence[ProblemLine] = ()
    items: Sequence[ItemLine] = ()
    sources: Mapping[int, ReportSource] = field(default_factory=dict)  # by report id
    flags: Sequence[FlagLine] = ()  # the week's flagged reports, one line per flag
    changes: Sequence[PlanChange] = ()  # baseline changes approved in the period (本期调整计划的项目)
    investment: InvestmentStatus | None = None  # investment_status of the as-of month (投资完成情况)

    @property
    def as_of(self) -> datetime.date:
        return self.status.as_of


# --- the output -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the table width
    align: str = "center"  # left | center | right


@dataclass
class Block:
    kind: str  # h1 | h2 | p | table | image | note
    text: str = ""
    columns: list[Column] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    strong_rows: set[int] = field(default_factory=set)  # rows to stress (severe lag, red warnings)
    strong_cols: set[int] = field(default_factory=set)  # the cells stressed in those rows (empty: all)
    image: bytes = b""
    image_name: str = ""
    width_mm: float = 0
    caption: str = ""


@dataclass(frozen=True)
class Section:
    title: str  # without its number: 总体情况
    blocks: list[Block]


@dataclass
class Content:
    header: str
    number: int
    year: int
    issuer: str
    as_of: datetime.date
    date_text: str
    title: str
    blocks: list[Block]
    copy_to: str
    charts: dict[str, bytes] = field(default_factory=dict)

    @property
    def number_text(self) -> str:
        return f"第{self.number}期"

    def text(self) -> str:
        """Everything a reader reads, as plain text (search index, tests)."""
        parts = [self.header, self.number_text, self.issuer, self.date_text, self.title]
        for block in self.blocks:
            if block.kind == "table":
                parts.append(" ".join(c.title for c in block.columns))
                parts.extend(" ".join(row) for row in block.rows)
            elif block.text:
                parts.append(block.text)
            if block.caption:
                parts.append(block.caption)
        return "\n".join(parts)


def _units(names: Sequence[str]) -> str:
    """制锦市街道、北园街道、泺口街道等5个单位 (the Excel ledger names them all)."""
    return units_text(names) or "—"


def _name(projects: Mapping[str, ProjectInfo], code: str, fallback: str = "") -> str:
    info = projects.get(code)
    return info.name if info is not None else (fallback or code)


def _image(charts: Mapping[str, bytes], key: str, caption: str) -> list[Block]:
    if key not in charts:
        return []
    return [Block("image", image=charts[key], image_name=f"{key}.png", width_mm=150, caption=caption)]


# --- the sections -----------------------------------------------------------------------------------


def section_overview(status: ProgressStatus, charts: Mapping[str, bytes]) -> Section:
    """一、总体情况: the sentence per project type, the projects per level and the missing reports."""
    date_text = cn_date(status.as_of)
    sentences = [summary_sentence(key, s) for key, s in status.summary.items() if s.total]
    blocks = []
    if sentences:
        blocks.append(Block("p", text=f"截至{date_text}，" + sentences[0]))
        blocks.extend(Block("p", text=sentence) for sentence in sentences[1:])
    counts = status.level_counts
    blocks.append(
        Block(
            "p",
            text=(
                f"对照倒排工期计划，{len(status.projects)}个项目中进度正常{counts[domain.NORMAL]}个，"
                f"滞后{counts[domain.LAGGING]}个，严重滞后{counts[domain.SEVERE]}个；"
                f"近7日未报送进度的项目{len(status.missing_reports)}个。"
            ),
        )
    )
    blocks += _image(charts, "status", "图1  各类项目建设状态分布")
    return Section("总体情况", blocks)


def lag_cell(p: ProjectFigures) -> str:
    """A project's lag in a table when it lags or is severely behind: its lag_text on three lines, a line
    break after the days and in place of the space before the figures (滞后88个工作日：⏎道路长度⏎计划5,200m，
    实际3,300m); "—" when its progress is normal (a finished project never lags)."""
    if p.level == domain.NORMAL or not p.lag_text:
        return "—"
    days, colon, indicator = p.lag_text.partition("：")
    name, space, quantities = indicator.rpartition(" ")
    return f"{days}{colon}\n{name}\n{quantities}" if space else f"{days}{colon}\n{indicator}"


def average_cell(p: ProjectFigures) -> str:
    """The average over the indicators (综合进度), planned / actual: 72.8% / 73.0%."""
    return f"{pct_value_text(p.planned_pct)} / {pct_value_text(p.actual_pct)}"


CATEGORY_COLUMNS = [
    Column("序号", 0.07),
    Column("项目名称", 0.23, "left"),
    Column("牵头单位", 0.165, "left"),
    Column("状态", 0.095),
    Column("综合进度\n计划/实际", 0.15),
    Column("滞后情况", 0.29, "left"),
]
LAG_COLUMN = 5


def section_categories(status: ProgressStatus, projects: Mapping[str, ProjectInfo]) -> Section:
    """三、分类推进情况: a table per project category."""
    groups: dict[tuple[int, str], list[ProjectFigures]] = {}
    for p in status.projects:
        info = projects.get(p.code)
        key = (info.category_order, info.category) if info else (1 << 30, "其他")
        groups.setdefault(key, []).append(p)
    if not groups:
        return Section("分类推进情况", [Block("p", text="暂无项目。")])
    blocks = []
    for index, ((_order, category), members) in enumerate(sorted(groups.items()), start=1):
        members.sort(key=lambda p: p.code)
        blocks.append(Block("h2", text=f"（{cn_ordinal(index)}）{category}类项目（{len(members)}个）"))
        rows = []
        for i, p in enumerate(members):
            info = projects.get(p.code)
            rows.append(
                [
                    str(i + 1),
                    _name(projects, p.code, p.name),
                    info.lead_unit if info else "—",
                    STATUS_LABELS.get(p.status, p.status),
                    average_cell(p),
                    lag_cell(p),
                ]
            )
        strong = {i for i, p in enumerate(members) if p.level == domain.SEVERE}
        blocks.append(
            Block("table", columns=CATEGORY_COLUMNS, rows=rows, strong_rows=strong, strong_cols={LAG_COLUMN})
        )
    return Section("分类推进情况", blocks)


BEHIND_COLUMNS = [
    Column("序号", 0.07),
    Column("项目名称", 0.16, "left"),
    Column("滞后情况", 0.25, "left"),
    Column("牵头单位", 0.14, "left"),
    Column("属地单位", 0.16, "left"),
    Column("责任人", 0.095),
    Column("分管\n领导", 0.125),
]
TOP_BEHIND = 3  # the projects most behind, named in the section's text


def _behind_row(i: int, p: ProjectFigures, projects: Mapping[str, ProjectInfo]) -> list[str]:
    info = projects.get(p.code)
    return [
        str(i + 1),
        _name(projects, p.code, p.name),
        lag_cell(p),
        info.lead_unit if info else "—",
        _units(info.territorial_units) if info else "—",
        (info.responsible or "—") if info else "—",
        (info.supervising_leader or "—") if info else "—",
    ]


def _by_lag(members: Sequence[ProjectFigures]) -> list[ProjectFigures]:
    return sorted(members, key=lambda p: (-(p.lag_days or 0), p.code))


def _most_behind(members: Sequence[ProjectFigures], projects: Mapping[str, ProjectInfo]) -> str:
    """滞后最多的项目：甲（滞后90个工作日：道路长度 计划5,200m，实际3,095m）；乙（…）。"""
    named = [
        _name(projects, p.code, p.name) + (f"（{p.lag_text}）" if p.lag_text else "")
        for p in _by_lag(members)[:TOP_BEHIND]
    ]
    return f"滞后最多的项目：{'；'.join(named)}。" if named else ""


def section_behind(status: ProgressStatus, projects: Mapping[str, ProjectInfo]) -> Section:
    """四、滞后项目: （一）严重滞后 then （二）滞后, most days behind first."""
    date_text = cn_date(status.as_of)
    severe = [p for p in status.projects if p.level == domain.SEVERE]
    lagging = [p for p in status.projects if p.level == domain.LAGGING]
    if not severe and not lagging:
        return Section("滞后项目", [Block("p", text=f"截至{date_text}，各项目均按计划推进，无滞后项目。")])
    blocks = [
        Block(
            "p",
            text=(
                f"截至{date_text}，共有{len(severe) + len(lagging)}个项目进度滞后于计划，其中严重滞后"
                f"{len(severe)}个、滞后{len(lagging)}个（滞后天数按法定工作日计算，并列出决定滞后天数的指标及其"
                f"计划、实际完成量）。{_most_behind(severe + lagging, projects)}请相关牵头单位、属地单位"
                "和责任人认真分析原因，倒排工期，限期赶上进度。"
            ),
        )
    ]
    sub = 0
    for label, members, stressed in (("严重滞后项目", severe, True), ("滞后项目", lagging, False)):
        if not members:
            continue
        sub += 1
        members = _by_lag(members)
        blocks.append(Block("h2", text=f"（{cn_ordinal(sub)}）{label}（{len(members)}个）"))
        rows = [_behind_row(i, p, projects) for i, p in enumerate(members)]
        blocks.append(
            Block(
                "table",
                columns=BEHIND_COLUMNS,
                rows=rows,
                strong_rows=set(range(len(rows))) if stressed else set(),
                strong_cols={2},
            )
        )
    return Section("滞后项目", blocks)


UNIT_COLUMNS = [
    Column("名次", 0.08),
    Column("单位", 0.38, "left"),
    Column("项目数", 0.12),
    Column("按期推进\n项目数", 0.14),
    Column("按期率", 0.13),
    Column("平均滞后\n天数", 0.15),
]


def section_units(status: ProgressStatus, charts: Mapping[str, bytes]) -> Section:
    """五、责任单位排名, in the order of the overview, with chart 图2."""
    if not status.units:
        return Section("责任单位排名", [Block("p", text="暂无可排名的责任单位。")])
    rows = [
        [str(i + 1), u.unit, str(u.projects), str(u.on_time), pct_text(u.on_time_share), num_text(u.avg_lag)]
        for i, u in enumerate(status.units)
    ]
    blocks = [
        Block(
            "p",
            text="按牵头单位、属地单位所负责项目的按期推进率由高到低排名，按期推进率相同的，平均滞后天数少者在前。",
        ),
        Block("table", columns=UNIT_COLUMNS, rows=rows),
        *_image(charts, "units", "图2  各责任单位项目按期推进率"),
    ]
    return Section("责任单位排名", blocks)


MISSING_COLUMNS = [
    Column("序号", 0.07),
    Column("项目名称", 0.41, "left"),
    Column("牵头单位", 0.27, "left"),
    Column("属地单位", 0.25, "left"),
]


def section_reporting(status: ProgressStatus, projects: Mapping[str, ProjectInfo]) -> Section:
    """六、进度报送情况: the projects whose weekly report is missing."""
    date_text = cn_date(status.as_of)
    missing = sorted(status.missing_reports, key=lambda m: m.code)
    if not missing:
        return Section("进度报送情况", [Block("p", text=f"截至{date_text}，各项目均已在近7日内报送进度。")])
    rows = [
        [
            str(i + 1),
            _name(projects, m.code, m.name),
            projects[m.code].lead_unit if m.code in projects else "—",
            _units(projects[m.code].territorial_units) if m.code in projects else "—",
        ]
        for i, m in enumerate(missing)
    ]
    text = f"截至{date_text}，以下{len(missing)}个项目近7日内未报送（或报送未获通过）进度，请抓紧补报："
    return Section(
        "进度报送情况", [Block("p", text=text), Block("table", columns=MISSING_COLUMNS, rows=rows)]
    )


PROBLEM_COLUMNS = [
    Column("序号", 0.07),
    Column("项目", 0.15, "left"),
    Column("类型", 0.07),
    Column("问题描述", 0.27, "left"),
    Column("责任单位", 0.14, "left"),
    Column("当前层级", 0.15),
    Column("上报日期", 0.15),
]


def section_problems(problems: Sequence[ProblemLine]) -> Section:
    """七、需区级领导协调解决的问题."""
    title = "需区级领导协调解决的问题"
    if not problems:
        return Section(title, [Block("p", text="目前没有上报至分管区领导及以上层级的问题。")])
    rows = [
        [
            str(i + 1),
            p.project or "—",
            p.type or "—",
            p.description or "",
            p.owner or "—",
            p.level or "—",
            short_date(p.since),
        ]
        for i, p in enumerate(problems)
    ]
    text = f"以下{len(problems)}个问题经逐级协调仍未解决，已上报至分管区领导及以上层级，请有关领导协调解决："
    return Section(title, [Block("p", text=text), Block("table", columns=PROBLEM_COLUMNS, rows=rows)])


ITEM_COLUMNS = [
    Column("序号", 0.07),
    Column("督办事项", 0.44, "left"),
    Column("承办单位", 0.24, "left"),
    Column("办结时限", 0.15),
    Column("预警", 0.10),
]


def section_items(items: Sequence[ItemLine], as_of: datetime.date) -> Section:
    """八、督办事项预警情况: red first, then by deadline."""
    title = "督办事项预警情况"
    warned = sorted(items, key=lambda it: (0 if it.warning == "red" else 1, it.deadline or as_of))
    if not warned:
        return Section(title, [Block("p", text="目前没有被亮黄牌或红牌的督办事项。")])
    reds = sum(1 for it in warned if it.warning == "red")
    text = (
        f"截至{cn_date(as_of)}，逾期未办结的督办事项{len(warned)}项，其中红牌{reds}项、"
        f"黄牌{len(warned) - reds}项，请承办单位立即办理并报送办理情况："
    )
    rows = [
        [str(i + 1), it.title, it.assignees or "—", short_date(it.deadline), WARNING_LABELS[it.warning]]
        for i, it in enumerate(warned)
    ]
    strong = {i for i, it in enumerate(warned) if it.warning == "red"}
    table = Block("table", columns=ITEM_COLUMNS, rows=rows, strong_rows=strong, strong_cols={4})
    return Section(title, [Block("p", text=text), table])


def section_changes(changes: Sequence[PlanChange], as_of: datetime.date) -> Section:
    """九、本期调整计划的项目: each value changed, old → new, with the reason and the approval date."""
    text = plan_changes.summary(changes, as_of)
    if not changes:
        return Section(plan_changes.SHEET, [Block("p", text=text)])
    columns = [Column(title, width, align) for title, width, align, _xlsx in plan_changes.COLUMNS]
    table = Block("table", columns=columns, rows=plan_changes.rows(changes))
    return Section(plan_changes.SHEET, [Block("p", text=text), table])


def section_investment(status: InvestmentStatus | None) -> Section:
    """二、投资完成情况: the sentences of investment_status, a table per lead unit, the funding gaps."""
    if status is None:
        return Section(investment_section.SHEET, [Block("p", text="暂无投资统计数据。")])
    blocks = [Block("p", text=sentence) for sentence in investment_section.sentences(status)]
    if status.units:
        columns = [Column(t, w, a) for t, w, a, _x in investment_section.UNIT_COLUMNS]
        rows = investment_section.unit_rows(status)
        strong = investment_section.behind_rows(status)
        blocks.append(Block("table", columns=columns, rows=rows, strong_rows=strong, strong_cols={5}))
    blocks.append(Block("p", text=investment_section.gap_text(status)))
    if status.funding_gaps:
        columns = [Column(t, w, a) for t, w, a, _x in investment_section.GAP_COLUMNS]
        blocks.append(Block("table", columns=columns, rows=investment_section.gap_rows(status)))
    return Section(investment_section.SHEET, blocks)


# --- the briefing -----------------------------------------------------------------------------------


def sections(inputs: BriefingInputs, charts: Mapping[str, bytes]) -> list[Section]:
    status, projects = inputs.status, inputs.projects
    return [
        section_overview(status, charts),
        section_investment(inputs.investment),
        section_categories(status, projects),
        section_behind(status, projects),
        section_units(status, charts),
        section_reporting(status, projects),
        section_problems(inputs.problems),
        section_items(inputs.items, inputs.as_of),
        section_changes(inputs.changes, inputs.as_of),
    ]


def build_content(
    *,
    inputs: BriefingInputs,
    number: int,
    issuer: str,
    charts: Mapping[str, bytes] | None = None,
    copy_to: str = COPY_TO,
) -> Content:
    """The briefing 第`number`期 for `inputs`: the header and the sections numbered 一、二、…."""
    charts = dict(charts or {})
    blocks: list[Block] = []
    for n, section in enumerate(sections(inputs, charts), start=1):
        blocks.append(Block("h1", text=f"{cn_ordinal(n)}、{section.title}"))
        blocks.extend(section.blocks)
    as_of = inputs.as_of
    date_text = cn_date(as_of)
    return Content(
        header=HEADER,
        number=number,
        year=as_of.year,
        issuer=issuer,
        as_of=as_of,
        date_text=date_text,
        title=f"关于截至{date_text}全区重点工程建设进展情况的通报",
        blocks=blocks,
        copy_to=copy_to,
        charts=charts,
    )


def status_counts(summary: Mapping[str, TypeSummary]) -> dict[str, dict[str, int]]:
    """Per project type (its noun), the projects per status label (chart 图1), from the overview summary."""
    labels = domain.STATUS_LABELS
    return {
        TYPE_NOUN[key]: {
            labels[domain.COMPLETED]: s.completed,
            labels[domain.UNDER_CONSTRUCTION]: s.under_construction,
            labels[domain.NOT_STARTED]: s.not_started,
            labels[domain.SUSPENDED]: s.suspended,
        }
        for key, s in summary.items()
        if key in TYPE_NOUN
    }
