"""The stored overview: reads never write; the writes that change a figure keep it current; what it depends
on (reports, projects, indicators, schedules, the calendar, the thresholds) is noticed."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.progress.conftest import figures_of, submitted
from tests.progress.test_overview import make_project
from tiaodu.progress import overview, services, settings_services
from tiaodu.progress.models import ProgressSnapshot, Report
from tiaodu.progress.overview import snapshot
from tiaodu.progress.selectors import progress_status
from tiaodu.projects.models import Project, ProjectStatus
from tiaodu.projects.services import indicator_update, project_update
from tiaodu.scheduling.services import calendar_year_enter

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = D(2026, 11, 9)
HOUR = datetime.timedelta(hours=2)  # later than the snapshot's window of one hour


@pytest.fixture
def stored(frozen, district, settings):
    """Two projects of the district reported on, the overview of AS_OF stored, the clock moved on."""
    settings.PROGRESS_SNAPSHOT_MIN_PROJECTS = 0
    p = make_project(district, "SNAP", D(2026, 11, 2), D(2026, 11, 13), target=100)
    q = make_project(district, "SNAQ", D(2026, 11, 2), D(2026, 11, 13), target=100)
    submitted(district.users["hq"], q, D(2026, 11, 6), figures_of(q, 拆迁面积=10))
    assert overview.snapshots_refresh(dates=[AS_OF]) == [AS_OF]
    frozen.shift(HOUR)
    district.p, district.q = p, q
    return district


@pytest.fixture
def computed(monkeypatch):
    """The projects each computation covered: None for all of them, else their codes."""
    calls = []

    def spy(original):
        def compute(as_of, scope=None, *args, **kwargs):
            calls.append(None if scope is None else sorted(scope.values_list("code", flat=True)))
            return original(as_of, scope, *args, **kwargs)

        return compute

    monkeypatch.setattr(snapshot, "compute_rows", spy(snapshot.compute_rows))
    from tiaodu.progress.overview import status

    # (a fresh overview computes its figures with compute_figures, the project panel with compute_rows)
    monkeypatch.setattr(status, "compute_rows", spy(status.compute_rows))
    monkeypatch.setattr(status, "compute_figures", spy(status.compute_figures))
    return calls


def fresh():
    return progress_status(user=None, as_of=AS_OF, fresh=True)


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


def test_it_answers_from_the_stored_snapshot_as_when_computed(stored, computed):
    assert ProgressSnapshot.objects.count() == 1
    assert progress_status(user=None, as_of=AS_OF) == fresh()
    assert computed == [None]  # only the fresh computation: the read took rows and details as stored


def test_it_reads_without_writing_even_when_the_snapshot_is_behind(stored, computed):
    before = ProgressSnapshot.objects.values().get()
    # A report whose catch-up has not run (a test's transaction never commits).
    submitted(stored.users["hq"], stored.p, D(2026, 11, 9), figures_of(stored.p, 拆迁面积=60))
    with CaptureQueriesContext(connection) as queries:
        data = progress_status(user=None, as_of=AS_OF)
        progress_status(user=stored.users["street"], as_of=AS_OF, include_indicators=False)
        progress_status(user=None, as_of=D(2026, 11, 10))  # no snapshot of that date: computed, not stored
    assert writes(queries) == []
    assert ProgressSnapshot.objects.values().get() == before
    assert data.project("SNAP").indicators[0].actual == 60 and data == fresh()


def test_it_recomputes_in_memory_only_the_projects_whose_reports_changed(stored, computed):
    Project.objects.filter(pk=stored.p.pk).update(
        status=ProjectStatus.UNDER_CONSTRUCTION
    )  # seen with its report
    submitted(stored.users["hq"], stored.p, D(2026, 11, 9), figures_of(stored.p, 拆迁面积=60))
    data = progress_status(user=None, as_of=AS_OF, include_indicators=False)
    assert computed == [["SNAP"]]
    assert data.project("SNAP").status == ProjectStatus.UNDER_CONSTRUCTION
    assert data.project("SNAP").actual_pct == 60


def test_it_keeps_the_snapshot_current_when_reports_are_submitted_verified_or_returned(
    stored, computed, frozen, django_capture_on_commit_callbacks
):
    hq = stored.users["hq"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = submitted(hq, stored.p, D(2026, 11, 9), figures_of(stored.p, 拆迁面积=60))
    assert len(callbacks) == 1
    snap = ProgressSnapshot.objects.get()
    assert snap.marks == snapshot.marks() and snap.stale == [stored.p.pk]
    assert next(r for r in snap.rows if r["code"] == "SNAP")["actual_pct"] == 60
    computed.clear()
    assert progress_status(user=None, as_of=AS_OF, include_indicators=False).project("SNAP").actual_pct == 60
    assert computed == []  # read straight from the snapshot
    frozen.shift(datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        # The lead unit's own report: the office returns it.
        services.report_return(user=stored.users["office"], report=report, reason="核实")
    assert progress_status(user=None, as_of=AS_OF) == fresh()
    assert next(r for r in ProgressSnapshot.objects.get().rows if r["code"] == "SNAP")["actual_pct"] == 0


def test_it_catches_up_once_for_a_transaction_of_many_reports(stored, django_capture_on_commit_callbacks):
    hq = stored.users["hq"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():  # an import that fails
            submitted(hq, stored.p, D(2026, 11, 9), figures_of(stored.p, 拆迁面积=60))
            submitted(hq, stored.q, D(2026, 11, 9), figures_of(stored.q, 拆迁面积=50))
            raise RuntimeError("一行有错：全部不写")
    assert callbacks == []  # rolled back: nothing to catch up
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        submitted(hq, stored.p, D(2026, 11, 9), figures_of(stored.p, 拆迁面积=60))
        submitted(hq, stored.q, D(2026, 11, 9), figures_of(stored.q, 拆迁面积=50))
    assert len(callbacks) == 1
    assert ProgressSnapshot.objects.get().marks == snapshot.marks()


def test_it_sees_project_indicator_and_schedule_changes_through_the_change_log(stored, computed):
    office = stored.users["office"]
    project_update(user=office, project=stored.p, data={"planned_finish": D(2026, 11, 27)})
    assert progress_status(user=None, as_of=AS_OF) == fresh()
    assert computed[0] == ["SNAP"]
    computed.clear()
    indicator_update(user=office, indicator=stored.q.indicators.get(), data={"target": Decimal(50)})
    assert progress_status(user=None, as_of=AS_OF) == fresh()
    assert computed[0] == ["SNAP", "SNAQ"]  # both changed since the snapshot was stored


def test_it_sees_a_new_project_and_one_deleted_behind_its_back(stored, computed):
    make_project(stored, "SNAR", D(2026, 11, 2), D(2026, 11, 13), target=100)
    assert [p.code for p in progress_status(user=None, as_of=AS_OF).projects] == [
        "SNAP",
        "SNAQ",
        "SNAR",
        "ZD-001",
        "ZD-002",
    ]
    assert computed[0] == ["SNAR"]
    computed.clear()
    Project.objects.filter(
        pk=stored.other.pk
    ).delete()  # no change record, an older updated_at: the count tells
    assert [p.code for p in progress_status(user=None, as_of=AS_OF).projects] == [
        "SNAP",
        "SNAQ",
        "SNAR",
        "ZD-001",
    ]
    assert None in computed  # everything computed again


def test_it_stops_using_the_snapshot_when_the_calendar_or_the_thresholds_change(stored, computed):
    calendar_year_enter(user=stored.users["office"], year=2027, text="2027-01-01 元旦 放假")
    assert snapshot.stored_rows(AS_OF) is None
    assert overview.snapshots_refresh(dates=[AS_OF]) == [AS_OF]
    assert snapshot.stored_rows(AS_OF) is not None
    settings_services.cycle_update(user=stored.users["office"], data={"lagging_after": 2, "severe_after": 8})
    assert snapshot.stored_rows(AS_OF) is None
    computed.clear()
    assert progress_status(user=None, as_of=AS_OF) == fresh()
    assert computed[0] is None


def test_it_patches_for_a_report_committed_after_it_was_read(stored):
    """A report saved (updated_at) before the snapshot's mark but committed after it is not lost."""
    from django.utils import timezone

    late = submitted(stored.users["hq"], stored.p, D(2026, 11, 9), figures_of(stored.p, 拆迁面积=70))
    Report.objects.filter(pk=late.pk).update(updated_at=timezone.now() - HOUR - datetime.timedelta(minutes=5))
    assert progress_status(user=None, as_of=AS_OF).project("SNAP").indicators[0].actual == 70


