"""Shared fixtures: a small district with users of every role, and a real browser.

Every test gets the same cast, so permission checks are never forgotten:
admin, leader, supervisor, office (领导小组办公室 unit user), hq (lead unit of `project`),
street (territorial unit of `project`), dept (supporting unit of `project`) and outsider
(a street office with no relation to `project`).
"""

import datetime
import os
import shutil
import tempfile
import uuid
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or "live_server" in fixtures
        or "transactional_db" in fixtures
    )


def pytest_collection_modifyitems(items):
    """Transactional tests (the browser tests) run with serialized rollback, so the rows that migrations
    seed (categories, the holiday calendar, content types) are there when they start."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        if _is_transactional(item) and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


# Files too long for one work unit of `--dist loadfile`: their tests are split by the first part of
# their parameter id (the permission matrix: one unit per app, ~100-430 tests each; the junk walks: one
# unit per part of a walk, `pages-1/4`; the API fuzz: one unit per user), so both workers share them
# instead of one worker running the whole file while the other finishes the rest. (Not schemathesis: its
# second user replays the cases the first drew in the same process.)
SPLIT_FILES = (
    "tests/permissions/test_matrix.py",
    "tests/core/test_junk_input.py",
    "tests/projects/test_api_fuzz.py",
    "tests/supervision/test_api_fuzz.py",
)
# Files of a few long tests that share nothing: one work unit per test.
PER_TEST_FILES = ("tests/core/test_junk_input.py",)
# Files that need the same demo snapshot (tests/demo_copy.py: one real load per process and day and
# clock) and would otherwise each pay a load on its own worker: one work unit.
SHARED_UNITS = {
    "tests/command/test_map_browser.py": "demo-today-browser",
    "tests/command/test_screen_browser.py": "demo-today-browser",
}
# The longest work units (from `--durations`), handed out first. xdist orders the units by their number
# of tests, so these few-but-long ones came last and one worker ran them while the other stood idle.
LONGEST_FIRST = (
    "tests/core/test_api_schemathesis.py",
    "tests/projects/test_api_fuzz.py::admin]",  # an id without "/": the unit keeps its "]"
    "tests/projects/test_api_fuzz.py::hq]",
    "tests/core/test_junk_input.py::pages-1",
    "tests/core/test_junk_input.py::pages-2",
    "tests/core/test_junk_input.py::pages-3",
    "tests/core/test_junk_input.py::pages-4",
    "tests/core/test_junk_input.py::api-1",
    "tests/core/test_junk_input.py::api-2",
    "tests/core/test_junk_input.py::admin-1",
    "tests/core/test_junk_input.py::admin-2",
    "tests/supervision/test_api_fuzz.py::supervisor]",
    "tests/core/test_csp_browser.py",
    "tests/supervision/test_api_fuzz.py::street]",
)


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, with the files of SPLIT_FILES and PER_TEST_FILES cut into several work units,
    those of SHARED_UNITS joined into one, and the units of LONGEST_FIRST handed out before the others."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path, _, rest = nodeid.partition("::")
            if path in SPLIT_FILES and "[" in rest:
                return f"{path}::{rest.split('[', 1)[1].split('/', 1)[0]}"
            if path in PER_TEST_FILES and rest:
                return f"{path}::{rest.split('[', 1)[0]}"
            return SHARED_UNITS.get(path, path)

        def _assign_work_unit(self, node) -> None:
            for scope in reversed(LONGEST_FIRST):  # the first of them ends up at the head of the queue
                if scope in self.workqueue:
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return Scheduling(config, log)


def pytest_configure(config):
    """The xdist controller names the run itself, so that it knows the folder its workers share
    (tests/demo_copy.py) and removes it at the end (pytest_unconfigure)."""
    if not hasattr(config, "workerinput") and getattr(config.option, "numprocesses", None):
        if getattr(config.option, "testrunuid", None) is None:
            config.option.testrunuid = uuid.uuid4().hex


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput") and getattr(config.option, "testrunuid", None):
        from tests.support import run_folder

        shutil.rmtree(run_folder(config.option.testrunuid), ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test databases, each of whose serialized copy of the migrations' rows is then put back by a bulk
    copy of those rows (tests/seeded_rows.py), not one save per object."""
    from django.db import connections

    from tests import seeded_rows

    for connection in connections.all(initialized_only=True):
        seeded_rows.install(connection)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test empties every table when it ends; put the migrations' rows back then, so a
    test that runs after it in the same process (any order, any xdist split) finds them."""
    yield
    if not _is_transactional(item) or nextitem is None:  # the last test: the test database is gone
        return
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    restored = False
    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)
                restored = True
    ContentType.objects.clear_cache()
    if not restored:  # the tests after it would fail on missing categories, far from the cause
        raise RuntimeError(f"{item.nodeid}: the migrations' rows could not be put back (no serialized copy)")


@pytest.fixture(scope="session", autouse=True)
def _static_files_scanned_once():
    """Each test client loads the middleware anew, and WhiteNoise's middleware then reads the whole
    collected folder (a stat of every file and of its .gz/.br) to build its table of files: 4 % of the
    suite's CPU. Nothing writes into a collected folder while the tests run (the storage tests use folders
    of their own), so the table of a folder is built once per process and settings and given to every
    middleware after; each still serves the same files with the same headers."""
    from django.conf import settings
    from whitenoise.base import WhiteNoise

    original = WhiteNoise.update_files_dictionary
    tables = {}

    def update_files_dictionary(self, root, prefix):
        names = sorted(n for n in dir(settings) if n.startswith("WHITENOISE_"))
        key = (
            type(self),
            root,
            prefix,
            os.stat(root).st_mtime_ns,
            tuple((n, repr(getattr(settings, n))) for n in names),
            tuple(
                repr(getattr(settings, n, None))
                for n in ("DEBUG", "STATIC_URL", "STATIC_ROOT", "FORCE_SCRIPT_NAME")
            ),
        )
        table = tables.get(key)
        if table is None:
            kept, self.files = self.files, {}
            try:
                original(self, root, prefix)
                table = tables[key] = self.files
            finally:
                self.files = kept
        self.files.update(table)

    update_files_dictionary.original = original  # tests/core/test_static_assets.py compares the two
    WhiteNoise.update_files_dictionary = update_files_dictionary
    yield
    WhiteNoise.update_files_dictionary = original


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast password hashing, and uploads into a folder of the test's own."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture(autouse=True)
def _overview_memo():
    """Each test starts without the overviews another test kept in this process (its rolled-back rows
    could carry the same ids and, under a frozen clock, the same times)."""
    from tiaodu.progress.overview.status import MEMO

    MEMO.clear()
    yield
    MEMO.clear()


@pytest.fixture
def media_root(_test_settings):
    """The test's own folder of uploaded files."""
    return _test_settings.MEDIA_ROOT


