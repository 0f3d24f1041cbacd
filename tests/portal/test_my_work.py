"""我的待办 on the home page: per role, the counts and their links; each link's list shows those rows.

The district (tests/conftest.py) on Friday 27 November 2026: ZD-001 (lead 北园大街改造指挥部, territorial
北园街道, supervising leader 王区长) and ZD-002 (lead 小清河指挥部, no supervising leader), neither with a
report in the last seven days. The street reported ZD-001 three times: one report returned (to redo), one
submitted, one returned and resubmitted. Two items are assigned to the street (one it asked to close),
three problems sit at the street's, the HQ's and the leaders' rungs, and ZD-001 has a schedule but no
approved baseline.
"""

import datetime
import re

import pytest

from tests.progress.conftest import NOW, figures_of, submitted
from tests.supervision.conftest import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quiet(settings):
    from huey.contrib.djhuey import HUEY

    settings.NOTIFY_WEBHOOK_URLS = []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old, HUEY.immediate = HUEY.immediate, True
    yield
    HUEY.immediate = old


@pytest.fixture
def work(district):
    import time_machine

    from tiaodu.progress import services as reports
    from tiaodu.progress.settings_services import reporting_units_set
    from tiaodu.scheduling.models import Task
    from tiaodu.supervision import services as supervision

    users = district.users
    with time_machine.travel(NOW, tick=False):
        reporting_units_set(user=users["hq"], project=district.project, units=[district.units["street"]])

        def report(day, value):
            return submitted(
                users["street"], district.project, day, figures_of(district.project, 拆迁面积=value)
            )

        redone = report(datetime.date(2026, 11, 6), 1000)
        reports.report_return(user=users["hq"], report=redone, reason="缺少现场照片")
        reports.report_submit(
            user=users["street"], report=reports.report_revise(user=users["street"], report=redone)
        )
        report(datetime.date(2026, 11, 13), 2000)
        # as of 20 November: outside the seven days ending 27 November, so ZD-001 still misses its report
        returned = report(datetime.date(2026, 11, 20), 3000)
        reports.report_return(user=users["hq"], report=returned, reason="拆迁面积与台账不符")

        deadline = datetime.date(2026, 12, 31)
        make_item(district, deadline=deadline, title="清理北园大街沿线建筑垃圾", on=NOW.date())
        asked = make_item(district, deadline=deadline, title="恢复北园大街人行道", on=NOW.date())
        supervision.item_request_close(user=users["street"], item=asked, text="已恢复")
        make_item(district, deadline=deadline, title="小清河沿线排污口封堵", units=("dept",), on=NOW.date())

        def problem(title, rises):
            p = supervision.problem_raise(
                user=users["street"], project=district.project, type="demolition", description=title
            )
            for _ in range(rises):
                p = supervision.problem_escalate(user=users["hq"], problem=p, text="已协调，未解决")
            return p

        problem("12号院2户拒绝搬迁", 0)
        problem("燃气管线迁改未批复", 1)
        problem("跨河桥梁用地未落实", 2)
        Task.objects.create(project=district.project, code="T1", name="路基施工", duration=20)
        yield district


def home_work(client, user) -> dict[str, tuple[int, str]]:
    client.force_login(user)
    page = client.get("/").content.decode()
    panel = page.split('id="my-work"', 1)[1].split('<div class="row g-3">', 1)[0] if "my-work" in page else ""
    rows = re.findall(r'href="([^"]+)" data-work="(\w+)">.*?data-count>(\d+)<', panel, re.S)
    out = {key: (int(count), url.replace("&amp;", "&")) for url, key, count in rows}
    out["_empty"] = "data-work-empty" in panel
    out["_panel"] = bool(panel)
    return out


def list_rows(client, url: str) -> int:
    page = client.get(url).content.decode()
    if url.startswith("/reports/?due"):
        return len(re.findall(r'badge text-bg-danger" title="近7日本项目没有任何单位报送"', page))
    if url.startswith("/reports/verify/"):
        return len(re.findall(r'data-report="\d+"', page))
    if url.startswith("/reports/"):
        table = page.split("我的周报", 1)[1]
        return len(re.findall(r'href="/reports/\d+/"', table))
    if url.startswith("/supervision/"):
        return len(re.findall(r'<tr class="[^"]*" data-warning=', page))
    if url.startswith("/problems/"):
        return page.count('class="td-problem-card"')
    if url.startswith("/my-work/baselines/"):
        return len(re.findall(r'/schedule/baseline/">审定', page))
    raise AssertionError(url)


