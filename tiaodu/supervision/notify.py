"""Who hears about what: an Outbox collects the messages of one event (or of one sweep) and writes them.

Each message names the users and the units concerned. `flush()` — inside the caller's transaction —
writes, for every recipient (the named users plus the active users of the named units), an inbox
notification; for every recipient with an e-mail address one e-mail; one message to each robot of a
concerned unit; one to each global robot (WebhookEndpoint without unit, settings.NOTIFY_WEBHOOK_URLS).
E-mails and robot messages are Delivery rows sent after the commit (delivery.enqueue) and retried by
the sweep; the inbox copy is written with the event itself and so is never lost.

A sweep may produce hundreds of messages for one user or unit: beyond DIGEST_LIMIT they become one
summary (inbox) and every e-mail or robot message is one digest per sweep. The kinds named in `digests`
(project warnings) always become one inbox message per user listing them all.

A message may also name `robot_units`: units whose robots hear of it without their users getting an
inbox copy (a returned report: the reporter and the unit's group).

Every row is stamped with the outbox's moment, but never later than the moment it is written (a sweep
run for 07:00 this morning at 03:00 stamps 03:00).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tiaodu.orgs.models import User
from tiaodu.supervision import delivery as sender
from tiaodu.supervision.models import Delivery, Notification, WebhookEndpoint

DIGEST_LIMIT = 10  # more inbox messages than this for one user in one flush become one summary
LINES_LIMIT = 40  # lines of one e-mail or robot message


@dataclass
class Message:
    kind: str
    title: str
    body: str = ""
    url: str = ""
    users: set[int] = field(default_factory=set)
    units: set[int] = field(default_factory=set)
    robot_units: set[int] = field(default_factory=set)
    summary: str = ""  # its line in a digest (default: the title)

    def line(self) -> str:
        return self.summary or self.title


@dataclass
class FlushResult:
    inbox: int = 0
    deliveries: list[int] = field(default_factory=list)


def site_url(path: str) -> str:
    base = getattr(settings, "SITE_URL", "") or ""
    return f"{base.rstrip('/')}{path}" if base and path else path


class Outbox:
    def __init__(
        self,
        *,
        actor=None,
        digest_title: str = "",
        digest_url: str = "",
        now=None,
        digests: dict[str, tuple[str, str]] | None = None,
    ):
        """digests: kind → (title with "{n}" for the count, url): one inbox message per user for that kind."""
        self.messages: list[Message] = []
        self.now = now
        self.exclude = {actor.pk} if actor is not None and getattr(actor, "pk", None) else set()
        self.digest_title = digest_title
        self.digest_url = digest_url
        self.digests = digests or {}

    def add(
        self,
        *,
        kind: str,
        title: str,
        body: str = "",
        url: str = "",
        users=(),
        units=(),
        robot_units=(),
        summary: str = "",
    ) -> None:
        self.messages.append(
            Message(
                kind=kind,
                title=title,
                body=body,
                url=url,
                users={u for u in users if u is not None},
                units={u for u in units if u is not None},
                robot_units={u for u in robot_units if u is not None},
                summary=summary,
            )
        )

    def __len__(self):
        return len(self.messages)

    def flush(self, *, enqueue: bool = True) -> FlushResult:
        """Write inbox rows and pending deliveries; after the commit, hand the deliveries to the queue."""
        result = FlushResult()
        if not self.messages:
            return result
        written = timezone.now()
        now = min(self.now, written) if self.now is not None else written
        per_user = self._recipients()
        rows = self._inbox_rows(per_user, now)
        Notification.objects.bulk_create(rows, batch_size=2000)
        result.inbox = len(rows)
        deliveries = [*self._email_deliveries(per_user, now), *self._webhook_deliveries(now)]
        if deliveries:
            created = Delivery.objects.bulk_create(deliveries, batch_size=1000)
            # SQLite ≥ 3.35 and PostgreSQL return the new ids; without them the sweep sends these.
            result.deliveries = [d.pk for d in created if d.pk is not None]
            if enqueue:
                ids = list(result.deliveries)
                transaction.on_commit(lambda: sender.enqueue(ids))
        self.messages = []
        return result

    def _recipients(self) -> dict[int, list[Message]]:
        """user id → the messages for that user (named users and the active users of named units)."""
        unit_ids = set().union(*(m.units for m in self.messages))
        unit_users: dict[int, set[int]] = defaultdict(set)
        if unit_ids:
            for uid, unit_id in User.objects.filter(is_active=True, person__unit_id__in=unit_ids).values_list(
                "pk", "person__unit_id"
            ):
                unit_users[unit_id].add(uid)
        per_user: dict[int, list[Message]] = defaultdict(list)
        for m in self.messages:
            recipients = set(m.users)
            for unit_id in m.units:
                recipients |= unit_users.get(unit_id, set())
            for uid in recipients - self.exclude:
                per_user[uid].append(m)
        return per_user

    def _inbox_rows(self, per_user: dict[int, list[Message]], now) -> list[Notification]:
        """One inbox row per message, or one digest for a user with more than DIGEST_LIMIT messages."""
        rows = []
        for uid, all_messages in per_user.items():
            messages = [m for m in all_messages if m.kind not in self.digests]
            for kind, (title, url) in self.digests.items():
                grouped = [m for m in all_messages if m.kind == kind]
                if grouped:
                    rows.append(self._kind_digest(uid, kind, grouped, title, url, now))
            if len(messages) > DIGEST_LIMIT:
                rows.append(
                    Notification(
                        recipient_id=uid,
                        kind="digest",
                        created_at=now,
                        url=self.digest_url,
                        title=f"{self.digest_title or '新通知'}：共{len(messages)}条",
                        body="\n".join(self._lines(messages)),
                    )
                )
            else:
                rows.extend(
                    Notification(
                        recipient_id=uid,
                        kind=m.kind,
                        title=m.title[:200],
                        body=m.body,
                        url=m.url,
                        created_at=now,
                    )
                    for m in messages
                )
        return rows

    def _kind_digest(self, uid: int, kind: str, messages: list[Message], title: str, url: str, now):
        """One inbox message for all of a user's messages of one kind: the title, then a line per message."""
        if len(messages) == 1:
            m = messages[0]
            return Notification(
                recipient_id=uid, kind=kind, title=m.title[:200], body=m.body, url=m.url, created_at=now
            )
        return Notification(
            recipient_id=uid,
            kind=kind,
            title=title.format(n=len(messages))[:200],
            body="\n".join(self._lines(messages, short=True)),
            url=url,
            created_at=now,
        )

    def _email_deliveries(self, per_user: dict[int, list[Message]], now) -> list[Delivery]:
        """One e-mail per recipient with an address."""
        if not per_user:
            return []
        emails = dict(
            User.objects.filter(pk__in=list(per_user), is_active=True)
            .exclude(email="")
            .values_list("pk", "email")
        )
        deliveries = []
        for uid, address in emails.items():
            messages = per_user[uid]
            subject = (
                messages[0].title
                if len(messages) == 1
                else f"{self.digest_title or '调度平台通知'}：共{len(messages)}条"
            )
            deliveries.append(
                Delivery(
                    channel=Delivery.Channel.EMAIL,
                    target=address,
                    next_attempt_at=now,
                    created_at=now,
                    subject=subject[:200],
                    content=self._text(messages),
                )
            )
        return deliveries

    def _webhook_deliveries(self, now) -> list[Delivery]:
        """Group-robot messages: each active endpoint (all messages, or its unit's), and those from settings."""
        by_unit: dict[int, list[Message]] = defaultdict(list)
        for m in self.messages:
            for unit_id in m.units | m.robot_units:
                by_unit[unit_id].append(m)
        deliveries = []
        for endpoint in WebhookEndpoint.objects.filter(active=True):
            messages = self.messages if endpoint.unit_id is None else by_unit.get(endpoint.unit_id)
            if messages:
                deliveries.append(
                    Delivery(
                        channel=Delivery.Channel.WEBHOOK,
                        endpoint=endpoint,
                        target=endpoint.url.split("?")[0][:500],
                        content=self._text(messages),
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
        for url, _secret in sender.settings_webhooks():
            deliveries.append(
                Delivery(
                    channel=Delivery.Channel.WEBHOOK,
                    target=url[:500],
                    content=self._text(self.messages),
                    next_attempt_at=now,
                    created_at=now,
                )
            )
        return deliveries

    def _lines(self, messages: list[Message], *, short: bool = False) -> list[str]:
        lines = [f"· {m.line() if short else m.title}" for m in messages[:LINES_LIMIT]]
        if len(messages) > LINES_LIMIT:
            lines.append(f"……另有{len(messages) - LINES_LIMIT}条")
        return lines

    def _text(self, messages: list[Message]) -> str:
        """The text of one e-mail or robot message ("调度" first: robots with a keyword rule need it)."""
        if len(messages) == 1:
            m = messages[0]
            parts = [f"【调度平台】{m.title}"]
            if m.body:
                parts.append(m.body)
            if m.url:
                parts.append(site_url(m.url))
            return "\n".join(parts)
        head = f"【调度平台】{self.digest_title or '新通知'}：共{len(messages)}条"
        tail = [site_url(self.digest_url)] if self.digest_url else []
        return "\n".join([head, *self._lines(messages), *tail])
