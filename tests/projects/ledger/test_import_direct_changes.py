"""An import that changes baseline dates and indicator targets of existing projects records each as an
approved direct 计划变更; the records go out in bulk statements (issue 16) and must be the rows the
row-by-row path (one ``ProjectChange.objects.create`` per change) writes."""

from __future__ import annotations

import datetime

from django.db import transaction

from tests.projects.ledger.helpers import NEW_PROJECT, write_ledger
from tiaodu.projects.ledger import ledger_import, write
from tiaodu.projects.models import ProjectChange

FIELDS = (
    "project_id",
    "status",
    "direct",
    "reason",
    "planned_start",
    "planned_finish",
    "deadline",
    "targets",
    "old_values",
    "requested_by_id",
    "requesting_unit_id",
    "decided_by_id",
    "decision_note",
)


def _ledger(path, n: int, *, edited: bool):
    projects, indicators = [], []
    for i in range(n):
        shift = datetime.timedelta(days=10 + i) if edited and i % 3 else datetime.timedelta(0)
        projects.append(
            dict(
                NEW_PROJECT,
                项目编号=f"ZD-{100 + i}",
                项目名称=f"项目{i}{'（改）' if edited else ''}",
                计划开工=NEW_PROJECT["计划开工"] + shift,
                完成时限="2027-03-31" if edited and i % 2 else "2027-01-31",
            )
        )
        for k, (name, uom, target) in enumerate((("道路长度", "km", 2.5), ("拆迁面积", "m²", 8000))):
            changed = edited and (i + k) % 2
            indicators.append(
                {
                    "项目编号": f"ZD-{100 + i}",
                    "指标名称": name,
                    "计量单位": uom,
                    "目标值": target + i + changed * 0.75,
                }
            )
    return write_ledger(path, projects=projects, indicators=indicators)


def _rows(before: set[int]) -> list[dict]:
    changes = ProjectChange.objects.exclude(pk__in=before).order_by("id")
    return [
        {f: getattr(c, f) for f in FIELDS} | {"same_moment": c.requested_at == c.decided_at} for c in changes
    ]


def test_the_bulk_direct_changes_are_the_row_by_row_ones(district, tmp_path, monkeypatch):
    office = district.users["office"]
    assert ledger_import(user=office, path_or_file=_ledger(tmp_path / "a.xlsx", 6, edited=False)).written
    edited = _ledger(tmp_path / "b.xlsx", 6, edited=True)
    before = set(ProjectChange.objects.values_list("pk", flat=True))

    def one_by_one(changes):
        for change in changes:
            if change is not None:
                ProjectChange.objects.create(
                    **{
                        f.attname: getattr(change, f.attname)
                        for f in change._meta.concrete_fields
                        if not f.primary_key
                    }
                )

    point = transaction.savepoint()
    with monkeypatch.context() as m:
        m.setattr(write, "record_direct_changes", one_by_one)
        assert ledger_import(user=office, path_or_file=edited).written
    reference = _rows(before)
    transaction.savepoint_rollback(point)
    assert not ProjectChange.objects.exclude(pk__in=before).exists()

    assert ledger_import(user=office, path_or_file=edited).written
    got = _rows(before)
    assert got == reference
    # the 5 projects with a date moved (i % 3 or i % 2), then the 6 changed targets, in that order
    assert [bool(r["targets"]) for r in got] == [False] * 5 + [True] * 6
    first = got[0]
    assert first["old_values"] == {"planned_start": "2026-04-01", "deadline": "2027-01-31"}
    assert first["planned_start"] == datetime.date(2026, 4, 12)
    assert first["deadline"] == datetime.date(2027, 3, 31) and first["planned_finish"] is None
    assert first["status"] == "approved" and first["direct"] and first["requested_by_id"] == office.pk
    assert first["same_moment"]
    target = got[5]
    assert target["targets"][0]["name"] == "拆迁面积" and target["targets"][0]["target"] == "8000.75"
    assert list(target["old_values"]["targets"].values()) == ["8000"]
