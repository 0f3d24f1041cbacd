"""The plan of an import: what the database holds now, and one plan per row of the file.

``Planner`` loads units, categories and people once, the file's projects by code in chunks (with their
territorial units and indicators, indicators as plain tuples), and collects the plans that
``tiaodu.projects.ledger.rows`` makes from the sheets. Nothing here writes; ``counts`` and ``samples``
describe the plan for the preview.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tiaodu.orgs.models import Person, Unit
from tiaodu.projects.ledger.result import ErrorList
from tiaodu.projects.ledger.schema import (
    BATCH,
    CHANGE_SAMPLE,
    KIND_LABELS,
    SHEET_PROJECTS,
    max_length,
    project_view,
)
from tiaodu.projects.models import Category, Indicator, Project


@dataclass
class UnitPlan:
    row: int
    name: str
    type: str
    parent: str  # a unit name or ""
    existing: Unit | None = None
    changes: dict | None = None


@dataclass
class PersonPlan:
    name: str
    unit: str  # unit name
    obj: Person | None = None


@dataclass
class ProjectPlan:
    row: int
    code: str
    values: dict[str, Any]  # plain fields + "category" (Category)
    lead_unit: str
    territorial: list[str]
    leader: Any  # Person | PersonPlan | None
    responsible: Any
    existing: Project | None = None
    changes: dict | None = None
    territorial_changed: bool = False
    obj: Project | NewProject | None = None


@dataclass(slots=True)
class NewProject:
    """A project this import has just inserted, as the writes after it use it (its key, code, name and
    status; cheaper than 20,000 model instances). ``str()`` is ``Project``'s."""

    pk: int
    code: str
    name: str
    status: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(slots=True)
class ExistingIndicator:
    """An indicator as loaded for the plan (cheaper than 60,000 model instances)."""

    pk: int
    project_id: int
    name: str
    unit_of_measure: str
    target: Decimal
    sort_order: int

    def __str__(self) -> str:
        return f"{self.name}（{self.unit_of_measure}）"


@dataclass
class IndicatorPlan:
    row: int
    code: str
    name: str
    unit_of_measure: str
    target: Decimal
    sort_order: int = 0
    existing: ExistingIndicator | None = None
    changes: dict | None = None


