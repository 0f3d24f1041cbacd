"""REST API v1: GET /api/v1/investment?month=YYYY-MM — the investment figures (figures.status_json of
investment_status, the same JSON as `manage.py investment_status --json`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tiaodu.investment.figures import status_json
from tiaodu.investment.month_params import month_param
from tiaodu.investment.selectors import default_month, investment_status

# The serializers only document the answer (the schema); the view returns figures.status_json.
_MONEY = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": False}


class InvestmentAggregateSerializer(serializers.Serializer):
    projects = serializers.IntegerField(help_text="项目数")
    annual_plan = serializers.DecimalField(help_text="年度计划投资（万元）", **_MONEY)
    month = serializers.DecimalField(help_text="当月完成投资（万元）", **_MONEY)
    ytd = serializers.DecimalField(help_text="年初至报告期累计完成投资（万元）", **_MONEY)
    ytd_pct = serializers.FloatField(allow_null=True, help_text="占年度计划（%），未编制计划为null")
    ahead_of_time_pp = serializers.FloatField(allow_null=True, help_text="与时间进度比（百分点），负数为落后")
    planned_new_starts = serializers.IntegerField(help_text="计划新开工项目数")
    new_starts = serializers.IntegerField(help_text="其中月末状态不是未开工的项目数")
    new_start_rate = serializers.FloatField(allow_null=True, help_text="开工率（%）")


class InvestmentSummarySerializer(serializers.Serializer):
    key_construction = InvestmentAggregateSerializer(help_text="重点建设项目")
    remediation = InvestmentAggregateSerializer(help_text="综合整治项目")
    all = InvestmentAggregateSerializer(help_text="全区")


class InvestmentProjectSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="项目编号")
    name = serializers.CharField(help_text="项目名称")
    type = serializers.CharField(help_text="项目类型")
    lead_unit = serializers.CharField(help_text="牵头单位")
    annual_plan = serializers.DecimalField(allow_null=True, help_text="年度计划投资（万元）", **_MONEY)
    month = serializers.DecimalField(allow_null=True, help_text="当月完成投资（万元），未报为null", **_MONEY)
    ytd = serializers.DecimalField(help_text="年初至报告期累计（万元）", **_MONEY)
    ytd_pct = serializers.FloatField(allow_null=True, help_text="占年度计划（%）")
    ahead_of_time_pp = serializers.FloatField(allow_null=True, help_text="与时间进度比（百分点）")
    cumulative = serializers.DecimalField(help_text="开工至报告期累计（万元）", **_MONEY)
    total_pct = serializers.FloatField(allow_null=True, help_text="占总投资（%）")
    funds_planned = serializers.DecimalField(allow_null=True, help_text="资金计划合计（万元）", **_MONEY)
    funds_arrived = serializers.DecimalField(help_text="截至月末到位资金（万元）", **_MONEY)
    funds_rate = serializers.FloatField(allow_null=True, help_text="到位率（%）")
    funding_gap = serializers.BooleanField(help_text="资金缺口：到位率低于时间进度超过阈值")
    planned_new_start = serializers.BooleanField(help_text="计划新开工")
    started = serializers.BooleanField(help_text="月末状态不是未开工")


class InvestmentUnitSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="牵头单位")
    projects = serializers.IntegerField(help_text="项目数")
    annual_plan = serializers.DecimalField(help_text="年度计划投资（万元）", **_MONEY)
    month = serializers.DecimalField(help_text="当月完成投资（万元）", **_MONEY)
    ytd = serializers.DecimalField(help_text="年初至报告期累计（万元）", **_MONEY)
    ytd_pct = serializers.FloatField(allow_null=True, help_text="占年度计划（%）")
    ahead_of_time_pp = serializers.FloatField(allow_null=True, help_text="与时间进度比（百分点）")


class InvestmentStatusSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="报告月份 YYYY-MM")
    time_progress_pct = serializers.FloatField(help_text="时间进度（%）= 月份÷12×100，一位小数")
    summary = InvestmentSummarySerializer()
    projects = InvestmentProjectSerializer(many=True)
    units = InvestmentUnitSerializer(many=True, help_text="按占年度计划高者在前")


class InvestmentView(APIView):
    """投资完成情况：按月给出全区、各类项目、各牵头单位和每个项目的年度计划投资、当月与年初至今完成投资、
    占年度计划、与时间进度比、新开工和资金到位率（只含当前用户可见的项目）。"""

    @extend_schema(
        summary="投资完成情况（按月）",
        parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="报告月份 YYYY-MM，默认本月")],
        responses={200: InvestmentStatusSerializer},
    )
    def get(self, request):
        if "month" in request.query_params and not request.query_params["month"].strip():
            raise ValidationError({"month": ["报告月份为空：请按YYYY-MM填写，或不带此参数（默认本月）"]})
        year, month = month_param(request.query_params, "month", label="报告月份", default=default_month())
        return Response(status_json(investment_status(user=request.user, year=year, month=month)))


@extend_schema(exclude=True)
class InvestmentSlashView(InvestmentView):
    """/api/v1/investment/ — the same answer (left out of the schema: one operation, one path)."""
