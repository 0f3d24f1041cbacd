"""Filter fields shared by the apps' FilterSets (one FilterSet serves a list page and its API)."""

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend

from tiaodu.core.params import ID_MAX


class IdFilter(django_filters.NumberFilter):
    """A row's id typed into the query string: a positive integer that fits a 64-bit signed integer.
    Anything else is a form error (the API answers 400, a list page leaves the filter out), never a
    query that overflows the database's integer."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0) in the query string; empty is no filter; anything else is a form error
    (Django's NullBooleanField would read "-660" as "unknown" and leave the filter out silently)."""

    def to_python(self, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if value is True or value is False:
            return value
        text = str(value).strip().lower()
        if text in {"true", "1"}:
            return True
        if text in {"false", "0"}:
            return False
        raise forms.ValidationError("须为 true 或 false", code="invalid")

    def validate(self, value):
        pass


class BoolFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses values that are neither (the API answers 400)."""

    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)  # django-filter's BooleanWidget reads junk as "unknown"
        super().__init__(*args, **kwargs)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend for the API (settings.REST_FRAMEWORK), without building the FilterSet and
    its form for a request with no query parameters: every FilterSet of the API leaves the queryset as it
    is then (none has a required filter or a default value; tests/core/test_filter_backend.py checks each
    of them), and most requests — every write, every detail — have none."""

    def filter_queryset(self, request, queryset, view):
        if not request.query_params:
            return queryset
        return super().filter_queryset(request, queryset, view)
