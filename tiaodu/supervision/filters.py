"""One FilterSet for the supervision register page and the API (and one for problems)."""

import django_filters
from django.db.models import Q

from tiaodu.core.filters import BoolFilter, IdFilter
from tiaodu.orgs.models import Unit
from tiaodu.supervision import selectors
from tiaodu.supervision.models import (
    Level,
    Notification,
    Problem,
    ProblemType,
    Source,
    SupervisionItem,
    WarningLevel,
)

AWAITING_CHOICES = [("feedback", "待本单位反馈"), ("confirmation", "待督查室确认办结")]
AWAITING_SELECTORS = {
    "feedback": selectors.items_awaiting_feedback,
    "confirmation": selectors.items_awaiting_confirmation,
}
RUNG_CHOICES = [("mine", "本人所在层级")]


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="事项名称", method="filter_q")
    unit = django_filters.ModelChoiceFilter(
        label="承办单位", queryset=Unit.objects.all(), field_name="assignee_units", empty_label="全部承办单位"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=SupervisionItem.Status.choices, method="filter_status", empty_label="全部状态"
    )
    warning = django_filters.ChoiceFilter(
        label="预警", choices=WarningLevel.choices, field_name="warning_now", empty_label="全部预警"
    )
    source = django_filters.ChoiceFilter(label="来源", choices=Source.choices, empty_label="全部来源")
    project = django_filters.CharFilter(label="项目编号", field_name="project__code")
    meeting = IdFilter(label="调度会", field_name="meeting_id")
    awaiting = django_filters.ChoiceFilter(
        label="待办", choices=AWAITING_CHOICES, method="filter_awaiting", empty_label="全部"
    )

    class Meta:
        model = SupervisionItem
        fields = ["q", "unit", "status", "warning", "source", "project", "meeting", "awaiting"]

    def filter_awaiting(self, queryset, name, value):
        """feedback: 办理中 items of the user's unit; confirmation: items the 督查室 is to confirm."""
        selector = AWAITING_SELECTORS.get(value)
        if selector is None or self.request is None:
            return queryset
        return queryset.filter(pk__in=selector(user=self.request.user).values("pk"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(content__icontains=value)) if value else queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value else queryset


class ProblemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="摘要", method="filter_q")
    unit = django_filters.ModelChoiceFilter(
        label="责任单位", queryset=Unit.objects.all(), field_name="owner_unit", empty_label="全部责任单位"
    )
    type = django_filters.ChoiceFilter(label="类型", choices=ProblemType.choices, empty_label="全部类型")
    level = django_filters.ChoiceFilter(label="层级", choices=Level.choices, empty_label="全部层级")
    status = django_filters.ChoiceFilter(label="状态", choices=Problem.Status.choices, empty_label="全部状态")
    project = django_filters.CharFilter(label="项目编号", field_name="project__code")
    rung = django_filters.ChoiceFilter(
        label="层级", choices=RUNG_CHOICES, method="filter_rung", empty_label="全部"
    )

    class Meta:
        model = Problem
        fields = ["q", "unit", "type", "level", "status", "project", "rung"]

    def filter_rung(self, queryset, name, value):
        """mine: the open problems at the user's rung of the ladder (selectors.problems_at_rung)."""
        if value != "mine" or self.request is None:
            return queryset
        return queryset.filter(pk__in=selectors.problems_at_rung(user=self.request.user).values("pk"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
            if value
            else queryset
        )


class NotificationFilter(django_filters.FilterSet):
    unread = BoolFilter(label="未读")

    class Meta:
        model = Notification
        fields = ["unread"]
