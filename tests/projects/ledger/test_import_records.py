"""The import writes its new projects, indicators, status history and change records as plain rows (issue 16,
no model instances): each record must be the one the model-instance path (``audit.build_record`` over
``audit.snapshot`` of the saved object) gives, and every new row must carry the primary key of its own
object, also when the rows go out in several statements."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.projects.ledger.helpers import NEW_PROJECT, write_ledger
from tiaodu.core import bulk
from tiaodu.core.audit import RECORD_FIELDS, build_record, snapshot
from tiaodu.core.models import ChangeRecord
from tiaodu.projects.ledger import ledger_import
from tiaodu.projects.models import Indicator, Project, ProjectStatusChange


def _ledger(tmp_path, n: int):
    projects = [
        dict(
            NEW_PROJECT,
            项目编号=f"ZD-{100 + i}",
            项目名称=f"项目{i}",
            属地单位="北园街道" if i % 2 else "北园街道、泺口街道",
            状态="在建" if i % 3 else "未开工",
            **{"总投资(万元)": str(1000 + i)},
        )
        for i in range(n)
    ]
    indicators = [
        {"项目编号": f"ZD-{100 + i}", "指标名称": name, "计量单位": uom, "目标值": target + i}
        for i in range(n)
        for name, uom, target in (("道路长度", "km", 2.5), ("拆迁面积", "m²", 8000), ("绿化", "m²", 12.125))
    ]
    return write_ledger(tmp_path / "l.xlsx", projects=projects, indicators=indicators)


def _reference(obj, parent, user) -> dict:
    """The record the model-instance path writes for a newly created object."""
    record = build_record(
        obj=obj, before=None, after=snapshot(obj, type(obj).TRACKED_FIELDS), user=user, parent=parent
    )
    record.source = "import"
    return {f: getattr(record, f) for f in RECORD_FIELDS}


@pytest.mark.parametrize("statement_rows", [1000, 2])
def test_each_new_object_gets_its_own_key_and_the_reference_change_record(
    district, tmp_path, monkeypatch, statement_rows
):
    monkeypatch.setattr(bulk, "PG_ROWS", statement_rows)  # 2: many statements, returned keys matched
    monkeypatch.setattr(bulk, "SQLITE_ROWS", statement_rows)
    office = district.users["office"]
    before = set(ChangeRecord.objects.values_list("pk", flat=True))
    result = ledger_import(user=office, path_or_file=_ledger(tmp_path, 7))
    assert result.ok and result.written, result.errors
    assert result.counts["projects_created"] == 7 and result.counts["indicators_created"] == 21

    records = ChangeRecord.objects.exclude(pk__in=before).order_by("id")
    projects = {p.pk: p for p in Project.objects.filter(code__startswith="ZD-1")}
    indicators = {i.pk: i for i in Indicator.objects.filter(project__in=projects.values())}
    seen = {"project": 0, "indicator": 0}
    for record in records:
        got = {f: getattr(record, f) for f in RECORD_FIELDS}
        if record.content_type.model == "project":
            obj, parent = projects[record.object_id], None
        elif record.content_type.model == "indicator":
            obj = indicators[record.object_id]
            parent = obj.project
        else:
            continue  # people: not tracked by snapshot
        assert got == _reference(obj, parent, office)
        seen[record.content_type.model] += 1
    assert seen == {"project": 7, "indicator": 21}
    assert indicators[min(indicators)].target == pytest.approx(2.5)

    history = ProjectStatusChange.objects.filter(project__in=projects.values()).order_by("project__code")
    assert [(h.project.code, h.status, h.user_id, h.source) for h in history] == [
        (p.code, p.status, office.pk, "import") for p in sorted(projects.values(), key=lambda p: p.code)
    ]
    assert {h.date for h in history} == {timezone.localdate()}
    assert all(h.recorded_at is not None for h in history)


def test_the_re_import_of_the_same_file_writes_nothing(district, tmp_path):
    path = _ledger(tmp_path, 3)
    assert ledger_import(user=None, path_or_file=path).written
    count = ChangeRecord.objects.count(), ProjectStatusChange.objects.count()
    again = ledger_import(user=None, path_or_file=path)
    assert again.ok and not again.changed
    assert (ChangeRecord.objects.count(), ProjectStatusChange.objects.count()) == count
