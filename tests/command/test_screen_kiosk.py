"""Kiosk links of the big screen: made on the page or by `manage.py screen_link`, used signed out (each use
stamped), stopped at once, and granting nothing but the screen."""

import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command

from tiaodu.command import kiosk
from tiaodu.command.models import KioskLink
from tiaodu.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def _token(url: str) -> str:
    return re.search(r"/screen/k/([^/]+)/$", url).group(1)


def test_the_office_makes_a_link_and_sees_it_once(client, district):
    client.force_login(district.users["office"])
    response = client.post("/screen/links/new/", {"name": " 三楼 会议室大屏 "}, follow=True)
    html = response.content.decode()
    url = re.search(r'id="td-kiosk-url" value="([^"]+)"', html).group(1)
    assert url.startswith("http://testserver/screen/k/")
    link = KioskLink.objects.get()
    assert link.name == "三楼 会议室大屏" and link.created_by == district.users["office"]
    assert link.token_hash == hashlib.sha256(_token(url).encode()).hexdigest()  # only the hash is kept
    assert _token(url) not in str(KioskLink.objects.values_list())
    assert "已生成大屏链接「三楼 会议室大屏」" in html
    again = client.get("/screen/links/").content.decode()
    assert _token(url) not in again and "三楼 会议室大屏" in again and "从未使用" in again
    record = ChangeRecord.objects.get(object_id=link.pk, content_type__model="kiosklink")
    assert record.action == "create" and record.user == district.users["office"]


def test_a_duplicate_or_empty_name_is_refused_in_chinese(client, district):
    client.force_login(district.users["admin"])
    client.post("/screen/links/new/", {"name": "大厅"})
    html = client.post("/screen/links/new/", {"name": "大厅"}, follow=True).content.decode()
    assert "已有名为「大厅」的大屏链接，请换一个名称" in html
    html = client.post("/screen/links/new/", {"name": "  "}, follow=True).content.decode()
    assert "请填写链接名称" in html
    assert KioskLink.objects.count() == 1


def test_a_link_opens_the_screen_signed_out_and_stamps_each_use(client, district):
    link, token = kiosk.kiosk_create(user=district.users["office"], name="大厅")
    assert link.last_used_at is None
    response = client.get(f"/screen/k/{token}/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-url="/screen/k/{token}/data/"' in html
    link.refresh_from_db()
    assert link.last_used_at is not None and link.last_used_ip == "10.1.2.3"
    first = link.last_used_at
    data = client.get(f"/screen/k/{token}/data/", REMOTE_ADDR="10.1.2.4")
    assert data.status_code == 200 and data.json()["total"] == 2
    link.refresh_from_db()
    assert link.last_used_ip == "10.1.2.4" and link.last_used_at >= first
    listed = client.get("/screen/links/")  # signed out: the link grants nothing else
    assert listed.status_code == 302


def test_the_link_grants_nothing_else(client, district):
    _link, token = kiosk.kiosk_create(user=district.users["office"], name="大厅")
    client.get(f"/screen/k/{token}/")
    client.get(f"/screen/k/{token}/data/")
    for url in ("/", "/screen/", "/screen/data/", "/dashboard/", "/projects/ZD-001/", "/briefings/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert client.get("/api/v1/projects/").status_code == 401


def test_a_revoked_link_is_refused_and_the_open_screen_stops(client, district):
    link, token = kiosk.kiosk_create(user=district.users["office"], name="大厅")
    assert client.get(f"/screen/k/{token}/data/").status_code == 200
    admin = district.users["admin"]
    client.force_login(admin)
    response = client.post(f"/screen/links/{link.pk}/revoke/", follow=True)
    assert "已停用大屏链接「大厅」" in response.content.decode()
    assert "已停用" in client.get("/screen/links/").content.decode()
    client.logout()
    link.refresh_from_db()
    used = link.last_used_at
    assert link.revoked_at is not None
    page = client.get(f"/screen/k/{token}/")
    assert page.status_code == 403 and "链接已停用" in page.content.decode()
    data = client.get(f"/screen/k/{token}/data/")
    assert data.status_code == 403 and data.json() == {"detail": "链接已停用"}
    link.refresh_from_db()
    assert link.last_used_at == used  # a refused use stamps nothing
    records = ChangeRecord.objects.filter(object_id=link.pk, content_type__model="kiosklink").order_by("id")
    assert [r.action for r in records] == ["create", "update"]
    assert records[1].user == admin and records[1].changes == {"状态": ["有效", "已停用"]}


def test_an_unknown_link_is_a_chinese_404(client, district):
    for token in ("nope", "x" * 500, "%E4%B8%AD"):
        page = client.get(f"/screen/k/{token}/")
        assert page.status_code == 404 and "链接不存在" in page.content.decode()
        data = client.get(f"/screen/k/{token}/data/")
        assert data.status_code == 404 and data.json() == {"detail": "链接不存在"}
        assert client.get(f"/screen/k/{token}/photos/1/").status_code == 404


def test_only_the_office_and_admins_manage_links(client, district):
    link, _token = kiosk.kiosk_create(user=district.users["office"], name="大厅")
    for user in ("leader", "supervisor", "hq", "street"):
        client.force_login(district.users[user])
        assert client.get("/screen/links/").status_code == 403
        assert client.post("/screen/links/new/", {"name": "x"}).status_code == 403
        assert client.post(f"/screen/links/{link.pk}/revoke/").status_code == 403
    assert KioskLink.objects.count() == 1 and KioskLink.objects.get().active


def test_the_command_makes_and_stops_a_link(district, settings):
    settings.SITE_URL = ""
    out = io.StringIO()
    call_command("screen_link", "大厅", stdout=out)
    url = out.getvalue().strip()
    assert url.startswith("http://127.0.0.1:8000/screen/k/")
    link = KioskLink.objects.get(name="大厅")
    assert link.token_hash == kiosk.token_hash(_token(url)) and link.created_by is None
    out = io.StringIO()
    call_command("screen_link", "二楼", "--base-url", "https://tiaodu.example.cn/", stdout=out)
    assert out.getvalue().startswith("https://tiaodu.example.cn/screen/k/")
    settings.SITE_URL = "https://site.example.cn"
    out = io.StringIO()
    call_command("screen_link", "三楼", stdout=out)
    assert out.getvalue().startswith("https://site.example.cn/screen/k/")
    with pytest.raises(CommandError, match="已有名为「大厅」的大屏链接"):
        call_command("screen_link", "大厅")
    out = io.StringIO()
    call_command("screen_link", "大厅", "--revoke", stdout=out)
    assert "已停用大屏链接「大厅」" in out.getvalue()
    assert not KioskLink.objects.get(name="大厅").active
    with pytest.raises(CommandError, match="此前已停用"):
        call_command("screen_link", "大厅", "--revoke")
    with pytest.raises(CommandError, match="没有名为「四楼」的大屏链接"):
        call_command("screen_link", "四楼", "--revoke")
    records = ChangeRecord.objects.filter(object_id=link.pk, content_type__model="kiosklink")
    assert {r.source for r in records} == {"command"} and records.count() == 2
    # A lost link is stopped and made again under the same name; the old secret stays refused.
    out = io.StringIO()
    call_command("screen_link", "大厅", stdout=out)
    new_url = out.getvalue().strip()
    assert new_url != url and kiosk.kiosk_find(_token(new_url)).active
    assert not kiosk.kiosk_find(_token(url)).active
    call_command("screen_link", "大厅", "--revoke", stdout=io.StringIO())
    assert not kiosk.kiosk_find(_token(new_url)).active
