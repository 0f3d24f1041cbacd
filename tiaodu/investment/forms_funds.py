"""The funds pages' forms: the funding plan (a formset of source + amount rows), an annual plan, an arrival,
and a funding source."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from tiaodu.investment.models import AnnualPlan, FundArrival, FundingSource

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class FundingPlanRowForm(forms.Form):
    source = forms.ModelChoiceField(
        label="资金来源", queryset=FundingSource.objects.none(), required=False, empty_label="（请选择）"
    )
    amount = forms.DecimalField(
        label="计划金额(万元)",
        required=False,
        min_value=Decimal(0),
        **AMOUNT,
        error_messages={"min_value": "计划金额不能为负数", "invalid": "请输入数字"},
    )

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources if sources is not None else FundingSource.objects.all()

    def clean(self):
        data = super().clean()
        source, amount = data.get("source"), data.get("amount")
        if source is None and amount is not None:
            self.add_error("source", "请选择资金来源")
        if source is not None and amount is None and "amount" not in self.errors:
            self.add_error("amount", "请填写计划金额")
        return data


class BaseFundingPlanFormSet(forms.BaseFormSet):
    def clean(self):
        seen: dict[int, int] = {}
        for i, form in enumerate(self.forms, start=1):
            source = form.cleaned_data.get("source") if hasattr(form, "cleaned_data") else None
            if source is None:
                continue
            if source.pk in seen:
                form.add_error("source", f"资金来源「{source.name}」重复（第{seen[source.pk]}行已填写）")
            else:
                seen[source.pk] = i

    def rows(self) -> list[tuple[FundingSource, Decimal]]:
        return [
            (f.cleaned_data["source"], f.cleaned_data["amount"])
            for f in self.forms
            if f.cleaned_data.get("source") is not None
        ]


FundingPlanFormSet = forms.formset_factory(
    FundingPlanRowForm, formset=BaseFundingPlanFormSet, extra=3, max_num=50, absolute_max=60
)


class AnnualPlanForm(forms.ModelForm):
    year = forms.IntegerField(
        label="年度",
        validators=[
            MinValueValidator(2000, "年度须在2000至2100之间"),
            MaxValueValidator(2100, "年度须在2000至2100之间"),
        ],
    )

    class Meta:
        model = AnnualPlan
        fields = ["year", "amount", "new_start", "completion", "prior_cumulative"]


class ArrivalForm(forms.ModelForm):
    class Meta:
        model = FundArrival
        fields = ["date", "source", "amount", "doc_no"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = FundingSource.objects.filter(active=True)
        self.fields["source"].empty_label = "（请选择）"


class FundingSourceForm(forms.ModelForm):
    class Meta:
        model = FundingSource
        fields = ["name", "sort_order", "active"]

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        others = FundingSource.objects.filter(name=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"资金来源「{name}」已存在")
        return name
