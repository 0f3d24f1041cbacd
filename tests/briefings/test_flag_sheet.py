"""The briefing's ledger lists the week's anomaly flags (数据异常) on a sheet of its own."""

import datetime
import io

from openpyxl import load_workbook

from tests.briefings.conftest import AS_OF
from tests.progress.flagkit import photo, report, verified


def test_the_ledger_has_a_sheet_of_the_weeks_flags(district, frozen, media_root):
    from tiaodu.briefings.services import briefing_generate

    hq = district.users["hq"]
    earlier = report(
        hq, district.project, datetime.date(2026, 11, 19), 拆迁面积=1500, photos=[photo("旧.jpg", seed=3)]
    )
    assert [f["code"] for f in earlier.flags] == ["photo_no_time"]  # outside the briefing's week
    verified(hq, earlier, note="补拍后核实")
    report(hq, district.project, datetime.date(2026, 11, 26), 拆迁面积=(1200, "复核后核减"))
    result = briefing_generate(as_of=AS_OF, user=district.users["office"])
    workbook = load_workbook(io.BytesIO(result.xlsx.file.read()))
    sheet = workbook["数据异常"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [
        ["项目", "填报单位", "截至日期", "异常", "说明"],
        [
            "北园大街道路拓宽及两侧整治",
            "北园大街改造指挥部",
            datetime.datetime(2026, 11, 26),
            "累计数减少",
            "「拆迁面积」累计1,200m²低于上次审核通过的1,500m²（截至2026年11月19日）",
        ],
    ]
    assert sheet.cell(row=2, column=3).number_format == 'yyyy"年"m"月"d"日"'
