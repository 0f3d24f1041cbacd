"""Writes of weekly reports: draft, submit, verify, return, revise; the cycle and the reporting units.

Workflow: 草稿 → 已提交 (a user of a reporting unit) → 已审核 (the lead unit) or 退回 with a reason. A
submitted, verified or returned report is never changed: `report_revise` opens a new revision (a draft
copy) which, once submitted, replaces the earlier one in the figures; if that new revision is returned,
the earlier one counts again. Exactly one revision of a report counts at a time.

The checks of the input (tiaodu/progress/checks.py) are the same for the web form, the API and the 周报
import.

The first report with any progress moves a 未开工 project to 在建 (see `_mark_started`). Submitting,
verifying and returning keep the stored overview current (overview.after_reports_changed). Submitting
computes the report's anomaly flags (数据异常, tiaodu/progress/anomalies.py) into Report.flags.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tiaodu.core.actors import stored_user
from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.errors import NotAllowed
from tiaodu.orgs.models import Unit
from tiaodu.progress import anomalies, overview, selectors, signals
from tiaodu.progress.checks import (  # noqa: F401 — the names callers know as services.*
    Checked,
    ReportInput,
    check,
    check_text,
    cn_date,
    image_progress_check,
    parse_number,
    quantity_key,
    raise_errors,
    reason_key,
    report_refusal,
)
from tiaodu.progress.models import (
    Report,
    ReportFigure,
    ReportPhoto,
    ReportStatus,
)
from tiaodu.progress.permissions import (
    report_can_edit,
    report_can_revise,
    report_can_submit,
    report_can_verify,
    report_verify_refusal,
)
from tiaodu.progress.photohash import hash_fields
from tiaodu.progress.photos import photo_read
from tiaodu.projects.models import Project, ProjectStatus
from tiaodu.projects.permissions import project_can_edit
from tiaodu.projects.services import project_update

MAX_PHOTOS = 20


# --- drafts ---------------------------------------------------------------------------------------


def _write_figures(report: Report, checked: Checked) -> None:
    existing = {f.indicator_id: f for f in report.figures.all()}
    keep = set(checked.quantities)
    ReportFigure.objects.filter(report=report).exclude(indicator_id__in=keep).delete()
    for ind_id, value in checked.quantities.items():
        figure = existing.get(ind_id) or ReportFigure(report=report, indicator_id=ind_id)
        figure.quantity = value
        figure.decrease_reason = checked.reasons.get(ind_id, "")
        figure.decreased = ind_id in checked.decreased
        figure.above_target = ind_id in checked.above
        figure.as_of = report.as_of
        figure.counted = report.counted
        figure.submitted_at = report.submitted_at
        figure.save()


def _add_photos(report: Report, photos: Iterable, user) -> None:
    photos = list(photos or [])
    if not photos:
        return
    if report.photos.count() + len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"每份周报最多{MAX_PHOTOS}张照片"})
    read = [photo_read(p) for p in photos]  # every photo is checked before any is stored
    for data in read:
        photo_store(report, data, uploaded_by=stored_user(user))


def photo_store(report: Report, data, *, uploaded_by) -> ReportPhoto:
    """Store one photo already read and checked (progress.photos.photo_read) on the report."""
    photo = ReportPhoto(
        report=report,
        original_name=data.original_name,
        content_type=data.content_type,
        size=len(data.content),
        width=data.width,
        height=data.height,
        taken_at=data.taken_at,
        latitude=data.latitude,
        longitude=data.longitude,
        uploaded_by=uploaded_by,
        **hash_fields(data.phash),
    )
    photo.image.save("photo", ContentFile(data.content), save=False)
    photo.save()
    return photo


@transaction.atomic
def report_save_draft(
    *,
    user,
    project: Project,
    data: ReportInput,
    report: Report | None = None,
    photos: Iterable = (),
    source: str = "web",
    unit: Unit | None = None,
) -> Report:
    """Create a draft (report=None) or change a draft. Figures are checked; a decrease needs its reason
    only on submission. Returns the report with `warnings` (list of str). `unit`: the reporting unit of a
    new report (default: the user's own, the lead unit for the office; see `reporting_unit_for`)."""
    if report is None:
        if not report_can_submit(user=user, obj=project):
            raise NotAllowed("您的单位不是该项目的填报单位，不能填报周报")
    elif not report_can_edit(user=user, obj=report):
        if report.status != ReportStatus.DRAFT:
            raise ValidationError("已提交的周报不能直接修改，请生成新版本后修改")
        raise NotAllowed("您无权修改该周报")
    check_text(data)
    indicators = list(project.indicators.all())
    unit = (
        reporting_unit_for(user=user, project=project, unit=unit) if report is None else report.reporting_unit
    )
    checked = check(
        project=project,
        indicators=indicators,
        data=data,
        exclude=report.pk if report else None,
        final=False,
        unit=unit,
    )
    raise_errors(checked.errors)
    if report is None:
        other = selectors.existing_thread(project=project, as_of=checked.as_of, unit=unit)
        if other is not None:
            raise ValidationError(
                {
                    "as_of": f"{unit.name}截至{cn_date(checked.as_of)}的周报已存在（{other.get_status_display()}），"
                    "请在原周报上修改"
                }
            )
        report = Report(project=project, reporting_unit=unit, created_by=stored_user(user), source=source)
    elif checked.as_of != report.as_of:
        other = selectors.existing_thread(project=project, as_of=checked.as_of, unit=report.reporting_unit)
        if other is not None and other.thread != report.thread:
            raise ValidationError(
                {
                    "as_of": f"{report.reporting_unit.name}截至{cn_date(checked.as_of)}的周报已存在，请在原周报上修改"
                }
            )
        if report.revision > 1:
            raise ValidationError({"as_of": "修订版本不能更改截至日期"})
    report.as_of = checked.as_of
    report.investment_done = checked.investment
    report.image_progress = (data.image_progress or "").strip()
    report.problems = (data.problems or "").strip()
    report.full_clean()
    report.save()
    _write_figures(report, checked)
    _add_photos(report, photos, user)
    report.warnings = checked.warnings
    return report


def reporting_unit_for(*, user, project: Project, unit: Unit | None) -> Unit:
    """The unit a new report of `user` is for: `unit` when given — one of the project's reporting units, and
    the user's own unless the user is the office / an administrator — else selectors.acting_unit."""
    if unit is None:
        return selectors.acting_unit(user=user, project=project)
    if all(u.pk != unit.pk for u in selectors.reporting_units(project)):
        raise ValidationError({"unit": f"「{unit.name}」不是项目「{project.name}」的填报单位"})
    if not user.manages_all and (user.unit is None or user.unit.pk != unit.pk):
        own = user.unit.name if user.unit is not None else "无"
        raise NotAllowed(f"只能为本单位（{own}）填报周报，不能为「{unit.name}」填报")
    return unit


@transaction.atomic
def report_add_photos(*, user, report: Report, photos: Iterable) -> Report:
    """Add site photos to a draft (each one checked and re-encoded; EXIF time and position kept)."""
    report = _locked(report)
    if not report_can_edit(user=user, obj=report):
        if report.status != ReportStatus.DRAFT:
            raise ValidationError({"photo": "已提交的周报不能添加照片，请生成新版本后添加"})
        raise NotAllowed("只能向本单位的草稿添加照片")
    _add_photos(report, photos, user)
    return report


def _mark_started(*, user, project: Project, report: Report) -> None:
    """未开工 → 在建 on the first report with progress, in the project's change log (source "report").

    Through projects.services.project_update when the submitting user may edit the project (reporting
    units are the lead and territorial units, who may); otherwise (an import without a user) through
    `project_status_set_by_system`, which writes the same change record with the actor 系统.
    """

    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.NOT_STARTED:
        return
    if stored_user(user) is not None and project_can_edit(user=user, obj=project):
        try:
            with transaction.atomic():
                project_update(
                    user=user,
                    project=project,
                    data={"status": ProjectStatus.UNDER_CONSTRUCTION},
                    source="report",
                )
            return
        except ValidationError:
            # Another field of the project fails its checks (old data): the report must not fail for it.
            project.refresh_from_db()
    project_status_set_by_system(project=project, status=ProjectStatus.UNDER_CONSTRUCTION, user=user)


def project_status_set_by_system(
    *, project: Project, status: str, user=None, source: str = "report"
) -> Project:
    """Write a project's status as a consequence of a report (no permission check: the caller decided)."""
    before = snapshot(project, Project.TRACKED_FIELDS)
    project.status = status
    project.save(update_fields=["status", "updated_at"])
    record_change(
        obj=project, before=before, after=snapshot(project, Project.TRACKED_FIELDS), user=user, source=source
    )
    return project


def _set_counted(report: Report, counted: bool, now) -> None:
    report.counted = counted
    ReportFigure.objects.filter(report=report).update(
        counted=counted, as_of=report.as_of, submitted_at=report.submitted_at
    )


def _deadline_passed(report: Report, when) -> bool:
    cycle = selectors.reporting_cycle()
    day = cycle.deadline_for(report.as_of)
    deadline = timezone.make_aware(
        datetime.datetime.combine(day, cycle.deadline_time), timezone.get_current_timezone()
    )
    return when > deadline


@transaction.atomic
def report_submit(*, user, report: Report, source: str = "web") -> Report:
    """草稿 → 已提交. Runs every check again (a decrease now needs its reason)."""
    report = (
        Report.objects.select_for_update()
        .select_related("project__lead_unit", "reporting_unit")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(f"该周报{report.get_status_display()}，不能再次提交")
    if not report_can_edit(user=user, obj=report):
        raise NotAllowed("您无权提交该周报")
    project = report.project
    figures = {f.indicator_id: (f.quantity, f.decrease_reason) for f in report.figures.all()}
    data = ReportInput(
        as_of=report.as_of,
        figures=figures,
        investment_done=report.investment_done,
        image_progress=report.image_progress,
        problems=report.problems,
    )
    checked = check(
        project=project,
        indicators=list(project.indicators.all()),
        data=data,
        exclude=report.pk,
        final=True,
        unit=report.reporting_unit,
    )
    raise_errors(checked.errors)
    now = timezone.now()
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = stored_user(user)
    report.submitted_at = now
    report.late = _deadline_passed(report, now)
    report.return_reason = ""
    previous = report.previous
    if previous is not None and previous.counted:
        previous.superseded = True
        _set_counted(previous, False, now)
        previous.save(update_fields=["superseded", "counted", "updated_at"])
    _set_counted(report, True, now)
    report.save()
    _write_figures(report, checked)
    # 数据异常: computed and stored, never blocking (verifying a flagged report then needs a note).
    report.flags = anomalies.report_flags(report)
    report.save(update_fields=["flags"])
    if project.status == ProjectStatus.NOT_STARTED and (
        any(v > 0 for v in checked.quantities.values()) or (checked.investment or 0) > 0
    ):
        _mark_started(user=user, project=project, report=report)
    report.warnings = checked.warnings
    overview.after_reports_changed()
    return report


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("project__lead_unit", "reporting_unit")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_verify(*, user, report: Report, note: str = "", source: str = "web") -> Report:
    """已提交 → 已审核, by someone else than who submitted it (permissions.report_can_verify). A report with anomaly flags (数据异常) needs a
    note (审核意见) saying why its figures are accepted."""
    report = _locked(report)
    if not report_can_verify(user=user, obj=report):
        raise NotAllowed(report_verify_refusal(user=user, report=report))
    if report.status != ReportStatus.SUBMITTED or not report.counted:
        raise ValidationError(f"该周报{report.get_status_display()}，不能审核")
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": "审核意见不能超过2000字"})
    if report.flags and not note:
        raise ValidationError(
            {"note": f"该周报有{len(report.flags)}项数据异常，请填写审核意见（核实情况）后再审核通过"}
        )
    report.verify_note = note
    report.status = ReportStatus.VERIFIED
    report.verified_by = stored_user(user)
    report.verified_at = timezone.now()
    report.save()
    overview.after_reports_changed()
    signals.report_reviewed.send(sender=Report, report=report, action=signals.VERIFIED, user=user)
    return report


@transaction.atomic
def report_return(*, user, report: Report, reason: str, source: str = "web") -> Report:
    """已提交 → 退回 with a reason; its figures stop counting and the revision it replaced counts again."""
    report = _locked(report)
    if not report_can_verify(user=user, obj=report):
        raise NotAllowed(report_verify_refusal(user=user, report=report, verb="退回"))
    if report.status != ReportStatus.SUBMITTED or not report.counted:
        raise ValidationError(f"该周报{report.get_status_display()}，不能退回")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因"})
    if len(reason) > 2000:
        raise ValidationError({"reason": "退回原因不能超过2000字"})
    now = timezone.now()
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.returned_by = stored_user(user)
    report.returned_at = now
    _set_counted(report, False, now)
    report.save()
    previous = report.previous
    if (
        previous is not None
        and previous.superseded
        and previous.status in (ReportStatus.SUBMITTED, ReportStatus.VERIFIED)
    ):
        previous.superseded = False
        _set_counted(previous, True, now)
        previous.save(update_fields=["superseded", "counted", "updated_at"])
    overview.after_reports_changed()
    signals.report_reviewed.send(sender=Report, report=report, action=signals.RETURNED, user=user)
    return report


@transaction.atomic
def report_revise(*, user, report: Report, source: str = "web") -> Report:
    """A new revision (a draft copy) of a submitted, verified or returned report; the open draft if one exists."""
    report = _locked(report)
    if report.status == ReportStatus.DRAFT:
        return report
    if not report_can_submit(user=user, obj=report.project):
        raise NotAllowed("您的单位不是该项目的填报单位，不能修改周报")
    if not report_can_revise(user=user, obj=report):
        raise NotAllowed(f"该周报由{report.reporting_unit.name}填报，只有该单位可以修改")
    refusal = report_refusal(report.project)
    if refusal:
        raise ValidationError(refusal)
    latest = Report.objects.filter(thread=report.thread).order_by("-revision").first()
    if latest.pk != report.pk:
        if latest.status == ReportStatus.DRAFT:
            return latest
        raise ValidationError(f"该周报已有更新的第{latest.revision}版，请在最新版本上修改")
    new = Report(
        project=report.project,
        as_of=report.as_of,
        reporting_unit=report.reporting_unit,
        investment_done=report.investment_done,
        image_progress=report.image_progress,
        problems=report.problems,
        thread=report.thread,
        revision=report.revision + 1,
        previous=report,
        created_by=stored_user(user),
        source=source,
    )
    new.full_clean()
    new.save()
    for f in report.figures.all():
        ReportFigure.objects.create(
            report=new,
            indicator_id=f.indicator_id,
            quantity=f.quantity,
            decrease_reason=f.decrease_reason,
            decreased=f.decreased,
            above_target=f.above_target,
            as_of=new.as_of,
            counted=False,
        )
    for p in report.photos.all():
        ReportPhoto.objects.create(
            report=new,
            image=p.image.name,
            original_name=p.original_name,
            content_type=p.content_type,
            size=p.size,
            width=p.width,
            height=p.height,
            taken_at=p.taken_at,
            latitude=p.latitude,
            longitude=p.longitude,
            uploaded_by=p.uploaded_by,
            **{name: getattr(p, name) for name in ReportPhoto.HASH_FIELDS},
        )
    return new


@transaction.atomic
def report_discard(*, user, report: Report) -> None:
    """Delete a draft (nothing submitted is ever deleted)."""
    report = _locked(report)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("只能删除草稿")
    if not report_can_edit(user=user, obj=report):
        raise NotAllowed("您无权删除该草稿")
    report.photos.all().delete()  # the files stay under MEDIA_ROOT (a revision may share them)
    report.figures.all().delete()
    report.delete()


@transaction.atomic
def photo_remove(*, user, photo: ReportPhoto) -> None:
    if not report_can_edit(user=user, obj=photo.report):
        raise NotAllowed("只能从自己单位的草稿中删除照片")
    photo.delete()
