"""The dashboard's count of flagged reports (selectors.flagged_reports) is answered from the partial index
report_flagged, and counts exactly the counted submitted/verified revisions that carry flags."""

import datetime

import pytest
from django.db import connection

from tests.district_generator import random_district
from tiaodu.progress import selectors
from tiaodu.progress.models import Report, ReportStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def _expected() -> int:
    shown = {ReportStatus.SUBMITTED, ReportStatus.VERIFIED}
    return sum(1 for r in Report.objects.all() if r.counted and r.status in shown and r.flags)


def test_the_count_is_the_flagged_counted_revisions():
    district = random_district(seed=3, today=TODAY, projects=4)
    flagged = Report.objects.filter(counted=True).order_by("id")[:3]
    Report.objects.filter(pk__in=[r.pk for r in flagged]).update(flags=["progress_jump"])
    expected = _expected()
    assert expected >= 3
    assert selectors.flagged_reports(user=district.users["leader"]).count() == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_sqlite_counts_from_the_partial_index():
    district = random_district(seed=4, today=TODAY, projects=1)
    sql, params = (
        selectors.flagged_reports(user=district.users["leader"])
        .order_by()
        .values("id")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "report_flagged" in plan
