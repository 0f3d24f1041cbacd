"""The supervision loop of the demo district: problems on the ladder (some risen by themselves), last
Monday's dispatch meeting with its decisions turned into supervision items, items in every state and
warning (some overdue yellow and red), and one accountability record.

Everything is written through the supervision services with the demo accounts of the units concerned,
dated relative to `today`; then the sweep runs as of this morning (and once as of a week ago, so that
an item closed since keeps its warning history). Loading is additive: if any demo problem title is
already there, nothing is written.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tiaodu.orgs.models import Person, Unit, User
from tiaodu.progress.models import Report
from tiaodu.projects.models import Project
from tiaodu.supervision import services
from tiaodu.supervision.models import Problem

SOURCE = "demo"
MARKER = "红线外3户商铺补偿标准未谈妥"


def _photo(
    name: str, sky=(150, 180, 210), ground=(120, 110, 95), blocks=((90, 90, 90),)
) -> SimpleUploadedFile:
    """A small made-up 'site photo' (JPEG) so the demo's inspection items carry pictures."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 190, 480, 320], fill=ground)
    for i, color in enumerate(blocks):
        x = 60 + i * 130
        draw.rectangle([x, 150 - i * 20, x + 100, 250], fill=color)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _at(day: datetime.date, hour: int = 7) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 0))


USERNAMES = [
    "admin",
    "office",
    "leader",
    "wangqz",
    "duchashi",
    "beiyuan_hq",
    "xiaoqinghe_hq",
    "beiyuan_street",
    "luokou_street",
    "jianshe",
]


@dataclass
class _Cast:
    """The demo's people, places and days the supervision story is written with."""

    today: datetime.date
    users: dict[str, User]
    beiyuan: Project | None = None
    xqh: Project | None = None
    railway: Project | None = None
    lights: Project | None = None

    def user(self, name: str) -> User:
        return self.users.get(name) or self.users["admin"]

    @staticmethod
    def unit(name: str) -> Unit | None:
        return Unit.objects.filter(name=name).first()

    @staticmethod
    def person(unit_name: str, name: str) -> Person | None:
        return Person.objects.filter(unit__name=unit_name, name=name).first()

    def assignees(self) -> tuple[Unit | None, ...]:
        """北园街道, 泺口街道, 堤口路街道 and 区建设局 (the first standing in for a missing one)."""
        street = self.unit("北园街道")
        return (
            street,
            self.unit("泺口街道"),
            self.unit("堤口路街道") or street,
            self.unit("区建设局") or street,
        )

    def days(self, n: int) -> datetime.date:
        return self.today + datetime.timedelta(days=n)


def _project(name: str) -> Project | None:
    return Project.objects.filter(name__startswith=name).first()


def load_demo_supervision(today: datetime.date | None = None) -> dict[str, int]:
    """Write the demo's problems, meeting, items and accountability; returns what was created."""
    today = today or timezone.localdate()
    created: Counter = Counter()
    if Problem.objects.filter(title=MARKER).exists():
        return dict(created)
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    if "admin" not in users:
        return dict(created)
    c = _Cast(
        today=today,
        users=users,
        beiyuan=_project("北园大街道路拓宽"),
        xqh=_project("小清河综合治理"),
        railway=_project("铁路沿线环境整治"),
        lights=_project("重点建筑亮化"),
    )
    if not all([c.beiyuan, c.xqh]):
        return dict(created)
    with transaction.atomic():
        p2, created["problems"] = _problems(c)
        red, yellow, waiting, closed = _items(c)
        created["items"] += 6
        _responses(c, red=red, yellow=yellow, waiting=waiting, closed=closed)
        created["items"] += _meeting(c)
        created["meetings"] += 1
        _accountability(c, red=red, problem=p2)
        created["accountability"] += 1
        # This morning's sweep: warnings and automatic escalations as of today.
        services.sweep(now=_at(today), deliver=False)
    return dict(created)


