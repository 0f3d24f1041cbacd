"""The security audit log: what it records, who reads it, that nobody edits it, how long it is kept."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from openpyxl import load_workbook

from tests.orgs.conftest import PASSWORD, events, sign_in
from tiaodu.orgs.models import SecurityEvent, SecurityEventImmutable
from tiaodu.orgs.security import security_event_log


def test_it_records_a_sign_in_and_a_sign_out_with_address_and_browser(client, district):
    sign_in(client, "hq", HTTP_USER_AGENT="Firefox/140.0", REMOTE_ADDR="10.2.3.4")
    client.post("/logout/", HTTP_USER_AGENT="Firefox/140.0", REMOTE_ADDR="10.2.3.4")
    login, logout = events("login", username="hq")[-1], events("logout", username="hq")[-1]
    assert (login.user, login.ip_address, login.user_agent) == (
        district.users["hq"],
        "10.2.3.4",
        "Firefox/140.0",
    )
    assert logout.user == district.users["hq"] and logout.at >= login.at


def test_it_records_failed_sign_ins_and_the_lockout(client, district):
    for _ in range(5):
        client.post("/login/", {"username": "hq", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    failed = events("login_failed", username="hq")
    assert len(failed) == 5
    assert failed[0].ip_address == "10.9.9.9" and failed[0].detail == "用户名或密码错误"
    lockouts = events("lockout", username="hq")
    assert lockouts and lockouts[0].ip_address == "10.9.9.9"
    assert "被锁定" in lockouts[0].detail
    client.post("/login/", {"username": "nobody", "password": "x"})
    assert events("login_failed", username="nobody")[0].detail == "用户名不存在"


def test_it_shows_the_log_to_an_auditor_with_filters_by_kind_user_and_date(client, district, auditor):
    client.post("/login/", {"username": "street", "password": "wrong"})
    sign_in(client, "dept")
    page = client.get("/security/audit/").content.decode()
    assert "安全审计日志" in page and "登录失败" in page and "street" in page
    assert 'href="/security/audit/"' in page  # in the navigation
    page = client.get("/security/audit/?kind=login&user=dept").content.decode()
    assert "登录失败" not in page.split("<tbody>")[1] and "dept" in page
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = client.get(f"/security/audit/?start={tomorrow}").content.decode()
    assert "没有符合条件的记录" in page
    response = client.get("/security/audit/?start=2026-13-40")
    assert response.status_code == 400 and "起始日期格式应为" in response.content.decode()


@pytest.mark.parametrize("who", ["hq", "office", "leader", "supervisor"])
def test_it_refuses_the_log_page_and_its_export_to_non_auditors(client, district, who):
    sign_in(client, who)
    page = client.get("/security/audit/")
    assert page.status_code == 403 and "只有安全审计员" in page.content.decode()
    assert client.get("/security/audit/export.xlsx").status_code == 403
    assert 'href="/security/audit/"' not in client.get("/").content.decode()


def test_it_refuses_anonymous_visitors(client, district):
    assert client.get("/security/audit/")["Location"].startswith("/login/")
    assert client.get("/security/audit/export.xlsx")["Location"].startswith("/login/")


def test_it_exports_the_log_with_every_text_written_as_text(client, district, auditor):
    formula = '=HYPERLINK("http://evil.example/x","点这里")'
    client.post("/login/", {"username": formula, "password": "x"}, HTTP_USER_AGENT="+cmd\x01|calc")
    client.post("/login/", {"username": "@SUM(1+1)", "password": "x"})
    sign_in(client, "dept")
    response = client.get("/security/audit/export.xlsx?kind=login_failed")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("时间", "类型", "用户名", "IP地址")
    names = {row[2] for row in rows[1:]}
    assert {formula, "@SUM(1+1)"} <= names
    cells = [
        c for row in sheet.iter_rows() for c in row if c.value in (formula, "@SUM(1+1)", "+cmd\\x01|calc")
    ]
    assert len(cells) == 3 and all(c.data_type == "s" for c in cells)
    export = events("export", username="dept")[-1]
    assert export.target == "安全审计日志" and "类型=登录失败" in export.detail


def test_it_cannot_be_edited_through_the_admin(client, district, root):
    event = security_event_log(kind="login", user=district.users["hq"], detail="原文")
    sign_in(client, "root")
    assert client.get("/admin/orgs/securityevent/").status_code == 200
    page = client.get(f"/admin/orgs/securityevent/{event.pk}/change/").content.decode()
    assert "原文" in page and 'name="_save"' not in page
    assert client.post(f"/admin/orgs/securityevent/{event.pk}/change/", {"detail": "改过"}).status_code == 403
    assert client.get("/admin/orgs/securityevent/add/").status_code == 403
    assert client.post(f"/admin/orgs/securityevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.post(
        "/admin/orgs/securityevent/", {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert changelist.status_code in (200, 302)
    event.refresh_from_db()
    assert event.detail == "原文"


def test_it_refuses_changes_in_the_model_and_in_the_database(district):
    event = security_event_log(kind="login", user=district.users["hq"], detail="原文")
    event.detail = "改过"
    with pytest.raises(SecurityEventImmutable):
        event.save()
    with pytest.raises(SecurityEventImmutable):
        event.delete()
    with pytest.raises(SecurityEventImmutable):
        SecurityEvent.objects.filter(pk=event.pk).update(detail="改过")
    with pytest.raises(SecurityEventImmutable):
        SecurityEvent.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_securityevent SET detail = 'x'")
    assert SecurityEvent.objects.get(pk=event.pk).detail == "原文"


def test_it_keeps_the_user_name_when_the_account_is_deleted(district):
    user = district.users["outsider"]
    security_event_log(kind="login", user=user)
    user.delete()
    event = events("login", username="outsider")[0]
    assert event.username == "outsider"
    assert events("permission_change", target="用户 outsider")[-1].detail == "删除账号"


def test_it_prunes_only_events_older_than_the_retention(district, settings):
    now = timezone.now()
    for days in (400, 200, 10):
        with time_machine.travel(now - datetime.timedelta(days=days), tick=False):
            security_event_log(kind="export", detail=f"{days}天前")
    from tiaodu.orgs.tasks import prune_security_events

    assert settings.AUDIT_RETENTION_DAYS == 365
    assert prune_security_events.call_local() == 1
    assert {e.detail for e in events("export")} == {"200天前", "10天前"}
    settings.AUDIT_RETENTION_DAYS = 180
    assert prune_security_events.call_local() == 1
    assert {e.detail for e in events("export")} == {"10天前"}
    settings.AUDIT_RETENTION_DAYS = 30
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="不能少于 180 天"):
        prune_security_events.call_local()


def test_it_refuses_a_retention_under_180_days_at_startup():
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "AUDIT_RETENTION_DAYS": "90"}
    done = subprocess.run(
        [sys.executable, "-c", "import tiaodu.settings"], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "AUDIT_RETENTION_DAYS must be at least 180" in done.stderr


def test_it_records_permission_changes_made_in_the_admin(client, district, root):
    from django.contrib.auth.models import Group

    dept = district.users["dept"]
    auditors = Group.objects.get(name="安全审计员")
    sign_in(client, "root")
    data = {
        "username": "dept",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "groups": [auditors.pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "role": "supervisor",
        "person": district.people["dept"].pk,
    }
    dept.person = None
    dept.save(update_fields=["person"])
    response = client.post(f"/admin/orgs/user/{dept.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    changes = [e for e in events("permission_change") if e.target == "用户 dept"]
    text = "\n".join(e.detail for e in changes)
    assert "角色：单位用户 → 督查" in text
    assert "可登录管理后台：否 → 是" in text
    assert "人员：无 → 孙局长（区建设局）" in text
    assert "用户组加入：安全审计员" in text
    assert all(e.username == "root" and e.ip_address == "127.0.0.1" for e in changes[-2:])


def test_it_records_a_unit_change_of_a_persons_account(district):
    from tiaodu.orgs.services import person_update

    person_update(
        user=district.users["office"], person=district.people["dept"], data={"unit": district.units["hq"]}
    )
    event = events("permission_change", target="用户 dept")[-1]
    assert event.detail == "所属单位：区建设局 → 北园大街改造指挥部（人员 孙局长）"
    assert event.username == "系统"


def test_it_records_exports_downloads_share_openings_and_imports(client, district):
    from tests.briefings.conftest import pdf_bytes, upload
    from tiaodu.briefings.services import document_upload, share_create

    sign_in(client, "office")
    ledger = client.get("/ledger/export/")
    assert ledger.status_code == 200
    response = client.post("/ledger/", {"file": upload("台账.xlsx", b"".join(ledger.streaming_content))})
    assert response.status_code == 302
    client.post(response["Location"] + "confirm/")
    client.get("/projects/ZD-001/schedule/template.xlsx")
    document = document_upload(user=district.users["office"], file=upload("方案.pdf", pdf_bytes()))
    client.get(f"/documents/{document.pk}/file/")
    link = share_create(
        user=district.users["office"],
        document=document,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.post("/logout/")
    client.get(f"/s/{link.token}/", REMOTE_ADDR="10.7.7.7")
    client.get(f"/s/{link.token}/file/", REMOTE_ADDR="10.7.7.7")

    seen = [
        (e.kind, e.username, e.target)
        for e in events()
        if e.kind not in {"login", "logout", "permission_change"}
    ]
    assert ("export", "office", "项目台账") in seen
    assert ("import", "office", "台账「台账.xlsx」") in seen
    assert ("export", "office", "ZD-001 工期计划") in seen
    assert ("download", "office", "文档「方案」") in seen
    opened = events("share_open")[-1]
    assert (opened.username, opened.ip_address, opened.detail) == ("", "10.7.7.7", "有效")
    assert ("download", "", "分享「方案」") in seen


def test_it_records_a_password_change(client, district):
    sign_in(client, "hq")
    client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "Qinghe#River2027", "new_password2": "Qinghe#River2027"},
    )
    event = events("password_change")[-1]
    assert (event.username, event.target, event.detail) == ("hq", "用户 hq", "本人修改密码")
