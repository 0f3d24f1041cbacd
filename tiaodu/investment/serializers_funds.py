"""The funds API's serializers (names prefixed Funding/Annual/Arrival: unique across the apps' schemas)."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from tiaodu.investment.models import AnnualPlan, FundArrival, FundingSource

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class FundingSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingSource
        fields = ["id", "name", "sort_order", "active"]


class FundingPlanRowSerializer(serializers.Serializer):
    source = serializers.SlugRelatedField(
        slug_field="name",
        queryset=FundingSource.objects.all(),
        help_text="资金来源名称",
        error_messages={"does_not_exist": "未知的资金来源「{value}」", "invalid": "资金来源须为名称文本"},
    )
    amount = serializers.DecimalField(**AMOUNT, min_value=Decimal(0), help_text="计划金额(万元)，≥ 0")


class FundingPlanInputSerializer(serializers.Serializer):
    rows = FundingPlanRowSerializer(many=True, help_text="资金计划的全部行（整体替换），每个来源至多一行")


class FundingPlanSourceSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="资金来源")
    amount = serializers.DecimalField(
        **AMOUNT, allow_null=True, help_text="计划金额(万元)；null：未列入资金计划"
    )
    arrived = serializers.DecimalField(**AMOUNT, help_text="截至今日已到位(万元)")
    rate = serializers.DecimalField(
        max_digits=7, decimal_places=1, allow_null=True, help_text="到位率（%，一位小数）；无计划时为 null"
    )


class FundingPlanSerializer(serializers.Serializer):
    project = serializers.CharField(help_text="项目编号")
    as_of = serializers.DateField(help_text="到位统计截至日期（今日）")
    rows = FundingPlanSourceSerializer(many=True)
    planned = serializers.DecimalField(**AMOUNT, allow_null=True, help_text="资金计划合计(万元)")
    arrived = serializers.DecimalField(**AMOUNT, help_text="已到位合计(万元)")
    rate = serializers.DecimalField(
        max_digits=7, decimal_places=1, allow_null=True, help_text="总到位率（%）"
    )
    total_investment = serializers.DecimalField(**AMOUNT, allow_null=True, help_text="总投资(万元)")
    warning = serializers.CharField(
        allow_null=True, help_text="资金计划合计与总投资不一致时的提示（不是错误）"
    )
    funding_gap = serializers.BooleanField(help_text="当月是否为资金缺口")


class AnnualPlanSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="年度")

    class Meta:
        model = AnnualPlan
        fields = ["year", "amount", "new_start", "completion", "prior_cumulative"]


class AnnualPlanUpdateSerializer(AnnualPlanSerializer):
    year = serializers.IntegerField(read_only=True, help_text="年度（取自地址）")


class ArrivalSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(
        slug_field="name",
        queryset=FundingSource.objects.all(),
        help_text="资金来源名称",
        error_messages={"does_not_exist": "未知的资金来源「{value}」", "invalid": "资金来源须为名称文本"},
    )
    amount = serializers.DecimalField(**AMOUNT, min_value=Decimal("0.01"), help_text="金额(万元)，须大于0")

    class Meta:
        model = FundArrival
        fields = ["id", "date", "source", "amount", "doc_no"]
        read_only_fields = ["id"]
