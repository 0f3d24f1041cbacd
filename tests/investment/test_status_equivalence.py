"""investment_status' faster paths (issue 16) give exactly what the plain ones gave: the rows read column
by column (rows.values_rows) equal the ORM's — value, type and decimal exponent — on every query the
selector runs; every project (no `project IN` filter) equals the same projects filtered; the figures
computed with the percentages written out equal the issue-13 formulas on random inputs."""

import datetime
import random
from decimal import Decimal as D

import pytest
from django.db.models import FilteredRelation, Q, Sum
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.investment.conftest import counted_row
from tiaodu.core.domain import NOT_STARTED, TYPE_ORDER
from tiaodu.investment import figures as f
from tiaodu.investment.rows import values_rows
from tiaodu.investment.selectors import investment_status

# Amounts whose float (SQLite's storage) is not exact, integral ones, the largest of 14 digits, zero.
AMOUNTS = ["0.10", "0.07", "0.01", "1234.56", "3000", "0", "99999999.99", "333.33", "0.30", "12345678.91"]


def _exact(rows):
    """Rows as text that tells 1.5 from 1.50 and 1 from 1.0."""
    return [tuple(repr(v) for v in row) for row in rows]


@pytest.fixture
def varied(money):
    """The money cast plus figures, plans, funds and arrivals of awkward amounts on a dozen projects."""
    from tiaodu.investment.models import AnnualPlan, FundArrival, FundingPlan, FundingSource
    from tiaodu.projects.models import Project, ProjectStatusChange

    rng = random.Random(16)
    sources = list(FundingSource.objects.all()[:2])
    for i in range(12):
        p = Project.objects.create(
            code=f"EQ-{i:02d}",
            name=f"等价项目{i}",
            type=TYPE_ORDER[i % len(TYPE_ORDER)],
            category=money.project.category,
            lead_unit=money.units["hq"] if i % 2 else money.units["hq2"],
            total_investment=None if i == 3 else D(rng.choice(AMOUNTS)),
        )
        if i % 4:
            AnnualPlan.objects.create(
                project=p,
                year=2026,
                amount=D(rng.choice(AMOUNTS)),
                new_start=i % 3 == 0,
                prior_cumulative=D(rng.choice(AMOUNTS)) if i % 5 == 0 else None,
            )
        for year, month in ((2025, 11), (2025, 12), (2026, 1), (2026, 3), (2026, 4)):
            if rng.random() < 0.8:
                counted_row(p, year, month, rng.choice(AMOUNTS))
        for source in sources[: i % 3]:
            FundingPlan.objects.create(project=p, source=source, amount=D(rng.choice(AMOUNTS)))
        for k in range(i % 4):
            FundArrival.objects.create(
                project=p,
                date=datetime.date(2026, 1 + k * 2, 10),
                source=sources[0],
                amount=D(rng.choice(AMOUNTS)),
                doc_no=f"EQ{i}-{k}",
            )
        ProjectStatusChange.objects.create(
            project=p, status="under_construction", date=datetime.date(2026, 2, 1)
        )
    return money


def _queries(projects, year=2026, month=4):
    from tiaodu.investment.models import FundArrival, FundingPlan, MonthlyInvestment
    from tiaodu.projects.models import ProjectStatusChange

    ids = projects.order_by().values("pk")
    plan = FilteredRelation("annual_plans", condition=Q(annual_plans__year=year))
    sums = (
        MonthlyInvestment.objects.filter(counted=True, project__in=ids)
        .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
        .values("project_id")
        .annotate(
            this=Sum("amount", filter=Q(year=year, month=month)),
            before=Sum("amount", filter=Q(year=year, month__lt=month)),
            earlier=Sum("amount", filter=Q(year__lt=year)),
        )
    )
    return [
        projects.annotate(year_plan=plan).values_list(
            "pk",
            "code",
            "total_investment",
            "year_plan__amount",
            "year_plan__prior_cumulative",
            "year_plan__new_start",
        ),
        sums.order_by("project_id").values_list("project_id", "this", "before", "earlier"),
        FundingPlan.objects.filter(project__in=ids)
        .values("project_id")
        .annotate(total=Sum("amount"))
        .order_by("project_id")
        .values_list("project_id", "total"),
        FundArrival.objects.filter(project__in=ids, date__lte=datetime.date(2026, 4, 30))
        .values("project_id")
        .annotate(total=Sum("amount"))
        .order_by("project_id")
        .values_list("project_id", "total"),
        ProjectStatusChange.objects.filter(project__in=ids)
        .order_by("date", "id")
        .values_list("project_id", "date", "status"),
        MonthlyInvestment.objects.order_by("pk").values_list(
            "pk", "amount", "counted", "thread", "created_at"
        ),
    ]


@pytest.mark.django_db
def test_the_rows_read_column_by_column_equal_the_orms(varied):
    from tiaodu.projects.models import Project

    for projects in (
        Project.objects.order_by("pk"),
        Project.objects.filter(lead_unit=varied.units["hq"]).order_by("pk"),
        Project.objects.none(),
    ):
        for queryset in _queries(projects):
            expected = list(queryset)
            assert _exact(values_rows(queryset)) == _exact(expected)
    assert values_rows(Project.objects.filter(pk__in=[]).values_list("pk")) == []


@pytest.mark.django_db
def test_every_project_gives_what_the_same_projects_filtered_give(varied):
    from tiaodu.projects.models import Project

    user = varied.users["office"]
    ids = list(Project.objects.values_list("pk", flat=True))
    for year, month in ((2026, 4), (2026, 1), (2025, 12), (2026, 12)):
        everything = investment_status(user=user, year=year, month=month, projects=Project.objects.all())
        filtered = investment_status(
            user=user, year=year, month=month, projects=Project.objects.filter(pk__in=ids)
        )
        assert repr(everything) == repr(filtered)
        assert len(everything.projects) == len(ids)
    hq = investment_status(user=varied.users["hq"], year=2026, month=4)
    assert {p.code for p in hq.projects} == set(
        Project.objects.restrict(varied.users["hq"], "view").values_list("code", flat=True)
    )