def chunks(items: list, size: int = BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def person_name(p) -> str:
    return p.name if p is not None else ""


def _sample(label: str, existing, changes: dict) -> dict:
    return {"object": label, "action": "新建" if existing is None else "修改", "changes": changes}


class Planner:
    """The database as the plan sees it, and the plans made so far."""

    def __init__(self, sheets: dict[str, list[tuple[int, list]]], errors: ErrorList):
        self.sheets = sheets
        self.errors = errors
        self.units_by_name: dict[str, Unit] = {u.name: u for u in Unit.objects.all()}
        self.units_by_id: dict[int, Unit] = {u.pk: u for u in self.units_by_name.values()}
        self.categories: dict[str, Category] = {c.name: c for c in Category.objects.all()}
        self.categories_by_id: dict[int, str] = {c.pk: c.name for c in self.categories.values()}
        self.people_by_name: dict[str, list] = defaultdict(list)
        self.people_by_id: dict[int, Person] = {}
        for p in Person.objects.only("id", "name", "unit_id"):
            self.people_by_name[p.name].append(p)
            self.people_by_id[p.pk] = p
        self.unit_plans: list[UnitPlan] = []
        self.file_units: set[str] = set()
        self.new_people: dict[tuple[str, str], PersonPlan] = {}
        self.project_plans: list[ProjectPlan] = []
        self.file_codes: set[str] = set()
        # the projects of the file in the database; after the projects are written, the new ones too (NewProject)
        self.existing_projects: dict[str, Project | NewProject] = {}
        self.existing_territorial: dict[int, list[int]] = defaultdict(list)
        self.existing_indicators: dict[tuple[int, str], ExistingIndicator] = {}
        self.max_sort: dict[int, int] = defaultdict(int)
        self.indicator_plans: list[IndicatorPlan] = []
        self.share_plans: list = []  # share_rows.SharePlan
        self.extra_plans: dict[str, Any] = {}  # the optional sheets of the apps above (extensions)

    def known_unit(self, name: str) -> bool:
        return name in self.units_by_name or name in self.file_units

    def load_projects(self, codes: list[str]) -> None:
        """The projects of these codes, with their territorial units and indicators."""
        through = Project.territorial_units.through
        for chunk in chunks(codes, 900):
            found = list(Project.objects.filter(code__in=chunk))
            for p in found:
                self.existing_projects[p.code] = p
            ids = [p.pk for p in found]
            if not ids:
                continue
            for project_id, unit_id in (
                through.objects.filter(project_id__in=ids).order_by("id").values_list("project_id", "unit_id")
            ):
                self.existing_territorial[project_id].append(unit_id)
            rows = Indicator.objects.filter(project_id__in=ids).values_list(
                "id", "project_id", "name", "unit_of_measure", "target", "sort_order"
            )
            for row in rows:
                ind = ExistingIndicator(*row)
                self.existing_indicators[(ind.project_id, ind.name)] = ind
                self.max_sort[ind.project_id] = max(self.max_sort[ind.project_id], ind.sort_order)

    def resolve_person(self, name: str, lead: str, current: Person | None, row: int, column: str):
        """The person a name means on a project led by `lead` (a unit name); None after an error."""
        if not name:
            return None
        if len(name) > max_length(Person, "name"):
            self.errors.add(SHEET_PROJECTS, row, column, f"超过{max_length(Person, 'name')}个字符")
            return None
        if current is not None and current.name == name:
            return current
        lead_unit = self.units_by_name.get(lead)
        candidates = self.people_by_name.get(name, [])
        for p in candidates:
            if isinstance(p, PersonPlan):
                if p.unit == lead:
                    return p
            elif lead_unit is not None and p.unit_id == lead_unit.pk:
                return p
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            plan = PersonPlan(name, lead)
            self.new_people[(lead, name)] = plan
            self.people_by_name[name].append(plan)
            return plan
        units = "、".join(
            sorted(
                p.unit if isinstance(p, PersonPlan) else self.units_by_id[p.unit_id].name for p in candidates
            )
        )
        self.errors.add(
            SHEET_PROJECTS,
            row,
            column,
            f"「{name}」在多个单位有同名人员（{units}），牵头单位「{lead}」中没有此人，无法确定是谁",
        )
        return None

    # the change-log views of a project ----------------------------------------------------------

    def view_of_plan(self, plan: ProjectPlan) -> dict[str, str]:
        v = plan.values
        return project_view(
            code=v["code"],
            name=v["name"],
            type=v["type"],
            category=v["category"].name,
            description=v["description"],
            lead_unit=plan.lead_unit,
            territorial=plan.territorial,
            leader=person_name(plan.leader),
            responsible=person_name(plan.responsible),
            planned_start=v["planned_start"],
            planned_finish=v["planned_finish"],
            deadline=v["deadline"],
            total_investment=v["total_investment"],
            status=v["status"],
            longitude=v["longitude"],
            latitude=v["latitude"],
        )

    def view_of_project(self, p: Project) -> dict[str, str]:
        return project_view(
            code=p.code,
            name=p.name,
            type=p.type,
            category=self.categories_by_id[p.category_id],
            description=p.description,
            lead_unit=self.units_by_id[p.lead_unit_id].name,
            territorial=[self.units_by_id[i].name for i in self.existing_territorial[p.pk]],
            leader=person_name(self.people_by_id.get(p.supervising_leader_id)),
            responsible=person_name(self.people_by_id.get(p.responsible_person_id)),
            planned_start=p.planned_start,
            planned_finish=p.planned_finish,
            deadline=p.deadline,
            total_investment=p.total_investment,
            status=p.status,
            longitude=p.longitude,
            latitude=p.latitude,
        )

    # the plan described -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        def count(plans):
            created = sum(1 for p in plans if p.existing is None)
            updated = sum(1 for p in plans if p.existing is not None and p.changes)
            return created, updated, len(plans) - created - updated

        c: dict[str, int] = {}
        for kind, plans in (
            ("units", self.unit_plans),
            ("projects", self.project_plans),
            ("indicators", self.indicator_plans),
        ):
            c[f"{kind}_created"], c[f"{kind}_updated"], c[f"{kind}_unchanged"] = count(plans)
        c["projects_updated"] += sum(
            1
            for p in self.project_plans
            if p.existing is not None and not p.changes and p.territorial_changed
        )
        c["projects_unchanged"] = len(self.project_plans) - c["projects_created"] - c["projects_updated"]
        c["people_created"] = len(self.new_people)
        return c

    def samples(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {k: [] for k in KIND_LABELS}
        for plan in self.unit_plans:
            if plan.changes and len(out["unit"]) < CHANGE_SAMPLE:
                out["unit"].append(_sample(plan.name, plan.existing, plan.changes))
        for person in self.new_people.values():
            if len(out["person"]) >= CHANGE_SAMPLE:
                break
            out["person"].append(
                _sample(person.name, None, {"姓名": ["", person.name], "单位": ["", person.unit]})
            )
        for plan in self.project_plans:
            if plan.changes and len(out["project"]) < CHANGE_SAMPLE:
                out["project"].append(
                    _sample(f"{plan.code} {plan.values['name']}", plan.existing, plan.changes)
                )
        for plan in self.indicator_plans:
            if plan.changes and len(out["indicator"]) < CHANGE_SAMPLE:
                out["indicator"].append(_sample(f"{plan.code} {plan.name}", plan.existing, plan.changes))
        return out
