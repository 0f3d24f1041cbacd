"""The demo tells the truth: its schedules link each indicator to the work that produces it, its weekly
figures follow the plan the lag is measured against, a project's status agrees with its figures, a lagging
project's driving indicator is behind its plan, and the 倒排工期 verdict does not contradict the lag."""

import datetime
from decimal import Decimal

import pytest

from tests.demo_copy import demo_district
from tiaodu.demo.progress import suspended_since
from tiaodu.orgs.models import User
from tiaodu.progress.models import Report, ReportFigure
from tiaodu.progress.selectors import progress_status, project_curve
from tiaodu.projects.models import Project, ProjectStatus
from tiaodu.scheduling.models import Baseline, Task
from tiaodu.scheduling.selectors import baseline_comparison, baseline_latest, project_schedule
from tiaodu.supervision.models import Problem

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)  # a Sunday

# A keyword of an indicator's name → words one of the tasks producing it must have in its name. The
# first matching row applies (the more specific keywords first).
FITS = [
    ("投资", ("投资",)),
    ("拆迁安置户数", ("签约", "安置")),
    ("拆迁", ("拆迁",)),
    ("违建", ("拆除",)),
    ("违规广告", ("广告",)),
    ("签约", ("签约",)),
    ("安置房", ("安置房",)),
    ("支路", ("支路",)),
    ("整修道路", ("路面", "道路")),
    ("人行道", ("人行道",)),
    ("道路", ("道路",)),
    ("街巷", ("街巷",)),
    ("路面", ("路面",)),
    ("河道", ("河道",)),
    ("清淤", ("清淤",)),
    ("护岸", ("护岸",)),
    ("管网", ("管网",)),
    ("亮化", ("亮化",)),
    ("改造栋数", ("平改坡",)),
    ("改造面积", ("平改坡",)),
    ("小区", ("小区",)),
    ("整治建筑面积", ("小区",)),
    ("立面", ("立面",)),
    ("整治建筑", ("建筑",)),
    ("游园", ("游园",)),
    ("绿地", ("绿地",)),
    ("绿化", ("绿化",)),
    ("整治长度", ("沿线",)),
    ("清理点位", ("点位",)),
    ("垃圾", ("垃圾",)),
    ("点位", ("点位",)),
    ("市场", ("市场",)),
    ("牌匾", ("牌匾",)),
    ("线缆", ("线缆",)),
]


def fits(indicator: str, task: str) -> bool:
    words = next(words for keyword, words in FITS if keyword in indicator)
    return any(w in task for w in words)


def driving(project):
    """The indicator with the largest lag (the first of equals)."""
    return max(project.indicators, key=lambda i: i.lag_days)


@pytest.fixture
def demo():
    demo_district(today=TODAY)
    return progress_status(user=None, as_of=TODAY, include_indicators=True)


def test_every_indicator_is_produced_by_the_tasks_that_do_that_work(demo):
    scheduled = Project.objects.filter(schedule_tasks__isnull=False).distinct()
    assert scheduled.count() == Project.objects.count() == 37
    for project in scheduled.prefetch_related("indicators"):
        for indicator in project.indicators.all():
            tasks = list(Task.objects.filter(project=project, indicator=indicator))
            assert tasks, f"{project.code} {indicator.name}: no task produces it"
            assert any(fits(indicator.name, t.name) for t in tasks), (project.code, indicator.name, tasks)
            # the tasks produce the whole target, no more
            assert sum(t.quantity for t in tasks) == indicator.target, (project.code, indicator.name)
        # and the figures are measured against the approved plan (基准计划第1版)
        assert Baseline.objects.filter(project=project, number=1).exists(), project.code
    road = Task.objects.get(project__code="ZD-2026-01", indicator__name="道路拓宽改造长度")
    demolition = Task.objects.get(project__code="ZD-2026-01", indicator__name="红线内拆迁面积")
    assert (road.name, demolition.name) == ("道路工程施工", "征收拆迁")


