"""Every kind of ledger error: the message names sheet, row and column, and nothing is written."""

import copy
import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.projects.ledger.helpers import NEW_INDICATORS, NEW_PROJECT, NEW_UNIT, counts, write_ledger
from tiaodu.orgs.models import Person
from tiaodu.projects.ledger import ledger_import
from tiaodu.projects.models import Project, ProjectStatus


def _case(units=None, projects=None, indicators=None):
    """Base rows (a new unit, a new project with two indicators) changed by the given callables."""
    u = [dict(NEW_UNIT)]
    p = [dict(NEW_PROJECT)]
    i = copy.deepcopy(NEW_INDICATORS)
    for rows, change in ((u, units), (p, projects), (i, indicators)):
        if change:
            change(rows)
    return u, p, i


def _set(**values):
    def change(rows):
        rows[0].update(values)

    return change


def _append(**values):
    def change(rows):
        rows.append(dict(rows[0], **values))

    return change


CASES = {
    "required": (_case(projects=_set(项目名称="  ")), ["工作表「项目」第2行「项目名称」：不能为空"]),
    "required_territorial": (
        _case(projects=_set(属地单位=None)),
        ["工作表「项目」第2行「属地单位」：不能为空"],
    ),
    "required_status": (_case(projects=_set(状态=None)), ["工作表「项目」第2行「状态」：不能为空"]),
    "unknown_lead_unit": (
        _case(projects=_set(牵头单位="火星指挥部")),
        ["工作表「项目」第2行「牵头单位」：未知的单位「火星指挥部」"],
    ),
    "unknown_territorial_unit": (
        _case(projects=_set(属地单位="北园街道、火星街道")),
        ["工作表「项目」第2行「属地单位」：未知的单位「火星街道」"],
    ),
    "unknown_type": (
        _case(projects=_set(项目类型="重点")),
        ["工作表「项目」第2行「项目类型」：未知的项目类型「重点」（应为：重点建设、综合整治）"],
    ),
    "unknown_category": (
        _case(projects=_set(项目类别="桥梁")),
        [
            "工作表「项目」第2行「项目类别」：未知的项目类别「桥梁」（现有类别：道路、河道、棚户区改造、拆违、平改坡、小区整治、亮化、绿化、其他）"
        ],
    ),
    "unknown_status": (
        _case(projects=_set(状态="完工")),
        ["工作表「项目」第2行「状态」：未知的状态「完工」（应为：未开工、在建、已竣工、已验收、暂停）"],
    ),
    "bad_date_text": (
        _case(projects=_set(计划开工="2026-13-01")),
        ["工作表「项目」第2行「计划开工」：日期无效「2026-13-01」"],
    ),
    "bad_date_format": (
        _case(projects=_set(完成时限="明年五月")),
        ["工作表「项目」第2行「完成时限」：日期无效「明年五月」"],
    ),
    "finish_before_start": (
        _case(projects=_set(计划完工=datetime.date(2026, 1, 1))),
        ["工作表「项目」第2行「计划完工」：计划完工「2026-01-01」早于计划开工「2026-04-01」"],
    ),
    "negative_money": (
        _case(projects=_set(**{"总投资(万元)": -5})),
        ["工作表「项目」第2行「总投资(万元)」：不能为负数「-5」"],
    ),
    "non_numeric_money": (
        _case(projects=_set(**{"总投资(万元)": "很多"})),
        ["工作表「项目」第2行「总投资(万元)」：不是有效的数字「很多」"],
    ),
    "duplicate_code": (
        _case(projects=_append(项目名称="另一个")),
        ["工作表「项目」第3行「项目编号」：项目编号「ZD-100」重复（第2行已出现）"],
    ),
    "longitude_out_of_range": (
        _case(projects=_set(经度=200)),
        ["工作表「项目」第2行「经度」：超出范围（-180～180）「200」"],
    ),
    "latitude_out_of_range": (
        _case(projects=_set(纬度=-95.5)),
        ["工作表「项目」第2行「纬度」：超出范围（-90～90）「-95.5」"],
    ),
    "longitude_without_latitude": (
        _case(projects=_set(纬度=None)),
        ["工作表「项目」第2行「纬度」：经度和纬度须同时填写"],
    ),
    "indicator_unknown_project": (
        _case(indicators=_append(项目编号="ZD-999")),
        ["工作表「目标指标」第4行「项目编号」：未知的项目编号「ZD-999」（「项目」工作表和系统中都没有）"],
    ),
    "indicator_duplicate": (
        _case(indicators=_append(目标值=3)),
        ["工作表「目标指标」第4行「指标名称」：项目「ZD-100」的指标「道路长度」重复（第2行已出现）"],
    ),
    "target_zero": (_case(indicators=_set(目标值=0)), ["工作表「目标指标」第2行「目标值」：须大于0「0」"]),
    "target_negative": (
        _case(indicators=_set(目标值=-3)),
        ["工作表「目标指标」第2行「目标值」：须大于0「-3」"],
    ),
    "target_not_numeric": (
        _case(indicators=_set(目标值="两公里")),
        ["工作表「目标指标」第2行「目标值」：不是有效的数字「两公里」"],
    ),
    "target_missing": (_case(indicators=_set(目标值=None)), ["工作表「目标指标」第2行「目标值」：不能为空"]),
    "indicator_uom_missing": (
        _case(indicators=_set(计量单位="")),
        ["工作表「目标指标」第2行「计量单位」：不能为空"],
    ),
    "unit_type_unknown": (
        _case(units=_set(单位类型="公司")),
        [
            "工作表「单位」第2行「单位类型」：未知的单位类型「公司」（应为：区委区政府、领导小组办公室、指挥部、街道办事处、区直部门、督查室）"
        ],
    ),
    "unit_parent_unknown": (
        _case(units=_set(上级单位="市政府")),
        ["工作表「单位」第2行「上级单位」：未知的单位「市政府」"],
    ),
    "unit_duplicate": (
        _case(units=_append(单位类型="区直部门")),
        ["工作表「单位」第3行「单位名称」：单位名称「堤口路改造指挥部」重复（第2行已出现）"],
    ),
    "unit_cycle": (
        _case(
            units=lambda rows: rows.extend(
                [
                    {"单位名称": "甲指挥部", "单位类型": "指挥部", "上级单位": "乙指挥部"},
                    {"单位名称": "乙指挥部", "单位类型": "指挥部", "上级单位": "甲指挥部"},
                ]
            )
        ),
        [
            "工作表「单位」第3行「上级单位」：上级单位形成循环：甲指挥部 → 乙指挥部 → 甲指挥部",
            "工作表「单位」第4行「上级单位」：上级单位形成循环：乙指挥部 → 甲指挥部 → 乙指挥部",
        ],
    ),
    "unit_cycle_through_database": (
        # 区委区政府 is the parent of 北园大街改造指挥部 in the database.
        _case(
            units=lambda rows: rows.append(
                {"单位名称": "区委区政府", "单位类型": "区委区政府", "上级单位": "北园大街改造指挥部"}
            )
        ),
        ["工作表「单位」第3行「上级单位」：上级单位形成循环：区委区政府 → 北园大街改造指挥部 → 区委区政府"],
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_it_reports_each_error_and_writes_nothing(district, tmp_path, case):
    (units, projects, indicators), expected = CASES[case]
    path = write_ledger(tmp_path / "ledger.xlsx", units=units, projects=projects, indicators=indicators)
    before = counts()
    result = ledger_import(user=district.users["office"], path_or_file=path)
    assert [str(e) for e in result.errors] == expected
    assert not result.written
    assert counts() == before


def test_it_refuses_an_unreachable_status_change(district, tmp_path):
    Project.objects.filter(pk=district.project.pk).update(status=ProjectStatus.ACCEPTED)
    row = dict(NEW_PROJECT, 项目编号="ZD-001", 牵头单位="北园大街改造指挥部", 状态="在建")
    path = write_ledger(tmp_path / "l.xlsx", projects=[dict(NEW_PROJECT), row])
    before = counts()
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert [str(e) for e in result.errors] == [
        "工作表「项目」第3行「状态」：状态不能从「已验收」改为「在建」"
    ]
    assert counts() == before
    assert Project.objects.get(code="ZD-001").name == "北园大街道路拓宽及两侧整治"


def test_it_refuses_an_ambiguous_person(district, tmp_path):
    Person.objects.create(name="李明", unit=district.units["street"])
    Person.objects.create(name="李明", unit=district.units["dept"])
    path = write_ledger(tmp_path / "l.xlsx", projects=[dict(NEW_PROJECT, 责任人="李明")])
    before = counts()
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert [str(e) for e in result.errors] == [
        "工作表「项目」第2行「责任人」：「李明」在多个单位有同名人员（北园街道、区建设局），"
        "牵头单位「北园大街改造指挥部」中没有此人，无法确定是谁"
    ]
    assert counts() == before


def test_it_lists_every_error_of_the_file(district, tmp_path):
    units, projects, indicators = _case(
        units=_set(单位类型="公司"),
        projects=lambda rows: rows.extend(
            [
                dict(NEW_PROJECT, 项目编号="ZD-101", 计划开工="2026-02-30"),
                dict(NEW_PROJECT, 项目编号="ZD-102", 经度="东经117"),
            ]
        ),
        indicators=_set(目标值=-1),
    )
    path = write_ledger(tmp_path / "l.xlsx", units=units, projects=projects, indicators=indicators)
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert [str(e) for e in result.errors] == [
        "工作表「单位」第2行「单位类型」：未知的单位类型「公司」（应为：区委区政府、领导小组办公室、指挥部、街道办事处、区直部门、督查室）",
        "工作表「项目」第3行「计划开工」：日期无效「2026-02-30」",
        "工作表「项目」第4行「经度」：不是有效的数字「东经117」",
        "工作表「目标指标」第2行「目标值」：须大于0「-1」",
    ]


def test_it_names_a_missing_sheet(district, tmp_path):
    path = write_ledger(tmp_path / "l.xlsx", sheets=["单位", "目标指标"])
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert [str(e) for e in result.errors] == ["缺少工作表「项目」"]


def test_it_names_a_wrong_header(district, tmp_path):
    header = ["项目编号", "项目名称", "类型"]
    path = write_ledger(tmp_path / "l.xlsx", headers={"项目": header})
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert len(result.errors) == 1
    text = str(result.errors[0])
    assert text.startswith(
        "工作表「项目」：表头不正确，第1行应依次为：项目编号 | 项目名称 | 项目类型 | 项目类别"
    )
    assert text.endswith("（第3列应为「项目类型」，实际为「类型」）")


def test_it_rejects_a_file_that_is_not_a_workbook(district, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_text("项目编号,项目名称\nZD-1,道路\n", encoding="utf-8")
    result = ledger_import(user=district.users["admin"], path_or_file=path)
    assert [str(e) for e in result.errors] == [
        "文件不是Excel工作簿（.xlsx），无法读取；请上传用Excel或WPS保存的 .xlsx 文件"
    ]


def test_it_rejects_a_truncated_workbook(district, tmp_path):
    good = write_ledger(tmp_path / "good.xlsx", projects=[NEW_PROJECT])
    data = good.read_bytes()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    result = ledger_import(user=district.users["admin"], path_or_file=bad)
    assert len(result.errors) == 1
    assert "Excel工作簿" in str(result.errors[0])


def test_the_command_prints_every_error_and_fails(district, tmp_path, capsys):
    _units, projects, indicators = _case(projects=_set(计划开工="2026-13-01", 状态="完工"))
    path = write_ledger(tmp_path / "l.xlsx", projects=projects, indicators=indicators)
    before = counts()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_ledger", str(path))
    err = capsys.readouterr().err
    assert "工作表「项目」第2行「计划开工」：日期无效「2026-13-01」\n" in err
    assert "工作表「项目」第2行「状态」：未知的状态「完工」" in err
    assert "台账有 2 处错误，未导入任何数据" in str(excinfo.value)
    assert counts() == before


def test_the_command_exits_with_status_one(tmp_path):
    import os
    import subprocess
    import sys

    path = write_ledger(tmp_path / "l.xlsx", sheets=["单位"])
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_ledger", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],  # the repository root
        timeout=120,
    )
    assert done.returncode == 1
    assert "缺少工作表「项目」" in done.stderr
    assert "缺少工作表「目标指标」" in done.stderr
