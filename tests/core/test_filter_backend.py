"""The API's filter backend leaves out the FilterSet for a request without query parameters: for every
viewset, every user of the district, that is the queryset django-filter's own backend would give."""

import pytest
from django.urls import URLResolver, get_resolver
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from tiaodu.core.filters import FilterBackend


def _api_viewsets():
    found = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif route.startswith("api/") and hasattr(pattern.callback, "cls"):
                found.setdefault(pattern.callback.cls, route)

    walk(get_resolver().url_patterns)
    return found


def _view(cls, user):
    request = APIRequestFactory().get("/api/v1/x/")
    force_authenticate(request, user=user)
    view = cls()
    view.action_map = {"get": "list"}
    view.request = view.initialize_request(request)
    view.action = "list"
    view.kwargs = {}
    view.args = ()
    view.format_kwarg = None
    return view


def test_the_api_uses_the_backend():
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_FILTER_BACKENDS == [FilterBackend]


@pytest.mark.django_db
def test_no_query_parameters_filter_nothing_for_any_viewset_and_user(district):
    checked = set()
    for cls in _api_viewsets():
        if FilterBackend not in getattr(cls, "filter_backends", ()):
            continue
        for user in district.users.values():
            view = _view(cls, user)
            queryset = view.get_queryset()
            request = view.request
            assert isinstance(request, Request) and not request.query_params
            filterset = DjangoFilterBackend().get_filterset(request, queryset, view)
            if filterset is None:
                continue
            assert filterset.is_valid(), (cls.__name__, filterset.errors)
            assert str(filterset.qs.query) == str(queryset.query), cls.__name__
            assert FilterBackend().filter_queryset(request, queryset, view) is queryset
            checked.add(cls.__name__)
    # Every viewset with a FilterSet of its own or filterset_fields was compared.
    assert {
        "ProjectViewSet",
        "IndicatorViewSet",
        "LetterViewSet",
        "LetterItemViewSet",
        "ProjectChangeViewSet",
        "SupervisionItemViewSet",
        "ProblemViewSet",
        "NotificationViewSet",
        "ReportViewSet",
        "UnitViewSet",
        "PersonViewSet",
    } <= checked, checked


@pytest.mark.django_db
def test_query_parameters_still_go_through_the_filterset(api):
    client = api("admin")
    assert [p["code"] for p in client.get("/api/v1/projects/?q=ZD-002").json()["results"]] == ["ZD-002"]
    response = client.get("/api/v1/projects/?category=abc")
    assert response.status_code == 400
    assert client.get("/api/v1/projects/ZD-001/?q=ZD-002").status_code == 404
