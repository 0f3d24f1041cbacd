from django.core.exceptions import ValidationError

from tiaodu.core.forms import apply_service_errors


def call_service(form, fn, *args, **kwargs):
    """Run a service; on ValidationError put its messages on the form and return None."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None


def id_param(text) -> int | None:
    """A database id typed into a query string: plain ASCII digits that fit a 64-bit integer, else None."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value < 2**63 else None


def files(request, name="photos"):
    return request.FILES.getlist(name)
