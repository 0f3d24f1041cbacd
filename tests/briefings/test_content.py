"""The briefing's content as plain data: sentences, order, numbering words."""

import datetime

from tiaodu.briefings.content import ProjectInfo, build_content, cn_ordinal, overview_sentence


def _status():
    def row(code, level, lag, reported=True):
        return {
            "code": code,
            "name": code,
            "type": "key_construction",
            "status": "under_construction",
            "level": level,
            "lag_days": lag,
            "planned_pct": 50.0,
            "actual_pct": 40.0,
            "reported": reported,
            "indicators": [],
        }

    return {
        "summary": {
            "key_construction": {
                "total": 14,
                "completed": 3,
                "under_construction": 9,
                "not_started": 2,
                "suspended": 0,
                "started_rate": 0.8571,
            },
            "remediation": {
                "total": 0,
                "completed": 0,
                "under_construction": 0,
                "not_started": 0,
                "suspended": 0,
                "started_rate": 0.0,
            },
        },
        "projects": [
            row("A", "lagging", 8),
            row("B", "severe", 20),
            row("C", "normal", 0),
            row("D", "severe", 40),
        ],
        "units": [{"unit": "甲指挥部", "projects": 2, "on_time": 1, "on_time_share": 0.5, "avg_lag": 10.0}],
        "missing_reports": [{"code": "C", "name": "C", "last_report": None}],
    }


def _info(code, category="道路", order=1):
    return ProjectInfo(
        code=code,
        name=f"项目{code}",
        type="key_construction",
        category=category,
        category_order=order,
        lead_unit="甲指挥部",
        territorial_units=["一街道", "二街道", "三街道", "四街道", "五街道"],
    )


def test_it_writes_the_overview_sentence_of_the_issue():
    s = _status()["summary"]["key_construction"]
    assert overview_sentence("key_construction", s) == (
        "全区14个重点建设项目中，已竣工3项，在建9项，未开工2项，暂停0项，开工率85.7%。"
    )


def test_it_counts_sections_in_chinese():
    assert [cn_ordinal(n) for n in (1, 7, 10, 11, 20, 23)] == ["一", "七", "十", "十一", "二十", "二十三"]


def test_it_lists_severe_projects_first_and_skips_empty_types():
    projects = {c: _info(c, "河道" if c == "D" else "道路", 2 if c == "D" else 1) for c in "ABCD"}
    content = build_content(
        status=_status(),
        projects=projects,
        problems=[],
        items=[],
        number=7,
        issuer="办公室",
        as_of=datetime.date(2026, 11, 27),
    )
    assert content.number_text == "第7期" and content.date_text == "2026年11月27日"
    texts = [b.text for b in content.blocks if b.kind in ("h1", "h2", "p")]
    assert texts[0] == "一、总体情况"
    assert texts[1].startswith("截至2026年11月27日，全区14个重点建设项目中")
    assert not any("全区0个" in t for t in texts)
    assert "（一）道路类项目（3个）" in texts and "（二）河道类项目（1个）" in texts
    severe_at = texts.index("（一）严重滞后项目（2个）")
    lagging_at = texts.index("（二）滞后项目（1个）")
    assert severe_at < lagging_at
    tables = [b for b in content.blocks if b.kind == "table"]
    severe_table = tables[2]
    assert [r[1] for r in severe_table.rows] == ["项目D", "项目B"]  # most days behind first
    assert severe_table.rows[0][4] == "一街道、二街道、三街道等5个单位"
    missing_table = next(t for t in tables if t.columns[1].title == "项目名称" and len(t.columns) == 4)
    assert [r[1] for r in missing_table.rows] == ["项目C"]
    assert "目前没有上报至分管区领导及以上层级的问题。" in texts
    assert "目前没有被亮黄牌或红牌的督办事项。" in texts
