"""The --now option of the supervision commands: a local moment, YYYY-MM-DDTHH:MM."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError
from django.utils import timezone

HELP = "按此时刻处理（本地时间，YYYY-MM-DDTHH:MM），默认为当前时间"


def now_option(value: str | None, *, example: str) -> datetime.datetime | None:
    """The moment given with --now (aware, local time), None when not given; a Chinese error otherwise."""
    if not value:
        return None
    try:
        naive = datetime.datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        raise CommandError(f"--now 格式应为 YYYY-MM-DDTHH:MM，例如 {example}，收到「{value}」") from None
    return timezone.make_aware(naive)
