from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tiaodu.supervision import selectors, services
from tiaodu.supervision.models import Notification


@login_required
def inbox(request):
    qs = selectors.inbox(user=request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        qs = qs.filter(unread=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/inbox.html",
        {
            "page": page,
            "only_unread": only_unread,
            "unread": selectors.inbox_unread_count(user=request.user),
        },
    )


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to what it is about."""
    note = get_object_or_404(Notification.objects.restrict(request.user, "change"), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[note.pk])
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("supervision:inbox")


@login_required
@require_POST
def read_all(request):
    services.notifications_mark_read(user=request.user)
    return redirect("supervision:inbox")
