"""Junk in every path parameter and query parameter of every route, for every role: never an HTTP 500.

The test walks `django.urls.get_resolver()`: every web page, every API route (GET, and POST/PATCH where
routed) and the admin. For each route it
- requests the page with valid path values, recording which query parameters the view reads;
- puts junk into each parameter it read, and into the common ones (year, as_of, page, meeting, …);
- puts junk into each path parameter (0, -1, ², 99999999999999999999, null,null, %00, a long string,
  an unknown code), the other parameters keeping valid values.
Roles take turns (each junk value is tried by a different role), so the walk stays under a minute.
Each walk is cut into parts (every n-th route), one work unit of `make test` each, so both workers share
it; a part sends its routes' requests with the very roles the whole walk gives them.
"""

import datetime
import re
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.functional import cached_property

PATH_JUNK = ["0", "-1", quote("²"), "99999999999999999999", "null,null", "%00", "x" * 2000, "ZD-999"]
QUERY_JUNK = ["²", "abc", "-1", "9999-99-99", "99999999999999999999", "\x00", "2026-02-30", " "]
COMMON = ["year", "as_of", "page", "meeting", "project", "unit", "status", "type", "q", "level", "kind", "n"]
ROLES = [None, "admin", "leader", "supervisor", "office", "hq", "street", "dept", "outsider"]
# Pages that build whole documents: walked with one role and without the query loop (they read no params).
SLOW = {"api/schema/", "api/docs/", "ledger/export/"}

# Routes whose valid address still answers 404 in the walk's district (nothing to show there).
NO_VALID_VALUE = {"letters/{pk}/scan/", "admin/r/{content_type_id}/{object_id}/", "admin/{url}"}

_read: set[str] = set()


class RecordingQueryDict(QueryDict):
    """A QueryDict that notes every key a view asks for."""

    def __getitem__(self, key):
        _read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        _read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        _read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        _read.add(key)
        return super().__contains__(key)


def _recording_get(self):
    return RecordingQueryDict(self.environ.get("QUERY_STRING", ""), encoding=self._encoding)


# --- routes -----------------------------------------------------------------------------------------

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)")


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _template(route: str) -> tuple[str, list[str], dict[str, str]]:
    """'letters/<int:pk>/items/<int:item_pk>/' -> ('letters/{pk}/items/{item_pk}/', ['pk', 'item_pk'], {})."""
    names, alternatives = [], {}

    def sub(m):
        name = m.group(1) or m.group(2)
        names.append(name)
        body = m.group(3) or ""
        if body and re.fullmatch(r"[\w|-]+", body):  # admin: (?P<app_label>auth|orgs|…)
            alternatives[name] = body.split("|")[0]
        return "{" + name + "}"

    text = _PARAM.sub(sub, route).replace("^", "").replace("$", "").replace("\\", "")
    return text, names, alternatives


def routes():
    out = []
    for route, pattern in _walk(get_resolver().url_patterns):
        template, names, alternatives = _template(route)
        callback = pattern.callback
        actions = getattr(callback, "actions", None)
        cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if actions is not None:
            methods = set(actions)
        elif cls is not None and hasattr(cls, "http_method_names") and route.startswith("api/"):
            methods = {m for m in ("get", "post", "patch") if hasattr(cls, m)}
        else:
            methods = {"get"}
        out.append((template, names, alternatives, methods))
    return out


# --- the district, with one of everything -----------------------------------------------------------


def _jpeg() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 40, 40)).save(buf, format="JPEG")
    return buf.getvalue()


