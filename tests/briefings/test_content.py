"""The briefing's content as plain data: one pure test per section, then the sections composed (no DB)."""

import datetime

import pytest

from tiaodu.briefings.content import (
    BriefingInputs,
    ItemLine,
    ProblemLine,
    ProjectInfo,
    build_content,
    cn_ordinal,
    section_behind,
    section_categories,
    section_items,
    section_overview,
    section_problems,
    section_reporting,
    section_units,
    status_counts,
)
from tiaodu.progress.figures import (
    DrivingIndicator,
    MissingReport,
    ProgressStatus,
    ProjectFigures,
    TypeSummary,
    UnitFigures,
    summary_sentence,
)

AS_OF = datetime.date(2026, 11, 27)


def _project(code, level, lag, reported=True, status="under_construction"):
    return ProjectFigures(
        code=code,
        name=code,
        type="key_construction",
        status=status,
        level=level,
        lag_days=lag,
        planned_pct=50.0,
        actual_pct=40.0,
        reported=reported,
        last_report=AS_OF if reported else None,
        must_report=True,
        units=("甲指挥部",),
        indicators=(),
        driving_indicator=DrivingIndicator("道路长度", "m", 8000, 5200, 3300, lag) if lag else None,
    )


def _lag(days):
    return f"滞后{days}个工作日：道路长度 计划5,200m，实际3,300m"


def _lag_cell(days):  # the same words on three lines
    return f"滞后{days}个工作日：\n道路长度\n计划5,200m，实际3,300m"


def _status(**changes) -> ProgressStatus:
    fields = dict(
        as_of=AS_OF,
        summary={
            "key_construction": TypeSummary(14, 3, 9, 2, 0, 0.8571),
            "remediation": TypeSummary(0, 0, 0, 0, 0, 0.0),
        },
        projects=(
            _project("A", "lagging", 8),
            _project("B", "severe", 20),
            _project("C", "normal", 0, False),
            _project("D", "severe", 40),
        ),
        units=(UnitFigures("甲指挥部", 2, 1, 0.5, 10.0),),
        missing_reports=(MissingReport("C", "C", None),),
    )
    fields.update(changes)
    return ProgressStatus(**fields)


def _info(code, category="道路", order=1):
    return ProjectInfo(
        code=code,
        name=f"项目{code}",
        type="key_construction",
        category=category,
        category_order=order,
        lead_unit="甲指挥部",
        territorial_units=("一街道", "二街道", "三街道", "四街道", "五街道"),
        responsible="赵指挥",
    )


PROJECTS = {c: _info(c, "河道" if c == "D" else "道路", 2 if c == "D" else 1) for c in "ABCD"}


def _texts(section):
    return [b.text for b in section.blocks if b.kind in ("h2", "p")]


def _tables(section):
    return [b for b in section.blocks if b.kind == "table"]


def test_it_writes_the_overview_sentence_of_the_issue():
    assert summary_sentence("key_construction", TypeSummary(14, 3, 9, 2, 0, 0.8571)) == (
        "全区14个重点建设项目中，已竣工3项，在建9项，未开工2项，暂停0项，开工率85.7%。"
    )


def test_it_counts_sections_in_chinese():
    assert [cn_ordinal(n) for n in (1, 7, 10, 11, 20, 23)] == ["一", "七", "十", "十一", "二十", "二十三"]


def test_it_states_the_overall_figures_and_skips_empty_types():
    section = section_overview(_status(), {"status": b"png"})
    assert section.title == "总体情况"
    assert _texts(section) == [
        "截至2026年11月27日，全区14个重点建设项目中，已竣工3项，在建9项，未开工2项，暂停0项，开工率85.7%。",
        "对照倒排工期计划，4个项目中进度正常1个，滞后1个，严重滞后2个；近7日未报送进度的项目1个。",
    ]
    assert [b.caption for b in section.blocks if b.kind == "image"] == ["图1  各类项目建设状态分布"]
    assert all(b.kind != "image" for b in section_overview(_status(), {}).blocks)


def test_it_tables_the_projects_by_category_with_the_severe_ones_stressed():
    section = section_categories(_status(), PROJECTS)
    assert _texts(section) == ["（一）道路类项目（3个）", "（二）河道类项目（1个）"]
    roads, rivers = _tables(section)
    assert [c.title for c in roads.columns] == [
        "序号",
        "项目名称",
        "牵头单位",
        "状态",
        "综合进度\n计划/实际",
        "滞后情况",
    ]
    assert roads.rows == [
        ["1", "项目A", "甲指挥部", "在建", "50.0% / 40.0%", _lag_cell(8)],
        ["2", "项目B", "甲指挥部", "在建", "50.0% / 40.0%", _lag_cell(20)],
        ["3", "项目C", "甲指挥部", "在建", "50.0% / 40.0%", "—"],
    ]
    assert roads.strong_rows == {1} and rivers.strong_rows == {0}
    assert roads.strong_cols == {5}
    # A lag within the tolerance (level normal) is not shown as a lag; a finished project never lags.
    calm = section_categories(_status(projects=(_project("A", "normal", 3),)), PROJECTS)
    assert _tables(calm)[0].rows[0][-1] == "—"
    unknown = section_categories(_status(), {})
    assert _texts(unknown) == ["（一）其他类项目（4个）"] and _tables(unknown)[0].rows[0][1] == "A"
    assert _texts(section_categories(_status(projects=()), PROJECTS)) == ["暂无项目。"]


