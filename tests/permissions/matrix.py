"""The role × action matrix: who gets what, for every app, on the pages and through the API.

One row per action; one column per role of the test district (tests/conftest.py):

    admin    系统管理员                      hq        北园大街改造指挥部 (lead unit of ZD-001)
    office   领导小组办公室 (unit user)       street    北园街道 (territorial unit of ZD-001)
    leader   领导                            dept      区建设局 (supporting unit of ZD-001)
    super    督查 (区委督查室)                out       泺口街道 (no part in ZD-001; territorial unit of ZD-002)
                                             anon      not signed in

Each cell is the HTTP status the user gets, and where the row says what to look at:
    `+` / `-`  after a write: it happened / it did not (the row's `done` check on the database);
               after a read: the row's `shows` text is / is not on the answer.
A signed-out user is sent to a login page (302) by the pages and refused with 401 by the API.

test_matrix.py makes one test per cell: a real request through Django's test client against the test
database, then the checks. The rules behind the cells are the README's (角色与可见范围 and each app's
section): a project (or report, item, document, …) the user may not see is a 404, an action on
something the user sees but may not take is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.permissions.world import D, png, project_form

ROLES = ("admin", "office", "leader", "supervisor", "hq", "street", "dept", "outsider", "anon")
APPS = ("projects", "orgs", "scheduling", "progress", "supervision", "briefings")


@dataclass(frozen=True)
class Row:
    app: str
    action: str
    method: str
    url: Callable
    cells: str
    data: Callable | None = None
    done: Callable | None = None
    shows: str | Callable | None = None
    needs: tuple[str, ...] = ()  # objects of the world made before the request (a list to look at, …)

    @property
    def api(self) -> bool:
        return self.url.template.startswith("/api/")

    def expected(self) -> dict[str, tuple[int, bool | None]]:
        tokens = self.cells.split()
        assert len(tokens) == len(ROLES), f"{self.action}: {len(tokens)} cells for {len(ROLES)} roles"
        out = {}
        for role, token in zip(ROLES, tokens, strict=True):
            flag = {"+": True, "-": False}.get(token[-1])
            status = int(token.rstrip("+-"))
            checked = self.done is not None or self.shows is not None
            assert (flag is not None) == checked or (role == "anon" and flag is None), (self.action, role)
            out[role] = (status, flag)
        return out


class URL:
    """An address with {w.…} fields filled from the world: URL("/letters/{w.letter.pk}/")."""

    def __init__(self, template: str):
        self.template = template

    def __call__(self, w) -> str:
        return self.template.format(w=w)


page = api = URL


def model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def exists(label: str, /, **lookup) -> Callable:
    """A row of the model `label` ("app.Model") matches the lookup."""
    return lambda w: model(label).objects.filter(**lookup).exists()


def gone(label: str, attr: str, /) -> Callable:
    """The object `w.<attr>` no longer exists."""
    return lambda w: not model(label).objects.filter(pk=getattr(w, attr).pk).exists()


def field(label: str, attr: str, /, **values) -> Callable:
    """The object `w.<attr>` now has these field values."""
    return lambda w: model(label).objects.filter(pk=getattr(w, attr).pk, **values).exists()


P1 = "北园大街道路拓宽及两侧整治"

# fmt: off
MATRIX = [
    # ================================================================================ projects — pages
    #                                                                   admin office leader super hq street dept out anon
    Row("projects", "list the projects (ZD-001 listed)", "GET", page("/projects/"),
        "200+ 200+ 200+ 200+ 200+ 200+ 200+ 200- 302", shows='href="/projects/ZD-001/"'),
    Row("projects", "open ZD-001", "GET", page("/projects/ZD-001/"),
        "200  200  200  200  200  200  200  404  302"),
    Row("projects", "open ZD-002", "GET", page("/projects/ZD-002/"),
        "200  200  200  200  404  404  404  200  302"),
    Row("projects", "open the edit form of ZD-001", "GET", page("/projects/ZD-001/edit/"),
        "200  200  403  403  200  200  403  404  302"),
    Row("projects", "edit ZD-001's description", "POST", page("/projects/ZD-001/edit/"),
        "302+ 302+ 403- 403- 302+ 302+ 403- 404- 302-",
        data=lambda w: project_form(w, description="矩阵修改"),
        done=exists("projects.Project", code="ZD-001", description="矩阵修改")),
    Row("projects", "change ZD-001's lead unit (a responsibility field)", "POST", page("/projects/ZD-001/edit/"),
        "302+ 302+ 403- 403- 403- 403- 403- 404- 302-",
        data=lambda w: project_form(w, lead_unit=w.units["hq2"].pk),
        done=exists("projects.Project", code="ZD-001", lead_unit__name="小清河综合治理指挥部")),
    Row("projects", "move ZD-001 to 在建", "POST", page("/projects/ZD-001/status/"),
        "302+ 302+ 403- 403- 302+ 302+ 403- 404- 302-",
        data=lambda w: {"status": "under_construction"},
        done=exists("projects.Project", code="ZD-001", status="under_construction")),
    Row("projects", "open the new-project form", "GET", page("/projects/new/"),
        "200  200  403  403  403  403  403  403  302"),
    Row("projects", "register a project", "POST", page("/projects/new/"),
        "302+ 302+ 403- 403- 403- 403- 403- 403- 302-",
        data=lambda w: project_form(w, code="ZD-101", name="堤口路改造", status="not_started"),
        done=exists("projects.Project", code="ZD-101")),
    Row("projects", "add an indicator to ZD-001", "POST", page("/projects/ZD-001/indicators/new/"),
        "302+ 302+ 403- 403- 302+ 302+ 403- 404- 302-",
        data=lambda w: {"name": "拆除违建", "unit_of_measure": "m²", "target": "30000", "sort_order": "1"},
        done=exists("projects.Indicator", name="拆除违建")),
    Row("projects", "delete an indicator of ZD-001", "POST",
        page("/projects/ZD-001/indicators/{w.spare_indicator.pk}/delete/"),
        "302+ 302+ 403- 403- 302+ 302+ 403- 404- 302-", done=gone("projects.Indicator", "spare_indicator")),
    Row("projects", "list the letters (hq's listed)", "GET", page("/letters/"),
        "200+ 200+ 200+ 200+ 200+ 200- 200- 200- 302", shows=lambda w: f'href="/letters/{w.letter.pk}/"',
        needs=("letter",)),
    Row("projects", "open hq's letter", "GET", page("/letters/{w.letter.pk}/"),
        "200  200  200  200  200  404  404  404  302"),
    Row("projects", "download the scan of hq's letter", "GET", page("/letters/{w.letter.pk}/scan/"),
        "200  200  200  200  200  404  404  404  302"),
    Row("projects", "open the new-letter form", "GET", page("/letters/new/"),
        "200  200  403  403  403  403  403  403  302"),
    Row("projects", "sign hq's letter", "POST", page("/letters/{w.letter.pk}/edit/"),
        "302+ 302+ 403- 403- 403- 404- 404- 404- 302-",
        data=lambda w: {"unit": w.units["hq"].pk, "year": "2026", "title": "", "status": "signed",
                        "signing_date": "2026-02-15", "signatories": "王区长、赵指挥"},
        done=field("projects.ResponsibilityLetter", "letter", status="signed")),
    Row("projects", "delete an item of hq's letter", "POST",
        page("/letters/{w.letter.pk}/items/{w.letter_item.pk}/delete/"),
        "302+ 302+ 403- 403- 403- 404- 404- 404- 302-", done=gone("projects.LetterItem", "letter_item")),
    Row("projects", "open the ledger page (upload offered)", "GET", page("/ledger/"),
        "200+ 200+ 200- 200- 200- 200- 200- 200- 302", shows='type="file"'),
    Row("projects", "download the ledger", "GET", page("/ledger/export/"),
        "200  200  200  200  200  200  200  200  302"),
    Row("projects", "upload a ledger (not a workbook)", "POST", page("/ledger/"),
        "400- 400- 403- 403- 403- 403- 403- 403- 302-",
        data=lambda w: {"file": png("台账.xlsx")}, done=exists("projects.LedgerImport")),
    Row("projects", "open the edit form of ZD-001 (baseline dates offered)", "GET", page("/projects/ZD-001/edit/"),
        "200+ 200+ 403- 403- 200- 200- 403- 404- 302", shows='name="planned_finish"'),
    Row("projects", "move ZD-001's planned finish on the edit form (baseline)", "POST", page("/projects/ZD-001/edit/"),
        "302+ 302+ 403- 403- 403- 403- 403- 404- 302-",
        data=lambda w: project_form(w, planned_finish="2027-09-30"),
        done=exists("projects.Project", code="ZD-001", planned_finish=D(2027, 9, 30))),
    Row("projects", "open the change request form of ZD-001 (申请计划变更)", "GET", page("/projects/ZD-001/changes/new/"),
        "200  200  403  403  200  200  403  404  302"),
    Row("projects", "request a baseline change of ZD-001", "POST", page("/projects/ZD-001/changes/new/"),
        "302+ 302+ 403- 403- 302+ 302+ 403- 404- 302-",
        data=lambda w: {"planned_start": "2026-03-01", "planned_finish": "2027-09-30", "deadline": "2027-08-31",
                        f"target_{w.indicator.pk}": "120000", "reason": "矩阵申请"},
        done=exists("projects.ProjectChange", reason="矩阵申请", status="pending")),
    Row("projects", "list the baseline changes (计划变更审批; street's listed)", "GET", page("/project-changes/"),
        "200+ 200+ 200+ 200+ 200+ 200+ 200+ 200- 302", shows="矩阵申请顺延", needs=("change",)),
    Row("projects", "approve street's baseline change", "POST", page("/project-changes/{w.change.pk}/approve/"),
        "302+ 302+ 403- 403- 403- 403- 403- 404- 302-",
        data=lambda w: {"note": "同意"}, done=field("projects.ProjectChange", "change", status="approved")),
    Row("projects", "reject street's baseline change", "POST", page("/project-changes/{w.change.pk}/reject/"),
        "302+ 302+ 403- 403- 403- 403- 403- 404- 302-",
        data=lambda w: {"note": "理由不足"}, done=field("projects.ProjectChange", "change", status="rejected")),
    # ================================================================================ projects — API
    Row("projects", "API: read ZD-001", "GET", api("/api/v1/projects/ZD-001/"),
        "200  200  200  200  200  200  200  404  401"),
    Row("projects", "API: list projects (ZD-001 listed)", "GET", api("/api/v1/projects/"),
        "200+ 200+ 200+ 200+ 200+ 200+ 200+ 200- 401", shows='"code":"ZD-001"'),
    Row("projects", "API: change ZD-001's description", "PATCH", api("/api/v1/projects/ZD-001/"),
        "200+ 200+ 403- 403- 200+ 200+ 403- 404- 401-",
        data=lambda w: {"description": "矩阵修改"},
        done=exists("projects.Project", code="ZD-001", description="矩阵修改")),
    Row("projects", "API: change ZD-001's lead unit (a responsibility field)", "PATCH", api("/api/v1/projects/ZD-001/"),
        "200+ 200+ 403- 403- 403- 403- 403- 404- 401-",
        data=lambda w: {"lead_unit": "小清河综合治理指挥部"},
        done=exists("projects.Project", code="ZD-001", lead_unit__name="小清河综合治理指挥部")),
    Row("projects", "API: register a project", "POST", api("/api/v1/projects/"),
        "201+ 201+ 403- 403- 403- 403- 403- 403- 401-",
        data=lambda w: {"code": "ZD-101", "name": "堤口路改造", "type": "key_construction", "category": "道路",
                        "lead_unit": "北园大街改造指挥部", "territorial_units": ["北园街道"]},
        done=exists("projects.Project", code="ZD-101")),
    Row("projects", "API: add an indicator to ZD-001", "POST", api("/api/v1/indicators/"),
        "201+ 201+ 403- 403- 201+ 201+ 403- 400- 401-",
        data=lambda w: {"project": "ZD-001", "name": "拆除违建", "unit_of_measure": "m²", "target": "30000"},
        done=exists("projects.Indicator", name="拆除违建")),
    Row("projects", "API: delete an indicator of ZD-001", "DELETE", api("/api/v1/indicators/{w.spare_indicator.pk}/"),
        "204+ 204+ 403- 403- 204+ 204+ 403- 404- 401-", done=gone("projects.Indicator", "spare_indicator")),
    Row("projects", "API: read hq's letter", "GET", api("/api/v1/letters/{w.letter.pk}/"),
        "200  200  200  200  200  404  404  404  401"),
    Row("projects", "API: retitle hq's letter", "PATCH", api("/api/v1/letters/{w.letter.pk}/"),
        "200+ 200+ 403- 403- 403- 404- 404- 404- 401-",
        data=lambda w: {"title": "矩阵责任书"}, done=field("projects.ResponsibilityLetter", "letter", title="矩阵责任书")),
    Row("projects", "API: draw up a letter", "POST", api("/api/v1/letters/"),
        "201+ 201+ 403- 403- 403- 403- 403- 403- 401-",
        data=lambda w: {"unit": "北园街道", "year": 2026}, done=exists("projects.ResponsibilityLetter", unit__name="北园街道")),
    Row("projects", "API: delete an item of hq's letter", "DELETE", api("/api/v1/letter-items/{w.letter_item.pk}/"),
        "204+ 204+ 403- 403- 403- 404- 404- 404- 401-", done=gone("projects.LetterItem", "letter_item")),
    Row("projects", "API: move ZD-001's planned finish (baseline)", "PATCH", api("/api/v1/projects/ZD-001/"),
        "200+ 200+ 403- 403- 403- 403- 403- 404- 401-",
        data=lambda w: {"planned_finish": "2027-09-30"},
        done=exists("projects.Project", code="ZD-001", planned_finish=D(2027, 9, 30))),
    Row("projects", "API: change the target of ZD-001's indicator (baseline)", "PATCH",
        api("/api/v1/indicators/{w.indicator.pk}/"),
        "200+ 200+ 403- 403- 403- 403- 403- 404- 401-",
        data=lambda w: {"target": "100000"}, done=field("projects.Indicator", "indicator", target=100000)),
    Row("projects", "API: request a baseline change of ZD-001", "POST", api("/api/v1/projects/ZD-001/changes/"),
        "201+ 201+ 403- 403- 201+ 201+ 403- 404- 401-",
        data=lambda w: {"planned_finish": "2027-09-30", "reason": "矩阵申请"},
        done=exists("projects.ProjectChange", reason="矩阵申请", status="pending")),
    Row("projects", "API: list ZD-001's baseline changes", "GET", api("/api/v1/projects/ZD-001/changes/"),
        "200+ 200+ 200+ 200+ 200+ 200+ 200+ 404- 401", shows="矩阵申请顺延", needs=("change",)),
    Row("projects", "API: list the baseline changes (street's listed)", "GET", api("/api/v1/project-changes/"),
        "200+ 200+ 200+ 200+ 200+ 200+ 200+ 200- 401", shows="矩阵申请顺延", needs=("change",)),
    Row("projects", "API: approve street's baseline change", "POST", api("/api/v1/project-changes/{w.change.pk}/approve/"),
        "200+ 200+ 403- 403- 403- 403- 403- 404- 401-",
        data=lambda w: {"note": "同意"}, done=field("projects.ProjectChange", "change", status="approved")),
    Row("projects", "API: reject street's baseline change", "POST", api("/api/v1/project-changes/{w.change.pk}/reject/"),
        "200+ 200+ 403- 403- 403- 403- 403- 404- 401-",
        data=lambda w: {"note": "理由不足"}, done=field("projects.ProjectChange", "change", status="rejected")),
    # ================================================================================ orgs — pages
    Row("orgs", "list the units", "GET", page("/units/"),
        "200  200  200  200  200  200  200  200  302"),
    Row("orgs", "open hq's unit page (ZD-001 listed)", "GET", page("/units/{w.units[hq].pk}/"),
        "200+ 200+ 200+ 200+ 200+ 200+ 200+ 200- 302", shows='href="/projects/ZD-001/"'),
    Row("orgs", "open a unit's edit form", "GET", page("/units/{w.units[dept].pk}/edit/"),
        "200  200  403  403  403  403  403  403  302"),
    Row("orgs", "rename a unit", "POST", page("/units/{w.units[dept].pk}/edit/"),
        "302+ 302+ 403- 403- 403- 403- 403- 403- 302-",
        data=lambda w: {"name": "区住房和城乡建设局", "type": "department", "parent": w.units["gov"].pk, "sort_order": "7"},
        done=exists("orgs.Unit", name="区住房和城乡建设局")),
    Row("orgs", "add a person", "POST", page("/people/new/"),
        "302+ 302+ 403- 403- 403- 403- 403- 403- 302-",
        data=lambda w: {"name": "李联络", "post": "联络员", "phone": "", "unit": w.units["hq"].pk},
        done=exists("orgs.Person", name="李联络")),
    Row("orgs", "open one's account", "GET", page("/account/"),
        "200  200  200  200  200  200  200  200  302"),
    Row("orgs", "make one's API token", "POST", page("/account/token/"),
        "302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302-", done=exists("authtoken.Token")),
    Row("orgs", "open the Django admin", "GET", page("/admin/"),
        "200  302  302  302  302  302  302  302  302"),
    Row("orgs", "open the security audit log", "GET", page("/security/audit/"),
        "200  403  403  403  403  403  403  403  302"),
    # ================================================================================ orgs — API
    Row("orgs", "API: list the units", "GET", api("/api/v1/units/"),
        "200  200  200  200  200  200  200  200  401"),
    Row("orgs", "API: add a unit", "POST", api("/api/v1/units/"),
        "201+ 201+ 403- 403- 403- 403- 403- 403- 401-",
        data=lambda w: {"name": "区水务局", "type": "department", "parent": "区委区政府"},
        done=exists("orgs.Unit", name="区水务局")),
    Row("orgs", "API: change a person's phone", "PATCH", api("/api/v1/people/{w.people[hq].pk}/"),
        "200+ 200+ 403- 403- 403- 403- 403- 403- 401-",
        data=lambda w: {"phone": "0531-12345678"}, done=exists("orgs.Person", phone="0531-12345678")),
    # ================================================================================ scheduling — pages
    Row("scheduling", "open ZD-001's schedule", "GET", page("/projects/ZD-001/schedule/"),
        "200  200  200  200  200  200  200  404  302", needs=("task",)),
    Row("scheduling", "switch ZD-001 to continuous working", "POST", page("/projects/ZD-001/schedule/mode/"),
        "302+ 302+ 403- 403- 302+ 302+ 403- 404- 302-",
        data=lambda w: {"mode": "continuous"}, done=exists("scheduling.ProjectSchedule", mode="continuous")),
    Row("scheduling", "add a task to ZD-001", "POST", page("/projects/ZD-001/schedule/tasks/new/"),
        "302+ 302+ 403- 403- 302+ 302+ 403- 404- 302-",
        data=lambda w: {"code": "C", "name": "管线迁改", "duration": "5", "predecessors": "", "indicator": "",
                        "quantity": ""},
        done=exists("scheduling.Task", code="C")),
    Row("scheduling", "delete a task of ZD-001", "POST", page("/projects/ZD-001/schedule/tasks/{w.task.pk}/delete/"),
        "302+ 302+ 403- 403- 302+ 302+ 403- 404- 302-", done=gone("scheduling.Task", "task")),
    Row("scheduling", "open ZD-001's schedule import", "GET", page("/projects/ZD-001/schedule/import/"),
        "200  200  403  403  200  200  403  404  302"),
    Row("scheduling", "open ZD-001's period plan", "GET", page("/projects/ZD-001/schedule/plan/"),
        "200  200  200  200  200  200  200  404  302", needs=("task",)),
    Row("scheduling", "adjust ZD-001's period plan", "POST", page("/projects/ZD-001/schedule/plan/"),
        "302+ 302+ 403- 403- 403- 403- 403- 404- 302-",
        data=lambda w: {"indicator": w.indicator.pk, "period": "2026-03-1", "value": "350", "note": "按承诺"},
        done=exists("scheduling.PeriodPlanOverride"), needs=("task",)),
    Row("scheduling", "approve ZD-001's schedule as a baseline", "POST",
        page("/projects/ZD-001/schedule/baseline/approve/"),
        "302+ 302+ 403- 403- 403- 403- 403- 404- 302-",
        data=lambda w: {"note": "同意"}, done=exists("scheduling.Baseline"), needs=("task",)),
    Row("scheduling", "list the schedules awaiting a baseline (我的待办)", "GET", page("/my-work/baselines/"),
        "200+ 200+ 403- 403- 403- 403- 403- 403- 302", shows='href="/projects/ZD-001/schedule/baseline/"',
        needs=("task",)),
    Row("scheduling", "open the holiday calendar", "GET", page("/calendar/"),
        "200  200  200  200  200  200  200  200  302"),
    Row("scheduling", "open the calendar entry form", "GET", page("/calendar/enter/"),
        "200  200  403  403  403  403  403  403  302"),
    Row("scheduling", "enter a year's holidays", "POST", page("/calendar/enter/"),
        "302+ 302+ 403- 403- 403- 403- 403- 403- 302-",
        data=lambda w: {"year": "2027", "notice": "通知", "text": "2027-01-01 元旦 放假"},
        done=exists("scheduling.CalendarYear", year=2027)),
    # ================================================================================ scheduling — API
    Row("scheduling", "API: read ZD-001's schedule", "GET", api("/api/v1/projects/ZD-001/schedule"),
        "200  200  200  200  200  200  200  404  401", needs=("task",)),
    # ================================================================================ progress — pages
    Row("progress", "open the dashboard", "GET", page("/dashboard/"),
        "200  200  200  200  200  200  200  200  302"),
    Row("progress", "open ZD-001's reports", "GET", page("/projects/ZD-001/reports/"),
        "200  200  200  200  200  200  200  404  302"),
    Row("progress", "open the report form of ZD-001", "GET", page("/projects/ZD-001/reports/new/"),
        "200  200  403  403  200  200  403  404  302", needs=("reporters",)),
    Row("progress", "submit a report on ZD-001", "POST", page("/projects/ZD-001/reports/new/"),
        "302+ 302+ 403- 403- 302+ 302+ 403- 404- 302-",
        data=lambda w: {"as_of": "2026-11-26", f"quantity_{w.indicator.pk}": "1200", "action": "submit"},
        done=exists("progress.Report", as_of=D(2026, 11, 26), status="submitted"), needs=("reporters",)),
    Row("progress", "open hq's submitted report", "GET", page("/reports/{w.submitted.pk}/"),
        "200  200  200  200  200  200  200  404  302"),
    Row("progress", "open hq's draft", "GET", page("/reports/{w.draft.pk}/"),
        "200  200  404  404  200  404  404  404  302"),
    Row("progress", "submit hq's draft", "POST", page("/reports/{w.draft.pk}/submit/"),
        "302+ 302+ 404- 404- 302+ 404- 404- 404- 302-", done=field("progress.Report", "draft", status="submitted")),
    Row("progress", "verify hq's report", "POST", page("/reports/{w.submitted.pk}/verify/"),
        "302+ 302+ 403- 403- 302+ 403- 403- 404- 302-", done=field("progress.Report", "submitted", status="verified")),
    Row("progress", "return hq's report", "POST", page("/reports/{w.submitted.pk}/return/"),
        "302+ 302+ 403- 403- 302+ 403- 403- 404- 302-",
        data=lambda w: {"reason": "请补充现场照片"}, done=field("progress.Report", "submitted", status="returned")),
    Row("progress", "revise hq's report", "POST", page("/reports/{w.submitted.pk}/revise/"),
        "302+ 302+ 403- 403- 302+ 403- 403- 404- 302-",
        done=lambda w: model("progress.Report").objects.filter(previous=w.submitted).exists()),
    Row("progress", "delete hq's draft", "POST", page("/reports/{w.draft.pk}/discard/"),
        "302+ 302+ 404- 404- 302+ 404- 404- 404- 302-", done=gone("progress.Report", "draft")),
    Row("progress", "open ZD-001's reporting units", "GET", page("/projects/ZD-001/reporting-units/"),
        "200  200  403  403  200  403  403  404  302"),
    Row("progress", "add the street to ZD-001's reporting units", "POST", page("/projects/ZD-001/reporting-units/"),
        "302+ 302+ 403- 403- 302+ 403- 403- 404- 302-",
        data=lambda w: {"units": [w.units["street"].pk]}, done=exists("progress.ReportingUnit", unit__name="北园街道")),
    Row("progress", "open the verification queue (hq's report in it)", "GET", page("/reports/verify/"),
        "200+ 200+ 200- 200- 200+ 200- 200- 200- 302", shows=lambda w: f'href="/reports/{w.submitted.pk}/"', needs=("submitted",)),
    Row("progress", "open the report import", "GET", page("/reports/import/"),
        "200  200  403  403  200  200  403  403  302", needs=("reporters",)),
    Row("progress", "open the cycle settings", "GET", page("/reports/settings/"),
        "200  200  403  403  403  403  403  403  302"),
    Row("progress", "change the cycle settings", "POST", page("/reports/settings/"),
        "302+ 302+ 403- 403- 403- 403- 403- 403- 302-",
        data=lambda w: {"deadline_weekday": 4, "deadline_time": "12:00", "lagging_after": 3, "severe_after": 10,
                        "remind_enabled": "on", "remind_weekday": 3, "remind_time": "17:00"},
        done=exists("progress.ReportingCycle", lagging_after=3)),
    # ================================================================================ progress — API
    Row("progress", "API: the overview (ZD-001 in it)", "GET", api("/api/v1/progress"),
        "200+ 200+ 200+ 200+ 200+ 200+ 200+ 200- 401", shows='"code":"ZD-001"'),
    # ================================================================================ supervision — pages
    Row("supervision", "open the register (the street's item listed)", "GET", page("/supervision/"),
        "200+ 200+ 200+ 200+ 200+ 200+ 200+ 200- 302", shows="清理北园大街沿线建筑垃圾", needs=("item",)),
    Row("supervision", "open the new-item form", "GET", page("/supervision/new/"),
        "200  200  200  200  403  403  403  403  302"),
    Row("supervision", "assign an item", "POST", page("/supervision/new/"),
        "302+ 302+ 302+ 302+ 403- 403- 403- 403- 302-",
        data=lambda w: {"title": "拆除违建", "source": "instruction", "content": "按批示", "deadline": "2026-12-31",
                        "assignee_units": [w.units["street"].pk]},
        done=exists("supervision.SupervisionItem", title="拆除违建")),
    Row("supervision", "open the street's item on ZD-001", "GET", page("/supervision/{w.item.pk}/"),
        "200  200  200  200  200  200  200  404  302"),
    Row("supervision", "open the outsider's item", "GET", page("/supervision/{w.item_elsewhere.pk}/"),
        "200  200  200  200  404  404  404  200  302"),
    Row("supervision", "report progress on the street's item", "POST", page("/supervision/{w.item.pk}/feedback/"),
        "403- 403- 403- 403- 403- 302+ 403- 404- 302-",
        data=lambda w: {"text": "已调派挖掘机"}, done=exists("supervision.ItemEvent", text="已调派挖掘机")),
    Row("supervision", "request closing the street's item", "POST", page("/supervision/{w.item.pk}/request-close/"),
        "403- 403- 403- 403- 403- 302+ 403- 404- 302-",
        data=lambda w: {"text": "已清运完毕"}, done=field("supervision.SupervisionItem", "item", status="close_requested")),
    Row("supervision", "confirm closing an item", "POST", page("/supervision/{w.item_closing.pk}/confirm-close/"),
        "403- 403- 403- 302+ 403- 403- 403- 404- 302-",
        data=lambda w: {"text": "核查属实"}, done=field("supervision.SupervisionItem", "item_closing", status="closed")),
    Row("supervision", "send a closure request back", "POST", page("/supervision/{w.item_closing.pk}/send-back/"),
        "403- 403- 403- 302+ 403- 403- 403- 404- 302-",
        data=lambda w: {"reason": "照片不清"}, done=field("supervision.SupervisionItem", "item_closing", status="open")),
    Row("supervision", "open the edit form of the street's item", "GET", page("/supervision/{w.item.pk}/edit/"),
        "200  200  200  200  403  403  403  404  302"),
    Row("supervision", "adjust the street's item", "POST", page("/supervision/{w.item.pk}/edit/"),
        "302+ 302+ 302+ 302+ 403- 403- 403- 404- 302-",
        data=lambda w: {"title": "清理建筑垃圾（调整）", "content": "按批示办理", "deadline": "2026-12-31",
                        "assignee_units": [w.units["street"].pk], "project": w.project.pk, "reason": "调整"},
        done=field("supervision.SupervisionItem", "item", title="清理建筑垃圾（调整）")),
    Row("supervision", "adjust a closed item", "POST", page("/supervision/{w.item_closed.pk}/edit/"),
        "403- 403- 403- 403- 403- 403- 403- 404- 302-",
        data=lambda w: {"title": "已办结事项（调整）", "content": "按批示办理", "deadline": "2026-12-31",
                        "assignee_units": [w.units["street"].pk], "reason": "调整"},
        done=field("supervision.SupervisionItem", "item_closed", title="已办结事项（调整）")),
    Row("supervision", "open the supervision settings", "GET", page("/supervision/settings/"),
        "200  200  403  200  403  403  403  403  302"),
    Row("supervision", "change the ladder's time limits", "POST", page("/supervision/settings/"),
        "302+ 302+ 403- 302+ 403- 403- 403- 403- 302-",
        data=lambda w: {"limit_unit": 3, "limit_hq": 5, "limit_leader": 5, "limit_principal": 10,
                        "red_after_days": 5, "reminder_days": 2},
        done=exists("supervision.SupervisionConfig", limit_unit=3)),
    Row("supervision", "open the problem board", "GET", page("/problems/"),
        "200  200  200  200  200  200  200  200  302"),
    Row("supervision", "raise a problem on ZD-001", "POST", page("/problems/new/"),
        "302+ 302+ 302+ 302+ 302+ 302+ 302+ 200- 302-",
        data=lambda w: {"project": w.project.pk, "type": "land", "title": "", "description": "用地指标不足",
                        "owner_unit": ""},
        done=exists("supervision.Problem", description="用地指标不足")),
    Row("supervision", "open the street's problem", "GET", page("/problems/{w.problem.pk}/"),
        "200  200  200  200  200  200  200  404  302"),
    Row("supervision", "record handling of the street's problem", "POST", page("/problems/{w.problem.pk}/feedback/"),
        "302+ 302+ 302+ 302+ 302+ 302+ 403- 404- 302-",
        data=lambda w: {"feedback-text": "已协调区财政局"}, done=exists("supervision.ProblemEvent", text="已协调区财政局")),
    Row("supervision", "escalate the street's problem", "POST", page("/problems/{w.problem.pk}/escalate/"),
        "302+ 302+ 302+ 302+ 302+ 302+ 403- 404- 302-",
        data=lambda w: {"escalate-text": "已向区财政局申请"}, done=field("supervision.Problem", "problem", level=2)),
    Row("supervision", "raise a problem from hq's report", "POST", page("/problems/from-report/{w.submitted.pk}/"),
        "302+ 302+ 302+ 302+ 302+ 302+ 302+ 404- 302-",
        data=lambda w: {"type": "land"},
        done=lambda w: model("supervision.Problem").objects.filter(source_report_id=w.submitted.pk).exists()),
    Row("supervision", "look at a problem from hq's draft", "GET", page("/problems/from-report/{w.draft.pk}/"),
        "200  200  404  404  200  404  404  404  302"),
    Row("supervision", "list the meetings (the meeting listed)", "GET", page("/meetings/"),
        "200+ 200+ 200+ 200+ 200+ 200- 200- 200- 302", shows="第45次调度会", needs=("meeting",)),
    Row("supervision", "open the new-meeting form", "GET", page("/meetings/new/"),
        "200  200  403  200  403  403  403  403  302"),
    Row("supervision", "create a meeting", "POST", page("/meetings/new/"),
        "302+ 302+ 403- 302+ 403- 403- 403- 403- 302-",
        data=lambda w: {"title": "第46次调度会", "date": "2026-11-27", "location": "", "attendees_note": "",
                        "minutes": ""},
        done=exists("supervision.Meeting", title="第46次调度会")),
    Row("supervision", "open the meeting", "GET", page("/meetings/{w.meeting.pk}/"),
        "200  200  200  200  200  404  404  404  302"),
    Row("supervision", "write the meeting's minutes", "POST", page("/meetings/{w.meeting.pk}/minutes/"),
        "302+ 302+ 403- 302+ 403- 404- 404- 404- 302-",
        data=lambda w: {"minutes": "会议纪要正文"}, done=exists("supervision.Meeting", minutes="会议纪要正文")),
    Row("supervision", "record a decision of the meeting", "POST", page("/meetings/{w.meeting.pk}/decisions/"),
        "302+ 302+ 403- 302+ 403- 404- 404- 404- 302-",
        data=lambda w: {"new-content": "泺口街道加快清表"}, done=exists("supervision.Decision", content="泺口街道加快清表")),
    Row("supervision", "turn a decision into an item", "POST", page("/meetings/decisions/{w.decision.pk}/item/"),
        "302+ 302+ 403- 302+ 403- 404- 404- 404- 302-",
        data=lambda w: {f"d{w.decision.pk}-assignee_units": [w.units["street"].pk],
                        f"d{w.decision.pk}-deadline": "2026-12-31"},
        done=lambda w: model("supervision.Decision").objects.filter(pk=w.decision.pk, item__isnull=False).exists()),
    Row("supervision", "list accountability (the street's record listed)", "GET", page("/accountability/"),
        "200+ 200+ 200+ 200+ 200- 200+ 200- 200- 302", shows="督办事项超期", needs=("record",)),
    Row("supervision", "open the accountability form", "GET", page("/accountability/new/"),
        "200  403  403  200  403  403  403  403  302"),
    Row("supervision", "record accountability", "POST", page("/accountability/new/"),
        "302+ 403- 403- 302+ 403- 403- 403- 403- 302-",
        data=lambda w: {"measure": "criticism", "unit": w.units["street"].pk, "reason": "红牌未整改",
                        "decision_date": "2026-11-27", "decided_by": "区委督查室"},
        done=exists("supervision.AccountabilityRecord", reason="红牌未整改")),
    Row("supervision", "open the inbox", "GET", page("/inbox/"),
        "200  200  200  200  200  200  200  200  302"),
    Row("supervision", "open hq's notification", "POST", page("/inbox/{w.note.pk}/open/"),
        "404- 404- 404- 404- 302+ 404- 404- 404- 302-", done=field("supervision.Notification", "note", unread=False)),
    # ================================================================================ supervision — API
    Row("supervision", "API: read the street's item", "GET", api("/api/v1/supervision-items/{w.item.pk}/"),
        "200  200  200  200  200  200  200  404  401"),
    Row("supervision", "API: assign an item", "POST", api("/api/v1/supervision-items/"),
        "201+ 201+ 201+ 201+ 403- 403- 403- 403- 401-",
        data=lambda w: {"title": "拆除违建", "content": "按批示", "source": "instruction", "deadline": "2026-12-31",
                        "assignee_unit": "北园街道"},
        done=exists("supervision.SupervisionItem", title="拆除违建")),
    Row("supervision", "API: adjust the street's item", "PATCH", api("/api/v1/supervision-items/{w.item.pk}/"),
        "200+ 200+ 200+ 200+ 403- 403- 403- 404- 401-",
        data=lambda w: {"title": "清理建筑垃圾（调整）"},
        done=field("supervision.SupervisionItem", "item", title="清理建筑垃圾（调整）")),
    Row("supervision", "API: adjust a closed item", "PATCH", api("/api/v1/supervision-items/{w.item_closed.pk}/"),
        "403- 403- 403- 403- 403- 403- 403- 404- 401-",
        data=lambda w: {"title": "已办结事项（调整）"},
        done=field("supervision.SupervisionItem", "item_closed", title="已办结事项（调整）")),
    Row("supervision", "API: report progress on the street's item", "POST",
        api("/api/v1/supervision-items/{w.item.pk}/feedback/"),
        "403- 403- 403- 403- 403- 200+ 403- 404- 401-",
        data=lambda w: {"text": "已调派挖掘机"}, done=exists("supervision.ItemEvent", text="已调派挖掘机")),
    Row("supervision", "API: confirm closing an item", "POST",
        api("/api/v1/supervision-items/{w.item_closing.pk}/confirm-close/"),
        "403- 403- 403- 200+ 403- 403- 403- 404- 401-",
        data=lambda w: {"text": "核查属实"}, done=field("supervision.SupervisionItem", "item_closing", status="closed")),
    Row("supervision", "API: raise a problem on ZD-001", "POST", api("/api/v1/problems/"),
        "201+ 201+ 201+ 201+ 201+ 201+ 201+ 400- 401-",
        data=lambda w: {"project": "ZD-001", "type": "land", "description": "用地指标不足"},
        done=exists("supervision.Problem", description="用地指标不足")),
    Row("supervision", "API: resolve the street's problem", "POST", api("/api/v1/problems/{w.problem.pk}/resolve/"),
        "200+ 200+ 200+ 200+ 200+ 200+ 403- 404- 401-",
        data=lambda w: {"text": "区财政已拨付"}, done=field("supervision.Problem", "problem", status="resolved")),
    Row("supervision", "API: write the meeting's minutes", "PATCH", api("/api/v1/meetings/{w.meeting.pk}/"),
        "200+ 200+ 403- 200+ 403- 404- 404- 404- 401-",
        data=lambda w: {"minutes": "会议纪要正文"}, done=exists("supervision.Meeting", minutes="会议纪要正文")),
    Row("supervision", "API: record accountability", "POST", api("/api/v1/accountability-records/"),
        "201+ 403- 403- 201+ 403- 403- 403- 403- 401-",
        data=lambda w: {"measure": "criticism", "unit": w.units["street"].pk, "reason": "红牌未整改",
                        "decision_date": "2026-11-27", "decided_by": "区委督查室"},
        done=exists("supervision.AccountabilityRecord", reason="红牌未整改")),
    Row("supervision", "API: mark hq's notification read", "POST", api("/api/v1/notifications/{w.note.pk}/read/"),
        "404- 404- 404- 404- 200+ 404- 404- 404- 401-", done=field("supervision.Notification", "note", unread=False)),
    # ================================================================================ briefings — pages
    Row("briefings", "list the briefings (第7期 listed)", "GET", page("/briefings/"),
        "200+ 200+ 200+ 200+ 200+ 200+ 200+ 200+ 302", shows="第7期", needs=("briefing_doc",)),
    Row("briefings", "open a briefing", "GET", page("/briefings/{w.briefing.pk}/"),
        "200  200  200  200  200  200  200  200  302", needs=("briefing_doc",)),
    Row("briefings", "generate a briefing", "POST", page("/briefings/generate/"),
        "302+ 302+ 403- 403- 403- 403- 403- 403- 302-",
        data=lambda w: {"as_of": "2026-11-27"}, done=exists("briefings.Briefing", as_of=D(2026, 11, 27))),
    Row("briefings", "open hq's document on ZD-001", "GET", page("/documents/{w.doc.pk}/"),
        "200  200  200  200  200  200  200  404  302"),
    Row("briefings", "open the outsider's unlinked upload", "GET", page("/documents/{w.private_doc.pk}/"),
        "200  200  200  200  404  404  404  200  302"),
    Row("briefings", "download a briefing's file", "GET", page("/documents/{w.briefing_doc.pk}/file/"),
        "200  200  200  200  200  200  200  200  302"),
    Row("briefings", "retitle hq's document", "POST", page("/documents/{w.doc.pk}/edit/"),
        "302+ 302+ 403- 403- 302+ 403- 403- 404- 302-",
        data=lambda w: {"title": "北园方案（修订）", "description": ""},
        done=exists("briefings.Document", title="北园方案（修订）")),
    Row("briefings", "delete hq's document", "POST", page("/documents/{w.doc.pk}/delete/"),
        "302+ 302+ 403- 403- 302+ 403- 403- 404- 302-",
        done=lambda w: model("briefings.Document").objects.filter(pk=w.doc.pk, deleted_at__isnull=False).exists()),
    Row("briefings", "delete a briefing's file", "POST", page("/documents/{w.briefing_doc.pk}/delete/"),
        "302+ 302+ 403- 403- 403- 403- 403- 403- 302-",
        done=lambda w: model("briefings.Document").objects.filter(pk=w.briefing_doc.pk, deleted_at__isnull=False).exists()),
    Row("briefings", "share hq's document", "POST", page("/documents/{w.doc.pk}/share/"),
        "302+ 302+ 302+ 302+ 302+ 302+ 302+ 404- 302-",
        data=lambda w: {"days": "7", "note": ""}, done=exists("briefings.ShareLink")),
    Row("briefings", "revoke hq's share link", "POST", page("/documents/shares/{w.share.pk}/revoke/"),
        "302+ 302+ 403- 403- 302+ 403- 403- 404- 302-",
        done=lambda w: model("briefings.ShareLink").objects.filter(pk=w.share.pk, revoked_at__isnull=False).exists()),
    Row("briefings", "open hq's share link", "GET", page("/s/{w.share.token}/"),
        "200  200  200  200  200  200  200  200  200"),
    Row("briefings", "upload a file", "POST", page("/documents/upload/"),
        "302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302-",
        data=lambda w: {"file": png("现场照片.png"), "title": "现场照片", "description": ""},
        done=exists("briefings.Document", title="现场照片")),
    # ================================================================================ briefings — API
    Row("briefings", "API: read hq's document", "GET", api("/api/v1/documents/{w.doc.pk}/"),
        "200  200  200  200  200  200  200  404  401"),
    Row("briefings", "API: download the outsider's upload", "GET", api("/api/v1/documents/{w.private_doc.pk}/download/"),
        "200  200  200  200  404  404  404  200  401"),
    Row("briefings", "API: list the briefings", "GET", api("/api/v1/briefings/"),
        "200+ 200+ 200+ 200+ 200+ 200+ 200+ 200+ 401", shows='"number":7', needs=("briefing_doc",)),
    Row("briefings", "API: generate a briefing", "POST", api("/api/v1/briefings/"),
        "201+ 201+ 403- 403- 403- 403- 403- 403- 401-",
        data=lambda w: {"as_of": "2026-11-27"}, done=exists("briefings.Briefing", as_of=D(2026, 11, 27))),
    Row("briefings", "API: upload a file linked to ZD-001", "POST", api("/api/v1/documents/"),
        "201+ 201+ 201+ 201+ 201+ 201+ 201+ 400- 401-",
        data=lambda w: {"file": png("现场照片.png"), "title": "现场照片", "project": "ZD-001"},
        done=exists("briefings.Document", title="现场照片")),
]
# fmt: on
