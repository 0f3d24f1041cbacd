"""Chinese words for mpxj's enum constants and durations that reach the planner in import notes."""

from __future__ import annotations

CONSTRAINT_LABELS = {
    "AS_SOON_AS_POSSIBLE": "越早越好",
    "AS_LATE_AS_POSSIBLE": "越晚越好",
    "START_NO_EARLIER_THAN": "不得早于…开始",
    "START_NO_LATER_THAN": "不得晚于…开始",
    "FINISH_NO_EARLIER_THAN": "不得早于…完成",
    "FINISH_NO_LATER_THAN": "不得晚于…完成",
    "MUST_START_ON": "必须开始于",
    "MUST_FINISH_ON": "必须完成于",
    "START_ON": "开始于",
    "FINISH_ON": "完成于",
}
LAG_CALENDAR_LABELS = {
    "PREDECESSOR": "紧前作业日历",
    "SUCCESSOR": "后续作业日历",
    "PROJECT_DEFAULT": "项目默认日历",
    "TWENTY_FOUR_HOUR": "24小时日历",
}
SLACK_LABELS = {"START_SLACK": "开始浮时", "FINISH_SLACK": "完成浮时", "SMALLEST_SLACK": "最小浮时"}
UNIT_LABELS = {
    "MINUTES": "分钟",
    "HOURS": "小时",
    "DAYS": "天",
    "WEEKS": "周",
    "MONTHS": "月",
    "YEARS": "年",
    "PERCENT": "%",
    "ELAPSED_MINUTES": "分钟（日历时间）",
    "ELAPSED_HOURS": "小时（日历时间）",
    "ELAPSED_DAYS": "天（日历时间）",
    "ELAPSED_WEEKS": "周（日历时间）",
    "ELAPSED_MONTHS": "月（日历时间）",
    "ELAPSED_YEARS": "年（日历时间）",
    "ELAPSED_PERCENT": "%（日历时间）",
}


def label(labels: dict[str, str], name: str) -> str:
    """The Chinese word for an enum constant's name; an unknown one as 「其他设置」."""
    return labels.get(name, "其他设置")


def duration_text(value: float, unit: str) -> str:
    """2天, 0.5小时: an mpxj Duration's amount and unit name in Chinese."""
    return f"{value:g}{UNIT_LABELS.get(unit, '天')}"


def calendar_label(name: str, uid) -> str:
    """A calendar as the planner knows it; an unnamed one by its number."""
    return name.strip() or f"未命名日历（编号{uid}）"
