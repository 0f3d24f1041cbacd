"""An accountability record's items and problems are chosen among those the user may see — the same rows
as `item_list` and `problem_list`, for every user of the district — asked when a value is given."""

import datetime

import pytest
from rest_framework.test import APIRequestFactory

from tests.supervision.conftest import make_item
from tiaodu.supervision import selectors, services
from tiaodu.supervision.serializers import AccountabilitySerializer


@pytest.mark.django_db
def test_the_choices_are_the_rows_the_user_sees(sup):
    make_item(sup, deadline=datetime.date(2026, 12, 31))
    make_item(sup, deadline=datetime.date(2026, 12, 31), units=("street2",))
    services.problem_raise(user=sup.users["hq"], project=sup.project, type="land", description="x")
    services.problem_raise(user=sup.users["outsider"], project=sup.other, type="land", description="y")
    for key, user in sup.users.items():
        request = APIRequestFactory().post("/")
        request.user = user
        fields = AccountabilitySerializer(context={"request": request}).fields
        items = fields["items"].child_relation.get_queryset()
        problems = fields["problems"].child_relation.get_queryset()
        assert sorted(items.values_list("pk", flat=True)) == sorted(
            selectors.item_list(user=user).values_list("pk", flat=True)
        ), key
        assert sorted(problems.values_list("pk", flat=True)) == sorted(
            selectors.problem_list(user=user).values_list("pk", flat=True)
        ), key
    nobody = AccountabilitySerializer().fields
    assert not nobody["items"].child_relation.get_queryset().exists()
    assert not nobody["problems"].child_relation.get_queryset().exists()


@pytest.mark.django_db
def test_an_item_the_user_may_not_see_is_refused_as_before(sup, api):
    hidden = make_item(sup, deadline=datetime.date(2026, 12, 31), units=("street2",))
    body = {
        "measure": "interview",
        "unit": "北园街道",
        "reason": "r",
        "decision_date": "2026-06-01",
        "decided_by": "督查室",
        "items": [hidden.pk, 10**6],
    }
    supervisor = api("supervisor").post("/api/v1/accountability-records/", body, format="json")
    assert supervisor.status_code == 400
    assert "items" in supervisor.json()
    body["items"] = [hidden.pk]
    assert api("supervisor").post("/api/v1/accountability-records/", body, format="json").status_code == 201
