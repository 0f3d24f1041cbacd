"""The security audit log as an .xlsx workbook. Every value is written as text (never as a formula):
a user name such as `=HYPERLINK(...)` typed at the sign-in page reaches the auditor's Excel inert."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook

from tiaodu.core.xlsx import cell_value, text_cell

EXPORT_MAX_ROWS = 200_000
HEADERS = ["时间", "类型", "用户名", "IP地址", "对象", "详情", "浏览器"]
WIDTHS = [20, 14, 16, 18, 40, 60, 40]


def _text_cell(sheet, value):
    return text_cell(sheet, cell_value(str(value or "")))  # text, even when it begins with = + - @ tab or CR


def events_workbook(events, output) -> int:
    """Write the events (a queryset, newest first) into `output`; returns how many rows were written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("安全审计日志")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([_text_cell(sheet, h) for h in HEADERS])
    count = 0
    for event in events.order_by("-at", "-id")[:EXPORT_MAX_ROWS].iterator(chunk_size=2000):
        at = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")
        row = [at, event.get_kind_display(), event.username, event.ip_address, event.target, event.detail]
        sheet.append([_text_cell(sheet, v) for v in [*row, event.user_agent]])
        count += 1
    book.save(output)
    return count
