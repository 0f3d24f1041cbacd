"""The project API's faster paths give the answers of the old ones, for every user of the district:
`with_can_edit` (a constant for those who change every project or none, the rule's subquery for the
others), and one project read without prefetching its units."""

import json

import pytest
from django.db.models import Exists, OuterRef

from tiaodu.projects.models import Project
from tiaodu.projects.permissions import project_can_edit
from tiaodu.projects.selectors import project_list


def _old_can_edit(user):
    """The annotation as it was: the "change" rule as a subquery for every user."""
    editable = Project.objects.restrict(user, "change").filter(pk=OuterRef("pk"))
    return Project.objects.restrict(user, "view").annotate(user_can_edit=Exists(editable))


@pytest.mark.django_db
def test_with_can_edit_answers_as_the_subquery_did_for_every_user(district):
    for key, user in [*district.users.items(), ("nobody", None)]:
        new = list(
            project_list(user=user).with_can_edit(user).order_by("pk").values_list("pk", "user_can_edit")
        )
        old = list(_old_can_edit(user).order_by("pk").values_list("pk", "user_can_edit"))
        assert new == old, key
        assert all(type(flag) is bool for _pk, flag in new), key
        for pk, flag in new:
            assert flag == project_can_edit(user=user, obj=Project.objects.get(pk=pk)), (key, pk)


@pytest.mark.django_db
def test_one_project_reads_as_in_the_list_for_every_user(district, api):
    district.project.supporting_units.add(district.units["street2"])
    for key in district.users:
        client = api(key)
        listed = {p["code"]: p for p in client.get("/api/v1/projects/").json()["results"]}
        visible = set(project_list(user=district.users[key]).values_list("code", flat=True))
        assert set(listed) == visible, key
        for code in ("ZD-001", "ZD-002"):
            response = client.get(f"/api/v1/projects/{code}/")
            if code in visible:
                assert response.status_code == 200, (key, code)
                assert response.json() == listed[code], (key, code)
            else:
                assert response.status_code == 404, (key, code)


@pytest.mark.django_db
def test_an_update_answers_with_the_project_as_read_again_and_logs_the_units(district, api):
    from tiaodu.core.models import ChangeRecord

    client = api("admin")
    body = {"territorial_units": ["北园街道", "泺口街道"], "name": "北园大街"}
    response = client.patch("/api/v1/projects/ZD-001/", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert response.json() == client.get("/api/v1/projects/ZD-001/").json()
    assert [u["name"] for u in response.json()["territorial_units"]] == ["北园街道", "泺口街道"]
    change = ChangeRecord.objects.filter(object_id=district.project.pk).latest("pk").changes
    assert change["属地单位"] == ["北园街道", "北园街道、泺口街道"]
    # A refused write changes nothing.
    hq = api("hq")
    refused = hq.patch("/api/v1/projects/ZD-001/", json.dumps({"code": "X"}), content_type="application/json")
    assert refused.status_code == 403
    assert hq.get("/api/v1/projects/ZD-001/").json()["code"] == "ZD-001"
