"""The button 「生成会议纪要」 (on the meeting page and at the end of the meeting's walk-through)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tiaodu.briefings.minutes import minutes_generate
from tiaodu.supervision.models import Meeting
from tiaodu.supervision.permissions import MEETING_DENIED, meeting_can_manage


@login_required
@require_POST
def minutes_generate_view(request, pk):
    meeting = Meeting.objects.restrict(request.user, "view").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if not meeting_can_manage(user=request.user, obj=meeting):
        raise PermissionDenied(MEETING_DENIED)
    result = minutes_generate(user=request.user, meeting=meeting)
    told = f"，已通知{len(result.units)}个责任单位" if result.units else ""
    version = f"（第{result.minutes.revision}版）" if result.minutes.revision > 1 else ""
    messages.success(request, f"已生成{result.minutes}{version}，共{result.pdf.page_count}页{told}")
    return redirect("document_detail", pk=result.pdf.pk)
