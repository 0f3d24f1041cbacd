"""The overview reads the latest counted figures with `counted IN (1)` (rows.COUNTED) so that SQLite seeks
the index figure_latest instead of sorting every figure of an indicator (issue 16). Same rows as the bare
`counted` filter it replaced, on random districts with territorial shares; and the index is used."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.district_generator import random_district
from tiaodu.progress.overview import rows
from tiaodu.projects.models import Indicator, IndicatorShare

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _with_shares(district) -> None:
    """Split every third indicator between its project's lead unit and another unit that reports."""
    units = list(district.units.values())
    for k, ind in enumerate(Indicator.objects.select_related("project").order_by("id")):
        if k % 3:
            continue
        other = next(u for u in units if u.pk != ind.project.lead_unit_id)
        IndicatorShare.objects.create(indicator=ind, unit_id=ind.project.lead_unit_id, target=ind.target / 2)
        IndicatorShare.objects.create(indicator=ind, unit=other, target=ind.target - ind.target / 2)


def test_the_same_rows_as_with_the_bare_counted_filter(monkeypatch):
    district = random_district(seed=11, today=TODAY, projects=30)
    _with_shares(district)
    assert IndicatorShare.objects.exists()
    seen = []
    for as_of in (TODAY, TODAY - datetime.timedelta(days=17), TODAY - datetime.timedelta(days=60)):
        new = rows.compute_rows(as_of)
        monkeypatch.setattr(rows, "COUNTED", {"counted": True})
        old = rows.compute_rows(as_of)
        monkeypatch.undo()
        assert new == old
        seen += [r["last_report"] for r in new[0]]
        seen += [s["actual"] for details in new[1].values() for ind in details for s in ind["shares"]]
    assert any(seen)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_sqlite_seeks_the_latest_figure_in_the_index():
    district = random_district(seed=5, today=TODAY, projects=5)
    assert district.projects
    with CaptureQueriesContext(connection) as queries:
        rows.indicator_rows(None, TODAY)
    sql = next(q["sql"] for q in queries.captured_queries if '"projects_indicator"."target"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "figure_latest (indicator_id=? AND counted=? AND as_of<?)" in plan
