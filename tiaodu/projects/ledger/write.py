"""Carrying a plan out: units, people, projects (with their territorial units), indicators, and one
change record per created or changed object (source "import"), all with bulk statements.

Called inside the import's transaction, after a plan without errors.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tiaodu.core.audit import RECORD_FIELDS, record_author, record_row, record_values
from tiaodu.core.bulk import insert_new_rows, insert_objects, insert_returning, insert_rows, update_rows
from tiaodu.core.models import ChangeRecord
from tiaodu.orgs.models import Person, Unit
from tiaodu.projects.baseline import dates_of, direct_change, record_direct_changes
from tiaodu.projects.ledger import extensions
from tiaodu.projects.ledger.plan import ExistingIndicator, NewProject, PersonPlan, Planner, chunks
from tiaodu.projects.ledger.schema import BATCH, NEW_PROJECT_FIELDS, PROJECT_WRITE_FIELDS
from tiaodu.projects.models import Indicator, IndicatorShare, Project
from tiaodu.projects.signals import shares_changed
from tiaodu.projects.status_history import record_statuses


class _Records:
    """The change records of the import, collected as plain values and written at the end in one go."""

    def __init__(self, user):
        self.user = user
        self.author = record_author(user)
        self.types = {
            m: ContentType.objects.get_for_model(m).pk
            for m in (Unit, Person, Project, Indicator, IndicatorShare)
        }
        self.rows: list[tuple] = []
        self.objects: list[ChangeRecord] = []  # the extension sheets' records (model instances)

    def add(self, obj, before, after, model, parent=None, parent_model=None) -> None:
        """One record of the change from `before` to `after` (None: created, or deleted)."""
        values = record_values(
            object_id=obj.pk,
            object_repr=str(obj),
            before=before,
            after=after,
            user=self.user,
            source="import",
            content_type_id=self.types[model],
            parent_type_id=self.types[parent_model] if parent_model else None,
            parent_id=parent.pk if parent is not None else None,
        )
        if values is not None:
            self.rows.append(values)

    def add_planned(self, obj, plan, model, parent=None, parent_model=None) -> None:
        """The record of an object the plan creates or changes (`plan.changes` is its diff already): what
        ``add`` gives, without working out the user, the action or the before and after again per record."""
        if plan.existing is not None and not plan.changes:
            return
        self.rows.append(
            record_row(
                self.types[model],
                obj.pk,
                str(obj),
                self.types[parent_model] if parent_model else None,
                parent.pk if parent is not None else None,
                ChangeRecord.Action.CREATE if plan.existing is None else ChangeRecord.Action.UPDATE,
                plan.changes,
                self.author,
                "import",
            )
        )

    def write(self) -> int:
        """Insert the ledger's records, then the extension sheets' ones (all at one moment); how many."""
        now = timezone.now()
        insert_rows(ChangeRecord, (*RECORD_FIELDS, "at"), (values + (now,) for values in self.rows))
        insert_objects(ChangeRecord, self.objects)
        return len(self.rows) + len(self.objects)


def _before(plan) -> dict | None:
    return None if plan.existing is None else {k: v[0] for k, v in plan.changes.items()}


def _after(changes: dict) -> dict:
    return {k: v[1] for k, v in changes.items()}


def write_plan(p: Planner, *, user) -> int:
    """Carry the plan out; the number of change records written."""
    records = _Records(user)
    _write_units(p, records)
    _write_people(p, records)
    _write_projects(p, records)
    _write_indicators(p, records)
    _write_shares(p, records)
    for sheet in extensions.registered():  # the optional sheets of the apps above (资金计划, …)
        if sheet.name in p.extra_plans:
            records.objects.extend(sheet.write(p, p.extra_plans[sheet.name], records.user))
    return records.write()


def _write_units(p: Planner, records: _Records) -> None:
    """Create the new units without parents, then set every parent and type."""
    top = max((u.sort_order for u in p.units_by_name.values()), default=0)
    new_units = []
    for i, plan in enumerate(p.unit_plans, start=1):
        if plan.existing is None:
            new_units.append(Unit(name=plan.name, type=plan.type, sort_order=top + i))
    Unit.objects.bulk_create(new_units, batch_size=BATCH)
    for unit in new_units:
        p.units_by_name[unit.name] = unit
        p.units_by_id[unit.pk] = unit
    changed_units = []
    for plan in p.unit_plans:
        unit = p.units_by_name[plan.name]
        parent_id = p.units_by_name[plan.parent].pk if plan.parent else None
        if plan.existing is None:
            if parent_id:
                unit.parent_id = parent_id
                changed_units.append(unit)
            records.add(unit, None, plan.changes and _after(plan.changes), Unit)
        elif plan.changes:
            unit.type, unit.parent_id = plan.type, parent_id
            changed_units.append(unit)
            records.add(unit, _before(plan), _after(plan.changes), Unit)
    update_rows(Unit, changed_units, ["type", "parent"])


def _write_people(p: Planner, records: _Records) -> None:
    """Create the new people, each in the lead unit of the project that named them."""
    people = []
    for plan in p.new_people.values():
        plan.obj = Person(name=plan.name, unit=p.units_by_name[plan.unit])
        people.append(plan.obj)
    Person.objects.bulk_create(people, batch_size=BATCH)
    for plan in p.new_people.values():
        records.add(
            plan.obj,
            None,
            {"姓名": plan.name, "单位": plan.unit},
            Person,
            parent=p.units_by_name[plan.unit],
            parent_model=Unit,
        )


def _person_id(ref):
    if ref is None:
        return None
    return ref.obj.pk if isinstance(ref, PersonPlan) else ref.pk


def _write_projects(p: Planner, records: _Records) -> None:
    """Create and update the projects, then replace the territorial units of those whose changed."""
    now = timezone.now()
    new_plans, changed_projects, reset_ids = [], [], []
    dates_before, status_before = {}, {}
    for plan in p.project_plans:
        if plan.existing is None:
            new_plans.append(plan)
            continue
        if not plan.changes and not plan.territorial_changed:
            continue
        obj = plan.obj = plan.existing
        dates_before[obj.pk] = dates_of(obj)
        status_before[obj.pk] = obj.status
        _fill_project(p, obj, plan)
        obj.updated_at = now
        changed_projects.append(obj)
        if plan.territorial_changed:
            reset_ids.append(obj.pk)
    new_projects = _insert_projects(p, new_plans)
    update_rows(Project, changed_projects, PROJECT_WRITE_FIELDS)
    record_statuses(
        new_projects + [o for o in changed_projects if o.status != status_before[o.pk]],
        user=records.user,
        source="import",
    )
    record_direct_changes(  # the office's direct change of a baseline date: an approved 计划变更
        direct_change(user=records.user, project=obj, dates_before=dates_before[obj.pk])
        for obj in changed_projects
    )
    through = Project.territorial_units.through
    for chunk in chunks(reset_ids, 900):
        through.objects.filter(project_id__in=chunk).delete()
    through_rows = []
    for plan in p.project_plans:
        if plan.obj is None:
            continue
        if plan.existing is None or plan.territorial_changed:
            for name in plan.territorial:
                through_rows.append((plan.obj.pk, p.units_by_name[name].pk))
        if plan.changes:
            records.add_planned(plan.obj, plan, Project)
        p.existing_projects[plan.code] = plan.obj
    insert_rows(through, ("project_id", "unit_id"), through_rows)


def _insert_projects(p: Planner, plans: list) -> list[NewProject]:
    """Insert the new projects as plain rows (keys read back by code); the inserted projects, in order."""
    rows = [(plan.code, *_project_values(p, plan)) for plan in plans]
    inserted = insert_new_rows(Project, NEW_PROJECT_FIELDS, rows, returning=("id", "code"))
    keys = {code: pk for pk, code in inserted}
    for plan in plans:
        plan.obj = NewProject(keys[plan.code], plan.code, plan.values["name"], plan.values["status"])
    return [plan.obj for plan in plans]


def _project_values(p: Planner, plan) -> tuple:
    """A project's written columns from its plan: NEW_PROJECT_FIELDS after "code", in that order."""
    v = plan.values
    return (
        v["name"],
        v["type"],
        v["category"].pk,
        v["description"],
        p.units_by_name[plan.lead_unit].pk,
        _person_id(plan.leader),
        _person_id(plan.responsible),
        v["planned_start"],
        v["planned_finish"],
        v["deadline"],
        v["total_investment"],
        v["status"],
        v["longitude"],
        v["latitude"],
    )


