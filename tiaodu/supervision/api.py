"""REST API v1 of the supervision loop.

/api/v1/supervision-items/  list (with each item's `warning`), retrieve (with its timeline), create, PATCH,
                            actions feedback, request-close, confirm-close, send-back
/api/v1/problems/           list, retrieve, create, from-report; actions feedback, resolve, escalate
/api/v1/meetings/           list, retrieve, create, PATCH; actions decisions (POST), compile-agenda
/api/v1/accountability-records/  list, retrieve, create, PATCH
/api/v1/notifications/      the caller's inbox; actions read, read-all

Reads go through tiaodu.supervision.selectors (what a user may not see is a 404); writes through the
services with source="api" (rights are checked there too: NotAllowed → 403 with a Chinese message).
"""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from tiaodu.core.api import PARSERS, ApiViewSet, LookupMixin, reject_nul
from tiaodu.core.params import parse_id
from tiaodu.core.permissions import allows
from tiaodu.supervision import selectors, services
from tiaodu.supervision.filters import ItemFilter, NotificationFilter, ProblemFilter
from tiaodu.supervision.models import ProblemType
from tiaodu.supervision.permissions import (
    ACCOUNTABILITY_DENIED,
    ITEM_CREATE_DENIED,
    ITEM_EDIT_DENIED,
    MEETING_DENIED,
    accountability_can_manage,
    item_can_create,
    item_can_edit,
    meeting_can_manage,
)
from tiaodu.supervision.serializers import (
    AccountabilitySerializer,
    DecisionCreateSerializer,
    FromReportSerializer,
    ItemDetailSerializer,
    ItemFeedbackSerializer,
    ItemSerializer,
    MeetingSerializer,
    NotificationSerializer,
    ProblemDetailSerializer,
    ProblemSerializer,
    SendBackSerializer,
    TextSerializer,
)


def _files(request, name="photos"):
    return request.FILES.getlist(name) if hasattr(request, "FILES") else []


