"""The security audit log page (/security/audit/) and its export: for auditors (and administrators unless
SEPARATION_OF_DUTIES). Read only: there is no form that changes an event, here or anywhere."""

from __future__ import annotations

import datetime
import io
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tiaodu.orgs.models import SecurityEvent, SecurityEventKind
from tiaodu.orgs.permissions import security_audit_can_view
from tiaodu.orgs.security.events import security_event_log
from tiaodu.orgs.security.export import EXPORT_MAX_ROWS, events_workbook

PAGE_SIZE = 50
DENIED = "只有安全审计员（及未实行三员分立时的系统管理员）可以查看安全审计日志"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *SecurityEventKind.choices]
    )
    user = forms.CharField(label="用户名", required=False, max_length=150)
    start = forms.DateField(
        label="起始日期", required=False, error_messages={"invalid": "起始日期格式应为 2026-01-31"}
    )
    end = forms.DateField(
        label="截止日期", required=False, error_messages={"invalid": "截止日期格式应为 2026-01-31"}
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "截止日期不能早于起始日期")
        return data

    def apply(self, events):
        data = self.cleaned_data
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("user"):
            events = events.filter(username__icontains=data["user"].strip())
        zone = timezone.get_current_timezone()
        if data.get("start"):
            events = events.filter(at__gte=datetime.datetime.combine(data["start"], datetime.time.min, zone))
        if data.get("end"):
            day_after = data["end"] + datetime.timedelta(days=1)
            events = events.filter(at__lt=datetime.datetime.combine(day_after, datetime.time.min, zone))
        return events

    def describe(self) -> str:
        data = self.cleaned_data
        parts = []
        if data.get("kind"):
            parts.append(f"类型={SecurityEventKind(data['kind']).label}")
        if data.get("user"):
            parts.append(f"用户名含「{data['user']}」")
        if data.get("start"):
            parts.append(f"自{data['start']:%Y-%m-%d}")
        if data.get("end"):
            parts.append(f"至{data['end']:%Y-%m-%d}")
        return "，".join(parts) or "全部"


def _filtered(request) -> tuple[AuditFilterForm, object]:
    if not security_audit_can_view(user=request.user):
        raise PermissionDenied(DENIED)
    form = AuditFilterForm(request.GET or None)
    events = SecurityEvent.objects.all()
    if form.is_bound and form.is_valid():
        events = form.apply(events)
    elif form.is_bound:
        events = events.none()
    return form, events


@login_required
@require_GET
def audit_log(request):
    form, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/security_audit.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(form.is_bound and any(request.GET.get(k) for k in form.fields)),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_GET
def audit_log_export(request):
    form, events = _filtered(request)
    if form.is_bound and not form.is_valid():
        return render(request, "orgs/security_audit.html", {"form": form, "page": None}, status=400)
    filters = form.describe() if form.is_bound else "全部"
    buffer = io.BytesIO()
    count = events_workbook(events, buffer)
    security_event_log(
        kind=SecurityEventKind.EXPORT,
        request=request,
        target="安全审计日志",
        detail=f"筛选：{filters}；导出 {count} 条"
        + (f"（仅最近 {EXPORT_MAX_ROWS} 条）" if count >= EXPORT_MAX_ROWS else ""),
    )
    name = f"安全审计日志_{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response
