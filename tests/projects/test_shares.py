"""Territorial shares of an indicator (条块分工): the rule, the office's service and editor, the ledger sheet."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from python_calamine import CalamineWorkbook

from tests.projects.ledger.helpers import write_ledger
from tiaodu.core.errors import NotAllowed
from tiaodu.core.models import ChangeRecord
from tiaodu.orgs.models import Unit, UnitType
from tiaodu.progress.models import ReportingUnit
from tiaodu.projects import services
from tiaodu.projects.ledger import ledger_export, ledger_import
from tiaodu.projects.models import IndicatorShare, LetterItem, ResponsibilityLetter

pytestmark = pytest.mark.django_db


@pytest.fixture
def split(district):
    """ZD-001 held by 北园街道 and 无影山街道; its 拆迁面积 (120,000 m²) not split yet."""
    wuying = Unit.objects.create(
        name="无影山街道", type=UnitType.STREET, parent=district.units["gov"], sort_order=9
    )
    district.units["wuying"] = wuying
    district.project.territorial_units.add(wuying)
    district.indicator = district.project.indicators.get(name="拆迁面积")
    return district


def shares_of(indicator):
    return {s.unit.name: s.target for s in indicator.shares.select_related("unit")}


def test_the_office_splits_an_indicator_and_the_share_units_become_reporting_units(split):
    d = split
    services.indicator_shares_set(
        user=d.users["office"],
        indicator=d.indicator,
        shares={d.units["street"]: Decimal(48000), d.units["wuying"]: Decimal(72000)},
    )
    assert shares_of(d.indicator) == {"北园街道": 48000, "无影山街道": 72000}
    assert set(ReportingUnit.objects.filter(project=d.project).values_list("unit__name", flat=True)) == {
        "北园街道",
        "无影山街道",
    }
    logged = ChangeRecord.objects.filter(parent_id=d.project.pk, object_repr="拆迁面积·北园街道")
    assert logged.get().changes == {"属地单位": ["", "北园街道"], "分解目标": ["", "48000"]}


def test_shares_that_do_not_sum_to_the_target_are_refused_naming_the_indicator(split):
    d = split
    with pytest.raises(ValidationError) as exc:
        services.indicator_shares_set(
            user=d.users["admin"],
            indicator=d.indicator,
            shares={d.units["street"]: Decimal(48000), d.units["wuying"]: Decimal(66000)},
        )
    assert exc.value.message_dict["shares"] == [
        "指标「拆迁面积」的属地分解合计114,000m²，与目标值120,000m²不符"
    ]
    assert not IndicatorShare.objects.exists()


def test_only_the_office_sets_shares_and_only_for_the_projects_units(split):
    d = split
    for key in ("hq", "street", "leader"):
        with pytest.raises(NotAllowed):
            services.indicator_shares_set(
                user=d.users[key], indicator=d.indicator, shares={d.units["street"]: Decimal(120000)}
            )
    with pytest.raises(ValidationError) as exc:
        services.indicator_shares_set(
            user=d.users["office"], indicator=d.indicator, shares={d.units["street2"]: Decimal(120000)}
        )
    assert "「泺口街道」不是项目「北园大街道路拓宽及两侧整治」的牵头单位或属地单位" in exc.value.messages[0]


def test_a_split_indicators_target_changes_only_together_with_its_shares(split):
    d = split
    services.indicator_shares_set(
        user=d.users["office"],
        indicator=d.indicator,
        shares={d.units["street"]: Decimal(48000), d.units["wuying"]: Decimal(72000)},
    )
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(
            user=d.users["office"], indicator=d.indicator, data={"target": Decimal(126000)}
        )
    assert "指标「拆迁面积」已分解到属地单位，修改目标值须同时修改属地分解" in exc.value.messages[0]
    services.indicator_shares_set(
        user=d.users["office"],
        indicator=d.indicator,
        target=Decimal(126000),
        shares={d.units["street"]: Decimal(42000), d.units["wuying"]: Decimal(84000)},
    )
    d.indicator.refresh_from_db()
    assert d.indicator.target == 126000 and shares_of(d.indicator) == {"北园街道": 42000, "无影山街道": 84000}


def test_the_editor_is_prefilled_from_the_letters_and_refuses_a_wrong_sum_beside_the_target(split, client):
    d = split
    letter = ResponsibilityLetter.objects.create(unit=d.units["street"], year=2026)
    LetterItem.objects.create(
        letter=letter,
        project=d.project,
        indicator=d.indicator,
        target=40000,
        deadline=datetime.date(2026, 12, 31),
    )
    url = f"/projects/ZD-001/indicators/{d.indicator.pk}/shares/"
    client.force_login(d.users["office"])
    page = client.get(url).content.decode()
    assert "已按目标责任书中各单位该指标的目标值预填" in page
    assert f'name="share_{d.units["street"].pk}" value="40000' in page
    wrong = {
        "target": "120000",
        f"share_{d.units['street'].pk}": "40000",
        f"share_{d.units['wuying'].pk}": "70000",
    }
    response = client.post(url, wrong)
    assert response.status_code == 400
    assert "指标「拆迁面积」的属地分解合计110,000m²，与目标值120,000m²不符" in response.content.decode()
    good = {**wrong, f"share_{d.units['wuying'].pk}": "80000"}
    assert client.post(url, good).status_code == 302
    assert shares_of(d.indicator) == {"北园街道": 40000, "无影山街道": 80000}
    detail = client.get("/projects/ZD-001/").content.decode()
    assert "属地分解：北园街道 40,000；无影山街道 80,000" in detail
    client.force_login(d.users["hq"])
    assert client.get(url).status_code == 403


# --- the ledger sheet 属地分解 ------------------------------------------------------------------


def sheet(path, name="属地分解"):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_the_ledger_writes_the_shares_and_reads_them_back(split, tmp_path):
    d = split
    services.indicator_shares_set(
        user=d.users["office"],
        indicator=d.indicator,
        shares={d.units["street"]: Decimal(48000), d.units["wuying"]: Decimal(72000)},
    )
    path = tmp_path / "ledger.xlsx"
    counts = ledger_export(user=None, path_or_file=path)
    assert counts["shares"] == 2
    assert sheet(path) == [
        ["项目编号", "指标名称", "属地单位", "分解目标"],
        ["ZD-001", "拆迁面积", "北园街道", 48000],
        ["ZD-001", "拆迁面积", "无影山街道", 72000],
    ]
    # read back unchanged: nothing to do
    result = ledger_import(user=d.users["office"], path_or_file=path)
    assert result.ok and not result.changed, [str(e) for e in result.errors]
    # the same workbook with other shares: written, in the change log, share units report
    IndicatorShare.objects.all().delete()
    ReportingUnit.objects.all().delete()
    rows = [["ZD-001", "拆迁面积", "北园街道", 20000], ["ZD-001", "拆迁面积", "无影山街道", 100000]]
    write_ledger(tmp_path / "new.xlsx", shares=rows, sheets=["单位", "项目", "目标指标", "属地分解"])
    result = ledger_import(user=d.users["office"], path_or_file=tmp_path / "new.xlsx")
    assert result.ok and result.written, [str(e) for e in result.errors]
    assert result.counts["shares_created"] == 2
    assert shares_of(d.indicator) == {"北园街道": 20000, "无影山街道": 100000}
    assert ChangeRecord.objects.filter(object_repr="拆迁面积·无影山街道", source="import").exists()
    assert ReportingUnit.objects.filter(project=d.project, unit=d.units["wuying"]).exists()


def test_the_ledger_refuses_shares_that_do_not_sum_naming_sheet_row_and_indicator(split, tmp_path):
    rows = [
        ["ZD-001", "拆迁面积", "北园街道", 20000],
        ["ZD-001", "拆迁面积", "无影山街道", 90000],
        ["ZD-001", "拆迁面积", "泺口街道", 10000],
        ["ZD-001", "道路长度", "北园街道", "很多"],
    ]
    write_ledger(tmp_path / "bad.xlsx", shares=rows, sheets=["单位", "项目", "目标指标", "属地分解"])
    result = ledger_import(user=split.users["office"], path_or_file=tmp_path / "bad.xlsx")
    messages = [str(e) for e in result.errors]
    assert not result.written and not IndicatorShare.objects.exists()
    assert any(
        "工作表「属地分解」第4行「属地单位」" in m and "「泺口街道」不是项目" in m for m in messages
    ), messages
    assert any("第5行「指标名称」" in m and "没有名为「道路长度」的指标" in m for m in messages), messages
    assert any("第5行「分解目标」" in m for m in messages), messages
    assert any(
        "第2行「分解目标」" in m and "指标「拆迁面积」的属地分解合计110,000m²，与目标值120,000m²不符" in m
        for m in messages
    ), messages


def test_the_ledger_refuses_a_new_target_for_a_split_indicator_without_new_shares(split, tmp_path):
    d = split
    services.indicator_shares_set(
        user=d.users["office"],
        indicator=d.indicator,
        shares={d.units["street"]: Decimal(48000), d.units["wuying"]: Decimal(72000)},
    )
    indicators = [{"项目编号": "ZD-001", "指标名称": "拆迁面积", "计量单位": "m²", "目标值": 126000}]
    write_ledger(tmp_path / "t.xlsx", indicators=indicators, sheets=["单位", "项目", "目标指标"])
    result = ledger_import(user=d.users["office"], path_or_file=tmp_path / "t.xlsx")
    assert [str(e) for e in result.errors] == [
        "工作表「目标指标」第2行「目标值」：指标「拆迁面积」的属地分解合计120,000m²，与目标值126,000m²不符："
        "修改已分解指标的目标值，须在「属地分解」工作表中同时修改其属地分解"
    ]
    shares = [["ZD-001", "拆迁面积", "北园街道", 42000], ["ZD-001", "拆迁面积", "无影山街道", 84000]]
    write_ledger(
        tmp_path / "t2.xlsx",
        indicators=indicators,
        shares=shares,
        sheets=["单位", "项目", "目标指标", "属地分解"],
    )
    result = ledger_import(user=d.users["office"], path_or_file=tmp_path / "t2.xlsx")
    assert result.ok and result.written, [str(e) for e in result.errors]
    assert shares_of(d.indicator) == {"北园街道": 42000, "无影山街道": 84000}


def test_a_unit_holding_a_share_is_not_dropped_from_the_project(split, client):
    """Taking 无影山街道 off the project's territorial units while it holds 72,000 m² of the demolition would leave
    a share nobody may report: refused, naming the unit and the indicator, on the page and the API alike."""
    from tests.support import login

    d = split
    services.indicator_shares_set(
        user=d.users["office"],
        indicator=d.indicator,
        shares={d.units["street"]: Decimal(48000), d.units["wuying"]: Decimal(72000)},
    )
    with pytest.raises(ValidationError) as exc:
        services.project_update(
            user=d.users["office"], project=d.project, data={"territorial_units": [d.units["street"]]}
        )
    message = (
        "无影山街道在指标「拆迁面积」上有属地分解（72,000m²），请先调整该指标的属地分解，再从项目中移除该单位"
    )
    assert exc.value.message_dict == {"territorial_units": [message]}
    assert set(d.project.territorial_units.values_list("name", flat=True)) == {"北园街道", "无影山街道"}
    login(client, d, "office")
    response = client.patch(
        f"/api/v1/projects/{d.project.code}/",
        {"territorial_units": [d.units["street"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 400 and message in str(response.json())
    # Once the share is moved to 北园街道, 无影山街道 may go.
    services.indicator_shares_set(
        user=d.users["office"], indicator=d.indicator, shares={d.units["street"]: Decimal(120000)}
    )
    services.project_update(
        user=d.users["office"], project=d.project, data={"territorial_units": [d.units["street"]]}
    )
    assert list(d.project.territorial_units.values_list("name", flat=True)) == ["北园街道"]


def test_the_ledger_refuses_to_drop_a_unit_holding_a_share_unless_the_shares_move_too(split, tmp_path):
    from openpyxl import load_workbook

    d = split
    services.indicator_shares_set(
        user=d.users["office"],
        indicator=d.indicator,
        shares={d.units["street"]: Decimal(48000), d.units["wuying"]: Decimal(72000)},
    )
    path = tmp_path / "ledger.xlsx"
    ledger_export(user=None, path_or_file=path)
    book = load_workbook(path)
    projects = book["项目"]
    headers = [c.value for c in projects[1]]
    row = next(r for r in range(2, projects.max_row + 1) if projects.cell(r, 1).value == "ZD-001")
    projects.cell(row, headers.index("属地单位") + 1).value = "北园街道"
    shares = book["属地分解"]
    shares.delete_rows(2, shares.max_row)
    book.save(path)
    result = ledger_import(user=d.users["office"], path_or_file=path)
    assert not result.written
    assert [str(e) for e in result.errors] == [
        f"工作表「项目」第{row}行「属地单位」：无影山街道在指标「拆迁面积」上有属地分解，不能从项目中移除："
        "请在「属地分解」工作表中同时调整该指标的属地分解"
    ]
    shares.append(["ZD-001", "拆迁面积", "北园街道", 120000])
    book.save(path)
    result = ledger_import(user=d.users["office"], path_or_file=path)
    assert result.ok and result.written, [str(e) for e in result.errors]
    assert shares_of(d.indicator) == {"北园街道": 120000}
    assert list(d.project.territorial_units.values_list("name", flat=True)) == ["北园街道"]