# --- the figures against the issue-13 formulas ---------------------------------------------------------


def _reference_money(p, *, year, month, gap_points):
    """project_money as issue 13 wrote it (ratio_pct for every percentage)."""
    tp = f.time_progress_pct(month)
    this_month = p.months.get((year, month))
    if p.ytd_before is not None:
        ytd = p.ytd_before + (this_month or f.ZERO)
    else:
        ytd = sum((v for (y, m), v in p.months.items() if y == year and m <= month), f.ZERO)
    ytd_pct = f.ratio_pct(ytd, p.annual_plan)
    if p.prior_cumulative is not None:
        cumulative = p.prior_cumulative + ytd
    elif p.earlier_years is not None or p.ytd_before is not None:
        cumulative = (p.earlier_years or f.ZERO) + ytd
    else:
        cumulative = sum((v for key, v in p.months.items() if key <= (year, month)), f.ZERO)
    end = f.month_end(year, month)
    arrived = f.ZERO
    for day, amount in p.arrivals:
        if day <= end:
            arrived += amount
    funds_rate = f.ratio_pct(arrived, p.funds_planned)
    return f.ProjectMoney(
        code=p.code,
        name=p.name,
        type=p.type,
        lead_unit=p.lead_unit,
        annual_plan=p.annual_plan,
        month=this_month,
        ytd=ytd,
        ytd_pct=ytd_pct,
        ahead_of_time_pp=None if ytd_pct is None else ytd_pct - tp,
        cumulative=cumulative,
        total_pct=f.ratio_pct(cumulative, p.total_investment),
        total_investment=p.total_investment,
        funds_planned=p.funds_planned,
        funds_arrived=arrived,
        funds_rate=funds_rate,
        funding_gap=funds_rate is not None and tp - funds_rate > gap_points,
        planned_new_start=p.planned_new_start,
        started=f.status_on(p.status_history, end) != NOT_STARTED,
    )


def _reference_aggregate(rows, *, month):
    rows = list(rows)
    tp = f.time_progress_pct(month)
    plan = sum((r.annual_plan or f.ZERO for r in rows), f.ZERO)
    ytd = sum((r.ytd for r in rows), f.ZERO)
    ytd_pct = f.ratio_pct(ytd, plan)
    planned = [r for r in rows if r.planned_new_start]
    started = sum(1 for r in planned if r.started)
    return f.Aggregate(
        projects=len(rows),
        annual_plan=plan,
        month=sum((r.month or f.ZERO for r in rows), f.ZERO),
        ytd=ytd,
        ytd_pct=ytd_pct,
        ahead_of_time_pp=None if ytd_pct is None else ytd_pct - tp,
        planned_new_starts=len(planned),
        new_starts=started,
        new_start_rate=f.ratio_pct(D(started), D(len(planned))),
    )


amounts = st.one_of(
    st.none(),
    st.just(D(0)),
    st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([D("0.100000000000000"), D("1234.5"), D("7"), D("1E+2")]),
)
days = st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2026, 12, 31))
inputs = st.builds(
    f.ProjectInput,
    code=st.text("ABC123", min_size=1, max_size=3),
    name=st.just("项目"),
    type=st.sampled_from([*TYPE_ORDER, "other"]),
    lead_unit=st.sampled_from(["甲", "乙", "丙"]),
    total_investment=amounts,
    annual_plan=amounts,
    prior_cumulative=amounts,
    planned_new_start=st.booleans(),
    months=st.dictionaries(
        st.tuples(st.sampled_from([2025, 2026]), st.integers(1, 12)),
        amounts.filter(lambda v: v is not None),
        max_size=6,
    ),
    earlier_years=amounts,
    ytd_before=amounts,
    status_history=st.lists(
        st.tuples(days, st.sampled_from([NOT_STARTED, "under_construction", "suspended"])), max_size=3
    ),
    funds_planned=amounts,
    arrivals=st.lists(st.tuples(days, amounts.filter(lambda v: v is not None)), max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(inputs, max_size=12),
    st.sampled_from([2025, 2026]),
    st.integers(1, 12),
    st.sampled_from([D(20), D("0"), D("12.5")]),
)
def test_the_figures_equal_the_issue_13_formulas(projects, year, month, gap):
    status = f.compute(projects, year=year, month=month, gap_points=gap)
    rows = sorted(
        (_reference_money(p, year=year, month=month, gap_points=gap) for p in projects), key=lambda r: r.code
    )
    assert repr(status.projects) == repr(rows)
    for p in projects:
        assert repr(f.project_money(p, year=year, month=month, gap_points=gap)) == repr(
            _reference_money(p, year=year, month=month, gap_points=gap)
        )
    expected = {t: _reference_aggregate((r for r in rows if r.type == t), month=month) for t in TYPE_ORDER}
    expected["all"] = _reference_aggregate(rows, month=month)
    assert repr(status.summary) == repr(expected)
    groups = {}
    for r in rows:
        groups.setdefault(r.lead_unit, []).append(r)
    assert len(status.units) == len(groups)
    for u in status.units:
        a = _reference_aggregate(groups[u.unit], month=month)
        assert repr((u.projects, u.annual_plan, u.month, u.ytd, u.ytd_pct, u.ahead_of_time_pp)) == repr(
            (a.projects, a.annual_plan, a.month, a.ytd, a.ytd_pct, a.ahead_of_time_pp)
        )
