from django.core.exceptions import PermissionDenied


class NotAllowed(PermissionDenied):
    """The user may not do this; the message is shown to the user (Chinese)."""
