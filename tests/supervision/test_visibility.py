"""Who sees what: leaders, the supervision office, administrators and the office see everything; a unit
sees the items assigned to it, the problems it owns, and the items and problems of the projects it may
see; meetings it attended or that gave it an item; accountability about itself."""

import datetime

import pytest

from tests.supervision.conftest import make_item

D = datetime.date


@pytest.fixture
def world(sup):
    from tiaodu.supervision import services

    on_project = make_item(
        sup, deadline=D(2026, 12, 31), units=("hq",), project=sup.project, title="ZD-001的事项"
    )
    for_street2 = make_item(sup, deadline=D(2026, 12, 31), units=("street2",), title="泺口街道的事项")
    problem = services.problem_raise(
        user=sup.users["hq"], project=sup.project, type="funding", description="资金"
    )
    other_problem = services.problem_raise(
        user=sup.users["supervisor"],
        project=sup.other,
        type="land",
        description="小清河用地",
        owner_unit=sup.units["street2"],
    )
    meeting = services.meeting_create(
        user=sup.users["supervisor"], data={"date": D(2026, 6, 4), "attendees": [sup.people["dept"]]}
    )
    record = services.accountability_create(
        user=sup.users["supervisor"],
        data={
            "measure": "criticism",
            "person": sup.people["outsider"],
            "reason": "超期",
            "decision_date": D(2026, 6, 5),
            "decided_by": "区委督查室",
        },
    )
    return {
        "on_project": on_project,
        "for_street2": for_street2,
        "problem": problem,
        "other_problem": other_problem,
        "meeting": meeting,
        "record": record,
    }


def visible(sup, key):
    from tiaodu.supervision import selectors

    user = sup.users[key]
    return {
        "items": set(selectors.item_list(user=user).values_list("title", flat=True)),
        "problems": set(selectors.problem_list(user=user).values_list("title", flat=True)),
        "meetings": selectors.meeting_list(user=user).count(),
        "records": selectors.accountability_list(user=user).count(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["leader", "supervisor", "admin", "office"])
def test_those_who_see_all_see_everything(sup, world, key):
    seen = visible(sup, key)
    assert seen == {
        "items": {"ZD-001的事项", "泺口街道的事项"},
        "problems": {"资金", "小清河用地"},
        "meetings": 1,
        "records": 1,
    }


@pytest.mark.django_db
def test_units_see_their_own_and_their_projects(sup, world):
    # dept supports ZD-001 and attended the meeting.
    assert visible(sup, "dept") == {
        "items": {"ZD-001的事项"},
        "problems": {"资金"},
        "meetings": 1,
        "records": 0,
    }
    # street2 (outsider's unit) owns the other problem, has an item, and its person was criticised.
    assert visible(sup, "outsider") == {
        "items": {"泺口街道的事项"},
        "problems": {"小清河用地"},
        "meetings": 0,
        "records": 1,
    }
    assert visible(sup, "street")["items"] == {"ZD-001的事项"}


@pytest.mark.django_db
def test_the_unit_page_selector_lists_records_of_the_unit_and_its_people(sup, world):
    from tiaodu.supervision import selectors

    records = selectors.unit_accountability(user=sup.users["leader"], unit=sup.units["street2"])
    assert [r.target_label for r in records] == ["周书记（泺口街道）"]
    assert not selectors.unit_accountability(user=sup.users["hq"], unit=sup.units["street2"]).exists()
