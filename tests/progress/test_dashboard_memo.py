"""The dashboard's overview kept per snapshot version and user scope (overview.status.MEMO): a repeated
request answers the same figures without assembling them again, and the next request after any change
that the snapshot notices shows the change; users of different scope never share an answer."""

import datetime
from decimal import Decimal

import pytest

from tests.progress.conftest import figures_of, submitted
from tests.progress.test_overview import make_project
from tiaodu.orgs.services import unit_update
from tiaodu.progress import figures, overview, settings_services
from tiaodu.progress.overview import status as status_module
from tiaodu.progress.selectors import progress_status
from tiaodu.projects.models import ProjectStatus
from tiaodu.projects.services import indicator_update, project_update

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = D(2026, 11, 9)
LATER = datetime.timedelta(hours=2)  # past the snapshot's window: the next change is a later row
URL = f"/dashboard/?as_of={AS_OF.isoformat()}"


@pytest.fixture
def stored(frozen, district, settings):
    """Two more projects of the lead HQ, one reported on, the overview of AS_OF stored, the clock on."""
    settings.PROGRESS_SNAPSHOT_MIN_PROJECTS = 0
    district.p = make_project(district, "SNAP", D(2026, 11, 2), D(2026, 11, 13), target=100)
    district.q = make_project(district, "SNAQ", D(2026, 11, 2), D(2026, 11, 13), target=100)
    submitted(district.users["hq"], district.q, D(2026, 11, 6), figures_of(district.q, 拆迁面积=10))
    assert overview.snapshots_refresh(dates=[AS_OF]) == [AS_OF]
    frozen.shift(LATER)
    return district


@pytest.fixture
def assembled(monkeypatch):
    """How many overviews were assembled: figures.status_of, which makes every ProgressStatus (from stored rows
    through figures.assemble, or from the computation when fresh)."""
    calls = []
    original = figures.status_of

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(status_module.figures, "status_of", spy)
    return calls


def fresh(user=None):
    return progress_status(user=user, as_of=AS_OF, include_indicators=False, fresh=True)


def seen(client, user) -> dict:
    """What the dashboard shows the user: the counts per level, the lagging projects, the cards, the
    ranking."""
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    ctx = response.context
    return {
        "counts": dict(ctx["counts"]),
        "behind": [(p.code, p.lag_days) for p in ctx["behind"]],
        "total": ctx["total"],
        "cards": [(c["key"], [(cell["key"], cell["count"]) for cell in c["cells"]]) for c in ctx["types"]],
        "ranking": [(u["unit"], u["projects"], u["on_time"], u["avg_lag"]) for u in ctx["ranking"]],
    }


def test_a_repeated_request_is_answered_from_the_memo_with_the_same_figures(stored, client, assembled):
    leader = stored.users["leader"]
    first = seen(client, leader)
    assert assembled == [1]
    assert seen(client, leader) == first
    assert assembled == [1]  # the second request assembled nothing
    kept = progress_status(user=leader, as_of=AS_OF, include_indicators=False)
    assert kept == fresh(leader)
    assert assembled == [1, 1]  # the fresh one; the kept one came from the memo
    assert first["total"] == 4


def test_a_submitted_report_shows_on_the_next_request(
    stored, client, frozen, django_capture_on_commit_callbacks
):
    leader = stored.users["leader"]
    before = seen(client, leader)
    assert ("SNAP", 0) not in before["behind"] and "SNAP" in [c for c, _ in before["behind"]]
    with django_capture_on_commit_callbacks(execute=True):
        submitted(stored.users["hq"], stored.p, D(2026, 11, 9), figures_of(stored.p, 拆迁面积=60))
    after = seen(client, leader)
    assert after != before
    assert "SNAP" not in [c for c, _ in after["behind"]]  # on plan now
    assert progress_status(user=leader, as_of=AS_OF, include_indicators=False) == fresh(leader)


def test_a_report_without_the_catch_up_still_shows(stored, client):
    """Even before the snapshot is caught up (the commit callback has not run), the next request sees it."""
    leader = stored.users["leader"]
    before = seen(client, leader)
    submitted(stored.users["hq"], stored.p, D(2026, 11, 9), figures_of(stored.p, 拆迁面积=60))
    assert seen(client, leader) != before
    assert progress_status(user=leader, as_of=AS_OF, include_indicators=False) == fresh(leader)


def test_project_indicator_unit_and_threshold_changes_show_on_the_next_request(stored, client, frozen):
    leader, office = stored.users["leader"], stored.users["office"]
    states = [seen(client, leader)]
    project_update(user=office, project=stored.p, data={"status": ProjectStatus.SUSPENDED})
    states.append(seen(client, leader))
    frozen.shift(LATER)
    indicator_update(user=office, indicator=stored.q.indicators.get(), data={"target": Decimal(10)})
    states.append(seen(client, leader))
    frozen.shift(LATER)
    unit_update(user=stored.users["admin"], unit=stored.units["hq"], data={"name": "北园片区指挥部"})
    states.append(seen(client, leader))
    frozen.shift(LATER)
    settings_services.cycle_update(user=office, data={"lagging_after": 200, "severe_after": 400})
    states.append(seen(client, leader))
    for before, after in zip(states, states[1:], strict=False):
        assert after != before
    assert dict(states[1]["cards"])["remediation"] != dict(states[0]["cards"])["remediation"]
    assert "北园片区指挥部" in [row[0] for row in states[3]["ranking"]]
    assert states[2]["behind"] == states[1]["behind"]  # SNAQ done, it was 正常 already: the averages
    assert states[4]["behind"] == []
    assert progress_status(user=leader, as_of=AS_OF, include_indicators=False) == fresh(leader)


def test_users_of_different_scope_never_share_an_answer(stored, client, assembled):
    leader, hq, outsider = stored.users["leader"], stored.users["hq"], stored.users["outsider"]
    whole = seen(client, leader)
    own = seen(client, hq)
    others = seen(client, outsider)
    assert whole["total"] == 4 and own["total"] == 3 and others["total"] == 1
    assert len(assembled) == 3
    assert seen(client, hq) == own and seen(client, outsider) == others and seen(client, leader) == whole
    assert len(assembled) == 3
    for user in (leader, hq, outsider):
        assert progress_status(user=user, as_of=AS_OF, include_indicators=False) == fresh(user)


def test_the_memo_drops_the_least_recently_used_past_its_budget(monkeypatch):
    memo = status_module._Memo()
    monkeypatch.setattr(memo, "MAX_PROJECTS", 3)
    big = figures.ProgressStatus(AS_OF, {}, (None, None), (), ())
    small = figures.ProgressStatus(AS_OF, {}, (None,), (), ())
    memo.put("a", big)
    memo.put("b", small)
    assert memo.get("a") is big  # now the most recent
    memo.put("c", small)
    assert memo.get("b") is None and memo.get("a") is big and memo.get("c") is small
