"""The holiday arrangements of 2004–2026 from the `chinesecalendar` package (imports as chinese_calendar).

Used by the data migration (with historical models) and by `python manage.py seed_calendar`.
"""

from __future__ import annotations

import datetime

# The 通知 line of a year seeded from the package (what the calendar pages show as its source).
PACKAGE_NOTICE = "国务院办公厅节假日安排通知（预置）"

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_arrangements() -> dict[int, list[tuple[datetime.date, str, str]]]:
    """{year: [(date, "holiday" | "workday", Chinese name)]} for every year the package covers."""
    from chinese_calendar.constants import holidays, workdays

    years = {d.year for d in holidays} | {d.year for d in workdays}
    out: dict[int, list[tuple[datetime.date, str, str]]] = {y: [] for y in range(min(years), max(years) + 1)}
    for kind, table in (("holiday", holidays), ("workday", workdays)):
        for day, name in table.items():
            out[day.year].append((day, kind, HOLIDAY_NAMES.get(str(name), str(name))))
    for days in out.values():
        days.sort()
    return out


def seed_calendar(year_model, day_model) -> list[int]:
    """Create the package's years that are not in the table yet; return the years created."""
    existing = set(year_model.objects.values_list("year", flat=True))
    taken = set(day_model.objects.values_list("date", flat=True))
    created = []
    for year, days in sorted(package_arrangements().items()):
        if year in existing:
            continue
        arrangement = year_model.objects.create(year=year, source="package", notice=PACKAGE_NOTICE)
        day_model.objects.bulk_create(
            [day_model(arrangement=arrangement, date=d, kind=k, name=n) for d, k, n in days if d not in taken]
        )
        created.append(year)
    return created