def test_a_projects_status_agrees_with_its_figures(demo):
    projects = {p.code: p for p in demo.projects}
    for p in demo.projects:
        if p.status in (ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED):
            for i in p.indicators:
                assert i.actual >= i.target and i.lag_days == 0, (p.code, i)
        elif p.status == ProjectStatus.NOT_STARTED:
            assert all(i.actual == 0 and i.planned == 0 for i in p.indicators), p.code
            assert not Report.objects.filter(project__code=p.code).exists()
    (suspended,) = [p for p in demo.projects if p.status == ProjectStatus.SUSPENDED]
    since = suspended_since(TODAY)
    figures = ReportFigure.objects.filter(indicator__project__code=suspended.code, counted=True)
    for name in [i.name for i in suspended.indicators]:
        since_then = figures.filter(indicator__name=name, as_of__gte=since)
        assert since_then.count() >= 4  # it still reports every week …
        assert len(set(since_then.values_list("quantity", flat=True))) == 1, name  # … and nothing moves
    assert projects["ZD-2026-11"].lag_days == 0  # 少年路, 已验收: no lag left over


def test_a_lagging_projects_driving_indicator_is_behind_its_plan(demo):
    levels = [p.level for p in demo.projects]
    assert 2 <= levels.count("severe") <= 3
    assert 3 <= levels.count("lagging") <= 8
    assert levels.count("normal") >= 25
    for p in demo.projects:
        if p.status in (ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED):
            continue
        if p.level == "severe":
            assert 16 <= p.lag_days <= 40, p.code
        if p.level == "normal":
            continue
        d = driving(p)
        assert d.lag_days == p.lag_days
        assert d.actual / d.target < d.planned / d.target, (p.code, d)
        shown = p.driving_indicator  # what the pages show beside the lag
        assert shown.lag_days == d.lag_days and shown.actual_pct < shown.planned_pct, (p.code, shown)
        assert p.actual_pct < p.planned_pct, p.code
    # 北园大街: the road works lag (the red line's demolition is almost done), for the reason its problems
    # give. The demolition is split between three streets (tiaodu.demo.shares): two have finished their
    # 42,000 m², 药山街道 lags its share; the demolition's actual is their sum.
    beiyuan = next(p for p in demo.projects if p.code == "ZD-2026-01")
    assert beiyuan.level == "severe" and driving(beiyuan).name == "道路拓宽改造长度"
    demolition = next(i for i in beiyuan.indicators if i.name == "红线内拆迁面积")
    shares = {s.unit: s for s in demolition.shares}
    assert demolition.actual == sum(s.actual for s in shares.values()) < demolition.target
    assert (
        shares["北园街道"].actual == shares["北园街道"].target == 42000 and shares["北园街道"].lag_days == 0
    )
    assert shares["药山街道"].actual < shares["药山街道"].planned and shares["药山街道"].lag_days > 0
    assert Problem.objects.filter(project__code="ZD-2026-01", type="demolition").exists()
    latest = (
        Report.objects.filter(
            project__code="ZD-2026-01", counted=True, reporting_unit__name="北园大街改造指挥部"
        )
        .order_by("-as_of")
        .first()
    )
    assert "商铺" in latest.problems
    # Its S-curve shows the road below the plan at the as-of date.
    curve = project_curve(user=User.objects.get(username="leader"), code="ZD-2026-01", as_of=TODAY)
    road = next(i for i in curve["indicators"] if i["name"] == "道路拓宽改造长度")
    now = curve["dates"].index(TODAY.isoformat())
    assert road["actual_pct"][now] < road["planned_pct"][now]
    assert curve["actual_pct"][now] < curve["planned_pct"][now]


def test_the_schedule_verdict_does_not_contradict_the_lag(demo):
    for p in demo.projects:
        project = Project.objects.get(code=p.code)
        schedule = project_schedule(project)
        comparison = baseline_comparison(schedule, baseline_latest(project))
        if p.level == "severe":
            # severely behind on the critical path: the updated schedule misses the deadline
            assert not schedule.feasible, p.code
            assert comparison.finish_slip > 0, p.code
        elif p.level == "normal" and p.status == ProjectStatus.UNDER_CONSTRUCTION:
            assert schedule.feasible and comparison.finish_slip == 0, p.code
    # the weekly figures of an on-time project follow its plan closely
    on_time = [
        p for p in demo.projects if p.level == "normal" and p.status == ProjectStatus.UNDER_CONSTRUCTION
    ]
    assert len(on_time) >= 18
    for p in on_time:
        assert abs(p.planned_pct - p.actual_pct) < 16, p.code
        assert all(Decimal(str(i.actual)) <= Decimal(str(i.target)) for i in p.indicators)
