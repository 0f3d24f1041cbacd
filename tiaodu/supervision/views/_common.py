from django.core.exceptions import ValidationError

from tiaodu.core.forms import apply_service_errors


def call_service(form, fn, *args, **kwargs):
    """Run a service; on ValidationError put its messages on the form and return None."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None


def files(request, name="photos"):
    return request.FILES.getlist(name)
