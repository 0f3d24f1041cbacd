import datetime

import pytest
from openpyxl import Workbook

HEADERS = ["任务编号", "任务名称", "工期(工作日)", "紧前任务", "关联指标", "工程量"]


def write_plan(path, rows, headers=HEADERS, sheet="计划"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def plan_file(tmp_path):
    def make(rows, **kwargs):
        return write_plan(tmp_path / "plan.xlsx", rows, **kwargs)

    return make


@pytest.fixture
def national_day(district):
    """ZD-001 with the hand-computed National Day network (see test_engine_calendar.py)."""
    from tiaodu.scheduling.engine import Link
    from tiaodu.scheduling.importers import ImportedTask
    from tiaodu.scheduling.services import tasks_replace

    project = district.project
    project.planned_start = datetime.date(2026, 9, 28)
    project.deadline = datetime.date(2026, 10, 16)
    project.save()
    indicator = project.indicators.get()
    rows = [
        ImportedTask(1, "A", "征收拆迁", 4, [], indicator, 400),
        ImportedTask(2, "B", "道路施工", 3, [Link("A", "FS", 2)], indicator, 300),
        ImportedTask(3, "C", "管线迁改", 2, [Link("A", "FS", -1)]),
        ImportedTask(4, "M", "竣工验收", 0, [Link("B"), Link("C")]),
    ]
    tasks_replace(user=district.users["hq"], project=project, tasks=rows, filename="", source="web")
    return project
