"""The import writes its new projects as plain rows (issue 16): on random ledgers, the database after an
import must hold exactly what the replaced path (one ``Project`` instance per new project, inserted with
every field and its primary key filled back in; kept below as the reference) left — the projects, their
territorial units and indicators, the people created, the status history and every change record (who,
what, in which order), with one moment per import for the records."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.projects.ledger.helpers import write_ledger
from tiaodu.core import bulk
from tiaodu.core.models import ChangeRecord
from tiaodu.orgs.models import Person, Unit
from tiaodu.projects.ledger import ledger_import, write
from tiaodu.projects.models import Indicator, Project, ProjectChange, ProjectStatusChange

LEADS = ["北园大街改造指挥部", "小清河综合治理指挥部", "区建设局"]
STREETS = ["北园街道", "泺口街道"]
PEOPLE = ["", "王区长", "赵指挥", "钱主任", "新人甲", "新人乙"]
STATUSES = ["未开工", "在建", "已竣工", "已验收", "暂停"]
INDICATORS = [("道路长度", "km"), ("拆迁面积", "m²"), ("绿化面积", "m²"), ("清淤", "m³")]


# --- the replaced path, as it was ------------------------------------------------------------------------


def reference_insert_new_objects(model, objs, *, key, using=DEFAULT_DB_ALIAS) -> int:
    if not objs:
        return 0
    meta = model._meta
    columns = [f for f in meta.local_concrete_fields if not f.primary_key]
    stamped = [f for f in columns if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    names = [f.attname for f in columns]
    rows = []
    for o in objs:
        for f in stamped:
            f.pre_save(o, True)
        rows.append([getattr(o, name) for name in names])
    key_attrs = [bulk._field(meta, name).attname for name in key]
    by_key = {tuple(getattr(o, a) for a in key_attrs): o for o in objs}
    returning = [meta.pk.name, *key]
    for pk, *values in bulk.insert_returning(model, names, rows, returning=returning, using=using):
        o = by_key[tuple(values)]
        o.pk = pk
        o._state.adding = False
        o._state.db = using
    return len(objs)


def reference_write_projects(p, records) -> None:
    now = timezone.now()
    new_projects, changed_projects, reset_ids = [], [], []
    dates_before, status_before = {}, {}
    for plan in p.project_plans:
        if plan.existing is not None and not plan.changes and not plan.territorial_changed:
            continue
        obj = plan.existing or Project(code=plan.code)
        if plan.existing is not None:
            dates_before[obj.pk] = write.dates_of(obj)
            status_before[obj.pk] = obj.status
        write._fill_project(p, obj, plan)
        obj.updated_at = now
        plan.obj = obj
        if plan.existing is None:
            new_projects.append(obj)
        else:
            changed_projects.append(obj)
            if plan.territorial_changed:
                reset_ids.append(obj.pk)
    reference_insert_new_objects(Project, new_projects, key=("code",))
    write.update_rows(Project, changed_projects, write.PROJECT_WRITE_FIELDS)
    write.record_statuses(
        new_projects + [o for o in changed_projects if o.status != status_before[o.pk]],
        user=records.user,
        source="import",
    )
    write.record_direct_changes(
        write.direct_change(user=records.user, project=obj, dates_before=dates_before[obj.pk])
        for obj in changed_projects
    )
    through = Project.territorial_units.through
    for chunk in write.chunks(reset_ids, 900):
        through.objects.filter(project_id__in=chunk).delete()
    through_rows = []
    for plan in p.project_plans:
        if plan.obj is None:
            continue
        if plan.existing is None or plan.territorial_changed:
            for name in plan.territorial:
                through_rows.append((plan.obj.pk, p.units_by_name[name].pk))
        if plan.changes:
            records.add(
                plan.obj,
                write._before(plan),
                write._after(plan.changes),
                Project,  # its record from before and after
            )
        p.existing_projects[plan.code] = plan.obj
    write.insert_rows(through, ("project_id", "unit_id"), through_rows)


# --- random ledgers --------------------------------------------------------------------------------------

DAYS = st.dates(datetime.date(2025, 1, 1), datetime.date(2028, 12, 31))
MONEY = st.one_of(
    st.none(),
    st.integers(0, 10**9),
    st.decimals(0, 10**7, places=2).map(float),
    st.decimals(0, 10**6, places=3).map(str),
)


@st.composite
def project_row(draw, code: str) -> dict:
    start = draw(st.one_of(st.none(), DAYS))
    finish = draw(st.one_of(st.none(), DAYS.filter(lambda d: start is None or d >= start)))
    deadline = draw(st.one_of(st.none(), DAYS, DAYS.map(datetime.date.isoformat)))
    place = draw(st.booleans())
    return {
        "项目编号": code,
        "项目名称": draw(
            st.text("北园大街道路拓宽改造工程（一期）AB12 ", min_size=1, max_size=30).filter(str.strip)
        ),
        "项目类型": draw(st.sampled_from(["重点建设", "综合整治"])),
        "项目类别": draw(st.sampled_from(["道路", "河道"])),
        "牵头单位": draw(st.sampled_from(LEADS)),
        "属地单位": "、".join(draw(st.lists(st.sampled_from(STREETS), min_size=1, max_size=2, unique=True))),
        "分管领导": draw(st.sampled_from(PEOPLE)),
        "责任人": draw(st.sampled_from(PEOPLE)),
        "计划开工": start,
        "计划完工": finish,
        "完成时限": deadline,
        "总投资(万元)": draw(MONEY),
        "建设内容": draw(st.sampled_from(["", "道路拓宽及两侧立面整治", "河道清淤\n护坡"])),
        "状态": draw(st.sampled_from(STATUSES)),
        "经度": draw(st.floats(-180, 180).map(lambda x: round(x, 6))) if place else None,
        "纬度": draw(st.floats(-90, 90).map(lambda x: round(x, 6))) if place else None,
    }


@st.composite
def ledgers(draw) -> tuple[list[dict], list[dict]]:
    n = draw(st.integers(1, 12))
    projects = [draw(project_row(f"HX-{i:03d}")) for i in range(n)]
    if draw(st.booleans()):  # the district's project, updated in the same import
        projects.append(dict(draw(project_row("ZD-001")), 状态="在建", 牵头单位="北园大街改造指挥部"))
    indicators = []
    for row in projects:
        for name, uom in draw(st.lists(st.sampled_from(INDICATORS), max_size=3, unique=True)):
            target = draw(st.decimals(Decimal("0.001"), 10**6, places=3))
            indicators.append(
                {"项目编号": row["项目编号"], "指标名称": name, "计量单位": uom, "目标值": str(target)}
            )
    return projects, indicators


# --- the database, with its keys as the user knows them ----------------------------------------------------


def _keys() -> dict:
    units = dict(Unit.objects.values_list("pk", "name"))
    people = {
        pk: (name, units[unit]) for pk, name, unit in Person.objects.values_list("pk", "name", "unit_id")
    }
    projects = dict(Project.objects.values_list("pk", "code"))
    indicators = {
        pk: (projects[pid], name)
        for pk, pid, name in Indicator.objects.values_list("pk", "project_id", "name")
    }
    return {"unit": units, "person": people, "project": projects, "indicator": indicators}


def _dump(records_before: set[int], started: datetime.datetime) -> dict:
    k = _keys()
    projects = []
    for p in Project.objects.order_by("code"):
        row = {f.attname: getattr(p, f.attname) for f in Project._meta.concrete_fields}
        del row["id"]
        created, updated = row.pop("created_at"), row.pop("updated_at")
        if p.code.startswith("HX-"):
            assert started <= created <= timezone.now() and started <= updated <= timezone.now()
        row["lead_unit_id"] = k["unit"][p.lead_unit_id]
        row["supervising_leader_id"] = k["person"].get(p.supervising_leader_id)
        row["responsible_person_id"] = k["person"].get(p.responsible_person_id)
        projects.append(row)
    through = Project.territorial_units.through.objects.order_by("id").values_list("project_id", "unit_id")
    records = list(ChangeRecord.objects.exclude(pk__in=records_before).order_by("id"))
    assert len({r.at for r in records}) <= 1  # one moment per import
    history = list(ProjectStatusChange.objects.order_by("id"))
    assert len({h.recorded_at for h in history if h.source == "import"}) <= 1
    return {
        "projects": projects,
        "territorial": [(k["project"][p], k["unit"][u]) for p, u in through],
        "indicators": sorted(
            (k["project"][i.project_id], i.name, i.unit_of_measure, i.target, i.sort_order)
            for i in Indicator.objects.all()
        ),
        "people": sorted(k["person"].values()),
        "history": [(k["project"][h.project_id], h.status, h.date, h.user_id, h.source) for h in history],
        "changes": sorted(
            (
                (k["project"][c.project_id], c.planned_start, c.planned_finish, c.deadline, str(c.old_values))
                for c in ProjectChange.objects.all()
            ),
            key=repr,
        ),
        "records": [
            (
                r.content_type.model,
                k[r.content_type.model][r.object_id] if r.content_type.model in k else r.object_id,
                r.object_repr,
                k[r.parent_type.model][r.parent_id] if r.parent_type_id else None,
                r.action,
                r.changes,
                r.user_id,
                r.user_name,
                r.source,
            )
            for r in records
        ],
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledger=ledgers())
def test_the_import_leaves_what_the_model_instance_path_left(district, tmp_path_factory, ledger):
    projects, indicators = ledger
    path = write_ledger(tmp_path_factory.mktemp("l") / "l.xlsx", projects=projects, indicators=indicators)
    office = district.users["office"]
    records_before = set(ChangeRecord.objects.values_list("pk", flat=True))
    dumps = []
    for writer in (reference_write_projects, write._write_projects):
        point = transaction.savepoint()
        started = timezone.now()
        try:
            with mock.patch.object(write, "_write_projects", writer):
                result = ledger_import(user=office, path_or_file=path)
            assert result.written, result.errors
            dumps.append(_dump(records_before, started))
        finally:
            transaction.savepoint_rollback(point)
    reference, got = dumps
    assert got == reference
    assert len(got["records"]) == result.records
