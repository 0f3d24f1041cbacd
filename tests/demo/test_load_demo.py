"""The demo district: `manage.py load_demo [--if-empty]` on an empty database."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from tests.demo_copy import demo_district
from tiaodu.core.models import ChangeRecord
from tiaodu.demo import data
from tiaodu.demo.loader import load_demo
from tiaodu.orgs.models import Person, Unit, UnitType, User
from tiaodu.projects import selectors
from tiaodu.projects.models import (
    Indicator,
    LetterItem,
    LetterStatus,
    Project,
    ProjectStatus,
    ProjectType,
    ResponsibilityLetter,
)

TODAY = datetime.date(2026, 11, 29)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Unit, Person, User, Project, Indicator, ResponsibilityLetter, LetterItem, ChangeRecord)
    }


def project(name):
    return Project.objects.get(name=name)


def targets(p):
    return {i.name: (i.target, i.unit_of_measure) for i in p.indicators.all()}


def test_it_refers_only_to_units_people_and_categories_it_defines():
    units = {u["name"]: u for u in data.UNITS}
    people = {(u["name"], p["name"]) for u in data.UNITS for p in u["people"]}
    categories = {"道路", "河道", "棚户区改造", "拆违", "平改坡", "小区整治", "亮化", "绿化", "其他"}
    assert len({p["code"] for p in data.PROJECTS}) == len(data.PROJECTS)
    for spec in data.PROJECTS:
        assert units[spec["lead"]]["type"] in ("hq", "department"), spec["name"]
        assert spec["territorial"] and all(units[n]["type"] == "street" for n in spec["territorial"])
        assert all(units[n]["type"] == "department" for n in spec["supporting"])
        assert (data.GOVERNMENT, spec["leader"]) in people
        assert spec["category"] in categories
        assert 1 <= len(spec["indicators"]) <= 3
    for account in data.ACCOUNTS:
        assert account["person"] in people


@pytest.mark.django_db
def test_it_loads_14_key_construction_and_23_remediation_projects():
    demo_district(today=TODAY)

    assert Project.objects.filter(type=ProjectType.KEY_CONSTRUCTION).count() == 14
    assert Project.objects.filter(type=ProjectType.REMEDIATION).count() == 23
    assert Project.objects.get(name="北园大街道路拓宽及两侧整治").code == "ZD-2026-01"
    statuses = {s: Project.objects.filter(status=s).count() for s in ProjectStatus.values}
    assert statuses[ProjectStatus.UNDER_CONSTRUCTION] > 20
    assert statuses[ProjectStatus.NOT_STARTED] >= 2
    assert statuses[ProjectStatus.COMPLETED] + statuses[ProjectStatus.ACCEPTED] >= 3
    assert statuses[ProjectStatus.SUSPENDED] == 1
    for p in Project.objects.all():
        assert p.lead_unit.type in (UnitType.HEADQUARTERS, UnitType.DEPARTMENT), p
        assert p.territorial_units.exists(), p
        assert p.supervising_leader.post.startswith(("副区长", "常务副区长")), p
        assert p.responsible_person.unit == p.lead_unit, p
        assert 1 <= p.indicators.count() <= 3, p
        assert p.total_investment > 0 and p.description
        assert Decimal("116.98") <= p.longitude <= Decimal("117.02"), p
        assert Decimal("36.67") <= p.latitude <= Decimal("36.72"), p
        assert p.planned_start <= p.planned_finish <= p.deadline, p


@pytest.mark.django_db
def test_it_loads_the_projects_named_in_the_speech_with_their_indicators():
    demo_district(today=TODAY)

    assert targets(project("北园大街道路拓宽及两侧整治"))["红线内拆迁面积"] == (Decimal(126000), "m²")
    assert "泺口、徐李、梁府" in project("小清河沿线泺口、徐李、梁府片区开发").name
    assert targets(project("小清河综合治理（天桥段）"))["拆迁面积"][0] >= 180000
    for area in ("馆驿街西", "茂新", "顺河街", "聚贤"):
        p = project(f"{area}片区棚户区改造")
        assert p.category.name == "棚户区改造" and "拆迁面积" in targets(p)
    assert targets(project("水屯社区综合整治"))["拆除违建面积"][0] >= 38000
    assert targets(project("工商河等河道综合整治"))["清淤量"] == (Decimal(150000), "m³")
    assert project("少年路整治工程").status == ProjectStatus.ACCEPTED
    assert "1000万元" in project("堤口路改造工程").description
    pgp = targets(project("平改坡工程（一期）"))
    assert pgp["改造栋数"] == (Decimal(36), "栋") and pgp["改造面积"] == (Decimal(17000), "m²")
    compounds = project("居民小区整治（制锦市、清河、金泉、毕家洼、水园、西苑）")
    assert targets(compounds)["整治小区"] == (Decimal(6), "个")
    assert targets(project("违法违章建筑拆除"))["拆除违建面积"][0] >= 300000
    lighting = targets(project("重点建筑亮化改造（一期）"))
    assert lighting["亮化改造栋数"] == (Decimal(39), "栋")
    assert lighting["商务楼亮化"][0] == 7 and lighting["住宅楼亮化"][0] == 32
    assert Project.objects.filter(name="铁路沿线环境整治").exists()
    assert Project.objects.filter(name__contains="城市出入口").exists()


@pytest.mark.django_db
def test_it_creates_the_units_and_people_of_the_district():
    demo_district(today=TODAY)

    gov = Unit.objects.get(name="区委区政府", type=UnitType.GOVERNMENT)
    assert Unit.objects.exclude(pk=gov.pk).exclude(parent=gov).count() == 0
    assert Unit.objects.filter(type=UnitType.HEADQUARTERS).count() >= 18
    assert Unit.objects.get(type=UnitType.OFFICE).name == "区重点工程重点项目建设领导小组办公室"
    assert Unit.objects.get(type=UnitType.SUPERVISION).name == "区委督查室"
    streets = set(Unit.objects.filter(type=UnitType.STREET).values_list("name", flat=True))
    assert {
        "制锦市街道",
        "北园街道",
        "泺口街道",
        "堤口路街道",
        "北坦街道",
        "宝华街街道",
        "官扎营街道",
        "纬北路街道",
    } <= streets
    departments = set(Unit.objects.filter(type=UnitType.DEPARTMENT).values_list("name", flat=True))
    assert {"区建设局", "区城管局", "区财政局", "区规划分局", "国土分局", "区水务局"} <= departments
    assert Person.objects.get(name="张书记").post == "区委书记"
    assert "区长" in Person.objects.get(name="王区长").post
    for hq in Unit.objects.filter(type=UnitType.HEADQUARTERS):
        assert hq.people.filter(post="指挥长").exists(), hq
        assert hq.led_projects.exists(), hq
    assert all(p.phone.startswith("0531-8") and len(p.phone) == 13 for p in Person.objects.all())


@pytest.mark.django_db
def test_it_writes_responsibility_letters_with_target_items():
    demo_district(today=TODAY)

    letters = ResponsibilityLetter.objects.filter(year=2026)
    for hq in Unit.objects.filter(type=UnitType.HEADQUARTERS):
        letter = letters.get(unit=hq)
        assert letter.items.count() == Indicator.objects.filter(project__lead_unit=hq).count()
    assert letters.filter(unit__type=UnitType.STREET).count() >= 10
    assert letters.filter(status=LetterStatus.DRAFT).count() == 2
    signed = letters.filter(status=LetterStatus.SIGNED)
    assert signed.count() > 30
    for letter in signed:
        assert letter.signatories.startswith("张书记、") and letter.signing_date < TODAY
        assert letter.title == f"2026年度{letter.unit.name}重点工程建设和综合整治目标责任书"
    for item in LetterItem.objects.select_related("project", "indicator"):
        assert item.indicator.project_id == item.project_id
        assert item.deadline == item.project.deadline
    # A street's share: the 36 buildings of 平改坡（一期） are split among its three streets.
    shares = LetterItem.objects.filter(
        project__name="平改坡工程（一期）", indicator__name="改造栋数", letter__unit__type=UnitType.STREET
    )
    assert sorted(i.target for i in shares) == [12, 12, 12]
    assert not LetterItem.objects.filter(
        letter__unit__type=UnitType.STREET, indicator__unit_of_measure="万元"
    )


@pytest.mark.django_db
def test_it_records_the_demo_in_the_change_log():
    demo_district(today=TODAY)

    models = [Unit, Person, Project, Indicator, ResponsibilityLetter, LetterItem]
    demo = ChangeRecord.objects.filter(
        source="demo",
        action=ChangeRecord.Action.CREATE,
        content_type__in=[ContentType.objects.get_for_model(m) for m in models],
    )
    assert demo.count() == Unit.objects.count() + Person.objects.count() + Project.objects.count() + (
        Indicator.objects.count() + ResponsibilityLetter.objects.count() + LetterItem.objects.count()
    )
    assert set(demo.values_list("user_name", flat=True)) == {"admin"}


@pytest.mark.django_db
def test_it_lets_each_demo_account_log_in():
    demo_district(today=TODAY)

    for account in data.ACCOUNTS:
        request = RequestFactory().post("/login/")
        user = authenticate(request=request, username=account["username"], password="Tiaodu@2026")
        assert user is not None and user.role == account["role"], account["username"]
        assert user.person.name == account["person"][1] and user.unit.name == account["person"][0]


def _related_projects(unit_name, roles=("lead", "territorial", "supporting")):
    codes = set()
    for spec in data.PROJECTS:
        if (
            ("lead" in roles and spec["lead"] == unit_name)
            or ("territorial" in roles and unit_name in spec["territorial"])
            or ("supporting" in roles and unit_name in spec["supporting"])
        ):
            codes.add(spec["code"].format(year=TODAY.year))
    return codes


@pytest.mark.django_db
def test_it_gives_each_account_what_its_role_allows():
    demo_district(today=TODAY)
    users = {u.username: u for u in User.objects.all()}
    all_codes = set(Project.objects.values_list("code", flat=True))

    def visible(name):
        return set(selectors.project_list(user=users[name]).values_list("code", flat=True))

    def editable(name):
        return set(selectors.project_editable_list(user=users[name]).values_list("code", flat=True))

    for name in ("admin", "office", "leader", "wangqz", "duchashi"):
        assert visible(name) == all_codes, name
    assert users["admin"].is_superuser and users["admin"].is_staff and users["admin"].manages_all
    assert users["office"].is_office and editable("office") == all_codes
    for name in ("leader", "wangqz", "duchashi"):
        assert editable(name) == set(), name

    assert visible("beiyuan_street") == _related_projects("北园街道")
    assert "ZD-2026-01" in visible("beiyuan_street") and "ZD-2026-02" not in visible("beiyuan_street")
    assert visible("luokou_street") == _related_projects("泺口街道")
    assert visible("beiyuan_hq") == {"ZD-2026-01", "ZD-2026-12"}
    assert visible("xiaoqinghe_hq") == {"ZD-2026-02"}
    assert visible("jianshe") == _related_projects("区建设局")
    assert editable("jianshe") == _related_projects("区建设局", roles=("lead",)) == {"ZZ-2026-23"}
    letters = selectors.letter_list(user=users["beiyuan_street"])
    assert [letter.unit.name for letter in letters] == ["北园街道"]


@pytest.mark.django_db
def test_it_does_nothing_with_if_empty_when_projects_exist():
    demo_district(today=TODAY)  # the demo loaded before (of any day: --if-empty looks only for projects)
    before = counts()

    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)

    assert counts() == before
    assert "数据库中已有项目" in out.getvalue()


@pytest.mark.django_db
def test_it_skips_when_the_database_already_has_other_projects(district):
    before = counts()
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert counts() == before
    assert "演示数据不再加载" in out.getvalue()


@pytest.mark.django_db
def test_it_adds_nothing_when_loaded_twice():
    demo_district(today=TODAY)
    before = counts()

    out = io.StringIO()
    call_command("load_demo", "--today", "2026-11-29", stdout=out)

    assert counts() == before
    assert "演示数据已存在，未新增任何记录" in out.getvalue()


@pytest.mark.django_db
def test_it_prints_what_it_loaded_and_the_account_table():
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)

    text = out.getvalue()
    assert "演示数据已加载" in text and "项目37个" in text
    for account in data.ACCOUNTS:
        line = next(line for line in text.splitlines() if line.strip().startswith(account["username"] + " "))
        assert "Tiaodu@2026" in line and account["person"][0] in line
    assert Project.objects.count() == 37


@pytest.mark.django_db
def test_it_dates_everything_relative_to_the_day_of_loading():
    today = datetime.date(2030, 1, 1)
    load_demo(today=today)

    assert Project.objects.filter(code__startswith="ZD-2030-").count() == 14
    for p in Project.objects.all():
        if p.status == ProjectStatus.NOT_STARTED:
            assert p.planned_start > today, p
        else:
            assert p.planned_start.year == 2029, p
        if p.status in (ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.NOT_STARTED, ProjectStatus.SUSPENDED):
            assert today < p.deadline <= datetime.date(2030, 10, 31), p
    assert Project.objects.filter(deadline=datetime.date(2030, 10, 31)).count() > 20
    letters = ResponsibilityLetter.objects.all()
    assert {letter.year for letter in letters} == {2030}
    assert all(letter.signing_date < today for letter in letters if letter.signing_date)


@pytest.mark.django_db
def test_it_rejects_a_malformed_today():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("load_demo", "--today", "2026/11/29", stdout=io.StringIO())
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_it_does_not_load_the_projects_again_in_a_later_year():
    demo_district(today=TODAY)

    result = load_demo(today=datetime.date(2027, 3, 1))

    assert Project.objects.count() == 37 and result.created["projects"] == 0
    assert set(Project.objects.values_list("code", flat=True)) == {
        s["code"].format(year=2026) for s in data.PROJECTS
    }
    # The new year gets its own letters, on the same projects.
    letters_2027 = ResponsibilityLetter.objects.filter(year=2027)
    assert letters_2027.count() == ResponsibilityLetter.objects.filter(year=2026).count()
    assert LetterItem.objects.filter(letter__in=letters_2027, project__code="ZD-2026-01").exists()
