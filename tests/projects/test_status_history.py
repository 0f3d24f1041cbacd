"""The status history: every status a project is given is kept with its date, by the services and the
ledger import, so a figure can ask for the status at the end of a month (the investment new starts)."""

import datetime

import time_machine

from tests.projects.ledger.helpers import write_ledger
from tests.projects.ledger.test_import import ZD001
from tiaodu.projects.ledger import ledger_import
from tiaodu.projects.models import Project, ProjectStatus, ProjectStatusChange
from tiaodu.projects.services import project_change_status, project_create, project_update


def _history(code):
    return list(
        ProjectStatusChange.objects.filter(project__code=code)
        .order_by("date", "id")
        .values_list("date", "status", "user__username")
    )


def test_it_records_a_new_projects_first_status_and_each_change_with_who_and_when(district):
    office = district.users["office"]
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, tzinfo=datetime.UTC)):
        project = project_create(
            user=office,
            data={
                "code": "ZD-090",
                "name": "新建学校",
                "type": "key_construction",
                "category": district.project.category,
                "lead_unit": district.units["hq"],
                "territorial_units": [district.units["street"]],
            },
        )
    with time_machine.travel(datetime.datetime(2026, 4, 3, 9, tzinfo=datetime.UTC)):
        project_change_status(user=office, project=project, status=ProjectStatus.UNDER_CONSTRUCTION)
    with time_machine.travel(datetime.datetime(2026, 5, 6, 9, tzinfo=datetime.UTC)):
        # A change of something else keeps the history as it is.
        project_update(user=office, project=project, data={"name": "新建学校（一期）"})
    assert _history("ZD-090") == [
        (datetime.date(2026, 2, 10), ProjectStatus.NOT_STARTED, "office"),
        (datetime.date(2026, 4, 3), ProjectStatus.UNDER_CONSTRUCTION, "office"),
    ]


def test_the_ledger_records_new_projects_and_changed_statuses_only(district, tmp_path):
    admin = district.users["admin"]
    new = dict(ZD001, 项目编号="ZD-091", 项目名称="新建公园", 状态="未开工")
    path = write_ledger(tmp_path / "a.xlsx", projects=[dict(ZD001, 状态="在建"), new])
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)):
        assert ledger_import(user=admin, path_or_file=path).ok
    assert _history("ZD-001") == [(datetime.date(2026, 6, 1), ProjectStatus.UNDER_CONSTRUCTION, "admin")]
    assert _history("ZD-091") == [(datetime.date(2026, 6, 1), ProjectStatus.NOT_STARTED, "admin")]
    # The same ledger again changes no status and records nothing; a changed status is recorded.
    with time_machine.travel(datetime.datetime(2026, 7, 1, 9, tzinfo=datetime.UTC)):
        assert ledger_import(user=admin, path_or_file=path).ok
        again = write_ledger(tmp_path / "b.xlsx", projects=[dict(ZD001, 状态="在建"), dict(new, 状态="在建")])
        assert ledger_import(user=admin, path_or_file=again).ok
    assert _history("ZD-001") == [(datetime.date(2026, 6, 1), ProjectStatus.UNDER_CONSTRUCTION, "admin")]
    assert _history("ZD-091")[-1] == (datetime.date(2026, 7, 1), ProjectStatus.UNDER_CONSTRUCTION, "admin")
    assert Project.objects.get(code="ZD-091").status == ProjectStatus.UNDER_CONSTRUCTION
