"""One bad row written behind the rules' back (raw SQL) does not break a page that lists many projects."""

import datetime

import pytest
from django.db import connection
from django.test import Client

from tiaodu.projects.models import Indicator, Project


def _poison(district):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Project._meta.db_table} SET planned_start = %s, name = %s WHERE id = %s",
            ["0001-01-01", "坏\x01项目", district.other.id],
        )
        cursor.execute(
            f"UPDATE {Indicator._meta.db_table} SET name = %s WHERE project_id = %s",
            ["拆迁\x01面积", district.project.id],
        )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_it_serves_the_dashboard_and_progress_api_with_a_bad_row(district):
    _poison(district)
    client = _client(district.users["office"])
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/dashboard/projects/").status_code == 200
    response = client.get("/api/v1/progress")
    assert response.status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_it_exports_the_ledger_with_a_bad_row(district):
    _poison(district)
    response = _client(district.users["office"]).get("/ledger/export/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_it_generates_the_briefing_with_a_bad_row(district, tmp_path):
    from tiaodu.briefings.services import briefing_generate

    _poison(district)
    briefing_generate(as_of=datetime.date(2026, 4, 3), user=district.users["office"], out_dir=tmp_path)