EXPECTED = {
    # reports due (ZD-001 missing), returned and not resubmitted, items to answer, problems at its rung
    "street": {"due": 1, "returned": 1, "feedback": 1, "problems": 1},
    # its reports to verify (one submitted, one resubmitted), the problem at 牵头指挥部
    "hq": {"due": 1, "verify": 2, "problems": 1},
    # ZD-001 and ZD-002 missing, every report to verify, the schedule to approve
    "office": {"due": 2, "verify": 2, "baselines": 1},
    "leader": {"problems": 1},  # ZD-001's supervising leader
    "supervisor": {"confirmation": 1, "problems": 1},
    "dept": {"feedback": 1},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_role_sees_its_counts_and_each_link_lists_those_rows(client, work, who):
    shown = home_work(client, work.users[who])
    counts = {k: v[0] for k, v in shown.items() if not k.startswith("_")}
    assert counts == EXPECTED[who]
    for key, value in shown.items():
        if not key.startswith("_"):
            count, url = value
            assert list_rows(client, url) == count, (who, key, url)


def test_a_role_without_open_work_sees_no_rows_of_zeros(client, work):
    shown = home_work(client, work.users["outsider"])  # 泺口街道: nothing to report, answer or solve
    assert shown["_panel"] and shown["_empty"]
    assert [k for k in shown if not k.startswith("_")] == []
    client.force_login(work.users["outsider"])
    page = client.get("/").content.decode()
    assert "暂无待办" in page and "data-count>0<" not in page


def test_the_leader_has_no_reporting_rows_and_the_street_no_approvals(client, work):
    from tiaodu.portal.work import my_work

    assert {i.key for i in my_work(work.users["leader"]).items} == {"problems"}
    assert {i.key for i in my_work(work.users["street"]).items} == {
        "due",
        "returned",
        "verify",
        "feedback",
        "problems",
    }
    assert {i.key for i in my_work(work.users["office"]).items} == {
        "due",
        "returned",
        "verify",
        "feedback",
        "problems",
        "baselines",
    }


def test_the_counts_follow_the_work(client, work):
    """Approving the baseline, resubmitting the returned report, confirming the item: the rows go."""

    from tiaodu.progress import services as reports
    from tiaodu.progress.models import Report
    from tiaodu.scheduling import services as scheduling
    from tiaodu.supervision import services as supervision
    from tiaodu.supervision.models import SupervisionItem

    scheduling.baseline_approve(user=work.users["office"], project=work.project)
    returned = Report.objects.get(status="returned", as_of=datetime.date(2026, 11, 20))
    draft = reports.report_revise(user=work.users["street"], report=returned)
    assert home_work(client, work.users["street"])["returned"][0] == 1  # a draft is not resubmitted
    reports.report_submit(user=work.users["street"], report=draft)
    item = SupervisionItem.objects.get(status="close_requested")
    supervision.item_confirm_close(user=work.users["supervisor"], item=item, text="已核实")
    assert "baselines" not in home_work(client, work.users["office"])
    assert "returned" not in home_work(client, work.users["street"])
    assert "confirmation" not in home_work(client, work.users["supervisor"])


def test_the_filtered_lists_say_they_are_filtered(client, work):
    client.force_login(work.users["street"])
    assert "待本单位反馈" in client.get("/supervision/?awaiting=feedback").content.decode()
    assert "本人所在层级" in client.get("/problems/?rung=mine").content.decode()
    assert "仅显示被退回、尚未重新提交的周报" in client.get("/reports/?returned=open").content.decode()
    assert "仅显示近7日未报送的项目" in client.get("/reports/?due=missing").content.decode()
    client.force_login(work.users["street"])
    assert client.get("/my-work/baselines/").status_code == 403


def test_no_zero_rate_for_a_type_the_unit_has_none_of(client, work):
    """The HQ leads one 重点建设 project and no 整治 project: no 0.0% anywhere for 整治."""
    client.force_login(work.users["hq"])
    home = client.get("/").content.decode()
    assert re.search(r'data-rate="remediation">—<', home) and "无此类项目" in home
    assert re.search(r'data-rate="key_construction">[\d.]+%<', home)
    client.force_login(work.users["leader"])
    page = client.get(f"/units/{work.units['hq'].pk}/").content.decode()
    figures = page.split('id="figures"', 1)[1].split('id="projects"', 1)[0]
    remediation = figures.split('data-type="remediation"', 1)[1].split("</tr>", 1)[0]
    assert "无此类项目" in remediation and "%" not in remediation
    key = figures.split('data-type="key_construction"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'data-key="total">1<', key) and re.search(r'data-key="started_rate">[\d.]+%<', key)
    assert "0.0%" not in figures or "0.0%" in key


def test_the_unit_page_figures_are_the_overviews(client, work):
    """The unit's 按期率 is its row of the overview's unit ranking."""
    from tiaodu.progress.selectors import progress_status

    status = progress_status(user=work.users["leader"], as_of=NOW.date(), include_indicators=False)
    row = next(r for r in status.units if r.unit == work.units["hq"].name)
    client.force_login(work.users["leader"])
    page = client.get(f"/units/{work.units['hq'].pk}/").content.decode()
    total = page.split('data-type="all"', 1)[1].split("</tr>", 1)[0]
    assert f"{row.on_time_share * 100:.1f}%" in total
    empty = client.get(f"/units/{work.units['supervision'].pk}/").content.decode()
    figures = empty.split('id="figures"', 1)[1].split('id="projects"', 1)[0]
    assert "%" not in figures and "无此类项目" in figures and "无项目" in figures
