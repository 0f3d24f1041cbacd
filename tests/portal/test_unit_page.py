"""A unit's page lists only the projects the reader may see."""


def test_it_lists_on_a_unit_page_only_projects_the_user_sees(client, district):
    client.force_login(district.users["outsider"])
    page = client.get(f"/units/{district.units['hq'].pk}/").content.decode()
    assert "ZD-001" not in page
    client.force_login(district.users["leader"])
    assert "ZD-001" in client.get(f"/units/{district.units['hq'].pk}/").content.decode()
