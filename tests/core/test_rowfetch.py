"""core.rowfetch.values_rows gives the rows iterating the queryset gives: the same values of the same types
(dates, decimals quantized or not, None, annotations, joins), on either database."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery

from tests.district_generator import random_district
from tiaodu.core.rowfetch import values_rows
from tiaodu.progress.models import Report, ReportFigure
from tiaodu.projects.models import Indicator, Project

pytestmark = pytest.mark.django_db


def _typed(rows):
    return [tuple((type(v), repr(v)) for v in row) for row in rows]


def test_it_gives_the_querysets_rows():
    random_district(seed=4, today=datetime.date(2026, 11, 27))
    Indicator.objects.filter(pk=Indicator.objects.order_by("id").first().pk).update(target=Decimal("0.125"))
    last = Report.objects.filter(project=OuterRef("pk")).order_by("-as_of").values("as_of")[:1]
    figure = ReportFigure.objects.filter(indicator=OuterRef("pk")).order_by("-as_of", "-id")
    querysets = [
        Project.objects.annotate(last=Subquery(last))
        .order_by("code")
        .values_list(
            "id", "code", "planned_start", "planned_finish", "deadline", "last", "schedule_settings__mode"
        ),
        Indicator.objects.annotate(
            actual=Subquery(figure.values("quantity")[:1]),
            doubled=ExpressionWrapper(
                F("target") * 2, output_field=DecimalField(max_digits=20, decimal_places=3)
            ),
        )
        .order_by("id")
        .values_list("id", "name", "target", "actual", "doubled"),
        ReportFigure.objects.order_by("id").values_list("id", "quantity", "as_of", "submitted_at", "counted"),
        Project.objects.filter(pk=-1).values_list("id", "planned_start"),
        Project.objects.none().values_list("id"),
    ]
    for qs in querysets:
        expected = list(qs.all())
        assert _typed(values_rows(qs.all())) == _typed(expected)
    assert any(row[5] is not None for row in values_rows(querysets[0]))
