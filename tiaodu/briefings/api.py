"""REST API v1: /api/v1/documents/ (list, search, upload, download) and /api/v1/briefings/ (list, generate).

Reads go through tiaodu.briefings.selectors (a document the user may not see is a 404); uploads and
generation through tiaodu.briefings.services, with the same checks as the pages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from tiaodu.briefings import selectors, services
from tiaodu.briefings.forms import DocumentFilterForm
from tiaodu.briefings.models import FORMAT_MIME, Briefing, Document
from tiaodu.briefings.permissions import BRIEFING_DENIED, briefing_can_generate
from tiaodu.briefings.views import file_response
from tiaodu.core.api import ChineseJSONParser, ChineseMultiPartParser, LookupMixin
from tiaodu.core.params import parse_id
from tiaodu.orgs.models import Unit
from tiaodu.orgs.security import security_event_log
from tiaodu.projects.models import Project
from tiaodu.supervision.models import Meeting


class DocumentSerializer(serializers.ModelSerializer):
    format_label = serializers.CharField(source="get_format_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    author = serializers.SerializerMethodField()
    project = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    briefing = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "kind_label",
            "format",
            "format_label",
            "size",
            "page_count",
            "page_count_estimated",
            "original_name",
            "description",
            "author",
            "created_at",
            "project",
            "unit",
            "meeting",
            "briefing",
            "sha256",
            "download_url",
            "page_url",
        ]

    def get_author(self, obj) -> str:
        return obj.author.display_name if obj.author_id else "系统"

    def get_briefing(self, obj) -> str | None:
        return obj.briefing.label if obj.briefing_id else None

    def get_download_url(self, obj) -> str:
        return reverse("api-document-download", args=[obj.pk])

    def get_page_url(self, obj) -> str:
        return reverse("document_detail", args=[obj.pk])


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(error_messages={"required": "请上传文件（字段 file）", "empty": "文件为空"})
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    project = serializers.CharField(required=False, allow_blank=True, help_text="项目编号")
    unit = serializers.CharField(required=False, allow_blank=True, help_text="单位名称或ID")
    meeting = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="调度会ID",
        error_messages={
            "invalid": "调度会ID须为整数",
            "min_value": "调度会ID有误",
            "max_value": "调度会ID有误",
        },
    )


@extend_schema_view(
    list=extend_schema(
        summary="文档列表",
        parameters=[
            OpenApiParameter("q", str, description="按标题和全文搜索"),
            OpenApiParameter("format", str, description="pdf/docx/xlsx/jpeg/png"),
            OpenApiParameter("kind", str, description="briefing/upload/letter"),
            OpenApiParameter("project", str, description="项目编号"),
        ],
    ),
    retrieve=extend_schema(summary="文档详情"),
)
class DocumentViewSet(LookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """文档中心：登录用户可查看其有权查看的文档，可上传文件（multipart，字段 file）。"""

    serializer_class = DocumentSerializer
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [ChineseMultiPartParser, ChineseJSONParser]
    filter_backends: list = []

    def get_queryset(self):
        qs = selectors.document_list(user=self.request.user).select_related(
            "author__person", "project", "unit", "briefing"
        )
        if self.action == "list":
            form = DocumentFilterForm(self.request.query_params, user=self.request.user)
            qs = form.apply(qs)
        return qs.order_by("-created_at", "-id")

    not_found = "该文档不存在或您无权查看"

    @extend_schema(
        summary="上传文件",
        request={"multipart/form-data": UploadSerializer},
        responses={201: DocumentSerializer},
    )
    def create(self, request):
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        project = unit = None
        if data.get("project"):
            project = Project.objects.restrict(request.user, "view").filter(code=data["project"]).first()
            if project is None:
                raise DjangoValidationError({"project": f"项目编号不存在或您无权查看：{data['project']}"})
        if data.get("unit"):
            text = str(data["unit"]).strip()
            unit = (
                Unit.objects.filter(pk=parse_id(text)).first()
                if parse_id(text)
                else Unit.objects.filter(name=text).first()
            )
            if unit is None:
                raise DjangoValidationError({"unit": f"单位不存在：{text}"})
        meeting = None
        if data.get("meeting") is not None:
            meeting = Meeting.objects.restrict(request.user, "view").filter(pk=data["meeting"]).first()
            if meeting is None:
                raise DjangoValidationError({"meeting": f"调度会不存在或您无权查看：{data['meeting']}"})
        document = services.document_upload(
            user=request.user,
            file=data["file"],
            title=data.get("title", ""),
            description=data.get("description", ""),
            project=project,
            unit=unit,
            meeting=meeting,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="下载文件",
        responses={(200, mime): OpenApiTypes.BINARY for mime in sorted(set(FORMAT_MIME.values()))},
    )
    @action(detail=True, methods=["get"], url_path="download", url_name="download")
    def download(self, request, pk=None):
        document = self.get_object()
        security_event_log(kind="download", request=request, target=f"文档「{document.title}」")
        return file_response(document, inline=False)


class BriefingSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Briefing
        fields = [
            "id",
            "year",
            "number",
            "label",
            "as_of",
            "issuer",
            "automatic",
            "created_at",
            "summary",
            "documents",
        ]

    def get_documents(self, obj) -> dict:
        return {
            d.format: {
                "id": d.id,
                "download_url": reverse("api-document-download", args=[d.pk]),
                "size": d.size,
            }
            for d in obj.documents.all()
            if d.deleted_at is None
        }


class GenerateSerializer(serializers.Serializer):
    as_of = serializers.DateField(
        error_messages={"invalid": "请按YYYY-MM-DD填写截至日期", "required": "请填写截至日期"}
    )


@extend_schema_view(
    list=extend_schema(summary="调度通报列表"), retrieve=extend_schema(summary="调度通报详情")
)
class BriefingViewSet(LookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """调度通报：所有登录用户可查看；领导小组办公室和系统管理员可生成（POST，参数 as_of）。"""

    serializer_class = BriefingSerializer
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [ChineseJSONParser, ChineseMultiPartParser]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.briefing_list(user=self.request.user).order_by("-year", "-number")

    not_found = "该调度通报不存在"

    @extend_schema(summary="生成调度通报", request=GenerateSerializer, responses={201: BriefingSerializer})
    def create(self, request):
        if not briefing_can_generate(user=request.user):
            raise PermissionDenied(BRIEFING_DENIED)
        body = GenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.briefing_generate(as_of=body.validated_data["as_of"], user=request.user)
        briefing = Briefing.objects.prefetch_related("documents").get(pk=result.briefing.pk)
        return Response(BriefingSerializer(briefing).data, status=status.HTTP_201_CREATED)
