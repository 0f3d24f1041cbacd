"""REST API v1 of the funds side (writes through services_funds with source="api", so they are in the
project's change log; a project the user may not see is a 404, a write the user may not make a 403):

* /api/v1/projects/{code}/funding-plan/ GET, PUT (rows of {source, amount}; the answer has `warning`);
* /api/v1/projects/{code}/annual-plans/ GET, POST; …/annual-plans/{year}/ GET, PUT, DELETE;
* /api/v1/projects/{code}/fund-arrivals/ GET, POST; …/fund-arrivals/{id}/ DELETE;
* /api/v1/funding-sources/ GET.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tiaodu.core.api import PARSERS, reject_nul
from tiaodu.core.errors import NotAllowed
from tiaodu.core.params import parse_id
from tiaodu.investment import figures
from tiaodu.investment import services_funds as services
from tiaodu.investment.models import AnnualPlan, FundArrival
from tiaodu.investment.selectors_funds import funding_sources, project_funds, visible_project
from tiaodu.investment.serializers_funds import (
    AnnualPlanSerializer,
    AnnualPlanUpdateSerializer,
    ArrivalSerializer,
    FundingPlanInputSerializer,
    FundingPlanSerializer,
    FundingSourceSerializer,
)
from tiaodu.projects.models import Project

TAGS = ["投资与资金"]
NOT_FOUND = OpenApiResponse(description="项目不存在或无权查看")


def _project(request, code: str) -> Project:
    try:
        return visible_project(user=request.user, code=code)
    except Project.DoesNotExist:
        raise Http404("项目不存在或您无权查看")


def _valid(request, serializer_class, **kwargs):
    reject_nul(request.data)
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _plan_answer(request, project, warning=None) -> dict:
    f = project_funds(user=request.user, project=project, as_of=timezone.localdate())
    return {
        "project": project.code,
        "as_of": f.as_of,
        "rows": [
            {"source": r.source, "amount": r.planned, "arrived": r.arrived, "rate": figures.round_pct(r.rate)}
            for r in f.rows
        ],
        "planned": f.planned,
        "arrived": f.arrived,
        "rate": figures.round_pct(f.rate),
        "total_investment": project.total_investment,
        "warning": f.warning,
        "funding_gap": f.gap is not None,
    }


class FundingPlanView(APIView):
    parser_classes = PARSERS

    @extend_schema(
        operation_id="project_funding_plan",
        summary="项目资金计划",
        description="按资金来源的计划金额、截至今日已到位金额和到位率，及合计；合计与总投资不一致时 warning 为提示文字。",
        responses={200: FundingPlanSerializer, 404: NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, code: str):
        project = _project(request, code)
        return Response(FundingPlanSerializer(_plan_answer(request, project)).data)

    @extend_schema(
        operation_id="project_funding_plan_replace",
        summary="替换项目资金计划",
        description="整体替换资金计划（rows 为空即清空）；每个来源至多一行，金额 ≥ 0。领导小组办公室或系统管理员。"
        "合计与总投资不一致时照常保存，返回的 warning 为提示。",
        request=FundingPlanInputSerializer,
        responses={
            200: FundingPlanSerializer,
            400: OpenApiResponse(description="数据有误"),
            403: None,
            404: NOT_FOUND,
        },
        tags=TAGS,
    )
    def put(self, request, code: str):
        project = _project(request, code)
        data = _valid(request, FundingPlanInputSerializer)
        rows = [(r["source"], r["amount"]) for r in data["rows"]]
        services.funding_plan_set(user=request.user, project=project, rows=rows, source="api")
        project.refresh_from_db()
        return Response(FundingPlanSerializer(_plan_answer(request, project)).data)


class AnnualPlanListView(APIView):
    parser_classes = PARSERS

    @extend_schema(
        operation_id="project_annual_plans",
        summary="项目年度计划列表",
        responses={200: AnnualPlanSerializer(many=True), 404: NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, code: str):
        project = _project(request, code)
        rows = AnnualPlan.objects.filter(project=project).order_by("year")
        return Response(AnnualPlanSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="project_annual_plan_create",
        summary="新建年度计划",
        description="领导小组办公室或系统管理员；该年度已有计划时返回400（请用 PUT …/annual-plans/{year}/ 修改）。",
        request=AnnualPlanSerializer,
        responses={
            201: AnnualPlanSerializer,
            400: OpenApiResponse(description="数据有误"),
            403: None,
            404: NOT_FOUND,
        },
        tags=TAGS,
    )
    def post(self, request, code: str):
        project = _project(request, code)
        data = dict(_valid(request, AnnualPlanSerializer))
        year = data.pop("year")
        if not services.annual_plan_can_edit(user=request.user, obj=project):
            raise NotAllowed(services.ANNUAL_PLAN_DENIED)
        if AnnualPlan.objects.filter(project=project, year=year).exists():
            raise ValidationError({"year": [f"{year}年度计划已存在，请用 PUT 修改"]})
        plan = services.annual_plan_save(
            user=request.user, project=project, year=year, data=data, source="api"
        )
        return Response(AnnualPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class AnnualPlanDetailView(APIView):
    parser_classes = PARSERS

    def _plan(self, request, code: str, year: int) -> AnnualPlan:
        project = _project(request, code)
        plan = AnnualPlan.objects.filter(project=project, year=year).first() if 2000 <= year <= 2100 else None
        if plan is None:
            raise Http404("该年度计划不存在")
        return plan

    @extend_schema(
        operation_id="project_annual_plan",
        summary="项目某年度计划",
        responses={200: AnnualPlanSerializer, 404: NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, code: str, year: int):
        return Response(AnnualPlanSerializer(self._plan(request, code, year)).data)

    @extend_schema(
        operation_id="project_annual_plan_update",
        summary="修改年度计划",
        description="领导小组办公室或系统管理员。",
        request=AnnualPlanUpdateSerializer,
        responses={
            200: AnnualPlanSerializer,
            400: OpenApiResponse(description="数据有误"),
            403: None,
            404: NOT_FOUND,
        },
        tags=TAGS,
    )
    def put(self, request, code: str, year: int):
        plan = self._plan(request, code, year)
        data = dict(_valid(request, AnnualPlanUpdateSerializer))
        data.pop("year", None)
        plan = services.annual_plan_save(
            user=request.user, project=plan.project, year=year, data=data, source="api"
        )
        return Response(AnnualPlanSerializer(plan).data)

    @extend_schema(
        operation_id="project_annual_plan_delete",
        summary="删除年度计划",
        description="领导小组办公室或系统管理员；删除记入项目的变更记录。",
        responses={204: None, 403: None, 404: NOT_FOUND},
        tags=TAGS,
    )
    def delete(self, request, code: str, year: int):
        services.annual_plan_delete(user=request.user, plan=self._plan(request, code, year), source="api")
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArrivalListView(APIView):
    parser_classes = PARSERS

    @extend_schema(
        operation_id="project_fund_arrivals",
        summary="项目资金到位记录",
        responses={200: ArrivalSerializer(many=True), 404: NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, code: str):
        project = _project(request, code)
        rows = FundArrival.objects.filter(project=project).select_related("source").order_by("date", "id")
        return Response(ArrivalSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="project_fund_arrival_create",
        summary="登记资金到位",
        description="项目的牵头单位、领导小组办公室或系统管理员；金额须大于0，资金来源须为启用的来源。",
        request=ArrivalSerializer,
        responses={
            201: ArrivalSerializer,
            400: OpenApiResponse(description="数据有误"),
            403: None,
            404: NOT_FOUND,
        },
        tags=TAGS,
    )
    def post(self, request, code: str):
        project = _project(request, code)
        if not services.arrival_can_record(user=request.user, obj=project):
            raise NotAllowed(services.ARRIVAL_DENIED)
        data = _valid(request, ArrivalSerializer)
        arrival = services.arrival_add(user=request.user, project=project, data=dict(data), source="api")
        return Response(ArrivalSerializer(arrival).data, status=status.HTTP_201_CREATED)


class ArrivalDetailView(APIView):
    @extend_schema(
        operation_id="project_fund_arrival_delete",
        summary="删除资金到位记录",
        description="项目的牵头单位、领导小组办公室或系统管理员；删除记入项目的变更记录。",
        responses={204: None, 403: None, 404: NOT_FOUND},
        tags=TAGS,
    )
    def delete(self, request, code: str, pk: str):
        project = _project(request, code)
        arrival_id = parse_id(pk)
        arrival = FundArrival.objects.filter(project=project, pk=arrival_id).first() if arrival_id else None
        if arrival is None:
            raise Http404("该资金到位记录不存在")
        services.arrival_delete(user=request.user, arrival=arrival, source="api")
        return Response(status=status.HTTP_204_NO_CONTENT)


class FundingSourceListView(APIView):
    @extend_schema(
        operation_id="funding_sources",
        summary="资金来源列表",
        description="按排序；active 为 false 的来源已停用（不再可选，已有记录保留）。",
        responses={200: FundingSourceSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request):
        return Response(FundingSourceSerializer(funding_sources(user=request.user), many=True).data)