def _fill_project(p: Planner, obj: Project, plan) -> None:
    for name, value in zip(NEW_PROJECT_FIELDS[1:], _project_values(p, plan), strict=True):
        setattr(obj, name, value)


def _write_indicators(p: Planner, records: _Records) -> None:
    """Insert the new indicators as plain rows (their pks read back by project and name), update the
    changed ones; each gets its change record, and a changed target its direct baseline change."""
    new_plans, changed_indicators = [], []
    targets_before = {}
    for plan in p.indicator_plans:
        if plan.existing is None:
            new_plans.append(plan)
        elif plan.changes:
            obj = plan.existing
            targets_before[obj.pk] = obj.target
            obj.unit_of_measure, obj.target = plan.unit_of_measure, plan.target
            changed_indicators.append((obj, plan))
    rows = [
        (p.existing_projects[plan.code].pk, plan.name, plan.unit_of_measure, plan.target, plan.sort_order)
        for plan in new_plans
    ]
    new_ids = {
        (project_id, name): pk
        for pk, project_id, name in insert_returning(
            Indicator,
            ("project_id", "name", "unit_of_measure", "target", "sort_order"),
            rows,
            returning=("id", "project_id", "name"),
        )
    }
    new_indicators = []
    for (project_id, name, uom, target, sort_order), plan in zip(rows, new_plans, strict=True):
        obj = ExistingIndicator(new_ids[project_id, name], project_id, name, uom, target, sort_order)
        p.existing_indicators[(project_id, name)] = obj
        new_indicators.append((obj, plan))
    update_rows(Indicator, [o for o, _ in changed_indicators], ["unit_of_measure", "target"])
    record_direct_changes(
        direct_change(
            user=records.user,
            project=p.existing_projects[plan.code],
            indicator=obj,
            target_before=targets_before[obj.pk],
        )
        for obj, plan in changed_indicators
    )
    for obj, plan in new_indicators + changed_indicators:
        records.add_planned(obj, plan, Indicator, parent=p.existing_projects[plan.code], parent_model=Project)


