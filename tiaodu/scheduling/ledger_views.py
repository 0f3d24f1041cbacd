"""The ledger download (下载台账): the projects' sheets and the 进度计划 sheet of what the user may see.

It lives here, above projects, because the workbook combines both apps' sheets; the upload pages stay
in tiaodu/projects/ledger_views.py.
"""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tiaodu.orgs.security import security_event_log
from tiaodu.scheduling.ledger_sheet import full_ledger_export


@login_required
@require_GET
def ledger_export_view(request):
    buffer = io.BytesIO()
    full_ledger_export(user=request.user, path_or_file=buffer)
    security_event_log(kind="export", request=request, target="项目台账")
    buffer.seek(0)
    name = f"台账_{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