def _problems(c: _Cast) -> tuple[Problem, int]:
    """Problems raised on different days; the sweeps let the old ones rise by themselves. (problem 2, count)"""
    count = 5
    services.problem_raise(
        user=c.user("beiyuan_street"),
        project=c.beiyuan,
        type="demolition",
        title=MARKER,
        on=c.days(-16),
        description=f"{MARKER}，商户要求按商业用房评估补偿，影响北园大街东段道路拓宽施工。",
        source=SOURCE,
    )
    p2 = services.problem_raise(
        user=c.user("xiaoqinghe_hq"),
        project=c.xqh,
        type="funding",
        on=c.days(-10),
        description="泺口片区拆迁安置资金缺口约1.2亿元，区财政统筹资金尚未到位，需协调专项债券。",
        source=SOURCE,
    )
    services.problem_raise(
        user=c.user("jianshe"),
        project=c.beiyuan,
        type="approval",
        on=c.days(-2),
        description="燃气管线迁改方案需市燃气集团审批，已报送两周未批复。",
        source=SOURCE,
    )
    p4 = services.problem_raise(
        user=c.user("luokou_street"),
        project=c.xqh,
        type="land",
        on=c.days(-25),
        description="徐李片区临时安置用地需调整土地用途，国土分局正在办理。",
        source=SOURCE,
    )
    services.problem_feedback(
        user=c.user("luokou_street"),
        problem=p4,
        source=SOURCE,
        text="已与国土分局对接，补充材料已于上周报送。",
    )
    services.problem_resolve(
        user=c.user("xiaoqinghe_hq"),
        problem=p4,
        source=SOURCE,
        text="国土分局已批复临时用地，安置房源落实。",
    )
    p5 = services.problem_raise(
        user=c.user("beiyuan_hq"),
        project=c.beiyuan,
        type="planning",
        on=c.days(-4),
        description="北园大街两侧支路控规调整方案需市规划委员会审议，影响沿线安置房设计。",
        source=SOURCE,
    )
    services.problem_escalate(
        user=c.user("beiyuan_hq"),
        problem=p5,
        source=SOURCE,
        text="指挥部已两次与区规划分局会商，需分管区领导出面协调市规划局。",
    )
    services.problem_escalate(
        user=c.user("office"), problem=p5, source=SOURCE, text="牵头指挥部协调未果，提请分管区领导协调。"
    )
    # Raise one from a weekly report's 存在问题, as the report page's link does.
    report = (
        Report.objects.filter(project__in=[c.beiyuan, c.xqh], superseded=False)
        .exclude(problems="")
        .order_by("-as_of")
        .first()
    )
    if report is not None and not Problem.objects.filter(source_report_id=report.pk).exists():
        services.problem_raise_from_report(
            user=c.user("admin"), report_id=report.pk, type="other", source=SOURCE
        )
        count += 1

    return p2, count


def _items(c: _Cast):
    """Six supervision items: red, yellow, due soon, from an inspection, awaiting closure, closed."""
    sup, (street, luokou, _dikou, jianshe_unit) = c.user("duchashi"), c.assignees()
    red = services.item_create(
        user=c.user("leader"),
        on=c.days(-40),
        source=SOURCE,
        data={
            "title": "落实小清河泺口片区拆迁安置房源",
            "source": "instruction",
            "project": c.xqh,
            "content": "张书记批示：泺口片区安置房源须在月底前全部落实，确保拆迁户按期过渡安置。",
            "assignee_units": [luokou],
            "responsible_person": c.person("泺口街道", "潘海燕"),
            "deadline": c.days(-20),
        },
    )
    yellow = services.item_create(
        user=sup,
        on=c.days(-20),
        source=SOURCE,
        data={
            "title": "北园大街东段沿街门头牌匾规范整治",
            "source": "other",
            "project": c.beiyuan,
            "content": "按统一设计方案完成东段58户门头牌匾更换。",
            "assignee_units": [street],
            "responsible_person": c.person("北园街道", "钱立伟"),
            "deadline": c.days(-3),
        },
    )
    services.item_create(
        user=c.user("wangqz"),
        on=c.days(-12),
        source=SOURCE,
        data={
            "title": "北园大街雨水管网接驳方案报审",
            "source": "instruction",
            "project": c.beiyuan,
            "content": "王区长批示：雨水管网接驳方案于本周内报市政部门审查。",
            "assignee_units": [jianshe_unit],
            "deadline": c.days(1),
        },
    )
    waiting, closed = _more_items(c)
    return red, yellow, waiting, closed


def _more_items(c: _Cast):
    """An item from an inspection (with a photo), one awaiting closure, one to be closed."""
    sup, (street, _luokou, dikou, _jianshe) = c.user("duchashi"), c.assignees()
    services.item_create(
        user=sup,
        on=c.days(-6),
        source=SOURCE,
        photos=[_photo("巡查现场.jpg")],
        data={
            "title": "铁路沿线建筑垃圾死角清理",
            "source": "inspection",
            "project": c.railway,
            "content": "督查室巡查发现：堤口路与铁路交叉口西南角堆放建筑垃圾约30立方米，存在扬尘隐患。",
            "location": "堤口路与铁路交叉口西南角",
            "longitude": "116.9795",
            "latitude": "36.6912",
            "assignee_units": [dikou],
            "deadline": c.days(8),
        },
    )
    waiting = services.item_create(
        user=sup,
        on=c.days(-15),
        source=SOURCE,
        data={
            "title": "北园街道12号院违建彩钢棚拆除",
            "source": "other",
            "project": c.beiyuan,
            "content": "拆除12号院内违建彩钢棚4处，约260平方米。",
            "assignee_units": [street],
            "deadline": c.days(5),
        },
    )
    closed = services.item_create(
        user=sup,
        on=c.days(-30),
        source=SOURCE,
        data={
            "title": "重点建筑亮化工程夜间施工扰民整改",
            "source": "other",
            "project": c.lights or c.beiyuan,
            "content": "调整夜间施工时段，22时后停止高噪声作业。",
            "assignee_units": [street],
            "deadline": c.days(-9),
        },
    )

    return waiting, closed


