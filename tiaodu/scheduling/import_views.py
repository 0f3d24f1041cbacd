"""Pages: importing a schedule file (choosing one project of several) and the report of each import.

A file that holds several projects is kept under var/schedule-uploads/ while the user chooses one: under a
random token, recorded in the user's session with the project it was uploaded to, for at most
UPLOAD_KEEP_MINUTES; it is deleted once imported, on any other outcome, and by every later visit of the
page once too old.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from tiaodu.orgs.security import security_event_log
from tiaodu.scheduling import selectors, services
from tiaodu.scheduling.forms import ImportForm, ProjectChoiceForm
from tiaodu.scheduling.import_report import COUNT_ORDER, finish_date, finish_text
from tiaodu.scheduling.importers import FORMATS, ScheduleFileError
from tiaodu.scheduling.models import ScheduleImport, Task
from tiaodu.scheduling.mpxj_open import ProjectChoiceNeeded
from tiaodu.scheduling.views import _base_context, _editable, _project

UPLOAD_KEEP_MINUTES = 30
SESSION_KEY = "schedule_uploads"


def upload_dir() -> Path:
    path = Path(django_settings.VAR_DIR) / "schedule-uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def clean_uploads(now: float | None = None) -> None:
    """Delete kept uploads older than UPLOAD_KEEP_MINUTES."""
    limit = (now or time.time()) - UPLOAD_KEEP_MINUTES * 60
    for path in upload_dir().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


def _keep(upload) -> tuple[str, Path]:
    token = secrets.token_urlsafe(24)
    suffix = Path(upload.name or "").suffix.lower()
    path = upload_dir() / f"{token}{suffix if suffix in FORMATS else ''}"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token, path


def _kept(request, project, token: str) -> dict | None:
    """The kept upload under `token` if this user uploaded it to this project and it is not too old."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry.get("project") != project.code or entry.get("user") != request.user.pk:
        return None
    if time.time() - entry.get("at", 0) > UPLOAD_KEEP_MINUTES * 60 or not Path(entry["path"]).is_file():
        return None
    return entry


def _forget(request, token: str) -> None:
    uploads = dict(request.session.get(SESSION_KEY, {}))
    entry = uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    if entry:
        try:
            os.unlink(entry["path"])
        except OSError:
            pass


def _run(request, project, *, token: str, path: Path, filename: str, choice: str | None):
    """Import; (record, errors, choices). The kept file stays only when a project must be chosen."""
    try:
        record = services.schedule_import_record(
            user=request.user, project=project, path=path, filename=filename, source="import", choice=choice
        )
    except ProjectChoiceNeeded as exc:  # the file stays kept while the user chooses
        return None, [], exc.choices
    except ScheduleFileError as exc:
        _forget(request, token)
        return None, exc.messages, None
    except ValidationError as exc:
        _forget(request, token)
        return None, exc.messages, None
    _forget(request, token)
    security_event_log(kind="import", request=request, target=f"{project.code} 工期计划「{filename}」")
    return record, [], None


def _remember(request, project, upload) -> tuple[str, dict]:
    """Keep an upload under a new token in the user's session."""
    token, path = _keep(upload)
    entry = {
        "project": project.code,
        "user": request.user.pk,
        "filename": upload.name,
        "path": str(path),
        "at": time.time(),
    }
    request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), token: entry}
    return token, entry


@login_required
def schedule_import(request, code):
    project = _editable(request, code)
    clean_uploads()
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    choice_form = None
    token = entry = None
    if request.method == "POST" and "token" in request.POST:
        form = ImportForm()
        token = request.POST.get("token", "")
        entry = _kept(request, project, token)
        if entry is None:
            errors = ["上传的文件已过期或不属于本项目，请重新上传"]
    elif request.method == "POST" and form.is_valid():
        token, entry = _remember(request, project, form.cleaned_data["file"])
    if entry is not None:
        choice = request.POST.get("choice") or None
        path, filename = Path(entry["path"]), entry["filename"]
        record, errors, choices = _run(
            request, project, token=token, path=path, filename=filename, choice=choice
        )
        if record is not None:
            return _done(request, project, record)
        if choices:
            choice_form = ProjectChoiceForm(initial={"token": token}, choices=choices)
    return render(
        request,
        "scheduling/schedule_import.html",
        {
            **_base_context(request, project, "import"),
            "form": form,
            "choice_form": choice_form,
            "errors": errors,
            "task_count": Task.objects.filter(project=project).count(),
            "imports": list(selectors.schedule_imports(project)[:10]),
        },
        status=400 if errors else 200,
    )


def _done(request, project, record: ScheduleImport):
    for notice in record.report.get("notices", []):
        messages.info(request, notice)
    if record.report.get("calendar_differs"):
        for note in record.report.get("calendar_notes", []):
            messages.warning(request, note)
    count = record.report.get("counts", {}).get("任务", 0)
    messages.success(request, f"已从「{record.file_name}」导入 {count} 项任务，替换了原有的工期计划")
    return redirect("schedule_import_report", code=project.code, pk=record.pk)


@login_required
def schedule_import_report(request, code, pk):
    project = _project(request, code)
    record = get_object_or_404(selectors.schedule_imports(project), pk=pk)
    report = record.report or {}
    counts = report.get("counts") or {}
    return render(
        request,
        "scheduling/import_report.html",
        {
            **_base_context(request, project, "import"),
            "record": record,
            "report": report,
            "counts": [(k, counts[k]) for k in COUNT_ORDER if k in counts],
            "file_finish": finish_text(report.get("file_finish")),
            "our_finish": finish_text(report.get("our_finish")),
            "finish_delta": _delta(report.get("file_finish"), report.get("our_finish")),
        },
    )


def _delta(file_finish: str | None, our_finish: str | None) -> int | None:
    """Calendar days our finish is after the file's (negative: before)."""
    a, b = finish_date(file_finish), finish_date(our_finish)
    return (b - a).days if a and b else None
