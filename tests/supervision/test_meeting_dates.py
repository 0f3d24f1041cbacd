"""A meeting dated 9999-12-31 or 0001-01-01 is refused with a message, on the page and through the API."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tiaodu.supervision.models import Meeting


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_it_refuses_a_meeting_out_of_range_through_the_api(sup, day):
    client = APIClient()
    client.force_login(sup.users["supervisor"])
    response = client.post("/api/v1/meetings/", {"date": day}, format="json")
    assert response.status_code == 400, response.content
    assert "「会议日期」须在1900-01-01至2100-12-31之间" in str(response.json())
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_meeting_dated_9999_12_31_on_the_page(sup):
    client = Client()
    client.force_login(sup.users["supervisor"])
    response = client.post("/meetings/new/", {"title": "调度会", "date": "9999-12-31"})
    assert response.status_code == 200
    assert "「会议日期」须在1900-01-01至2100-12-31之间" in response.content.decode()
    assert not Meeting.objects.exists()