def test_it_lists_severe_projects_first_most_days_behind_first():
    section = section_behind(_status(), PROJECTS)
    texts = _texts(section)
    assert texts[0].startswith("截至2026年11月27日，共有3个项目进度滞后于计划，其中严重滞后2个、滞后1个")
    assert f"滞后最多的项目：项目D（{_lag(40)}）；项目B（{_lag(20)}）；项目A（{_lag(8)}）。请相关" in texts[0]
    assert texts[1:] == ["（一）严重滞后项目（2个）", "（二）滞后项目（1个）"]
    severe, lagging = _tables(section)
    assert [r[1] for r in severe.rows] == ["项目D", "项目B"]
    assert [c.title for c in severe.columns][:3] == ["序号", "项目名称", "滞后情况"]
    assert severe.rows[0] == [
        "1",
        "项目D",
        _lag_cell(40),
        "甲指挥部",
        "一街道、二街道、三街道等5个单位",
        "赵指挥",
        "—",
    ]
    assert severe.strong_rows == {0, 1} and lagging.strong_rows == set() and severe.strong_cols == {2}
    calm = section_behind(_status(projects=(_project("C", "normal", 0),)), PROJECTS)
    assert _texts(calm) == ["截至2026年11月27日，各项目均按计划推进，无滞后项目。"]


def test_it_ranks_the_units_in_the_overviews_order():
    section = section_units(_status(), {"units": b"png"})
    assert _tables(section)[0].rows == [["1", "甲指挥部", "2", "1", "50.0%", "10"]]
    assert section.blocks[-1].caption == "图2  各责任单位项目按期推进率"
    assert _texts(section_units(_status(units=()), {})) == ["暂无可排名的责任单位。"]


def test_it_lists_the_missing_reports_by_code():
    section = section_reporting(_status(), PROJECTS)
    assert _texts(section) == [
        "截至2026年11月27日，以下1个项目近7日内未报送（或报送未获通过）进度，请抓紧补报："
    ]
    assert _tables(section)[0].rows == [["1", "项目C", "甲指挥部", "一街道、二街道、三街道等5个单位"]]
    none = section_reporting(_status(missing_reports=()), PROJECTS)
    assert _texts(none) == ["截至2026年11月27日，各项目均已在近7日内报送进度。"]


def test_it_lists_the_problems_at_leader_level():
    problem = ProblemLine(
        "项目A", "资金", "缺口3200万元", "甲指挥部", "分管区领导", datetime.date(2026, 11, 20)
    )
    section = section_problems([problem])
    assert section.title == "需区级领导协调解决的问题"
    assert _tables(section)[0].rows == [
        ["1", "项目A", "资金", "缺口3200万元", "甲指挥部", "分管区领导", "2026.11.20"]
    ]
    assert _texts(section_problems([])) == ["目前没有上报至分管区领导及以上层级的问题。"]


def test_it_lists_red_items_before_yellow_ones():
    items = [
        ItemLine("黄牌事项", "一街道", datetime.date(2026, 11, 1), "yellow"),
        ItemLine("红牌事项", "", datetime.date(2026, 11, 6), "red"),
    ]
    section = section_items(items, AS_OF)
    assert _texts(section) == [
        "截至2026年11月27日，逾期未办结的督办事项2项，其中红牌1项、黄牌1项，请承办单位立即办理并报送办理情况："
    ]
    table = _tables(section)[0]
    assert table.rows == [
        ["1", "红牌事项", "—", "2026.11.6", "红牌"],
        ["2", "黄牌事项", "一街道", "2026.11.1", "黄牌"],
    ]
    assert table.strong_rows == {0}
    assert _texts(section_items([], AS_OF)) == ["目前没有被亮黄牌或红牌的督办事项。"]


def test_it_numbers_the_sections_of_the_briefing():
    content = build_content(
        inputs=BriefingInputs(status=_status(), projects=PROJECTS), number=7, issuer="办公室"
    )
    assert content.number_text == "第7期" and content.date_text == "2026年11月27日"
    assert content.title == "关于截至2026年11月27日全区重点工程建设进展情况的通报"
    assert [b.text for b in content.blocks if b.kind == "h1"] == [
        "一、总体情况",
        "二、投资完成情况",
        "三、分类推进情况",
        "四、滞后项目",
        "五、责任单位排名",
        "六、进度报送情况",
        "七、需区级领导协调解决的问题",
        "八、督办事项预警情况",
        "九、本期调整计划的项目",
    ]


def test_it_counts_the_projects_per_status_for_the_chart():
    assert status_counts(_status().summary) == {
        "重点建设项目": {"已竣工": 3, "在建": 9, "未开工": 2, "暂停": 0},
        "综合整治项目": {"已竣工": 0, "在建": 0, "未开工": 0, "暂停": 0},
    }


def test_it_cannot_be_given_a_renamed_field():
    with pytest.raises(TypeError):
        ProjectFigures(
            code="A",
            name="A",
            type="key_construction",
            status="completed",
            level="normal",
            lag_days=0,
            planned_pct=None,
            actual_pct=None,
            reported=True,
            last_report=None,
            must_report=False,
            unit_names=(),
        )  # the field is `units`
