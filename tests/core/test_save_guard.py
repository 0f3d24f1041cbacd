"""A save() that skipped full_clean() still cannot store a control character or a date out of range."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from tiaodu.projects.models import Project


@pytest.fixture
def problem(district):
    from tiaodu.supervision import services

    return services.problem_raise(
        user=district.users["street"], project=district.project, type="demolition", description="2户拒绝搬迁"
    )


@pytest.mark.django_db
def test_it_refuses_a_control_character_written_by_a_service_without_full_clean(district, problem):
    from tiaodu.supervision import services

    with pytest.raises(ValidationError) as refused:
        services.problem_resolve(user=district.users["street"], problem=problem, text="已腾空\x07")
    assert "含有不可见的控制字符（U+0007）" in str(refused.value.message_dict["resolution"])
    problem.refresh_from_db()
    assert problem.status != "resolved"


@pytest.mark.django_db
def test_it_answers_the_api_with_a_400_for_such_text(district, problem):
    client = APIClient()
    client.force_login(district.users["street"])
    response = client.post(f"/api/v1/problems/{problem.pk}/resolve/", {"text": "已腾空\x07"}, format="json")
    assert response.status_code == 400, response.content


@pytest.mark.django_db
def test_it_checks_only_the_fields_being_saved(district):
    project = Project.objects.get(pk=district.project.pk)
    Project.objects.filter(pk=project.pk).update(name="旧\x01名称")  # an old row
    project.refresh_from_db()
    project.save(update_fields=["description"])  # not the bad field: saved
    project.planned_start = datetime.date(1, 1, 1)
    with pytest.raises(ValidationError, match="计划开工"):
        project.save(update_fields=["planned_start"])
