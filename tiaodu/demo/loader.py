"""Write the demo district of `tiaodu.demo.data` into the database.

Everything is written through the services (with the demo administrator as the acting user and
source "demo"), so the change log shows where each record came from. The two units and the person
the administrator needs before any service can be called are written directly and logged afterwards.

Loading is additive and repeatable: units are matched by name, people by unit and name, accounts by
username, projects by code or name and letters by unit and year; whatever already exists is left as
it is.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tiaodu.core.audit import record_change, snapshot
from tiaodu.demo import data
from tiaodu.demo.before_after import load_demo_before_after
from tiaodu.demo.changes import load_demo_changes
from tiaodu.demo.command import load_demo_command
from tiaodu.demo.documents import load_demo_documents
from tiaodu.demo.flags import load_demo_flags
from tiaodu.demo.investment import load_demo_investment, status_sentence
from tiaodu.demo.progress import STORIES, load_demo_reports
from tiaodu.demo.reporters import load_reporters
from tiaodu.demo.schedules import demo_replan, demo_schedule
from tiaodu.demo.shares import load_demo_shares
from tiaodu.demo.supervision import load_demo_supervision
from tiaodu.orgs import services as org_services
from tiaodu.orgs.models import Person, Unit, UnitType, User
from tiaodu.progress.analysis import NORMAL
from tiaodu.progress.selectors import progress_status
from tiaodu.projects import services as project_services
from tiaodu.projects.models import (
    Category,
    Indicator,
    LetterStatus,
    Project,
    ResponsibilityLetter,
)
from tiaodu.scheduling import services as scheduling_services
from tiaodu.scheduling.models import Task


@dataclass
class DemoResult:
    created: Counter = field(default_factory=Counter)
    accounts: list[dict] = field(default_factory=list)
    today: datetime.date | None = None
    investment: str = ""  # the district's 投资完成情况 sentence for the demo's month


# --- dates ------------------------------------------------------------------------------------


def month_end(day: datetime.date, months: int) -> datetime.date:
    """The last day of the month `months` months after `day`'s month."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    return datetime.date(year, month0 + 1, calendar.monthrange(year, month0 + 1)[1])


def project_dates(
    spec: dict, today: datetime.date, index: int = 0
) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(planned start, planned finish, deadline) of the index-th project spec, relative to today."""
    deadline = month_end(today, spec.get("deadline", data.COMMON_DEADLINE_MONTHS))
    start = today + datetime.timedelta(days=spec["start"])
    if "finish" in spec:
        finish = today + datetime.timedelta(days=spec["finish"])
    elif "margin" in spec:
        finish = deadline - datetime.timedelta(days=spec["margin"])
    else:
        margins = data.FINISH_BEFORE_DEADLINE_DAYS
        finish = deadline - datetime.timedelta(days=margins[index % len(margins)])
    return start, max(finish, start), deadline


def letter_signing_date(today: datetime.date) -> datetime.date:
    """Letters of the year are signed early in the year, after the campaign's mobilisation meeting."""
    campaign_start = today + datetime.timedelta(days=data.CAMPAIGN_START_DAYS)
    signing = max(campaign_start + datetime.timedelta(days=30), datetime.date(today.year, 1, 10))
    return min(signing, today - datetime.timedelta(days=3))


def project_code(spec: dict, today: datetime.date) -> str:
    return spec["code"].format(year=today.year)