@pytest.fixture
def district(db):
    """The cast (see the module's docstring): built for real once per process, then copied while the
    database starts from the same rows (tests/district_copy.py)."""
    from tests.district_copy import district as copied

    return copied(build_district)


def build_district():
    from tiaodu.orgs.models import Person, Role, Unit, UnitType, User
    from tiaodu.projects.models import Category, Indicator, Project, ProjectType

    gov = Unit.objects.create(name="区委区政府", type=UnitType.GOVERNMENT, sort_order=1)
    office = Unit.objects.create(name="领导小组办公室", type=UnitType.OFFICE, parent=gov, sort_order=2)
    hq = Unit.objects.create(name="北园大街改造指挥部", type=UnitType.HEADQUARTERS, parent=gov, sort_order=3)
    hq2 = Unit.objects.create(
        name="小清河综合治理指挥部", type=UnitType.HEADQUARTERS, parent=gov, sort_order=4
    )
    street = Unit.objects.create(name="北园街道", type=UnitType.STREET, parent=gov, sort_order=5)
    street2 = Unit.objects.create(name="泺口街道", type=UnitType.STREET, parent=gov, sort_order=6)
    dept = Unit.objects.create(name="区建设局", type=UnitType.DEPARTMENT, parent=gov, sort_order=7)
    sup = Unit.objects.create(name="区委督查室", type=UnitType.SUPERVISION, parent=gov, sort_order=8)

    people = {
        "leader": Person.objects.create(name="王区长", post="区长", unit=gov),
        "admin": Person.objects.create(name="管理员", post="系统管理员", unit=office),
        "office": Person.objects.create(name="刘主任", post="办公室主任", unit=office),
        "hq": Person.objects.create(name="赵指挥", post="指挥长", unit=hq),
        "street": Person.objects.create(name="钱主任", post="街道主任", unit=street),
        "dept": Person.objects.create(name="孙局长", post="局长", unit=dept),
        "outsider": Person.objects.create(name="周书记", post="街道书记", unit=street2),
        "supervisor": Person.objects.create(name="吴督查", post="督查专员", unit=sup),
    }
    roles = {
        "leader": Role.LEADER,
        "admin": Role.ADMIN,
        "office": Role.UNIT,
        "hq": Role.UNIT,
        "street": Role.UNIT,
        "dept": Role.UNIT,
        "outsider": Role.UNIT,
        "supervisor": Role.SUPERVISOR,
    }
    users = {}
    for key, person in people.items():
        users[key] = User.objects.create_user(
            username=key, password="Tiaodu@2026!", person=person, role=roles[key], is_staff=(key == "admin")
        )
    road = Category.objects.get(name="道路")
    river = Category.objects.get(name="河道")
    project = Project.objects.create(
        code="ZD-001",
        name="北园大街道路拓宽及两侧整治",
        type=ProjectType.KEY_CONSTRUCTION,
        category=road,
        lead_unit=hq,
        supervising_leader=people["leader"],
        responsible_person=people["hq"],
        planned_start=datetime.date(2026, 3, 1),
        planned_finish=datetime.date(2027, 6, 30),
        deadline=datetime.date(2027, 8, 31),
        total_investment=Decimal("52000"),
    )
    project.territorial_units.set([street])
    project.supporting_units.set([dept])
    Indicator.objects.create(project=project, name="拆迁面积", unit_of_measure="m²", target=Decimal("120000"))
    other = Project.objects.create(
        code="ZD-002",
        name="小清河综合治理",
        type=ProjectType.KEY_CONSTRUCTION,
        category=river,
        lead_unit=hq2,
        planned_start=datetime.date(2026, 1, 1),
        planned_finish=datetime.date(2027, 5, 31),
        deadline=datetime.date(2027, 8, 31),
        total_investment=Decimal("180000"),
    )
    other.territorial_units.set([street2])

    class District:
        pass

    d = District()
    d.units = {
        "gov": gov,
        "office": office,
        "hq": hq,
        "hq2": hq2,
        "street": street,
        "street2": street2,
        "dept": dept,
        "supervision": sup,
    }
    d.people = people
    d.users = users
    d.project = project
    d.other = other
    return d


