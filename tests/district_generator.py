"""A random district for tests: units, users, projects of every type and status, indicators, reporting
units and weekly reports written through the services (submitted, verified, returned), from one seed.

    district = random_district(seed=7, today=datetime.date(2026, 11, 27))
    district.users["office"], district.users["hq"], district.users["street"]

The users: `office` (the leading group's office: sees and reports on everything), `hq` (a headquarters
that leads some projects and supports others), `street` (a street office territorial to some projects and
a reporting unit of a few), `leader` (reads everything).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from tiaodu.core import domain
from tiaodu.orgs.models import Person, Role, Unit, UnitType, User
from tiaodu.progress.models import ReportingUnit
from tiaodu.progress.services import (
    ReportInput,
    report_return,
    report_save_draft,
    report_submit,
    report_verify,
)
from tiaodu.projects.models import Category, Indicator, Project

INDICATORS = [("拆迁面积", "m²"), ("道路长度", "m"), ("绿化面积", "m²"), ("清淤量", "m³"), ("改造栋数", "栋")]


@dataclass
class RandomDistrict:
    seed: int
    today: datetime.date
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)


def _user(name: str, unit: Unit, role: str) -> User:
    person = Person.objects.create(name=f"{name}人员", post="工作人员", unit=unit)
    return User.objects.create_user(username=name, password=None, person=person, role=role)


def _units(rng: random.Random, d: RandomDistrict) -> tuple[list[Unit], list[Unit]]:
    gov = Unit.objects.create(name="随机区委区政府", type=UnitType.GOVERNMENT, sort_order=1)
    office = Unit.objects.create(name="随机领导小组办公室", type=UnitType.OFFICE, parent=gov, sort_order=2)
    hqs = [
        Unit.objects.create(
            name=f"随机第{i + 1}指挥部", type=UnitType.HEADQUARTERS, parent=gov, sort_order=10 + i
        )
        for i in range(rng.randint(3, 6))
    ]
    streets = [
        Unit.objects.create(name=f"随机第{i + 1}街道", type=UnitType.STREET, parent=gov, sort_order=30 + i)
        for i in range(rng.randint(3, 6))
    ]
    d.units = {"gov": gov, "office": office, "hq": hqs[0], "street": streets[0]}
    d.users = {
        "office": _user("rnd_office", office, Role.UNIT),
        "office2": _user("rnd_office2", office, Role.UNIT),  # verifies what the first office user reported
        "hq": _user("rnd_hq", hqs[0], Role.UNIT),
        "street": _user("rnd_street", streets[0], Role.UNIT),
        "leader": _user("rnd_leader", gov, Role.LEADER),
    }
    return hqs, streets


def _project(rng: random.Random, d: RandomDistrict, i: int, hqs: list[Unit], streets: list[Unit]) -> Project:
    status = rng.choice(domain.STATUS_ORDER)
    start = d.today + datetime.timedelta(days=rng.randint(-400, 60))
    if status != domain.NOT_STARTED:
        start = min(start, d.today - datetime.timedelta(days=rng.randint(20, 300)))
    finish = start + datetime.timedelta(days=rng.randint(60, 500))
    project = Project.objects.create(
        code=f"RD-{d.seed}-{i:03d}",
        name=f"随机项目{i:03d}",
        type=rng.choice(domain.TYPE_ORDER),
        category=rng.choice(list(Category.objects.all())),
        lead_unit=rng.choice(hqs),
        planned_start=None if rng.random() < 0.05 else start,
        planned_finish=finish,
        deadline=finish + datetime.timedelta(days=30),
        total_investment=Decimal(rng.randint(100, 90000)),
        status=status,
    )
    territorial = rng.sample(streets, rng.randint(1, min(3, len(streets))))
    project.territorial_units.set(territorial)
    if rng.random() < 0.3:
        project.supporting_units.set([rng.choice(hqs)])
    for unit in territorial:
        if rng.random() < 0.4:
            ReportingUnit.objects.create(project=project, unit=unit)
    for k, (name, unit) in enumerate(rng.sample(INDICATORS, rng.randint(1, 3))):
        Indicator.objects.create(
            project=project,
            name=name,
            unit_of_measure=unit,
            target=Decimal(rng.randint(10, 900) * 10),
            sort_order=k,
        )
    return project


def _reports(rng: random.Random, d: RandomDistrict, project: Project) -> None:
    """Weekly reports up to a random last week: on pace, behind or stopped; some verified or returned."""
    if project.status == domain.NOT_STARTED or project.planned_start is None or rng.random() < 0.15:
        return
    office = d.users["office"]
    pace = rng.choice([1.1, 1.0, 0.95, 0.9, 0.8, 0.5, 0.2])
    span = max((project.planned_finish - project.planned_start).days, 1)
    indicators = list(project.indicators.all())
    last_week = rng.choice([0, 0, 0, 1, 2, 4])
    # A finished project takes no report: its reports were filed while it was 在建.
    final_status = project.status
    project.status = domain.UNDER_CONSTRUCTION if final_status in domain.DONE_STATUSES else final_status
    Project.objects.filter(pk=project.pk).update(status=project.status)
    for week in range(rng.randint(1, 6), last_week - 1, -1):
        day = d.today - datetime.timedelta(days=7 * week + rng.randint(0, 2))
        if day < project.planned_start:
            continue
        share = min(1.0, pace * (day - project.planned_start).days / span)
        figures = {
            ind.pk: (str((ind.target * Decimal(str(round(share, 3)))).quantize(Decimal(1))), "")
            for ind in indicators
        }
        draft = report_save_draft(user=office, project=project, data=ReportInput(as_of=day, figures=figures))
        report = report_submit(user=office, report=draft)
        roll = rng.random()
        # The office reported on the lead unit's behalf: another office user or an administrator verifies.
        if roll < 0.5:
            note = (
                "已核实：现场与照片相符" if report.flags else ""
            )  # a flagged report is verified with a note
            report_verify(user=d.users["office2"], report=report, note=note)
        elif roll < 0.6 and week == last_week:
            report_return(user=d.users["office2"], report=report, reason="请核实")
    if final_status != project.status:
        project.status = final_status
        Project.objects.filter(pk=project.pk).update(status=final_status)


def random_district(*, seed: int, today: datetime.date, projects: int = 40) -> RandomDistrict:
    rng = random.Random(seed)
    d = RandomDistrict(seed=seed, today=today)
    hqs, streets = _units(rng, d)
    d.projects = [_project(rng, d, i, hqs, streets) for i in range(projects)]
    # The users' units have work: the HQ leads a project, the street reports on one.
    first = d.projects[0]
    Project.objects.filter(pk=first.pk).update(lead_unit=d.units["hq"])
    first.territorial_units.add(d.units["street"])
    ReportingUnit.objects.get_or_create(project=first, unit=d.units["street"])
    for project in d.projects:
        project.refresh_from_db()
        _reports(rng, d, project)
    return d
