"""One system actor: commands without --user, the sweep, the weekly briefing and the demo act as SYSTEM,
which sees everything, is stored as nobody and is written 系统 in the change log."""

import io

import pytest
from django.core.management import CommandError, call_command

from tiaodu.core.actors import SYSTEM, command_user, stored_user
from tiaodu.core.audit import build_record, snapshot
from tiaodu.projects.selectors import project_list


def test_it_sees_every_project_and_is_stored_as_nobody(district):
    assert set(project_list(user=SYSTEM)) == {district.project, district.other}
    assert stored_user(SYSTEM) is None and stored_user(district.users["hq"]) == district.users["hq"]
    unit = district.units["dept"]
    before = snapshot(unit, ["name"])
    unit.name = "区住建局"
    record = build_record(obj=unit, before=before, after=snapshot(unit, ["name"]), user=SYSTEM)
    assert record.user is None and record.user_name == "系统"


def test_it_makes_commands_act_as_the_system_unless_a_user_is_named(district):
    assert command_user(None) is SYSTEM and command_user("") is SYSTEM
    assert command_user("hq") == district.users["hq"]
    with pytest.raises(CommandError, match="用户不存在：nobody"):
        command_user("nobody")


def test_it_logs_a_schedule_import_without_user_as_the_system(district, tmp_path):
    from tests.scheduling.conftest import write_plan
    from tiaodu.core.models import ChangeRecord

    path = write_plan(tmp_path / "plan.xlsx", [["A", "拆迁", 10, ""], ["B", "路基", 20, "A"]])
    call_command("import_schedule", "ZD-001", str(path), stdout=io.StringIO())
    record = ChangeRecord.objects.filter(source="command").latest("id")
    assert record.user is None and record.user_name == "系统"