def test_it_recomputes_stale_indicator_details_and_the_refresh_folds_them(
    stored, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(stored.users["hq"], stored.p, D(2026, 11, 9), figures_of(stored.p, 拆迁面积=60))
    assert ProgressSnapshot.objects.get().stale == [stored.p.pk]
    assert progress_status(user=None, as_of=AS_OF).project("SNAP").indicators[0].actual == 60
    monkeypatch.setattr(snapshot, "STALE_FOLD", 0)
    assert overview.snapshots_refresh(dates=[AS_OF]) == []  # folded, not rebuilt
    snap = ProgressSnapshot.objects.get()
    assert snap.stale == [] and snap.details["SNAP"][0]["actual"] == 60
    assert progress_status(user=None, as_of=AS_OF) == fresh()


def test_it_keeps_other_dates_while_cheap_and_nothing_below_the_minimum(stored, settings):
    assert overview.snapshots_refresh(dates=[D(2026, 11, 10)]) == [D(2026, 11, 10)]
    assert sorted(ProgressSnapshot.objects.values_list("as_of", flat=True)) == [AS_OF, D(2026, 11, 10)]
    settings_services.cycle_update(user=stored.users["office"], data={"lagging_after": 2, "severe_after": 8})
    assert overview.snapshots_refresh(dates=[D(2026, 11, 10)]) == [D(2026, 11, 10)]  # rebuilt
    assert list(ProgressSnapshot.objects.values_list("as_of", flat=True)) == [
        D(2026, 11, 10)
    ]  # the other dropped
    settings.PROGRESS_SNAPSHOT_MIN_PROJECTS = 1000
    assert overview.snapshots_refresh(dates=[AS_OF]) == []
    assert not ProgressSnapshot.objects.exists()


def test_it_writes_nothing_when_the_pages_are_read(stored, client):
    """GET of the dashboard (and every page showing the overview's figures) with a snapshot that is behind:
    no INSERT, UPDATE or DELETE — the session aside."""
    submitted(stored.users["hq"], stored.p, D(2026, 11, 9), figures_of(stored.p, 拆迁面积=60))
    before = ProgressSnapshot.objects.values().get()
    client.force_login(stored.users["office"])
    client.get("/")  # the session is written once, at the first request
    for url in [
        "/dashboard/?as_of=2026-11-09",
        "/dashboard/projects/?as_of=2026-11-09&level=behind",
        "/api/v1/progress?as_of=2026-11-09",
        "/reports/",
        "/",
        "/dashboard/?as_of=2026-11-10",
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert [sql for sql in writes(queries) if "django_session" not in sql] == [], url
    assert ProgressSnapshot.objects.values().get() == before


def test_it_is_refreshed_every_minute_and_by_the_command(frozen, district, settings):
    from huey.contrib.djhuey import HUEY

    from tiaodu.progress.tasks import refresh_progress_snapshots

    settings.PROGRESS_SNAPSHOT_MIN_PROJECTS = 0
    assert "refresh_progress_snapshots" in {t.__name__ for t in HUEY._registry._periodic_tasks}
    # Friday 27 November 10:00: today, and the cycles of Thursday 26 and Thursday 19 November.
    assert refresh_progress_snapshots.call_local() == ["2026-11-27", "2026-11-26", "2026-11-19"]
    assert refresh_progress_snapshots.call_local() == []  # nothing changed
    out = io.StringIO()
    call_command("progress_snapshots", "--as-of", "2026-11-09", stdout=out)
    assert out.getvalue().strip() == "快照日期：2026-11-09；重新计算：2026-11-09"
    assert ProgressSnapshot.objects.count() == 4
    assert refresh_progress_snapshots.call_local() == []  # the fourth date is kept current too
    assert ProgressSnapshot.objects.count() == 4
    with pytest.raises(CommandError, match="截至日期无效"):
        call_command("progress_snapshots", "--as-of", "11/09")
