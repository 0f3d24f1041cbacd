"""After the session ended, signing in again goes back to the page the user was on — never to a POST-only
address (a 405 after signing in)."""

import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "Tiaodu@2026!"


def test_a_form_sent_after_the_session_ended_comes_back_to_the_form_page(district, client):
    response = client.post(
        "/reports/1/submit/", HTTP_REFERER="http://testserver/reports/1/?tab=figures", HTTP_HOST="testserver"
    )
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Freports%2F1%2F%3Ftab%3Dfigures"
    # Signing in there opens the page (a GET), not the POST-only address.
    signed_in = client.post(
        "/login/", {"username": "hq", "password": PASSWORD, "next": "/projects/ZD-001/reports/new/"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/projects/ZD-001/reports/new/"
    assert client.get(signed_in["Location"]).status_code == 200


def test_without_a_same_site_referer_the_sign_in_goes_home(district, client):
    for headers in (
        {},
        {"HTTP_REFERER": "https://evil.example/reports/1/"},
        {"HTTP_REFERER": "http://testserver/login/"},
    ):
        response = client.post("/reports/1/verify/", **headers)
        assert response.status_code == 302 and response["Location"] == "/login/", headers


def test_a_page_asked_for_keeps_its_address_through_the_sign_in(district, client):
    response = client.get("/projects/ZD-001/?tab=history")
    assert response["Location"] == "/login/?next=/projects/ZD-001/%3Ftab%3Dhistory"
    signed_in = client.post(
        "/login/", {"username": "leader", "password": PASSWORD, "next": "/projects/ZD-001/?tab=history"}
    )
    assert signed_in["Location"] == "/projects/ZD-001/?tab=history"
