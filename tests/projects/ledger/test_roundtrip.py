"""Round trips: export then import changes nothing; import then export gives the same cells back."""

import datetime
from decimal import Decimal

from openpyxl import load_workbook

from tests.projects.ledger.helpers import counts, read_ledger, write_ledger
from tiaodu.orgs.models import Person
from tiaodu.projects.ledger import ledger_import
from tiaodu.projects.models import Indicator, Project, ProjectStatus
from tiaodu.scheduling.ledger_sheet import full_ledger_export


def test_export_then_import_changes_nothing(district, tmp_path):
    project = district.project
    project.longitude, project.latitude = Decimal("117.012345"), Decimal("36.687654")
    project.description = "北园大街西段拓宽；\n两侧立面整治"
    project.status = ProjectStatus.SUSPENDED
    project.save()
    project.territorial_units.add(district.units["street2"])
    Indicator.objects.create(project=project, name="道路长度", unit_of_measure="km", target=Decimal("2.125"))
    Indicator.objects.create(
        project=district.other, name="清淤", unit_of_measure="m³", target=Decimal("111000")
    )
    # A responsible person outside the lead unit whose name is also used elsewhere: kept as is.
    twin = Person.objects.create(name="钱主任", unit=district.units["dept"])
    assert twin.name == district.people["street"].name
    Project.objects.filter(pk=district.other.pk).update(responsible_person=district.people["street"])

    path = tmp_path / "export.xlsx"
    assert full_ledger_export(user=None, path_or_file=path) == {
        "units": 8,
        "projects": 2,
        "indicators": 3,
        "shares": 0,
        "funding_plan_rows": 0,
        "annual_plan_rows": 0,
        "arrival_rows": 0,
        "period_plan_rows": 0,
    }
    before = counts()
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert result.ok, [str(e) for e in result.errors]
    assert result.written and not result.changed
    assert result.records == 0
    assert counts() == before
    assert result.counts == {
        "units_created": 0,
        "units_updated": 0,
        "units_unchanged": 8,
        "projects_created": 0,
        "projects_updated": 0,
        "projects_unchanged": 2,
        "indicators_created": 0,
        "indicators_updated": 0,
        "indicators_unchanged": 3,
        "people_created": 0,
        "shares_created": 0,
        "shares_updated": 0,
        "shares_deleted": 0,
    }


def test_import_then_export_gives_the_same_cells(db, tmp_path):
    units = [
        ["区委区政府", "区委区政府", None],
        ["小清河综合治理指挥部", "指挥部", "区委区政府"],
        ["区建设局", "区直部门", "区委区政府"],
        ["北园街道", "街道办事处", "区委区政府"],
        ["泺口街道", "街道办事处", None],
    ]
    projects = [
        [
            "XM-001",
            "小清河综合治理",
            "重点建设",
            "河道",
            "小清河综合治理指挥部",
            "泺口街道、北园街道",
            "王区长",
            "孙工",
            datetime.date(2026, 1, 5),
            datetime.date(2027, 5, 31),
            datetime.date(2027, 8, 31),
            180000.5,
            "清淤11.1万立方米",
            "在建",
            117.001234,
            36.712345,
        ],
        [
            "XM-002",
            "北园大街亮化",
            "综合整治",
            "亮化",
            "区建设局",
            "北园街道",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "未开工",
            None,
            None,
        ],
        [
            "XM-003",
            "平改坡（一期）",
            "综合整治",
            "平改坡",
            "区建设局",
            "北园街道",
            "王区长",
            "李新",
            datetime.date(2026, 3, 1),
            datetime.date(2026, 3, 1),
            datetime.date(2026, 10, 1),
            0,
            None,
            "已竣工",
            -0.5,
            0,
        ],
    ]
    indicators = [
        ["XM-001", "清淤", "m³", 111000],
        ["XM-001", "拆迁面积", "m²", 180000.125],
        ["XM-003", "改造栋数", "栋", 36],
    ]
    source = write_ledger(tmp_path / "in.xlsx", units=units, projects=projects, indicators=indicators)
    result = ledger_import(user=None, path_or_file=source)
    assert result.ok, [str(e) for e in result.errors]
    exported = tmp_path / "out.xlsx"
    full_ledger_export(user=None, path_or_file=exported)
    assert read_ledger(exported) == read_ledger(source)


def test_the_export_is_styled_for_people(district, tmp_path):
    path = tmp_path / "export.xlsx"
    full_ledger_export(user=None, path_or_file=path)
    book = load_workbook(path)
    assert book.sheetnames == [
        "单位",
        "项目",
        "目标指标",
        "属地分解",
        "资金计划",
        "年度计划",
        "资金到位",
        "进度计划",
    ]
    ws = book["项目"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b is True
    assert ws.column_dimensions["B"].width >= 30
    row = {ws.cell(1, c).value: ws.cell(2, c) for c in range(1, ws.max_column + 1)}
    assert (
        row["计划开工"].value == datetime.datetime(2026, 3, 1)
        and row["计划开工"].number_format == "yyyy-mm-dd"
    )
    assert row["总投资(万元)"].value == 52000 and isinstance(row["总投资(万元)"].value, int)
    assert row["属地单位"].value == "北园街道"
    assert row["分管领导"].value == "王区长" and row["状态"].value == "未开工"
