"""REST API v1: units and people (the plumbing every app's viewsets share is in tiaodu.core.api).

Every signed-in user reads units and people; the office and administrators write them. Writes go
through tiaodu.orgs.services (source "api"), so each lands in the change log.
"""

from rest_framework import permissions

from tiaodu.core.api import ApiViewSet
from tiaodu.core.permissions import allows
from tiaodu.orgs import services
from tiaodu.orgs.models import Person, Unit
from tiaodu.orgs.permissions import MANAGE_DENIED, person_can_edit, unit_can_edit
from tiaodu.orgs.serializers import PersonSerializer, UnitSerializer


class UnitViewSet(ApiViewSet):
    """单位：所有登录用户可读；领导小组办公室和系统管理员可新建、修改。"""

    queryset = Unit.objects.select_related("parent")
    serializer_class = UnitSerializer
    permission_classes = [
        permissions.IsAuthenticated,
        allows(
            create=unit_can_edit,
            change=unit_can_edit,
            create_message=MANAGE_DENIED,
            change_message=MANAGE_DENIED,
        ),
    ]
    filterset_fields = ["type", "parent"]

    def create_object(self, data):
        return services.unit_create(user=self.request.user, data=data, source="api")

    def update_object(self, instance, data):
        return services.unit_update(user=self.request.user, unit=instance, data=data, source="api")


class PersonViewSet(ApiViewSet):
    """人员：所有登录用户可读；领导小组办公室和系统管理员可新建、修改。"""

    queryset = Person.objects.select_related("unit")
    serializer_class = PersonSerializer
    permission_classes = [
        permissions.IsAuthenticated,
        allows(
            create=person_can_edit,
            change=person_can_edit,
            create_message=MANAGE_DENIED,
            change_message=MANAGE_DENIED,
        ),
    ]
    filterset_fields = ["unit"]

    def create_object(self, data):
        return services.person_create(user=self.request.user, data=data, source="api")

    def update_object(self, instance, data):
        return services.person_update(user=self.request.user, person=instance, data=data, source="api")
