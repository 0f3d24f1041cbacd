"""manage.py check_data finds rows written behind the rules' back, and --fix cleans them."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tiaodu.core.models import ChangeRecord
from tiaodu.projects.models import Indicator, Project
from tiaodu.supervision.models import Meeting


def _run(*args) -> tuple[str, bool]:
    out = io.StringIO()
    try:
        call_command("check_data", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue() + str(exc), False
    return out.getvalue(), True


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_it_reports_a_clean_database(district):
    out, ok = _run()
    assert ok and "未发现问题数据" in out


@pytest.mark.django_db
def test_it_finds_and_fixes_an_old_control_character_and_bad_dates(district):
    indicator = Indicator.objects.get(project=district.project)
    _raw(f"UPDATE {Indicator._meta.db_table} SET name = %s WHERE id = %s", ["拆迁\x01面积", indicator.pk])
    _raw(
        f"UPDATE {Project._meta.db_table} SET planned_start = %s WHERE id = %s",
        ["0001-01-01", district.other.pk],
    )
    meeting = Meeting.objects.create(date="2026-06-04")
    _raw(f"UPDATE {Meeting._meta.db_table} SET date = %s WHERE id = %s", ["9999-12-31", meeting.pk])

    out, ok = _run()
    assert not ok
    assert f"projects.Indicator #{indicator.pk} name: 「指标名称」含有不可见的控制字符（U+0001）" in out
    assert (
        f"projects.Project #{district.other.pk} planned_start: 「计划开工」须在1900-01-01至2100-12-31之间"
        in out
    )
    assert f"supervision.Meeting #{meeting.pk} date:" in out
    assert "仍有3处问题数据" in out

    out, ok = _run("--fix")
    assert not ok  # the meeting's date is required: a person must decide it
    assert "已清除控制字符" in out and "已置空" in out and "需人工处理" in out
    assert Indicator.objects.get(pk=indicator.pk).name == "拆迁面积"
    assert Project.objects.get(pk=district.other.pk).planned_start is None
    assert ChangeRecord.objects.filter(source="check_data").count() == 2

    out, ok = _run()
    assert not ok and "仍有1处问题数据" in out and "supervision.Meeting" in out
