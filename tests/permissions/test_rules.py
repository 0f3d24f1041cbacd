"""The rules themselves: one place per app, one shape, one answer for the page and the API."""

from __future__ import annotations

import importlib
import inspect
import json

import pytest

APPS = ("orgs", "projects", "scheduling", "progress", "investment", "supervision", "briefings", "command")


@pytest.mark.parametrize("app", APPS)
def test_it_keeps_every_right_of_an_app_in_its_permissions_module(app):
    permissions = importlib.import_module(f"tiaodu.{app}.permissions")
    rights = [
        (name, fn)
        for name, fn in vars(permissions).items()
        if inspect.isfunction(fn) and fn.__module__ == permissions.__name__ and "_can_" in name
    ]
    assert rights, app
    for name, fn in rights:
        params = inspect.signature(fn).parameters
        assert list(params)[:2] == ["user", "obj"], name
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values()), name
    selectors = importlib.import_module(f"tiaodu.{app}.selectors") if app != "orgs" else None
    if selectors is not None:
        assert not [name for name in vars(selectors) if "_can_" in name], f"{app}.selectors still has rights"


@pytest.mark.django_db
def test_it_restricts_nobody_to_nothing_and_refuses_unknown_actions(district):
    from django.contrib.auth.models import AnonymousUser

    from tiaodu.projects.models import Project

    assert Project.objects.restrict(None, "view").count() == 0
    assert Project.objects.restrict(AnonymousUser(), "view").count() == 0
    assert Project.objects.restrict(district.users["leader"], "view").count() == 2
    assert Project.objects.restrict(district.users["leader"], "change").count() == 0
    with pytest.raises(ValueError, match="no rule for the action 'delete'"):
        Project.objects.restrict(district.users["admin"], "delete")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "view", "change"),
    [
        ("admin", {"ZD-001", "ZD-002"}, {"ZD-001", "ZD-002"}),
        ("office", {"ZD-001", "ZD-002"}, {"ZD-001", "ZD-002"}),
        ("leader", {"ZD-001", "ZD-002"}, set()),
        ("supervisor", {"ZD-001", "ZD-002"}, set()),
        ("hq", {"ZD-001"}, {"ZD-001"}),
        ("street", {"ZD-001"}, {"ZD-001"}),
        ("dept", {"ZD-001"}, set()),
        ("outsider", {"ZD-002"}, {"ZD-002"}),
    ],
)
def test_it_gives_each_role_its_projects_to_see_and_to_change(district, who, view, change):
    from tiaodu.projects.models import Project
    from tiaodu.projects.permissions import project_can_edit

    user = district.users[who]
    assert set(Project.objects.restrict(user, "view").values_list("code", flat=True)) == view
    assert set(Project.objects.restrict(user, "change").values_list("code", flat=True)) == change
    for project in Project.objects.all():
        assert project_can_edit(user=user, obj=project) == (project.code in change)


def test_it_spells_the_states_the_row_rules_use_as_the_models_do():
    from tiaodu.briefings import querysets as briefing_rows
    from tiaodu.briefings.models import DocKind
    from tiaodu.progress import querysets as report_rows
    from tiaodu.progress.models import ReportStatus

    assert report_rows.DRAFT == ReportStatus.DRAFT
    assert briefing_rows.BRIEFING == DocKind.BRIEFING


# --- "units may not change responsibility fields": the page and the API give the same answer --------

ATTEMPTS = {
    "lead_unit": ("hq2", "小清河综合治理指挥部"),
    "territorial_units": ("street2", "泺口街道"),
    "supporting_units": ("street", "北园街道"),
    "type": ("remediation", "remediation"),
    "code": ("ZD-999", "ZD-999"),
}


def _page_value(district, key):
    value = ATTEMPTS[key][0]
    if key == "lead_unit":
        return district.units[value].pk
    if key in ("territorial_units", "supporting_units"):
        return [district.units[value].pk]
    return value


def _api_value(key):
    value = ATTEMPTS[key][1]
    return [value] if key in ("territorial_units", "supporting_units") else value


def _responsibility(project) -> dict:
    project.refresh_from_db()
    return {
        "code": project.code,
        "type": project.type,
        "lead_unit": project.lead_unit_id,
        "territorial_units": sorted(project.territorial_units.values_list("pk", flat=True)),
        "supporting_units": sorted(project.supporting_units.values_list("pk", flat=True)),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(ATTEMPTS))
@pytest.mark.parametrize("who", ["hq", "street"])
def test_it_refuses_a_unit_the_same_responsibility_change_on_the_page_and_through_the_api(
    client, district, key, who
):
    from tests.permissions.world import World, project_form

    project = district.project
    before = _responsibility(project)
    client.force_login(district.users[who])

    page = client.post(
        "/projects/ZD-001/edit/", project_form(World(district), **{key: _page_value(district, key)})
    )
    assert _responsibility(project) == before
    api = client.patch(
        "/api/v1/projects/ZD-001/", data=json.dumps({key: _api_value(key)}), content_type="application/json"
    )
    assert _responsibility(project) == before

    label = {"code": "项目编号", "type": "项目类型", "lead_unit": "牵头单位", "territorial_units": "属地单位",
             "supporting_units": "配合单位"}[key]  # fmt: skip
    message = f"只有领导小组办公室或系统管理员可以修改{label}"
    assert (page.status_code, api.status_code) == (403, 403)
    assert message in page.content.decode()
    assert api.json() == {"detail": message}


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(ATTEMPTS))
@pytest.mark.parametrize("channel", ["page", "api"])
def test_it_lets_the_office_make_the_same_change_on_the_page_and_through_the_api(
    client, district, key, channel
):
    from tests.permissions.world import World, project_form

    client.force_login(district.users["office"])
    if channel == "page":
        data = project_form(World(district), **{key: _page_value(district, key)})
        assert client.post("/projects/ZD-001/edit/", data).status_code == 302
    else:
        body = json.dumps({key: _api_value(key)})
        assert (
            client.patch("/api/v1/projects/ZD-001/", data=body, content_type="application/json").status_code
            == 200
        )
    expected = _page_value(district, key)
    assert _responsibility(district.project)[key] == expected


@pytest.mark.django_db
def test_it_accepts_responsibility_fields_sent_back_unchanged_from_a_unit(client, district):
    from tests.permissions.world import World, project_form

    client.force_login(district.users["hq"])
    page = client.post("/projects/ZD-001/edit/", project_form(World(district), description="页面修改"))
    assert page.status_code == 302
    body = {"description": "接口修改", "lead_unit": "北园大街改造指挥部", "territorial_units": ["北园街道"]}
    api = client.patch("/api/v1/projects/ZD-001/", data=json.dumps(body), content_type="application/json")
    assert api.status_code == 200
    district.project.refresh_from_db()
    assert district.project.description == "接口修改"


@pytest.mark.django_db
def test_it_refuses_in_the_django_admin_what_the_pages_refuse(client, district):
    from django.contrib.auth.models import Permission

    hq = district.users["hq"]
    hq.is_staff = True
    hq.save()
    hq.user_permissions.set(Permission.objects.filter(codename__in=["view_project", "change_project"]))
    client.force_login(hq)
    other = district.other  # ZD-002: not hq's to edit
    page = client.get(f"/admin/projects/project/{other.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read-only
    refused = client.post(f"/admin/projects/project/{other.pk}/change/", {"name": "改名"})
    assert refused.status_code == 403
    other.refresh_from_db()
    assert other.name == "小清河综合治理"
    own = client.get(f"/admin/projects/project/{district.project.pk}/change/")
    assert 'name="_save"' in own.content.decode()
