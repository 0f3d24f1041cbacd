"""Ledger pages: upload → preview (planned changes or errors) → confirm. The download (it adds the
scheduling sheet 进度计划) is tiaodu/scheduling/ledger_views.py."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiaodu.core.errors import NotAllowed
from tiaodu.core.uploads import MB, check_upload_size, upload_limit
from tiaodu.orgs.security import security_event_log
from tiaodu.projects.ledger import HEADERS, KIND_LABELS, check_xlsx, extensions, ledger_import
from tiaodu.projects.models import LedgerImport
from tiaodu.projects.permissions import ledger_can_import

UPLOAD_DENIED = "只有领导小组办公室或系统管理员可以导入台账"


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label="台账文件（.xlsx）",
        error_messages={"required": "请选择要导入的台账文件", "empty": "上传的文件是空的"},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload_size(upload.size, setting="LEDGER_MAX_BYTES")
        problem = check_xlsx(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload


def _render_home(request, form, status=200):
    recent = []
    can_import = ledger_can_import(user=request.user)
    if can_import:
        recent = LedgerImport.objects.filter(user=request.user)[:10]
    return render(
        request,
        "projects/ledger_home.html",
        {
            "form": form,
            "can_import": can_import,
            "recent": recent,
            "headers": {**HEADERS, **extensions.headers()},
            "max_mb": upload_limit("LEDGER_MAX_BYTES") // MB,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger_home(request):
    if request.method == "GET":
        return _render_home(request, LedgerUploadForm() if ledger_can_import(user=request.user) else None)
    if not ledger_can_import(user=request.user):
        raise NotAllowed(UPLOAD_DENIED)
    form = LedgerUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_home(request, form, status=400)
    upload = form.cleaned_data["file"]
    record = LedgerImport(original_name=upload.name[:200], user=request.user)
    record.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    with record.file.open("rb") as fh:
        result = ledger_import(user=request.user, path_or_file=fh, dry_run=True)
    record.state = LedgerImport.State.PENDING if result.ok else LedgerImport.State.FAILED
    record.summary = result.as_json()
    record.save()
    return redirect("ledger-import", pk=record.pk)


def _own_import(request, pk) -> LedgerImport:
    if not ledger_can_import(user=request.user):
        raise NotAllowed(UPLOAD_DENIED)
    return get_object_or_404(LedgerImport, pk=pk, user=request.user)


@login_required
@require_GET
def ledger_import_detail(request, pk):
    record = _own_import(request, pk)
    summary = record.summary or {}
    changes = [
        {
            "kind": kind,
            "label": KIND_LABELS[kind],
            "items": items,
            "total": summary.get("counts", {}).get(_COUNT_KEYS[kind][0], 0)
            + summary.get("counts", {}).get(_COUNT_KEYS[kind][1], 0),
        }
        for kind, items in (summary.get("changes") or {}).items()
        if items
    ]
    return render(
        request,
        "projects/ledger_import.html",
        {
            "record": record,
            "summary": summary,
            "changes": changes,
            "counts": _count_rows(summary.get("counts") or {}),
            "hidden_errors": max(0, summary.get("error_count", 0) - len(summary.get("errors") or [])),
            "note": next(
                (line for line in summary.get("lines") or [] if line.startswith("台账与系统中的数据一致")), ""
            ),
        },
    )


_COUNT_KEYS = {
    "unit": ("units_created", "units_updated"),
    "person": ("people_created", "people_updated"),
    "project": ("projects_created", "projects_updated"),
    "indicator": ("indicators_created", "indicators_updated"),
}


def _count_rows(counts: dict) -> list[dict]:
    return [
        {
            "label": "单位",
            "created": counts.get("units_created", 0),
            "updated": counts.get("units_updated", 0),
            "unchanged": counts.get("units_unchanged", 0),
        },
        {"label": "人员", "created": counts.get("people_created", 0), "updated": None, "unchanged": None},
        {
            "label": "项目",
            "created": counts.get("projects_created", 0),
            "updated": counts.get("projects_updated", 0),
            "unchanged": counts.get("projects_unchanged", 0),
        },
        {
            "label": "目标指标",
            "created": counts.get("indicators_created", 0),
            "updated": counts.get("indicators_updated", 0),
            "unchanged": counts.get("indicators_unchanged", 0),
        },
        {
            "label": "属地分解",
            "created": counts.get("shares_created", 0),
            "updated": counts.get("shares_updated", 0) + counts.get("shares_deleted", 0),
            "unchanged": None,
        },
    ]


@login_required
@require_POST
def ledger_import_confirm(request, pk):
    if not ledger_can_import(user=request.user):
        raise NotAllowed(UPLOAD_DENIED)
    with transaction.atomic():
        record = LedgerImport.objects.select_for_update().filter(pk=pk, user=request.user).first()
        if record is None:
            raise Http404
        if record.state != LedgerImport.State.PENDING:
            messages.error(request, f"该台账导入已处理（{record.get_state_display()}），不能再次确认")
            return redirect("ledger-import", pk=record.pk)
        try:
            with record.file.open("rb") as fh:
                result = ledger_import(user=request.user, path_or_file=fh, dry_run=False)
        except FileNotFoundError:
            record.state = LedgerImport.State.FAILED
            record.save(update_fields=["state"])
            messages.error(request, "上传的台账文件已不在服务器上，请重新上传")
            return redirect("ledger")
        record.state = LedgerImport.State.DONE if result.ok else LedgerImport.State.FAILED
        record.summary = result.as_json()
        record.save(update_fields=["state", "summary"])
    security_event_log(
        kind="import",
        request=request,
        target=f"台账「{record.original_name}」",
        detail=record.get_state_display(),
    )
    if result.ok:
        messages.success(request, "台账已导入")
    else:
        messages.error(
            request, f"导入前复查发现 {len(result.errors)} 处错误（数据可能已被他人修改），未导入任何数据"
        )
    return redirect("ledger-import", pk=record.pk)
