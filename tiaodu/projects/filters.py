"""One FilterSet for the project list page and the API."""

import django_filters
from django.db.models import Q

from tiaodu.orgs.models import Unit
from tiaodu.projects.models import Category, Project, ProjectStatus, ProjectType


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="编号或名称", method="filter_q")
    type = django_filters.ChoiceFilter(label="项目类型", choices=ProjectType.choices, empty_label="全部类型")
    category = django_filters.ModelChoiceFilter(
        label="项目类别", queryset=Category.objects.all(), empty_label="全部类别"
    )
    lead_unit = django_filters.ModelChoiceFilter(
        label="牵头单位", queryset=Unit.objects.all(), empty_label="全部牵头单位"
    )
    territorial_unit = django_filters.ModelChoiceFilter(
        label="属地单位",
        queryset=Unit.objects.all(),
        field_name="territorial_units",
        empty_label="全部属地单位",
    )
    status = django_filters.ChoiceFilter(label="状态", choices=ProjectStatus.choices, empty_label="全部状态")

    class Meta:
        model = Project
        fields = ["q", "type", "category", "lead_unit", "territorial_unit", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