def split_target(target: int, parts: int) -> list[int]:
    """An integer target split as evenly as possible into `parts` shares (larger shares first)."""
    base, rest = divmod(int(target), parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


# --- writers ----------------------------------------------------------------------------------


def _bootstrap(result: DemoResult, password_hash: str) -> User:
    """The government and office units, the administrator's person and the administrator account."""
    specs = {u["name"]: u for u in data.UNITS}
    fresh: list = []
    gov = Unit.objects.filter(name=data.GOVERNMENT).first()
    if gov is None:
        gov = Unit(name=data.GOVERNMENT, type=UnitType.GOVERNMENT, sort_order=10)
        gov.full_clean()
        gov.save()
        fresh.append((gov, Unit.TRACKED_FIELDS, None))
    office = Unit.objects.filter(name=data.OFFICE).first()
    if office is None:
        office = Unit(name=data.OFFICE, type=UnitType.OFFICE, parent=gov, sort_order=20)
        office.full_clean()
        office.save()
        fresh.append((office, Unit.TRACKED_FIELDS, None))

    admin_spec = next(a for a in data.ACCOUNTS if a["username"] == "admin")
    unit_name, person_name = admin_spec["person"]
    person = Person.objects.filter(unit__name=unit_name, name=person_name).first()
    if person is None:
        spec = next(p for p in specs[unit_name]["people"] if p["name"] == person_name)
        person = Person(unit=office, **spec)
        person.full_clean()
        person.save()
        fresh.append((person, Person.TRACKED_FIELDS, person.unit))

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = _account_create(admin_spec, person, password_hash)
        result.created["accounts"] += 1
    if not admin.manages_all:
        raise RuntimeError("已有用户名为 admin 的账户，但不是系统管理员，无法以其身份加载演示数据")

    for obj, fields, parent in fresh:
        record_change(
            obj=obj, before=None, after=snapshot(obj, fields), user=admin, source=data.SOURCE, parent=parent
        )
        result.created["units" if isinstance(obj, Unit) else "people"] += 1
    return admin


def _account_create(spec: dict, person: Person, password_hash: str) -> User:
    user = User(
        username=spec["username"],
        role=spec["role"],
        person=person,
        password=password_hash,
        is_staff=spec.get("superuser", False),
        is_superuser=spec.get("superuser", False),
    )
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _units(admin: User, result: DemoResult) -> dict[str, Unit]:
    units = {u.name: u for u in Unit.objects.filter(name__in=[s["name"] for s in data.UNITS])}
    gov = units[data.GOVERNMENT]
    for i, spec in enumerate(data.UNITS):
        if spec["name"] in units:
            continue
        units[spec["name"]] = org_services.unit_create(
            user=admin,
            data={"name": spec["name"], "type": spec["type"], "parent": gov, "sort_order": (i + 1) * 10},
            source=data.SOURCE,
        )
        result.created["units"] += 1
    return units


def _people(admin: User, units: dict[str, Unit], result: DemoResult) -> dict[tuple[str, str], Person]:
    existing = {
        (p.unit.name, p.name): p
        for p in Person.objects.filter(unit__in=units.values()).select_related("unit")
    }
    for spec in data.UNITS:
        for p in spec["people"]:
            key = (spec["name"], p["name"])
            if key in existing:
                continue
            existing[key] = org_services.person_create(
                user=admin, data={**p, "unit": units[spec["name"]]}, source=data.SOURCE
            )
            result.created["people"] += 1
    return existing


def _accounts(people: dict[tuple[str, str], Person], password_hash: str, result: DemoResult) -> None:
    names = {u.username: u for u in User.objects.filter(username__in=[a["username"] for a in data.ACCOUNTS])}
    for spec in data.ACCOUNTS:
        person = people[spec["person"]]
        if spec["username"] not in names:
            names[spec["username"]] = _account_create(spec, person, password_hash)
            result.created["accounts"] += 1
        user = names[spec["username"]]
        result.accounts.append(
            {
                "username": user.username,
                "password": data.PASSWORD,
                "role": user.get_role_display(),
                "unit": user.unit.name if user.unit else "",
                "name": user.display_name,
                "sees": spec["sees"],
            }
        )


def _decimal(value, places: int = 6) -> Decimal:
    return Decimal(str(round(value, places)))


def _projects(admin: User, units, people, today: datetime.date, result: DemoResult) -> dict[str, Project]:
    heads = {spec["name"]: people[(spec["name"], spec["people"][0]["name"])] for spec in data.UNITS}
    categories = {c.name: c for c in Category.objects.all()}
    codes = [project_code(s, today) for s in data.PROJECTS]
    by_code = {p.code: p for p in Project.objects.filter(code__in=codes)}
    # A demo project loaded in an earlier year (another code) is the same project: not loaded twice.
    by_name = {p.name: p for p in Project.objects.filter(name__in=[s["name"] for s in data.PROJECTS])}
    projects: dict[str, Project] = {}
    for index, spec in enumerate(data.PROJECTS):
        code = project_code(spec, today)
        existing = by_code.get(code) or by_name.get(spec["name"])
        if existing is not None:
            projects[code] = existing
            continue
        category = categories.get(spec["category"])
        if category is None:
            category = categories[spec["category"]] = Category.objects.create(name=spec["category"])
        start, finish, deadline = project_dates(spec, today, index)
        lon, lat = spec["location"]
        values = {
            "code": code,
            "name": spec["name"],
            "type": spec["type"],
            "category": category,
            "description": spec["description"],
            "lead_unit": units[spec["lead"]],
            "territorial_units": [units[n] for n in spec["territorial"]],
            "supporting_units": [units[n] for n in spec["supporting"]],
            "supervising_leader": people[(data.GOVERNMENT, spec["leader"])],
            "responsible_person": heads[spec["lead"]],
            "planned_start": start,
            "planned_finish": finish,
            "deadline": deadline,
            "total_investment": Decimal(spec["investment"]),
            "status": spec["status"],
            "longitude": _decimal(lon),
            "latitude": _decimal(lat),
        }
        if spec.get("line"):
            values["geometry"] = {"type": "LineString", "coordinates": [list(pt) for pt in spec["line"]]}
        project = project_services.project_create(user=admin, data=values, source=data.SOURCE)
        result.created["projects"] += 1
        for order, ind in enumerate(spec["indicators"], start=1):
            project_services.indicator_create(
                user=admin,
                project=project,
                source=data.SOURCE,
                data={
                    "name": ind["name"],
                    "unit_of_measure": ind["unit"],
                    "target": Decimal(ind["target"]),
                    "sort_order": order * 10,
                },
            )
            result.created["indicators"] += 1
        projects[code] = project
    return projects


def _letter_items(
    unit_name: str, unit_type: str, projects: dict[str, Project], indicators, today
) -> list[dict]:
    """The target items of one unit's letter, from the data and the indicators in the database."""
    items = []
    for spec in data.PROJECTS:
        project = projects.get(project_code(spec, today))
        if project is None:
            continue
        if spec["lead"] == unit_name:
            share_of = None
        elif unit_type == UnitType.STREET and unit_name in spec["territorial"]:
            share_of = spec["territorial"]
        else:
            continue
        for ind in spec["indicators"]:
            indicator = indicators.get((project.pk, ind["name"]))
            if indicator is None:
                continue
            note = ""
            target = Decimal(ind["target"])
            if share_of is not None:
                if ind["unit"] == data.LETTER_MONEY_UNIT:
                    continue
                if len(share_of) > 1:
                    target = Decimal(split_target(ind["target"], len(share_of))[share_of.index(unit_name)])
                    note = f"属地分解目标（总目标{ind['target']}{ind['unit']}，{len(share_of)}个属地单位）"
                else:
                    note = "属地单位"
            if target <= 0:
                continue
            items.append(
                {
                    "project": project,
                    "indicator": indicator,
                    "target": target,
                    "deadline": project.deadline,
                    "note": note,
                }
            )
    return items


def _letters(admin: User, units, people, projects, today: datetime.date, result: DemoResult) -> None:
    year = today.year
    signed_on = letter_signing_date(today)
    existing = set(
        ResponsibilityLetter.objects.filter(year=year, unit__in=units.values()).values_list(
            "unit__name", flat=True
        )
    )
    indicators: dict[tuple[int, str], Indicator] = {
        (i.project_id, i.name): i for i in Indicator.objects.filter(project__in=list(projects.values()))
    }
    candidates = [s for s in data.UNITS if s["type"] in (UnitType.HEADQUARTERS, UnitType.STREET)]
    candidates += [s for s in data.UNITS if s["name"] in data.LETTER_DEPARTMENTS]
    for spec in candidates:
        if spec["name"] in existing:
            continue
        items = _letter_items(spec["name"], spec["type"], projects, indicators, today)
        if not items:
            continue
        head = people[(spec["name"], spec["people"][0]["name"])]
        draft = spec["name"] in data.LETTER_DRAFT_UNITS
        letter = project_services.letter_create(
            user=admin,
            source=data.SOURCE,
            data={
                "unit": units[spec["name"]],
                "year": year,
                "title": data.LETTER_TITLE.format(year=year, unit=spec["name"]),
                "status": LetterStatus.DRAFT if draft else LetterStatus.SIGNED,
                "signing_date": None if draft else signed_on,
                "signatories": "" if draft else f"{data.SECRETARY}、{head.name}",
            },
        )
        result.created["letters"] += 1
        for item in items:
            project_services.letter_item_create(user=admin, letter=letter, data=item, source=data.SOURCE)
            result.created["letter_items"] += 1


def load_demo(today: datetime.date | None = None) -> DemoResult:
    """Write the demo district (what is missing of it); dates relative to `today`."""
    today = today or timezone.localdate()
    result = DemoResult(today=today)
    # The documented demo password is hashed once for all accounts (hashing takes ~0.25 s each) and
    # set directly, so the password validators do not apply to it.
    password_hash = make_password(data.PASSWORD)
    with transaction.atomic():
        admin = _bootstrap(result, password_hash)
        units = _units(admin, result)
        people = _people(admin, units, result)
        _accounts(people, password_hash, result)
        load_reporters(admin, units, password_hash, result)
        projects = _projects(admin, units, people, today, result)
        _letters(admin, units, people, projects, today, result)
        scheduled = _schedules(admin, projects)
        result.created["schedules"] += len(scheduled)
        result.created["reports"] += load_demo_reports(today)
        result.created.update(load_demo_shares(admin, today))
        _replans(admin, scheduled, today)
        result.created["flagged reports"] += load_demo_flags(today)
        result.created["before/after photos"] += load_demo_before_after()
        result.created.update(load_demo_supervision(today))
        result.created["baseline_changes"] += load_demo_changes(today)
        result.created.update(load_demo_investment(today))
        result.created.update(load_demo_command(month_end(today, data.COMMON_DEADLINE_MONTHS)))
    result.investment = status_sentence(today)
    # Briefings cannot be dated in the future: a demo loaded "as of" a later day gets none.
    if today <= timezone.localdate():
        result.created.update(load_demo_documents(today))
    return result


def _schedules(admin, projects) -> list[Project]:
    """Every project's backward schedule (倒排工期), finishing on its planned finish, approved as its first
    baseline (基准计划) — the plan its weekly figures are measured against. Returns the projects scheduled."""
    scheduled = []
    for project in sorted(projects.values(), key=lambda p: p.code):
        if Task.objects.filter(project=project).exists():
            continue
        if demo_schedule(project=project, user=admin, source=data.SOURCE):
            scheduling_services.baseline_approve(
                user=admin, project=project, note="年初审定的倒排工期计划", source=data.SOURCE
            )
            scheduled.append(project)
    return scheduled


def _replans(admin, scheduled: list[Project], today: datetime.date) -> None:
    """The lagging projects of the stories bring their schedules up to date: the tasks of the indicator
    that lags most take as many working days longer as it lags, so the 倒排工期 page shows the slip against
    the baseline and whether the deadline still holds (北园大街 and 小清河 do not)."""
    codes = {project_code(s, today) for s in data.PROJECTS if s["code"] in STORIES}
    chosen = [p for p in scheduled if p.code in codes]
    if not chosen:
        return
    status = progress_status(user=None, as_of=today, include_indicators=True, fresh=True)
    figures = {p.code: p for p in status.projects}
    for project in chosen:
        row = figures.get(project.code)
        if row is None or row.level == NORMAL or not row.indicators:
            continue
        driving = max(row.indicators, key=lambda i: i.lag_days)
        indicator = project.indicators.filter(name=driving.name).first()
        if indicator is not None:
            demo_replan(
                project=project,
                indicator_id=indicator.pk,
                days=driving.lag_days,
                user=admin,
                source=data.SOURCE,
            )
