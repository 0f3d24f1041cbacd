"""Importing a correct ledger: creation, upsert with the change log, people, dry run."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from tests.projects.ledger.helpers import NEW_INDICATORS, NEW_PROJECT, NEW_UNIT, counts, write_ledger
from tiaodu.core.audit import history_for
from tiaodu.core.models import ChangeRecord
from tiaodu.orgs.models import Person, Unit, UnitType
from tiaodu.projects.ledger import ledger_import
from tiaodu.projects.models import Indicator, Project, ProjectStatus, ProjectType

ZD001 = {
    "项目编号": "ZD-001",
    "项目名称": "北园大街道路拓宽及两侧整治（一期）",
    "项目类型": "重点建设",
    "项目类别": "道路",
    "牵头单位": "北园大街改造指挥部",
    "属地单位": "北园街道、泺口街道",
    "分管领导": "王区长",
    "责任人": "赵指挥",
    "计划开工": datetime.date(2026, 3, 1),
    "计划完工": datetime.date(2027, 6, 30),
    "完成时限": datetime.date(2027, 8, 31),
    "总投资(万元)": 60000,
    "建设内容": "",
    "状态": "在建",
}


def test_it_creates_units_projects_indicators_and_people(district, tmp_path):
    office = district.users["office"]
    units = [
        {
            "单位名称": "堤口路街道",
            "单位类型": "街道办事处",
            "上级单位": "堤口路改造指挥部",
        },  # parent further down
        dict(NEW_UNIT),
    ]
    project = dict(
        NEW_PROJECT, 牵头单位="堤口路改造指挥部", 属地单位="堤口路街道、北园街道", 完成时限="2027-01-31"
    )
    second = dict(
        NEW_PROJECT, 项目编号="ZD-101", 牵头单位="区建设局", 属地单位="泺口街道", 责任人="李新", 分管领导=""
    )
    path = write_ledger(
        tmp_path / "l.xlsx", units=units, projects=[project, second], indicators=NEW_INDICATORS
    )
    result = ledger_import(user=office, path_or_file=path)
    assert result.ok and result.written
    assert result.counts == {
        "units_created": 2,
        "units_updated": 0,
        "units_unchanged": 0,
        "projects_created": 2,
        "projects_updated": 0,
        "projects_unchanged": 0,
        "indicators_created": 2,
        "indicators_updated": 0,
        "indicators_unchanged": 0,
        "people_created": 1,
        "shares_created": 0,
        "shares_updated": 0,
        "shares_deleted": 0,
    }
    hq = Unit.objects.get(name="堤口路改造指挥部")
    street = Unit.objects.get(name="堤口路街道")
    assert (hq.type, hq.parent.name) == (UnitType.HEADQUARTERS, "区委区政府")
    assert (street.type, street.parent) == (UnitType.STREET, hq)

    p = Project.objects.get(code="ZD-100")
    assert p.name == "堤口路改造" and p.type == ProjectType.KEY_CONSTRUCTION and p.category.name == "道路"
    assert p.lead_unit == hq
    assert sorted(u.name for u in p.territorial_units.all()) == ["北园街道", "堤口路街道"]
    assert p.planned_start == datetime.date(2026, 4, 1) and p.deadline == datetime.date(2027, 1, 31)
    assert p.total_investment == Decimal("1000") and p.status == ProjectStatus.NOT_STARTED
    assert p.longitude == Decimal("116.98") and p.latitude == Decimal("36.68")
    # 王区长 exists once in the district (in 区委区政府): used, not created again.
    assert p.supervising_leader == district.people["leader"]
    # 李新 is unknown: created once, in the lead unit of the first project naming him, and reused.
    assert p.responsible_person.name == "李新" and p.responsible_person.unit == hq
    other = Project.objects.get(code="ZD-101")
    assert other.responsible_person == p.responsible_person and other.supervising_leader is None
    assert Person.objects.filter(name="李新").count() == 1
    assert [(i.name, i.unit_of_measure, i.target, i.sort_order) for i in p.indicators.all()] == [
        ("道路长度", "km", Decimal("2.500"), 1),
        ("拆迁面积", "m²", Decimal("8000.000"), 2),
    ]

    # One change record per object, source "import", the importing user; indicators under their project.
    records = ChangeRecord.objects.filter(source="import")
    assert records.count() == 2 + 1 + 2 + 2
    assert set(records.values_list("user", flat=True)) == {office.pk}
    created = records.get(object_id=p.pk, content_type=ContentType.objects.get_for_model(Project))
    assert created.action == "create"
    assert created.changes["属地单位"] == ["", "北园街道、堤口路街道"]
    assert created.changes["责任人"] == ["", "李新"]
    assert [r.object_repr for r in history_for(p) if r.content_type.model == "indicator"] == [
        "拆迁面积（m²）",
        "道路长度（km）",
    ]
    person_record = records.get(content_type=ContentType.objects.get_for_model(Person))
    assert person_record.changes == {"姓名": ["", "李新"], "单位": ["", "堤口路改造指挥部"]}


def test_it_updates_an_existing_project_and_logs_old_and_new(district, tmp_path):
    admin = district.users["admin"]
    project = district.project
    indicators = [{"项目编号": "ZD-001", "指标名称": "拆迁面积", "计量单位": "m²", "目标值": 125000}]
    path = write_ledger(tmp_path / "l.xlsx", projects=[ZD001], indicators=indicators)
    result = ledger_import(user=admin, path_or_file=path)
    assert result.ok
    assert result.counts["projects_updated"] == 1 and result.counts["indicators_updated"] == 1

    project.refresh_from_db()
    assert project.name == "北园大街道路拓宽及两侧整治（一期）"
    assert project.status == ProjectStatus.UNDER_CONSTRUCTION
    assert project.total_investment == Decimal("60000")
    assert sorted(u.name for u in project.territorial_units.all()) == ["北园街道", "泺口街道"]
    assert [u.name for u in project.supporting_units.all()] == ["区建设局"]  # not in the ledger: untouched
    assert project.indicators.get().target == Decimal("125000")

    history = list(history_for(project))
    assert len(history) == 2
    project_record = next(r for r in history if r.content_type.model == "project")
    assert project_record.action == "update"
    assert project_record.source == "import" and project_record.user == admin
    assert project_record.changes == {
        "项目名称": ["北园大街道路拓宽及两侧整治", "北园大街道路拓宽及两侧整治（一期）"],
        "属地单位": ["北园街道", "北园街道、泺口街道"],
        "总投资(万元)": ["52000", "60000"],
        "状态": ["未开工", "在建"],
    }
    indicator_record = next(r for r in history if r.content_type.model == "indicator")
    assert indicator_record.changes == {"目标值": ["120000", "125000"]}
    assert indicator_record.parent_id == project.pk and indicator_record.user == admin

    # The same file again: nothing changes, nothing is logged.
    before = counts()
    again = ledger_import(user=admin, path_or_file=path)
    assert again.ok and not again.changed
    assert counts() == before


def test_it_skips_status_steps_when_reachable(district, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", projects=[dict(ZD001, 状态="已验收")])
    assert ledger_import(user=district.users["admin"], path_or_file=path).ok
    assert Project.objects.get(code="ZD-001").status == ProjectStatus.ACCEPTED


def test_it_updates_units_by_name(district, tmp_path):
    units = [{"单位名称": "区建设局", "单位类型": "区直部门", "上级单位": "领导小组办公室"}]
    path = write_ledger(tmp_path / "l.xlsx", units=units)
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert result.counts["units_updated"] == 1
    dept = Unit.objects.get(name="区建设局")
    assert dept.parent == district.units["office"]
    record = history_for(dept).get()
    assert record.changes == {"上级单位": ["区委区政府", "领导小组办公室"]}


def test_it_reads_numeric_codes_stripped_text_and_skips_blank_rows(district, tmp_path):
    project = dict(NEW_PROJECT, 项目编号=101.0, 项目名称="  堤口路改造  ", 属地单位=" 北园街道 、 泺口街道 ")
    path = write_ledger(
        tmp_path / "l.xlsx",
        projects=[project, {}, {"项目名称": "   "}],
        indicators=[dict(NEW_INDICATORS[0], 项目编号=101), ["", None, "  "]],
    )
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert result.ok, [str(e) for e in result.errors]
    p = Project.objects.get(code="101")
    assert p.name == "堤口路改造"
    assert sorted(u.name for u in p.territorial_units.all()) == ["北园街道", "泺口街道"]
    assert p.indicators.count() == 1


def test_a_dry_run_plans_but_writes_nothing(district, tmp_path):
    path = write_ledger(
        tmp_path / "l.xlsx", units=[NEW_UNIT], projects=[NEW_PROJECT, ZD001], indicators=NEW_INDICATORS
    )
    before = counts()
    result = ledger_import(user=district.users["admin"], path_or_file=path, dry_run=True)
    assert result.ok and not result.written
    assert counts() == before
    assert result.counts["projects_created"] == 1 and result.counts["projects_updated"] == 1
    assert result.new_people == [{"name": "李新", "unit": "北园大街改造指挥部"}]
    update = result.changes["project"][1]
    assert update["object"] == "ZD-001 北园大街道路拓宽及两侧整治（一期）" and update["action"] == "修改"
    assert update["changes"]["状态"] == ["未开工", "在建"]


def test_the_command_dry_run_prints_the_plan(district, tmp_path, capsys):
    path = write_ledger(tmp_path / "l.xlsx", projects=[NEW_PROJECT, ZD001], indicators=NEW_INDICATORS)
    before = counts()
    call_command("import_ledger", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert counts() == before
    assert "检查通过（预览，未写入任何数据）：" in out
    assert "项目：新建 1 个，更新 1 个，未变 0 个" in out
    assert "目标指标：新建 2 个，更新 0 个，未变 1 个" not in out  # ZD-001's indicator is not in the file
    assert "[项目·修改] ZD-001 北园大街道路拓宽及两侧整治（一期）" in out
    assert "状态：未开工 → 在建" in out
    assert "将新建的人员：李新（北园大街改造指挥部）" in out


def test_the_command_imports_as_the_named_user(district, tmp_path, capsys):
    path = write_ledger(tmp_path / "l.xlsx", projects=[NEW_PROJECT], indicators=NEW_INDICATORS)
    call_command("import_ledger", str(path), "--user", "office")
    out = capsys.readouterr().out
    assert "导入完成：" in out and "项目：新建 1 个" in out
    assert set(ChangeRecord.objects.filter(source="import").values_list("user_name", flat=True)) == {"office"}
    assert Indicator.objects.filter(project__code="ZD-100").count() == 2