@pytest.fixture
def stocked(district, settings):
    """The test district with a letter, a report with a photo, a schedule, an item, a problem, a meeting
    and a decision, an accountability record, a notification, a briefing document and a share link."""
    from tiaodu.briefings import services as briefing_services
    from tiaodu.briefings.models import Briefing
    from tiaodu.progress.models import ReportPhoto
    from tiaodu.progress.services import ReportInput, report_save_draft, report_submit
    from tiaodu.projects.models import LedgerImport, LetterItem, LetterStatus, ResponsibilityLetter
    from tiaodu.scheduling.models import ScheduleImport, Task
    from tiaodu.supervision import services as sv
    from tiaodu.supervision.models import Decision, ItemPhoto, Notification, WebhookEndpoint

    settings.NOTIFY_WEBHOOK_URLS = []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    d = district
    u = d.users
    indicator = d.project.indicators.get()
    letter = ResponsibilityLetter.objects.create(
        unit=d.units["hq"], year=2026, status=LetterStatus.SIGNED, signing_date=datetime.date(2026, 2, 15)
    )
    letter_item = LetterItem.objects.create(
        letter=letter,
        project=d.project,
        indicator=indicator,
        target=Decimal("60000"),
        deadline=datetime.date(2026, 12, 31),
    )
    report = report_save_draft(
        user=u["hq"],
        project=d.project,
        data=ReportInput(as_of=datetime.date(2026, 5, 1), figures={indicator.pk: ("30000", "")}),
    )
    report_submit(user=u["hq"], report=report)
    photo = ReportPhoto.objects.create(
        report=report, image=SimpleUploadedFile("a.jpg", _jpeg()), content_type="image/jpeg", size=10
    )
    task = Task.objects.create(project=d.project, code="A", name="拆迁", duration=10, sort_order=1)
    schedule_import = ScheduleImport.objects.create(
        project=d.project, file_name="计划.xlsx", file_format="Excel", user=u["hq"], report={}
    )
    item = sv.item_create(
        user=u["supervisor"],
        data={
            "title": "清理建筑垃圾",
            "content": "三日内清理",
            "source": "instruction",
            "deadline": datetime.date(2026, 12, 31),
            "assignee_units": [d.units["street"]],
            "project": d.project,
        },
        on=datetime.date(2026, 1, 1),
    )
    item_photo = ItemPhoto.objects.create(
        item=item,
        kind="issue",
        file=SimpleUploadedFile("b.jpg", _jpeg()),
        original_name="b.jpg",
        content_type="image/jpeg",
        size=10,
    )
    problem = sv.problem_raise(user=u["hq"], project=d.project, type="land", description="征地受阻")
    meeting = sv.meeting_create(user=u["supervisor"], data={"date": datetime.date(2026, 6, 1)})
    sv.decision_add(user=u["supervisor"], meeting=meeting, content="尽快完成")
    decision = Decision.objects.filter(meeting=meeting).first()
    record = sv.accountability_create(
        user=u["supervisor"],
        data={
            "measure": "interview",
            "unit": d.units["street"],
            "decision_date": datetime.date(2026, 6, 2),
            "reason": "逾期未办结",
            "decided_by": "区纪委",
        },
    )
    notification = Notification.objects.create(recipient=u["hq"], kind="test", title="测试通知", url="/")
    hook = WebhookEndpoint.objects.create(name="钉钉", url="https://example.invalid/hook", kind="dingtalk")
    document = briefing_services.document_upload(
        user=u["office"],
        file=SimpleUploadedFile("现场.jpg", _jpeg(), content_type="image/jpeg"),
        title="现场照片",
    )
    share = briefing_services.share_create(
        user=u["office"],
        document=document,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    briefing = Briefing.objects.create(
        year=2026, number=1, as_of=datetime.date(2026, 5, 1), issuer="领导小组办公室", state="ready"
    )
    ledger_import = LedgerImport.objects.create(
        file=SimpleUploadedFile("台账.xlsx", b"x"), original_name="台账.xlsx", user=u["admin"], state="failed"
    )
    from tiaodu.projects.changes import Proposal, change_request

    change = change_request(
        user=u["hq"],
        project=d.project,
        proposal=Proposal(reason="拆迁受阻，申请顺延", deadline=datetime.date(2027, 3, 31)),
    )
    # funds (investment): an annual plan, an arrival and the funding sources
    from tiaodu.investment.models import AnnualPlan, FundArrival, FundingSource

    AnnualPlan.objects.create(project=d.project, year=2026, amount=Decimal("1000"))
    source = FundingSource.objects.order_by("sort_order").first()
    arrival = FundArrival.objects.create(
        project=d.project, date=datetime.date(2026, 3, 1), source=source, amount=Decimal("10")
    )
    from tiaodu.investment.services_monthly import monthly_save_draft, monthly_submit

    figure = monthly_save_draft(user=u["hq"], project=d.project, year=2026, month=10, amount="100")
    figure = monthly_submit(user=u["hq"], figure=figure)
    # the big screen: a kiosk link and a verified report's photo (the screen's carousel)
    from tiaodu.command.kiosk import kiosk_create
    from tiaodu.progress.models import Report, ReportStatus

    _kiosk, kiosk_token = kiosk_create(user=u["office"], name="大屏")
    verified = Report.objects.create(
        project=d.other,
        as_of=datetime.date(2026, 5, 1),
        reporting_unit=d.units["hq2"],
        status=ReportStatus.VERIFIED,
        verified_at=timezone.now(),
    )
    screen_photo = ReportPhoto.objects.create(
        report=verified, image=SimpleUploadedFile("c.jpg", _jpeg()), content_type="image/jpeg", size=10
    )
    valid = {
        "k": kiosk_token,
        "screen/photos": screen_photo.pk,
        "photos": screen_photo.pk,
        "investment/monthly": figure.pk,
        "monthly-investments": figure.pk,
        "annual-plans": 2026,
        "annual": 2026,
        "fund-arrivals": arrival.pk,
        "arrivals": arrival.pk,
        "investment/sources": source.pk,
        "from-funding-gap": d.project.code,
        "project-changes": change.pk,
        "units": d.units["hq"].pk,
        "people": d.people["hq"].pk,
        "projects": d.project.code,
        "indicators": indicator.pk,
        "letters": letter.pk,
        "items": letter_item.pk,
        "letter-items": letter_item.pk,
        "imports": ledger_import.pk,
        "tasks": task.pk,
        "schedule/imports": schedule_import.pk,
        "overrides": 1,
        "calendar": 2026,
        "curve": d.project.code,
        "reports": report.pk,
        "reports/photos": photo.pk,
        "webhooks": hook.pk,
        "supervision/photos": item_photo.pk,
        "supervision": item.pk,
        "supervision-items": item.pk,
        "from-report": report.pk,
        "problems": problem.pk,
        "meetings": meeting.pk,
        "decisions": decision.pk if decision else 1,
        "inbox": notification.pk,
        "notifications": notification.pk,
        "briefings": briefing.pk,
        "documents": document.pk,
        "shares": share.pk,
        "s": share.token,
        "accountability-records": record.pk,
        "action": "escalate",
        "user": u["hq"].pk,
    }
    return d, valid


def _valid_value(template: str, name: str, valid: dict, alternatives: dict) -> str:
    if name in alternatives:
        return alternatives[name]
    if name in valid:
        return str(valid[name])
    before = template.split("{" + name + "}")[0].strip("/").split("/")
    for key in ("/".join(before[-2:]), before[-1]):
        if key in valid:
            return str(valid[key])
    return "1"


def _url(template: str, values: dict[str, str]) -> str:
    return "/" + template.format(**values)


# --- the walk ---------------------------------------------------------------------------------------


def _clients(district):
    from tiaodu.orgs.models import User

    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if role:
            client.force_login(district.users[role])
        clients[role] = client
    clients["superuser"] = Client(raise_request_exception=False)
    clients["superuser"].force_login(User.objects.create_superuser("root", password="Tiaodu@2026!"))
    return clients


def _check(failures, client, method, url, role, data=None):
    if method == "get":
        response = client.get(url, data=data)
    else:
        response = getattr(client, method)(url, data=data or {}, content_type="application/json")
    if response.status_code >= 500:
        exc = getattr(response, "exc_info", None)
        where = f"{exc[0].__name__}: {str(exc[1])[:120]}" if exc else response.status_code
        shown = url if data is None else f"{url}?{urlencode(data)[:80]}"
        failures.append(f"{method.upper()} {shown[:160]} as {role or 'anonymous'} → {where}")
    if response.streaming:  # a file download: read it, so that the file is closed
        b"".join(response.streaming_content)
    return response


def _turns(template: str, names: list[str], methods: set[str], roles: list[str]) -> int:
    """How many turns of the roles a route's requests take (one per role's junk query, one per junk path
    value outside the admin)."""
    gets = len(roles) if "get" in methods and template not in SLOW else 0
    return gets + (0 if template.startswith("admin/") else len(names) * len(PATH_JUNK))


def walk(stocked, monkeypatch, select, part: int = 0, parts: int = 1):
    """The walk over the selected routes; with `parts`, only every parts-th route from `part` is sent,
    each with the roles it has in the whole walk (the other routes' turns are counted, not sent)."""
    district, valid = stocked
    prop = cached_property(_recording_get)
    prop.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", prop)
    clients = _clients(district)
    failures: list[str] = []
    turn = 0
    reached: dict[str, int] = {}
    selected = [route for route in routes() if select(route[0])]
    for index, (template, names, alternatives, methods) in enumerate(selected):
        roles = ["superuser"] if template.startswith("admin/") else ["admin"] if template in SLOW else ROLES
        if index % parts != part:
            turn += _turns(template, names, methods, roles)
            continue
        start = turn
        good = {n: _valid_value(template, n, valid, alternatives) for n in names}
        url = _url(template, good)
        for role in roles:
            client = clients[role]
            if "get" in methods:
                _read.clear()
                response = _check(failures, client, "get", url, role)
                if role in ("admin", "superuser"):
                    reached[template] = response.status_code
                if template in SLOW:
                    continue
                read = set(_read)
                n, turn = turn, turn + 1
                _check(
                    failures,
                    client,
                    "get",
                    url,
                    role,
                    {k: QUERY_JUNK[(n + i) % len(QUERY_JUNK)] for i, k in enumerate(COMMON)},
                )
                for i, key in enumerate(sorted(read)):
                    _check(failures, client, "get", url, role, {key: QUERY_JUNK[(n + i) % len(QUERY_JUNK)]})
            for method in sorted(methods & {"post", "patch"}):
                if template.startswith("api/"):
                    _check(failures, client, method, url, role, {"x": "²"})
        for name in names:
            for junk in PATH_JUNK:
                if template.startswith("admin/"):
                    role = "superuser"
                else:
                    role, turn = ROLES[turn % len(ROLES)], turn + 1
                bad = _url(template, {**good, name: junk})
                for method in sorted(methods & {"get", "post", "patch"}):
                    if method == "get" or template.startswith("api/"):
                        _check(failures, clients[role], method, bad, role)
        assert turn - start == _turns(template, names, methods, roles), template
    missed = sorted(t for t, code in reached.items() if code == 404 and t not in NO_VALID_VALUE)
    assert not missed, f"the walk did not reach these views with valid values: {missed}"
    assert len(reached) >= 10
    return failures


def _parts(name: str, parts: int) -> list:
    """One work unit of `make test` each (tests/conftest.py SPLIT_FILES: the id up to its "/")."""
    return [pytest.param(k, parts, id=f"{name}-{k + 1}/{parts}") for k in range(parts)]


@pytest.mark.parametrize(("part", "parts"), _parts("pages", 4))
def test_it_never_answers_500_to_junk_on_web_pages(stocked, monkeypatch, part, parts):
    failures = walk(stocked, monkeypatch, lambda t: not t.startswith(("api/", "admin/")), part, parts)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("part", "parts"), _parts("api", 2))
def test_it_never_answers_500_to_junk_in_the_api(stocked, monkeypatch, part, parts):
    failures = walk(stocked, monkeypatch, lambda t: t.startswith("api/"), part, parts)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("part", "parts"), _parts("admin", 2))
def test_it_never_answers_500_to_junk_in_the_admin(stocked, monkeypatch, part, parts):
    failures = walk(stocked, monkeypatch, lambda t: t.startswith("admin/"), part, parts)
    assert not failures, "\n".join(failures)
