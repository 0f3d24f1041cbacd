"""Text with control characters and dates outside 1900–2100 are refused on every path, naming the field."""

import pytest
from rest_framework.test import APIClient

from tests.projects.test_pages import edit_data, field_block, manager_data
from tests.support import login
from tiaodu.core.validation import DateInRange, NoControlCharacters, hardened_fields, tiaodu_models
from tiaodu.projects.models import Indicator, Project


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_it_puts_the_rules_on_every_text_and_date_field_of_every_model():
    from django.db import models

    for model in tiaodu_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                assert any(isinstance(v, NoControlCharacters) for v in field.validators), (model, field)
            if isinstance(field, models.DateField) and not (field.auto_now or field.auto_now_add):
                assert any(isinstance(v, DateInRange) for v in field.validators), (model, field)
    assert any(f.name == "name" for f in hardened_fields(Indicator))


@pytest.mark.django_db
def test_it_refuses_a_control_character_in_an_indicator_name_via_the_api(district):
    response = _api(district.users["hq"]).post(
        "/api/v1/indicators/",
        {"project": "ZD-001", "name": "拆迁\x01面积", "unit_of_measure": "m²", "target": "100"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "「指标名称」含有不可见的控制字符（U+0001）" in str(response.json())
    assert not Indicator.objects.filter(name__contains="\x01").exists()


@pytest.mark.django_db
def test_it_keeps_tabs_and_newlines_in_text(district):
    response = _api(district.users["hq"]).patch(
        "/api/v1/projects/ZD-001/", {"description": "第一行\n第二行\t备注"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Project.objects.get(code="ZD-001").description == "第一行\n第二行\t备注"


@pytest.mark.django_db
def test_it_refuses_planned_start_0001_via_the_api(district):
    response = _api(district.users["hq"]).patch(
        "/api/v1/projects/ZD-001/", {"planned_start": "0001-01-01"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "「计划开工」须在1900-01-01至2100-12-31之间" in str(response.json())
    assert Project.objects.get(code="ZD-001").planned_start.year == 2026


@pytest.mark.django_db
def test_it_refuses_planned_start_0001_in_the_form(client, district):
    login(client, district, "office")  # the baseline dates are offered to the office
    response = client.post(
        "/projects/ZD-001/edit/", manager_data(district.project, planned_start="0001-01-01")
    )
    assert response.status_code == 200
    assert "须在1900-01-01至2100-12-31之间" in field_block(response.content.decode(), "planned_start")


@pytest.mark.django_db
def test_it_refuses_a_control_character_in_the_project_form(client, district):
    login(client, district, "hq")
    response = client.post("/projects/ZD-001/edit/", edit_data(district.project, name="北园\x1b大街"))
    assert response.status_code == 200
    assert "含有不可见的控制字符（U+001B）" in field_block(response.content.decode(), "name")


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["1e30", "123456789012345678", "NaN", "Infinity", "-1"])
def test_it_answers_numbers_the_column_cannot_hold_with_a_400(district, target):
    response = _api(district.users["hq"]).post(
        "/api/v1/indicators/",
        {"project": "ZD-001", "name": "道路长度", "unit_of_measure": "km", "target": target},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "target" in response.json()


@pytest.mark.django_db
def test_it_answers_an_investment_the_column_cannot_hold_with_a_400(district):
    response = _api(district.users["hq"]).patch(
        "/api/v1/projects/ZD-001/", {"total_investment": "9" * 30}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "total_investment" in response.json()
