"""Supervision items: who assigns, who answers, only the supervision office (督查) confirms closure or sends
it back, and the photo rule of 巡查发现 (photos checked by content, JPEG or PNG, at most 10 MB)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.supervision.conftest import jpeg, make_item, png
from tiaodu.core.errors import NotAllowed

D = datetime.date


@pytest.fixture
def item(sup):
    return make_item(
        sup, deadline=D(2026, 12, 31), units=("street", "dept"), responsible_person=sup.people["street"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["supervisor", "leader", "office", "admin"])
def test_it_lets_leaders_the_supervision_office_the_office_and_admins_assign(sup, who):
    item = make_item(sup, deadline=D(2026, 12, 31), user=who)
    assert item.events.get().kind == "created"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["hq", "street", "outsider"])
def test_units_cannot_assign_items(sup, who):
    with pytest.raises(NotAllowed):
        make_item(sup, deadline=D(2026, 12, 31), user=who)


@pytest.mark.django_db
def test_it_names_missing_assignee_and_a_responsible_person_outside_the_units(sup):
    with pytest.raises(ValidationError) as exc:
        make_item(sup, deadline=D(2026, 12, 31), units=())
    assert exc.value.message_dict["assignee_units"] == ["请至少选择一个承办单位"]
    with pytest.raises(ValidationError) as exc:
        make_item(sup, deadline=D(2026, 12, 31), responsible_person=sup.people["hq"])
    assert "不属于所选承办单位" in exc.value.message_dict["responsible_person"][0]


@pytest.mark.django_db
def test_it_refuses_a_deadline_before_the_day_of_assignment(sup):
    from tiaodu.supervision import services

    with pytest.raises(ValidationError) as exc:
        services.item_create(
            user=sup.users["supervisor"],
            on=D(2026, 6, 10),
            data={
                "title": "t",
                "content": "c",
                "source": "other",
                "deadline": D(2026, 6, 9),
                "assignee_units": [sup.units["street"]],
            },
        )
    assert exc.value.message_dict["deadline"] == ["办结时限不能早于交办日期（2026年6月10日）"]


@pytest.mark.django_db
def test_only_the_supervision_office_confirms_closure(sup, item):
    from tiaodu.supervision import services

    services.item_feedback(user=sup.users["dept"], item=item, text="已调配人员和机械")
    services.item_request_close(user=sup.users["street"], item=item, text="已清理完毕")
    item.refresh_from_db()
    assert item.status == "close_requested"
    for who in ("admin", "leader", "office", "street", "hq", "dept"):
        with pytest.raises(NotAllowed, match="只有督查室"):
            services.item_confirm_close(user=sup.users[who], item=item)
        with pytest.raises(NotAllowed):
            services.item_send_back(user=sup.users[who], item=item, reason="不行")
    services.item_confirm_close(user=sup.users["supervisor"], item=item, text="经现场核查，已整改到位")
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_by == sup.users["supervisor"]
    kinds = list(item.events.values_list("kind", flat=True))
    assert kinds == ["created", "feedback", "close_requested", "closed"]
    with pytest.raises(ValidationError, match="已办结"):
        services.item_feedback(user=sup.users["street"], item=item, text="再补充")


@pytest.mark.django_db
def test_sending_back_needs_a_reason_and_reopens_the_item(sup, item):
    from tiaodu.supervision import services
    from tiaodu.supervision.models import Notification

    services.item_request_close(user=sup.users["street"], item=item, text="已清理完毕")
    with pytest.raises(ValidationError) as exc:
        services.item_send_back(user=sup.users["supervisor"], item=item, reason="  ")
    assert exc.value.message_dict["reason"] == ["请填写退回理由"]
    services.item_send_back(user=sup.users["supervisor"], item=item, reason="路面尚未恢复")
    item.refresh_from_db()
    assert item.status == "open"
    assert item.events.last().text == "路面尚未恢复"
    assert Notification.objects.filter(
        recipient=sup.users["street"], title__startswith="办结申请被退回"
    ).exists()


@pytest.mark.django_db
def test_only_assignee_units_answer(sup, item):
    from tiaodu.supervision import services

    for who in ("hq", "outsider", "supervisor", "leader"):
        with pytest.raises(NotAllowed, match="只有承办单位"):
            services.item_feedback(user=sup.users[who], item=item, text="x")
        with pytest.raises(NotAllowed):
            services.item_request_close(user=sup.users[who], item=item, text="x")


@pytest.mark.django_db
def test_an_inspection_item_carries_photos_and_a_location(sup):
    with pytest.raises(ValidationError) as exc:
        make_item(sup, deadline=D(2026, 12, 31), source="inspection", location="")
    assert exc.value.message_dict["location"] == ["巡查发现的事项须填写地点"]
    with pytest.raises(ValidationError) as exc:
        make_item(sup, deadline=D(2026, 12, 31), source="inspection", location="堤口路与铁路交叉口西南角")
    assert exc.value.message_dict["photos"] == ["巡查发现的事项须附现场照片（JPEG或PNG）"]
    from tiaodu.supervision import services

    item = services.item_create(
        user=sup.users["supervisor"],
        photos=[jpeg()],
        data={
            "title": "铁路沿线垃圾死角",
            "content": "堆积建筑垃圾约20立方米",
            "source": "inspection",
            "location": "堤口路与铁路交叉口西南角",
            "deadline": D(2026, 12, 31),
            "assignee_units": [sup.units["street"]],
            "longitude": "116.98",
            "latitude": "36.69",
        },
    )
    photo = item.photos.get()
    assert (photo.kind, photo.content_type, photo.original_name) == ("issue", "image/jpeg", "现场.jpg")


@pytest.mark.django_db
def test_closing_an_inspection_item_needs_a_photo_of_the_rectified_site(sup):
    from tiaodu.supervision import services

    item = services.item_create(
        user=sup.users["supervisor"],
        photos=[jpeg()],
        data={
            "title": "垃圾死角",
            "content": "清理",
            "source": "inspection",
            "location": "北园大街12号院东侧",
            "deadline": D(2026, 12, 31),
            "assignee_units": [sup.units["street"]],
        },
    )
    with pytest.raises(ValidationError) as exc:
        services.item_request_close(user=sup.users["street"], item=item, text="已清理")
    assert exc.value.message_dict["photos"] == ["巡查发现的事项申请办结须上传整改后的现场照片"]
    services.item_request_close(user=sup.users["street"], item=item, text="已清理", photos=[png()])
    assert list(item.photos.order_by("id").values_list("kind", flat=True)) == ["issue", "rectified"]


@pytest.mark.django_db
def test_it_checks_photos_by_content_and_size(sup, item):
    from tiaodu.supervision import services

    fake = SimpleUploadedFile("现场.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.item_feedback(user=sup.users["street"], item=item, text="进展", photos=[fake])
    assert exc.value.message_dict["photos"] == [
        "照片「现场.jpg」须为JPEG或PNG图片（按内容识别为：application/pdf）"
    ]
    gif = SimpleUploadedFile("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif")
    with pytest.raises(ValidationError, match="image/gif"):
        services.item_feedback(user=sup.users["street"], item=item, text="进展", photos=[gif])
    big = SimpleUploadedFile(
        "大.jpg", b"\xff\xd8\xff\xe0" + b"0" * (10 * 1024 * 1024 + 1), content_type="image/jpeg"
    )
    with pytest.raises(ValidationError) as exc:
        services.item_feedback(user=sup.users["street"], item=item, text="进展", photos=[big])
    assert "每张不能超过 10 MB" in exc.value.message_dict["photos"][0]
    assert item.events.filter(kind="feedback").count() == 0


@pytest.mark.django_db
def test_changing_the_deadline_is_logged_on_the_timeline_and_told_to_the_assignee(sup, item):
    from tiaodu.supervision import services
    from tiaodu.supervision.models import Notification

    services.item_update(
        user=sup.users["supervisor"], item=item, data={"deadline": D(2027, 1, 15)}, reason="春节前后施工受限"
    )
    event = item.events.get(kind="updated")
    assert "办结时限：2026-12-31 → 2027-01-15" in event.text and "春节前后施工受限" in event.text
    assert Notification.objects.filter(
        recipient=sup.users["dept"], title__startswith="督办事项已调整"
    ).exists()


@pytest.mark.django_db
def test_it_stores_site_photos_without_their_gps_and_time(sup, item):
    import io

    from PIL import Image

    from tiaodu.supervision import services

    exif = Image.Exif()
    exif[0x0132] = "2026:11:20 09:30:00"  # DateTime
    exif[0x8825] = {1: "N", 2: (36.0, 40.0, 12.0), 3: "E", 4: (117.0, 0.0, 30.0)}  # GPS
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif()  # the upload carries metadata
    upload = SimpleUploadedFile("现场.jpg", buffer.getvalue(), content_type="image/jpeg")

    services.item_feedback(user=sup.users["street"], item=item, text="已清理", photos=[upload])

    photo = item.photos.get()
    assert photo.original_name == "现场.jpg" and photo.content_type == "image/jpeg"
    with photo.file.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (40, 30)
        assert not image.getexif()
