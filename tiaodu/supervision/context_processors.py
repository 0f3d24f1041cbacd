"""Context for the header: the number of unread notifications (supervision/_inbox_badge.html shows it)."""

from tiaodu.supervision.selectors import inbox_unread_count


def inbox_unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": inbox_unread_count(user=user)}
