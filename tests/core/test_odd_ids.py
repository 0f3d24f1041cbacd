"""Typed-in ids that are not plain 64-bit numbers must never give HTTP 500; favorites never redirect off site."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

HUGE = "9" * 25


def png(name="photo.png"):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.mark.django_db
@pytest.mark.parametrize("unit", ["²", HUGE])
def test_it_ignores_a_unit_filter_that_is_not_a_plain_id_on_the_dashboard_list(client, district, unit):
    client.force_login(district.users["office"])
    response = client.get("/dashboard/projects/", {"unit": unit})
    assert response.status_code == 200
    assert "责任单位" not in "".join(response.context["chips"])


@pytest.mark.django_db
@pytest.mark.parametrize("unit", ["²", HUGE])
def test_it_ignores_a_unit_filter_that_is_not_a_plain_id_on_accountability(client, district, unit):
    client.force_login(district.users["admin"])
    assert client.get("/accountability/", {"unit": unit}).status_code == 200
    assert (
        client.get("/accountability/new/", {"unit": unit, "items": unit, "problems": unit}).status_code == 200
    )


@pytest.mark.django_db
@pytest.mark.parametrize("meeting", ["²", HUGE])
def test_it_ignores_a_meeting_id_that_is_not_a_plain_id_on_the_upload_page(client, district, meeting):
    client.force_login(district.users["hq"])
    assert client.get("/documents/upload/", {"meeting": meeting}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("unit", ["²", HUGE])
def test_it_answers_400_for_an_upload_api_unit_that_is_not_a_plain_id(client, district, unit):
    client.force_login(district.users["hq"])
    response = client.post("/api/v1/documents/", {"file": png(), "unit": unit})
    assert response.status_code == 400
    assert "单位不存在" in response.content.decode()


@pytest.mark.django_db
def test_it_answers_400_for_an_oversized_meeting_id_in_the_upload_api(client, district):
    client.force_login(district.users["hq"])
    response = client.post("/api/v1/documents/", {"file": png(), "meeting": HUGE})
    assert response.status_code == 400
    assert "调度会ID" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_it_does_not_follow_an_off_site_next_after_a_favorite(client, district, target):
    from tiaodu.briefings.services import document_upload

    user = district.users["hq"]
    document = document_upload(user=user, file=png())
    client.force_login(user)
    response = client.post(f"/documents/{document.pk}/favorite/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.pk}/"
    response = client.post(f"/documents/{document.pk}/favorite/", {"next": "/documents/?favorites=on"})
    assert response["Location"] == "/documents/?favorites=on"
