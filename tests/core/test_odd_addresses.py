"""Addresses and query parameters a user can type never give HTTP 500."""

import pytest

BIG = "99999999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        "/projects/?page=abc",
        "/projects/?lead_unit=xyz&territorial_unit=" + BIG,
        "/projects/?deadline_before=2026-13-45",
        "/letters/?year=abc&status=zz&page=-1",
        "/letters/" + BIG + "/scan/",
        "/units/" + BIG + "/",
        "/people/new/?unit=" + BIG,
        "/calendar/enter/?year=" + BIG,
        "/projects/ZD-001/schedule/baseline/?n=" + BIG,
        "/projects/ZD-001/schedule/plan/?kind=zz",
        "/projects/ZD-001/schedule/tasks/" + BIG + "/edit/",
        "/ledger/imports/" + BIG + "/",
        "/api/v1/projects/?page=abc&lead_unit=xyz",
        "/api/v1/indicators/?project=" + BIG,
        "/api/v1/letters/" + BIG + "/",
    ],
)
def test_it_never_answers_500_to_odd_addresses(client, district, url):
    client.raise_request_exception = False
    client.force_login(district.users["admin"])
    assert client.get(url).status_code < 500
