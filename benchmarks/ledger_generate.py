"""Write a generated project ledger (台账) for benchmarks.

    .venv/bin/python benchmarks/ledger_generate.py [-n 20000] [-o benchmarks/out/ledger_20000.xlsx] [--seed 1]

About 100 units (1 government, 1 office, 18 headquarters, 40 street offices, 39 departments, 1
supervision office), N projects (3 indicators each) led by headquarters or departments with one to
three street offices, ~400 distinct people named as 分管领导/责任人. Deterministic for a given seed.
The categories are those the migrations seed.
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from pathlib import Path

from openpyxl import Workbook

UNITS_HEADER = ["单位名称", "单位类型", "上级单位"]
PROJECTS_HEADER = [
    "项目编号",
    "项目名称",
    "项目类型",
    "项目类别",
    "牵头单位",
    "属地单位",
    "分管领导",
    "责任人",
    "计划开工",
    "计划完工",
    "完成时限",
    "总投资(万元)",
    "建设内容",
    "状态",
    "经度",
    "纬度",
]
INDICATORS_HEADER = ["项目编号", "指标名称", "计量单位", "目标值"]
CATEGORIES = ["道路", "河道", "棚户区改造", "拆违", "平改坡", "小区整治", "亮化", "绿化", "其他"]
STATUSES = ["未开工", "在建", "在建", "在建", "已竣工", "已验收", "暂停"]
INDICATORS = [
    ("拆迁面积", "m²"),
    ("拆除违建", "m²"),
    ("清淤", "m³"),
    ("改造栋数", "栋"),
    ("改造面积", "m²"),
    ("小区数量", "个"),
    ("道路长度", "km"),
    ("绿化面积", "m²"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
PLACES = [
    "北园",
    "泺口",
    "堤口",
    "北坦",
    "宝华",
    "官扎营",
    "纬北",
    "制锦市",
    "清河",
    "金泉",
    "毕家洼",
    "水屯",
    "茂新",
    "顺河",
    "聚贤",
    "馆驿",
    "少年路",
    "工商河",
    "小清河",
    "西苑",
]
WORKS = ["道路拓宽", "综合整治", "棚户区改造", "河道治理", "立面亮化", "平改坡", "小区整治", "绿化提升"]


def units() -> list[tuple[str, str, str]]:
    rows = [
        ("区委区政府", "区委区政府", ""),
        ("区重点工程重点项目建设领导小组办公室", "领导小组办公室", "区委区政府"),
        ("区委督查室", "督查室", "区委区政府"),
    ]
    rows += [(f"{PLACES[i]}{WORKS[i % len(WORKS)]}指挥部", "指挥部", "区委区政府") for i in range(18)]
    rows += [
        (f"{PLACES[i % 20]}{'' if i < 20 else '第二'}街道", "街道办事处", "区委区政府") for i in range(40)
    ]
    depts = [
        "建设",
        "城管",
        "财政",
        "规划",
        "国土",
        "水务",
        "交通",
        "环保",
        "园林",
        "住建",
        "发改",
        "审批",
        "公安",
    ]
    rows += [
        (
            f"区{depts[i % len(depts)]}局{'' if i < len(depts) else i // len(depts) + 1}",
            "区直部门",
            "区委区政府",
        )
        for i in range(39)
    ]
    return rows


def generate(path: Path, n: int, seed: int = 1, edited: bool = False) -> dict[str, int]:
    """Write the ledger. `edited`: the same ledger after an office's edits (every project's name and
    investment and every indicator's target changed), to measure an import that updates everything."""
    rng = random.Random(seed)
    unit_rows = units()
    leads = [u[0] for u in unit_rows if u[1] in ("指挥部", "区直部门")]
    streets = [u[0] for u in unit_rows if u[1] == "街道办事处"]
    people = sorted({rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(500)})[:400]
    base = datetime.date(2026, 1, 1)

    book = Workbook(write_only=True)
    ws = book.create_sheet("单位")
    ws.append(UNITS_HEADER)
    for row in unit_rows:
        ws.append(list(row))

    ws = book.create_sheet("项目")
    ws.append(PROJECTS_HEADER)
    codes = []
    for i in range(1, n + 1):
        code = f"XM-{i:06d}"
        codes.append(code)
        start = base + datetime.timedelta(days=rng.randint(0, 365))
        finish = start + datetime.timedelta(days=rng.randint(60, 720))
        deadline = finish + datetime.timedelta(days=rng.randint(0, 90))
        ws.append(
            [
                code,
                f"{rng.choice(PLACES)}{rng.choice(WORKS)}工程（{i}）{'（调整）' if edited else ''}",
                "重点建设" if rng.random() < 0.4 else "综合整治",
                rng.choice(CATEGORIES),
                rng.choice(leads),
                "、".join(rng.sample(streets, rng.randint(1, 3))),
                rng.choice(people),
                rng.choice(people),
                start,
                finish,
                deadline if rng.random() < 0.9 else deadline.isoformat(),
                round(rng.uniform(100, 200000), 2) + (1 if edited else 0),
                f"{rng.choice(WORKS)}，涉及{rng.randint(1, 40)}个点位，完成后验收移交。",
                rng.choice(STATUSES),
                round(rng.uniform(116.90, 117.10), 6),
                round(rng.uniform(36.60, 36.75), 6),
            ]
        )

    ws = book.create_sheet("目标指标")
    ws.append(INDICATORS_HEADER)
    count = 0
    for code in codes:
        for name, uom in rng.sample(INDICATORS, 3):
            ws.append([code, name, uom, rng.randint(1, 500) * 100 + (50 if edited else 0)])
            count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return {"units": len(unit_rows), "projects": n, "indicators": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20000, help="number of projects (default 20000)")
    parser.add_argument("-o", "--out", type=Path, help="output path (default benchmarks/out/ledger_N.xlsx)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--edited", action="store_true", help="the same ledger with every project and target changed"
    )
    args = parser.parse_args()
    suffix = "_edited" if args.edited else ""
    out = args.out or Path(__file__).resolve().parent / "out" / f"ledger_{args.n}{suffix}.xlsx"
    t0 = time.perf_counter()
    counts = generate(out, args.n, args.seed, args.edited)
    print(f"wrote {out}: {counts} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