def _write_shares(p: Planner, records: _Records) -> None:
    """Create, change and remove the shares of the indicators the 属地分解 sheet names; the share units
    become reporting units of their projects (signals.shares_changed)."""
    if not p.share_plans:
        return
    new, changed, removed, logged = [], [], [], []
    for plan in p.share_plans:
        project = p.existing_projects[plan.code]
        indicator = p.existing_indicators[(project.pk, plan.name)]
        for unit_name, pk, changes in plan.changes:
            unit = p.units_by_name[unit_name]
            if pk is None:
                obj = IndicatorShare(indicator_id=indicator.pk, unit=unit, target=plan.shares[unit_name][0])
                new.append(obj)
            elif unit_name not in plan.shares:
                obj = IndicatorShare(pk=pk, indicator_id=indicator.pk, unit=unit)
                removed.append(pk)
            else:
                obj = IndicatorShare(
                    pk=pk, indicator_id=indicator.pk, unit=unit, target=plan.shares[unit_name][0]
                )
                changed.append(obj)
            obj.indicator = (
                indicator if isinstance(indicator, Indicator) else Indicator(pk=indicator.pk, name=plan.name)
            )
            logged.append((obj, changes, project, pk is None, unit_name in plan.shares))
    IndicatorShare.objects.filter(pk__in=removed).delete()
    IndicatorShare.objects.bulk_create(new, batch_size=BATCH)
    update_rows(IndicatorShare, changed, ["target"])
    for obj, changes, project, created, kept in logged:
        before = None if created else {k: v[0] for k, v in changes.items()}
        after = _after(changes) if kept else None
        records.add(obj, before, after, IndicatorShare, parent=project, parent_model=Project)
    shares_changed.send(sender=IndicatorShare, project_ids=sorted({o[2].pk for o in logged}))
