"""Helpers the supervision services share: dates, photos, links, notification recipients."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tiaodu.core.actors import stored_user
from tiaodu.core.uploads import check_upload_size
from tiaodu.orgs.models import User
from tiaodu.progress.photos import PhotoData, photo_read
from tiaodu.supervision import selectors
from tiaodu.supervision.models import ItemPhoto, Level

PHOTO_MAX_COUNT = 9


def today() -> datetime.date:
    return timezone.localdate()


TITLE_LENGTH = 60


def title_from(text: str) -> str:
    """A short title: the first sentence of the first line (at most 60 characters)."""
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    first = re.split(r"[。；;！!？?]", first)[0].strip().rstrip("，,、：:")
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1] + "…"


def moment(on: datetime.date) -> datetime.datetime:
    """When something dated `on` happened: now for today, nine in the morning of an earlier day."""
    if on >= today():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time(9, 0)))


def require_text(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def photos_check(photos) -> list[PhotoData]:
    """Check the uploaded photos (JPEG or PNG by content, each within PHOTO_MAX_BYTES, readable) and return them
    re-encoded without metadata — the same check as the weekly reports' photos."""
    photos = [p for p in (photos or []) if p]
    if len(photos) > PHOTO_MAX_COUNT:
        raise ValidationError({"photos": f"一次最多上传{PHOTO_MAX_COUNT}张照片"})
    for p in photos:
        # Several photos go up at once: say the limit is per photo before anything is read.
        name = getattr(p, "name", "") or "照片"
        check_upload_size(
            p.size, setting="PHOTO_MAX_BYTES", what=f"照片「{name}」", field="photos", each=True
        )
    return [photo_read(p) for p in photos]


def save_photos(*, item, event, kind: str, checked: list[PhotoData], user) -> list[ItemPhoto]:
    saved = []
    for data in checked:
        photo = ItemPhoto(
            item=item,
            event=event,
            kind=kind,
            original_name=data.original_name,
            content_type=data.content_type,
            size=len(data.content),
            uploaded_by=stored_user(user),
        )
        photo.file.save(photo.original_name, ContentFile(data.content), save=False)
        photo.save()
        saved.append(photo)
    return saved


def item_url(item) -> str:
    return reverse("supervision:item_detail", args=[item.pk])


def problem_url(problem) -> str:
    return reverse("supervision:problem_detail", args=[problem.pk])


class Directory:
    """The recipients by role, read once per event or sweep."""

    def __init__(self):
        self._cache: dict[str, set[int]] = {}

    def _get(self, key, queryset_fn) -> set[int]:
        if key not in self._cache:
            self._cache[key] = set(queryset_fn().values_list("pk", flat=True))
        return self._cache[key]

    @property
    def leaders(self) -> set[int]:
        return self._get("leaders", selectors.leaders)

    @property
    def supervisors(self) -> set[int]:
        return self._get("supervisors", selectors.supervisors)

    @property
    def office(self) -> set[int]:
        return self._get("office", selectors.office_users)

    def person_users(self, person_ids) -> dict[int, set[int]]:
        """person id → ids of its active user accounts."""

        wanted = {p for p in person_ids if p}
        out: dict[int, set[int]] = {}
        missing = wanted - set(self._cache.get("_persons", set()))
        if missing:
            for person_id, uid in User.objects.filter(person_id__in=missing, is_active=True).values_list(
                "person_id", "pk"
            ):
                self._cache.setdefault(f"p{person_id}", set()).add(uid)
            self._cache.setdefault("_persons", set()).update(missing)
        for p in wanted:
            out[p] = self._cache.get(f"p{p}", set())
        return out


def escalation_recipients(
    *,
    level: int,
    lead_unit_id: int | None,
    owner_unit_id: int | None,
    leader_person_id: int | None,
    directory: Directory | None = None,
) -> tuple[set[int], set[int]]:
    """(user ids, unit ids) to hear that a problem reached `level`.

    牵头指挥部: the project's lead unit; 分管区领导: the project's supervising leader (all leaders when the
    project names none or the leader has no account); 区主要领导: the leaders; 市级: the leading group's
    office. The owner unit always hears, and the supervision office from 分管区领导 up.
    """
    d = directory or Directory()
    users: set[int] = set()
    units: set[int] = {owner_unit_id} if owner_unit_id else set()
    if level == Level.HQ and lead_unit_id:
        units.add(lead_unit_id)
    if level == Level.LEADER:
        found = d.person_users([leader_person_id]).get(leader_person_id, set()) if leader_person_id else set()
        users |= found or d.leaders
    if level == Level.PRINCIPAL:
        users |= d.leaders
    if level == Level.CITY:
        users |= d.office
    if level >= Level.LEADER:
        users |= d.supervisors
    return users, units


def problem_level_title(*, title: str, project_name: str, level: int, auto: bool) -> str:
    how = "超过办理时限，自动提请" if auto else "提请"
    return f"难题{how}{Level(level).label}协调：{title}（{project_name}）"
