"""填报员 accounts of the demo district: one for every reporting unit — each lead unit of a demo project,
and the streets that report besides it (TERRITORIAL_REPORTERS).

Usernames tb01, tb02, … in the order of data.UNITS (tb01 is 北园大街改造指挥部's), the demo password
(data.PASSWORD). The demo reports are submitted by their unit's 填报员 and verified by someone else
(tiaodu.progress.permissions): the lead unit's own reports by the office (office), a street's by the lead
unit (its account where the demo has one, e.g. beiyuan_hq, else its 填报员).
"""

from __future__ import annotations

from tiaodu.demo import data
from tiaodu.orgs import services as org_services
from tiaodu.orgs.models import Person, Unit, User

POST = "周报填报员"
NAMES = (
    "张晓明 李丽娟 王建华 赵海燕 刘志刚 陈静 杨帆 黄磊 周敏 吴军 徐婷 孙浩 胡蓉 朱峰 高雪 林涛 何娜 郭亮 "
    "马琳 罗斌 梁爽 宋阳 郑洁 谢鹏 韩梅 唐伟 冯霞 董超 萧然 程琪"
).split()


# Streets that report on these projects besides the lead unit: {project code template: street}.
TERRITORIAL_REPORTERS = {"ZD-{year}-01": "北园街道", "ZD-{year}-02": "泺口街道"}


def reporting_unit_names() -> list[str]:
    """The units that report on the demo projects, in the order of data.UNITS."""
    names = {s["lead"] for s in data.PROJECTS} | set(TERRITORIAL_REPORTERS.values())
    return [u["name"] for u in data.UNITS if u["name"] in names]


def username(index: int) -> str:
    return f"tb{index + 1:02d}"


def load_reporters(admin: User, units: dict[str, Unit], password_hash: str, result) -> dict[int, User]:
    """Create the missing 填报员 (person and account); {unit id: account} of every reporting unit."""
    accounts: dict[int, User] = {}
    names = reporting_unit_names()
    existing = {
        u.username: u for u in User.objects.filter(username__in=[username(i) for i in range(len(names))])
    }
    for i, unit_name in enumerate(names):
        unit = units[unit_name]
        name = NAMES[i % len(NAMES)]
        user = existing.get(username(i))
        if user is None:
            person = Person.objects.filter(unit=unit, name=name).first() or org_services.person_create(
                user=admin,
                data={"name": name, "post": POST, "phone": f"0531-8{6900000 + i:07d}", "unit": unit},
                source=data.SOURCE,
            )
            user = User(username=username(i), role="unit", person=person, password=password_hash)
            user.full_clean(exclude=["password"])
            user.save()
            result.created["accounts"] += 1
        accounts[unit.pk] = user
        result.accounts.append(
            {
                "username": user.username,
                "password": data.PASSWORD,
                "role": user.get_role_display(),
                "unit": unit.name,
                "name": user.display_name,
                "sees": "本单位填报员：填报、提交本单位周报（不能审核自己提交的周报）",
            }
        )
    return accounts


def reporter_accounts() -> dict[int, User]:
    """{unit id: 填报员 account} as loaded (the reports' writer looks them up by the same usernames)."""
    count = len(reporting_unit_names())
    users = User.objects.filter(username__in=[username(i) for i in range(count)], person__isnull=False)
    return {u.person.unit_id: u for u in users.select_related("person")}
