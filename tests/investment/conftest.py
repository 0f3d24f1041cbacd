import datetime
import zoneinfo

import pytest

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


def monthly(user, project, year, month, amount, *, submit=True):
    """A draft (and, by default, submitted) monthly figure."""
    from tiaodu.investment.services_monthly import monthly_save_draft, monthly_submit

    figure = monthly_save_draft(user=user, project=project, year=year, month=month, amount=amount)
    return monthly_submit(user=user, figure=figure) if submit else figure


def weekly(user, project, as_of, investment):
    """A submitted weekly report of `project` giving 累计完成投资 `investment` as of `as_of`."""
    from tiaodu.progress.services import ReportInput, report_save_draft, report_submit

    indicator = project.indicators.first()
    data = ReportInput(as_of=as_of, figures={indicator.pk: (1, "")}, investment_done=str(investment))
    return report_submit(user=user, report=report_save_draft(user=user, project=project, data=data))


@pytest.fixture
def nov27():
    import time_machine

    with time_machine.travel(at(2026, 11, 27), tick=False) as traveller:
        yield traveller