@pytest.fixture
def browser(monkeypatch):
    """A Chromium for the test, started and stopped with it.

    Playwright's driver (Node.js) keeps the code it compiled in Node's compile cache, a folder under the
    temporary directory, so the next test's driver does not compile it again (0.1 s of CPU a test; a quiet
    optimisation of Node's that nothing depends on).

    Not one per process: Playwright's sync API leaves an asyncio loop running in the main thread while it
    is started, and Django's connection storage (asgiref Local) then hands out other connection objects —
    without the serialized migration rows, so a transactional test emptied the tables for the tests after
    it (tried in issue 16, every later test of that process failed on missing categories)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium as root)")
    monkeypatch.setenv("NODE_COMPILE_CACHE", os.path.join(tempfile.gettempdir(), "tiaodu-node-compile-cache"))
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def sessions_saved_at_sign_in_only(monkeypatch):
    """For browser tests whose pages send several requests at once (data, photos, map): a session renewal in
    each of them at the same moment (SessionRenewMiddleware, once a minute) finds the in-memory SQLite test
    database locked — Django answers that with a 400 (SessionInterrupted). A test-only contention (the real
    database waits, timeout 20 s): the session is written at sign-in only, however long the test takes."""
    monkeypatch.setattr("tiaodu.orgs.security.sessions.RENEW_EVERY_SECONDS", 10**9)


# --- letters and API clients (projects, permissions, API tests) ---------------------------------


@pytest.fixture
def letter(district):
    """A signed 2026 letter of the lead HQ with one item on ZD-001."""
    from tiaodu.projects.models import LetterItem, LetterStatus, ResponsibilityLetter

    letter = ResponsibilityLetter.objects.create(
        unit=district.units["hq"],
        year=2026,
        status=LetterStatus.SIGNED,
        signing_date=datetime.date(2026, 2, 15),
        signatories="王区长、赵指挥",
    )
    LetterItem.objects.create(
        letter=letter,
        project=district.project,
        indicator=district.project.indicators.get(),
        target=Decimal("60000"),
        deadline=datetime.date(2026, 12, 31),
        note="年内完成一半",
    )
    return letter


@pytest.fixture
def api(district):
    """api("hq") -> an APIClient signed in (session) as that user; api(None) -> anonymous."""

    def make(key):
        client = APIClient()
        if key is not None:
            client.force_login(district.users[key])
        return client

    return make


@pytest.fixture
def letters(district):
    """The 2026 letter of 北园大街改造指挥部 (hq, one item on ZD-001) and of 泺口街道 (street2)."""
    from tiaodu.projects.models import LetterItem, ResponsibilityLetter

    hq_letter = ResponsibilityLetter.objects.create(unit=district.units["hq"], year=2026, title="")
    indicator = district.project.indicators.get()
    LetterItem.objects.create(
        letter=hq_letter,
        project=district.project,
        indicator=indicator,
        target=Decimal("60000"),
        deadline=datetime.date(2026, 12, 31),
        note="年内完成一半",
    )
    street2_letter = ResponsibilityLetter.objects.create(unit=district.units["street2"], year=2026)
    return {"hq": hq_letter, "street2": street2_letter}
