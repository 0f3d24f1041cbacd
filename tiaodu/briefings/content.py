"""The briefing's content: plain functions over plain data (no Django import).

`build_content` turns the progress overview (`progress_status`, the single source of every figure),
the projects' names and units, the escalated problems and the warned supervision items into one
`Content`: the header fields and a list of blocks (headings, paragraphs, tables, images). The Word
and PDF renderers both walk the same blocks, so the two files say exactly the same thing; the Excel
ledger is written from the same data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

TYPE_ORDER = ("key_construction", "remediation")
TYPE_NOUN = {"key_construction": "重点建设项目", "remediation": "综合整治项目"}
STATUS_LABELS = {
    "not_started": "未开工",
    "under_construction": "在建",
    "completed": "已竣工",
    "accepted": "已验收",
    "suspended": "暂停",
}
LEVEL_LABELS = {"normal": "正常", "lagging": "滞后", "severe": "严重滞后"}
WARNING_LABELS = {"red": "红牌", "yellow": "黄牌"}
CN_NUMERALS = "一二三四五六七八九十"
HEADER = "重点工程建设调度通报"


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


def overview_sentence(type_key: str, s: dict) -> str:
    """全区14个重点建设项目中，已竣工3项，在建9项，未开工2项，暂停0项，开工率85.7%。"""
    return (
        f"全区{s['total']}个{TYPE_NOUN[type_key]}中，已竣工{s['completed']}项，在建{s['under_construction']}项，"
        f"未开工{s['not_started']}项，暂停{s['suspended']}项，开工率{pct_text(s['started_rate'])}。"
    )


@dataclass
class ProjectInfo:
    """What the briefing names besides the figures (from the project register)."""

    code: str
    name: str
    type: str
    category: str
    category_order: int = 0
    lead_unit: str = ""
    territorial_units: list[str] = field(default_factory=list)
    supporting_units: list[str] = field(default_factory=list)
    responsible: str = ""
    supervising_leader: str = ""


@dataclass
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


def _units(names: list[str], limit: int = 3) -> str:
    """制锦市街道、北园街道、泺口街道等5个单位 (the Excel ledger names them all)."""
    if not names:
        return "—"
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等{len(names)}个单位"


def _project_name(info: ProjectInfo | None, code: str, row: dict | None = None) -> str:
    if info is not None:
        return info.name
    return (row or {}).get("name") or code


def build_content(
    *,
    status: dict,
    projects: dict[str, ProjectInfo],
    problems: list[dict],
    items: list[dict],
    number: int,
    issuer: str,
    as_of: datetime.date,
    charts: dict[str, bytes] | None = None,
    sentences: list[str] | None = None,
    copy_to: str = "区委、区政府领导，各专项工程指挥部，各街道办事处，区直各有关部门。",
) -> Content:
    """The briefing for `status` (the output of progress_status for `as_of`).

    problems: dicts with project, type, description, owner, level (label), since (date).
    items: dicts with title, assignees, deadline (date), warning ('yellow' | 'red').
    sentences: the overview sentence per project type (default: overview_sentence of the summary).
    """
    charts = charts or {}
    date_text = cn_date(as_of)
    blocks: list[Block] = []
    section = 0

    def h1(text: str):
        nonlocal section
        section += 1
        blocks.append(Block("h1", text=f"{cn_ordinal(section)}、{text}"))

    rows = status.get("projects", [])
    by_code = {row["code"]: row for row in rows}
    summary = status.get("summary", {})

    # 一、总体情况 ---------------------------------------------------------------------------------
    h1("总体情况")
    if sentences is None:  # the progress app's own sentence is preferred (one source for the words too)
        sentences = [overview_sentence(t, summary[t]) for t in TYPE_ORDER if t in summary]
    sentences = [s for s in sentences if not s.startswith("全区0个")]
    if sentences:
        blocks.append(Block("p", text=f"截至{date_text}，" + sentences[0]))
        for sentence in sentences[1:]:
            blocks.append(Block("p", text=sentence))
    severe = [r for r in rows if r["level"] == "severe"]
    lagging = [r for r in rows if r["level"] == "lagging"]
    if "missing_reports" in status:
        missing = [by_code.get(m["code"], m) for m in status["missing_reports"]]
    else:
        missing = [r for r in rows if not r.get("reported")]
    normal = len(rows) - len(severe) - len(lagging)
    blocks.append(
        Block(
            "p",
            text=(
                f"对照倒排工期计划，{len(rows)}个项目中进度正常{normal}个，滞后{len(lagging)}个，"
                f"严重滞后{len(severe)}个；近7日未报送进度的项目{len(missing)}个。"
            ),
        )
    )
    if "status" in charts:
        blocks.append(
            Block(
                "image",
                image=charts["status"],
                image_name="status.png",
                width_mm=150,
                caption="图1  各类项目建设状态分布",
            )
        )

    # 二、分类推进情况 ------------------------------------------------------------------------------
    h1("分类推进情况")
    groups: dict[tuple[int, str], list[tuple[str, dict]]] = {}
    for row in rows:
        info = projects.get(row["code"])
        key = (info.category_order, info.category) if info else (1 << 30, "其他")
        groups.setdefault(key, []).append((row["code"], row))
    if not groups:
        blocks.append(Block("p", text="暂无项目。"))
    for index, (key, members) in enumerate(sorted(groups.items()), start=1):
        category = key[1]
        members.sort(key=lambda m: m[0])
        blocks.append(Block("h2", text=f"（{cn_ordinal(index)}）{category}类项目（{len(members)}个）"))
        table_rows = []
        strong = set()
        for i, (code, row) in enumerate(members):
            info = projects.get(code)
            table_rows.append(
                [
                    str(i + 1),
                    _project_name(info, code, row),
                    info.lead_unit if info else "—",
                    STATUS_LABELS.get(row["status"], row["status"]),
                    pct_value_text(row.get("planned_pct")),
                    pct_value_text(row.get("actual_pct")),
                    str(row.get("lag_days") or 0) if row["level"] != "normal" else "—",
                ]
            )
            if row["level"] == "severe":
                strong.add(i)
        blocks.append(
            Block(
                "table",
                columns=[
                    Column("序号", 0.07),
                    Column("项目名称", 0.29, "left"),
                    Column("牵头单位", 0.23, "left"),
                    Column("状态", 0.10),
                    Column("计划\n进度", 0.11),
                    Column("实际\n进度", 0.11),
                    Column("滞后\n天数", 0.09),
                ],
                rows=table_rows,
                strong_rows=strong,
                strong_cols={6},
            )
        )

    # 三、滞后项目 ----------------------------------------------------------------------------------
    h1("滞后项目")
    behind = sorted(
        severe + lagging,
        key=lambda r: (0 if r["level"] == "severe" else 1, -(r.get("lag_days") or 0), r["code"]),
    )
    if not behind:
        blocks.append(Block("p", text=f"截至{date_text}，各项目均按计划推进，无滞后项目。"))
    else:
        blocks.append(
            Block(
                "p",
                text=(
                    f"截至{date_text}，共有{len(behind)}个项目进度滞后于计划，其中严重滞后{len(severe)}个、"
                    f"滞后{len(lagging)}个（滞后天数按法定工作日计算）。请相关牵头单位、属地单位和责任人"
                    "认真分析原因，倒排工期，限期赶上进度。"
                ),
            )
        )
        groups = [
            ("严重滞后项目", severe_sorted := [r for r in behind if r["level"] == "severe"]),
            ("滞后项目", [r for r in behind if r["level"] == "lagging"]),
        ]
        sub = 0
        for label, members in groups:
            if not members:
                continue
            sub += 1
            blocks.append(Block("h2", text=f"（{cn_ordinal(sub)}）{label}（{len(members)}个）"))
            table_rows = []
            for i, row in enumerate(members):
                info = projects.get(row["code"])
                table_rows.append(
                    [
                        str(i + 1),
                        _project_name(info, row["code"], row),
                        str(row.get("lag_days") or 0),
                        info.lead_unit if info else "—",
                        _units(info.territorial_units) if info else "—",
                        (info.responsible or "—") if info else "—",
                        (info.supervising_leader or "—") if info else "—",
                    ]
                )
            blocks.append(
                Block(
                    "table",
                    columns=[
                        Column("序号", 0.07),
                        Column("项目名称", 0.26, "left"),
                        Column("滞后\n天数", 0.07),
                        Column("牵头单位", 0.19, "left"),
                        Column("属地单位", 0.18, "left"),
                        Column("责任人", 0.10),
                        Column("分管领导", 0.13),
                    ],
                    rows=table_rows,
                    strong_rows=set(range(len(table_rows))) if members is severe_sorted else set(),
                    strong_cols={2},
                )
            )

    # 四、单位排名 ----------------------------------------------------------------------------------
    h1("责任单位排名")
    units = status.get("units", [])
    if not units:
        blocks.append(Block("p", text="暂无可排名的责任单位。"))
    else:
        blocks.append(
            Block(
                "p",
                text="按牵头单位、属地单位所负责项目的按期推进率由高到低排名，按期推进率相同的，平均滞后天数少者在前。",
            )
        )
        blocks.append(
            Block(
                "table",
                columns=[
                    Column("名次", 0.08),
                    Column("单位", 0.38, "left"),
                    Column("项目数", 0.12),
                    Column("按期推进\n项目数", 0.14),
                    Column("按期率", 0.13),
                    Column("平均滞后\n天数", 0.15),
                ],
                rows=[
                    [
                        str(i + 1),
                        u["unit"],
                        str(u["projects"]),
                        str(u["on_time"]),
                        pct_text(u["on_time_share"]),
                        num_text(u["avg_lag"]),
                    ]
                    for i, u in enumerate(units)
                ],
            )
        )
        if "units" in charts:
            blocks.append(
                Block(
                    "image",
                    image=charts["units"],
                    image_name="units.png",
                    width_mm=150,
                    caption="图2  各责任单位项目按期推进率",
                )
            )

    # 五、进度报送情况 ------------------------------------------------------------------------------
    h1("进度报送情况")
    if not missing:
        blocks.append(Block("p", text=f"截至{date_text}，各项目均已在近7日内报送进度。"))
    else:
        blocks.append(
            Block(
                "p",
                text=f"截至{date_text}，以下{len(missing)}个项目近7日内未报送（或报送未获通过）进度，请抓紧补报：",
            )
        )
        missing_sorted = sorted(missing, key=lambda r: r["code"])
        blocks.append(
            Block(
                "table",
                columns=[
                    Column("序号", 0.07),
                    Column("项目名称", 0.41, "left"),
                    Column("牵头单位", 0.27, "left"),
                    Column("属地单位", 0.25, "left"),
                ],
                rows=[
                    [
                        str(i + 1),
                        _project_name(projects.get(r["code"]), r["code"], r),
                        projects[r["code"]].lead_unit if r["code"] in projects else "—",
                        _units(projects[r["code"]].territorial_units) if r["code"] in projects else "—",
                    ]
                    for i, r in enumerate(missing_sorted)
                ],
            )
        )

    # 六、需区领导协调的问题 -------------------------------------------------------------------------
    h1("需区级领导协调解决的问题")
    if not problems:
        blocks.append(Block("p", text="目前没有上报至分管区领导及以上层级的问题。"))
    else:
        blocks.append(
            Block(
                "p",
                text=f"以下{len(problems)}个问题经逐级协调仍未解决，已上报至分管区领导及以上层级，请有关领导协调解决：",
            )
        )
        blocks.append(
            Block(
                "table",
                columns=[
                    Column("序号", 0.07),
                    Column("项目", 0.15, "left"),
                    Column("类型", 0.07),
                    Column("问题描述", 0.27, "left"),
                    Column("责任单位", 0.14, "left"),
                    Column("当前层级", 0.15),
                    Column("上报日期", 0.15),
                ],
                rows=[
                    [
                        str(i + 1),
                        p.get("project") or "—",
                        p.get("type") or "—",
                        p.get("description") or "",
                        p.get("owner") or "—",
                        p.get("level") or "—",
                        short_date(p.get("since")),
                    ]
                    for i, p in enumerate(problems)
                ],
            )
        )

    # 七、督办事项预警 ------------------------------------------------------------------------------
    h1("督办事项预警情况")
    warned = sorted(items, key=lambda it: (0 if it["warning"] == "red" else 1, it.get("deadline") or as_of))
    if not warned:
        blocks.append(Block("p", text="目前没有被亮黄牌或红牌的督办事项。"))
    else:
        reds = sum(1 for it in warned if it["warning"] == "red")
        blocks.append(
            Block(
                "p",
                text=(
                    f"截至{date_text}，逾期未办结的督办事项{len(warned)}项，其中红牌{reds}项、"
                    f"黄牌{len(warned) - reds}项，请承办单位立即办理并报送办理情况："
                ),
            )
        )
        blocks.append(
            Block(
                "table",
                columns=[
                    Column("序号", 0.07),
                    Column("督办事项", 0.44, "left"),
                    Column("承办单位", 0.24, "left"),
                    Column("办结时限", 0.15),
                    Column("预警", 0.10),
                ],
                rows=[
                    [
                        str(i + 1),
                        it["title"],
                        it.get("assignees") or "—",
                        short_date(it.get("deadline")),
                        WARNING_LABELS[it["warning"]],
                    ]
                    for i, it in enumerate(warned)
                ],
                strong_rows={i for i, it in enumerate(warned) if it["warning"] == "red"},
                strong_cols={4},
            )
        )

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


def project_counts_by_status(status: dict) -> dict[str, dict[str, int]]:
    """Per project type, the count per status label (for the chart), from the overview summary."""
    out = {}
    for type_key in TYPE_ORDER:
        s = status.get("summary", {}).get(type_key)
        if not s:
            continue
        out[TYPE_NOUN[type_key]] = {
            "已竣工": s["completed"],
            "在建": s["under_construction"],
            "未开工": s["not_started"],
            "暂停": s["suspended"],
        }
    return out
