"""Helpers every page form uses."""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names (or above the form)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, errors in exc.error_dict.items():
        messages = [m for e in errors for m in e.messages]
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            continue
        label = ""
        if model is not None and name != "__all__":
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = ""
        for message in messages:
            form.add_error(None, f"{label}：{message}" if label else message)
