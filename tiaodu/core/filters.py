"""Filter fields shared by the apps' FilterSets (one FilterSet serves a list page and its API)."""

import django_filters
from django import forms

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