def _validated(view, serializer_class):
    reject_nul(view.request.data)
    serializer = serializer_class(data=view.request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- items ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="督办事项列表",
        description="当前用户可见的督办事项，每项含今日预警 warning："
        "none、reminder（提醒）、yellow（黄牌）、red（红牌）。",
    ),
    retrieve=extend_schema(summary="督办事项详情（含办理过程）"),
    create=extend_schema(
        summary="交办督办事项",
        description="领导、督查室、领导小组办公室、系统管理员。"
        "assignee_unit 为单位ID或名称（或 assignee_units 列表）；巡查发现（inspection）的事项须以"
        " multipart/form-data 上传现场照片 photos 并填写地点 location。"
        "problem 为由之立项的难题ID（可选）：督查室确认办结后该难题随之解决。",
    ),
    partial_update=extend_schema(
        summary="调整督办事项", description="标题、内容、办结时限、承办单位、责任人等；reason 写调整理由。"
    ),
    update=extend_schema(summary="调整督办事项"),
)
class SupervisionItemViewSet(ApiViewSet):
    """督办事项。"""

    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    permission_classes = [
        permissions.IsAuthenticated,
        allows(
            create=item_can_create,
            change=item_can_edit,
            create_message=ITEM_CREATE_DENIED,
            change_message=ITEM_EDIT_DENIED,
        ),
    ]

    def get_queryset(self):
        return (
            selectors.item_list(user=self.request.user)
            .select_related("project", "responsible_person", "supervising_leader", "meeting")
            .prefetch_related("assignee_units", "photos")
            .order_by("deadline", "id")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ItemDetailSerializer
        return ItemSerializer

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if request.query_params.get("unit"):
            queryset = queryset.distinct()
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _fresh(self, item):
        return self.get_queryset().get(pk=item.pk)

    def create_object(self, data):
        data.pop("reason", None)
        photos = data.pop("photos", None) or _files(self.request)
        item = services.item_create(user=self.request.user, data=data, photos=photos, source="api")
        return self._fresh(item)

    def update_object(self, instance, data):
        reason = data.pop("reason", "") or ""
        data.pop("photos", None)
        for key in ("source", "meeting", "problem"):
            data.pop(key, None)
        item = services.item_update(
            user=self.request.user, item=instance, data=data, reason=reason, source="api"
        )
        return self._fresh(item)

    def _respond(self, item, code=status.HTTP_200_OK):
        item = self.get_queryset().prefetch_related("events__photos", "events__user__person").get(pk=item.pk)
        return Response(ItemDetailSerializer(item, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        summary="报送办理进展（承办单位）", request=ItemFeedbackSerializer, responses=ItemDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        item = self.get_object()
        data = _validated(self, ItemFeedbackSerializer)
        services.item_feedback(
            user=request.user,
            item=item,
            text=data.get("text", ""),
            photos=data.get("photos") or _files(request),
            source="api",
        )
        return self._respond(item)

    @extend_schema(
        summary="申请办结（承办单位）",
        request=ItemFeedbackSerializer,
        responses=ItemDetailSerializer,
        description="巡查发现的事项须上传整改后现场照片 photos（multipart/form-data）。",
    )
    @action(detail=True, methods=["post"], url_path="request-close")
    def request_close(self, request, pk=None):
        item = self.get_object()
        data = _validated(self, ItemFeedbackSerializer)
        services.item_request_close(
            user=request.user,
            item=item,
            text=data.get("text", ""),
            photos=data.get("photos") or _files(request),
            source="api",
        )
        return self._respond(item)

    @extend_schema(summary="确认办结（仅督查室）", request=TextSerializer, responses=ItemDetailSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-close")
    def confirm_close(self, request, pk=None):
        item = self.get_object()
        data = _validated(self, TextSerializer)
        services.item_confirm_close(user=request.user, item=item, text=data.get("text", ""), source="api")
        return self._respond(item)

    @extend_schema(
        summary="退回办结申请（仅督查室）", request=SendBackSerializer, responses=ItemDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        item = self.get_object()
        data = _validated(self, SendBackSerializer)
        services.item_send_back(user=request.user, item=item, reason=data.get("reason", ""), source="api")
        return self._respond(item)


# --- problems -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="难题列表"),
    retrieve=extend_schema(summary="难题详情（含办理过程）"),
    create=extend_schema(summary="登记难题", description="可见该项目的用户；从责任单位层级开始。"),
)
class ProblemViewSet(
    LookupMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """难题：责任单位 → 牵头指挥部 → 分管区领导 → 区主要领导 → 市级。"""

    serializer_class = ProblemSerializer
    filterset_class = ProblemFilter
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = PARSERS
    http_method_names = ["get", "post", "head", "options"]
    not_found = "该难题不存在或您无权查看"

    def get_queryset(self):
        return (
            selectors.problem_list(user=self.request.user)
            .select_related("project__lead_unit", "owner_unit")
            .order_by("-level", "level_entered_on", "id")
        )

    def get_serializer_class(self):
        return ProblemDetailSerializer if self.action == "retrieve" else ProblemSerializer

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("data") is not None:
            reject_nul(kwargs["data"])
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        serializer.instance = services.problem_raise(
            user=self.request.user,
            project=d["project"],
            type=d["type"],
            description=d["description"],
            title=d.get("title") or "",
            owner_unit=d.get("owner_unit"),
            source="api",
        )

    def _respond(self, problem, code=status.HTTP_200_OK):
        problem = self.get_queryset().prefetch_related("events__user__person").get(pk=problem.pk)
        return Response(
            ProblemDetailSerializer(problem, context=self.get_serializer_context()).data, status=code
        )

    def _act(self, fn):
        problem = self.get_object()
        data = _validated(self, TextSerializer)
        fn(user=self.request.user, problem=problem, text=data.get("text", ""), source="api")
        return self._respond(problem)

    @extend_schema(summary="记录办理情况", request=TextSerializer, responses=ProblemDetailSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        return self._act(services.problem_feedback)

    @extend_schema(
        summary="标记为已解决（text：如何解决）", request=TextSerializer, responses=ProblemDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._act(services.problem_resolve)

    @extend_schema(
        summary="提请上一级协调（text：本层级已做的工作）",
        request=TextSerializer,
        responses=ProblemDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._act(services.problem_escalate)

    @extend_schema(
        summary="将周报的存在问题登记为难题",
        request=FromReportSerializer,
        responses={200: ProblemDetailSerializer, 201: ProblemDetailSerializer},
    )
    @action(detail=False, methods=["post"], url_path="from-report")
    def from_report(self, request):
        data = _validated(self, FromReportSerializer)
        try:
            problem, created = services.problem_raise_from_report(
                user=request.user,
                report_id=data["report"],
                type=data.get("type") or ProblemType.OTHER,
                source="api",
            )
        except ObjectDoesNotExist:
            raise NotFound("周报不存在或您无权查看")
        return self._respond(problem, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- meetings -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="调度会列表"),
    retrieve=extend_schema(summary="调度会详情（含议程和决定事项）"),
    create=extend_schema(
        summary="新建调度会", description="督查室、领导小组办公室、系统管理员；议程按会议日期自动生成。"
    ),
)
class MeetingViewSet(ApiViewSet):
    """调度会。"""

    serializer_class = MeetingSerializer
    permission_classes = [
        permissions.IsAuthenticated,
        allows(
            create=meeting_can_manage,
            change=meeting_can_manage,
            create_message=MEETING_DENIED,
            change_message=MEETING_DENIED,
        ),
    ]

    def get_queryset(self):
        return (
            selectors.meeting_list(user=self.request.user)
            .select_related("chair")
            .prefetch_related("attendees", "decisions__item")
        )

    def create_object(self, data):
        return services.meeting_create(user=self.request.user, data=data, source="api")

    def update_object(self, instance, data):
        return services.meeting_update(user=self.request.user, meeting=instance, data=data, source="api")

    @extend_schema(
        summary="新增决定事项（可同时转为督办事项）",
        request=DecisionCreateSerializer,
        responses={201: MeetingSerializer},
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        meeting = self.get_object()
        data = _validated(self, DecisionCreateSerializer)
        item = dict(data["item"]) if data.get("item") else None
        services.decision_add(
            user=request.user,
            meeting=meeting,
            content=data["content"],
            problem=data.get("problem"),
            item=item,
            source="api",
        )
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(
            MeetingSerializer(meeting, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(summary="重新生成议程", request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="compile-agenda")
    def compile_agenda(self, request, pk=None):
        meeting = services.meeting_compile_agenda(user=request.user, meeting=self.get_object())
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data)


# --- accountability -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="问责记录列表"),
    create=extend_schema(summary="登记问责", description="督查室和系统管理员；unit 或 person 至少填一项。"),
)
class AccountabilityViewSet(ApiViewSet):
    """问责记录（约谈、通报批评、诫勉谈话、其他）。"""

    serializer_class = AccountabilitySerializer
    permission_classes = [
        permissions.IsAuthenticated,
        allows(
            create=accountability_can_manage,
            change=accountability_can_manage,
            create_message=ACCOUNTABILITY_DENIED,
            change_message=ACCOUNTABILITY_DENIED,
        ),
    ]
    filterset_fields = ["unit", "measure"]

    def get_queryset(self):
        return selectors.accountability_list(user=self.request.user).prefetch_related("items", "problems")

    def create_object(self, data):
        return services.accountability_create(user=self.request.user, data=data, source="api")

    def update_object(self, instance, data):
        return services.accountability_update(
            user=self.request.user, record=instance, data=data, source="api"
        )


# --- the inbox ------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="我的站内通知", description="?unread=true 只列未读。"))
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """站内通知（当前用户的收件箱）。"""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = NotificationFilter

    def get_queryset(self):
        return selectors.inbox(user=self.request.user)

    @extend_schema(summary="标为已读", request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = self.get_queryset().filter(pk=parse_id(pk)).first() if parse_id(pk) else None
        if note is None:
            raise NotFound("该通知不存在")
        services.notifications_mark_read(user=request.user, ids=[note.pk])
        note.refresh_from_db()
        return Response(NotificationSerializer(note).data)

    @extend_schema(
        summary="全部标为已读",
        request=None,
        responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_read(user=request.user)})