def _responses(c: _Cast, *, red, yellow, waiting, closed) -> None:
    """A week ago the sweep flagged the overdue ones; the units answer; one item is closed."""
    sup = c.user("duchashi")
    services.sweep(now=_at(c.days(-7)), deliver=False)
    respond = c.user("beiyuan_street")
    services.item_feedback(
        user=respond, item=closed, text="已调整施工计划，22时后停止切割作业。", source=SOURCE
    )
    services.item_request_close(
        user=respond, item=closed, text="整改到位，周边居民无新增投诉。", source=SOURCE
    )
    services.item_confirm_close(user=sup, item=closed, text="经回访核实，整改到位。", source=SOURCE)
    services.item_feedback(
        user=respond, item=yellow, text="已完成32户，其余26户门头本周内更换。", source=SOURCE
    )
    services.item_feedback(
        user=respond, item=waiting, text="已拆除3处，第4处正在与产权人协商。", source=SOURCE
    )
    services.item_request_close(
        user=respond, item=waiting, text="4处彩钢棚全部拆除，垃圾已清运。", source=SOURCE
    )
    luokou_user = c.users.get("luokou_street")
    if luokou_user is not None:
        services.item_feedback(
            user=luokou_user,
            item=red,
            source=SOURCE,
            text="已落实安置房源312套，尚缺约80套，正协调市场化房源。",
        )


def _meeting(c: _Cast) -> int:
    """Last Monday's dispatch meeting with three decisions, two of them items. Returns the items made."""
    sup, (street, luokou, _dikou, jianshe_unit) = c.user("duchashi"), c.assignees()
    monday = c.today - datetime.timedelta(days=c.today.weekday() or 7)
    meeting = services.meeting_create(
        user=sup,
        source=SOURCE,
        data={
            "date": monday,
            "location": "区政府第一会议室",
            "chair": c.person("区委区政府", "张书记"),
            "attendees": [
                p
                for p in [
                    c.person("区委区政府", "王区长"),
                    c.person("区委区政府", "李副区长"),
                    c.person("北园大街改造指挥部", "高建军"),
                    c.person("小清河综合治理指挥部", "徐海涛"),
                    c.person("北园街道", "钱立伟"),
                    c.person("泺口街道", "潘海燕"),
                    c.person("区建设局", "孙国华"),
                ]
                if p is not None
            ],
            "attendees_note": "各专项工程指挥部、有关街道办事处和区直部门主要负责同志",
            "minutes": "会议听取了领导小组办公室关于全区重点工程进展情况的汇报，逐项分析了滞后项目原因。\n"
            "张书记强调：要坚持倒排工期、挂图作战，困难不上交、问题不过夜；对连续亮红牌的单位，"
            "由区委督查室启动问责程序。",
        },
    )
    services.decision_add(
        user=sup,
        meeting=meeting,
        source=SOURCE,
        on=monday,
        content="北园街道、区建设局于两周内完成北园大街东段管线迁改协调，确保路面施工按期进场。",
        item={
            "title": "北园大街东段管线迁改协调",
            "assignee_units": [street, jianshe_unit],
            "responsible_person": c.person("北园街道", "钱立伟"),
            "project": c.beiyuan,
            "deadline": monday + datetime.timedelta(days=14),
        },
    )
    services.decision_add(
        user=sup,
        meeting=meeting,
        source=SOURCE,
        on=monday,
        content="泺口街道本月底前完成徐李片区剩余23户签约。",
        item={
            "assignee_units": [luokou],
            "project": c.xqh,
            "deadline": monday + datetime.timedelta(days=21),
        },
    )
    services.decision_add(
        user=sup,
        meeting=meeting,
        source=SOURCE,
        content="领导小组办公室下周起每周五通报各单位督办事项办理情况。",
    )

    return 2


def _accountability(c: _Cast, *, red, problem) -> None:
    """An admonishing talk for the red card."""
    sup, luokou = c.user("duchashi"), c.unit("泺口街道")
    services.accountability_create(
        user=sup,
        source=SOURCE,
        data={
            "measure": "interview",
            "unit": luokou,
            "person": c.person("泺口街道", "潘海燕"),
            "reason": "“落实小清河泺口片区拆迁安置房源”督办事项超期亮红牌，影响小清河综合治理拆迁进度。",
            "items": [red],
            "problems": [problem],
            "decision_date": c.days(-2),
            "decided_by": "区委督查室",
        },
    )
