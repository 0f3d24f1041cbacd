"""Forms of the reporting pages. They collect text; the services check and convert it (one set of messages)."""

from django import forms

from tiaodu.core.uploads import megabytes, upload_limit
from tiaodu.orgs.models import Unit
from tiaodu.progress.models import ReportingCycle
from tiaodu.progress.services import quantity_key, reason_key


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


class ReportForm(forms.Form):
    """As-of date, one quantity (and a decrease reason) per indicator, investment, texts and photos."""

    as_of = forms.CharField(label="截至日期", widget=forms.DateInput(attrs={"type": "date"}))
    investment_done = forms.CharField(
        label="累计完成投资(万元)",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    image_progress = forms.CharField(
        label="形象进度",
        required=False,
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "如：北段拆迁全部完成，南段完成路基施工200米"}
        ),
    )
    confirm_image_progress = forms.BooleanField(label="确认沿用上周形象进度（本周无变化）", required=False)
    problems = forms.CharField(
        label="存在问题",
        required=False,
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "需协调解决的资金、用地、拆迁、审批等问题；没有可不填"}
        ),
    )
    photos = MultipleFileField(
        label="现场照片",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment", "multiple": True}),
        help_text=f"JPEG或PNG，每张不超过{megabytes(upload_limit('PHOTO_MAX_BYTES'))}；可直接用手机拍照。"
        "拍摄时间和位置从照片中读取后保存，照片本身不保留这些信息。",
    )

    def __init__(self, *args, indicators=(), last=None, shares=None, **kwargs):
        """last: {indicator id: (qty, as-of)}; shares: {indicator id: the reporting unit's share target}."""
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        last = last or {}
        self.shares = shares or {}
        self.indicator_rows = []
        for ind in self.indicators:
            q = quantity_key(ind.pk)
            r = reason_key(ind.pk)
            self.fields[q] = forms.CharField(
                label=f"{ind.name}（{ind.unit_of_measure}）",
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[r] = forms.CharField(
                label="减少原因",
                required=False,
                max_length=2000,
                widget=forms.TextInput(attrs={"placeholder": "累计数低于上次审核数时必填"}),
            )
            self.indicator_rows.append((ind, q, r, last.get(ind.pk)))

    def rows(self):
        """[(indicator, quantity field, reason field, (last qty, last as-of) or None, the unit's share target
        or None)] for the template."""
        return [
            (ind, self[q], self[r], last, self.shares.get(ind.pk)) for ind, q, r, last in self.indicator_rows
        ]

    def figures(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {ind.pk: (data.get(q, ""), data.get(r, "")) for ind, q, r, _last in self.indicator_rows}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回原因",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "请写明需要更正或补充的内容"}),
    )


class VerifyForm(forms.Form):
    note = forms.CharField(
        label="审核意见",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "核实情况；有数据异常时必填"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="周报文件（.xlsx）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )


class CycleForm(forms.ModelForm):
    class Meta:
        model = ReportingCycle
        fields = [
            "deadline_weekday",
            "deadline_time",
            "remind_enabled",
            "remind_weekday",
            "remind_time",
            "lagging_after",
            "severe_after",
        ]
        widgets = {
            "deadline_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "remind_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class ReportingUnitsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label="需填报周报的属地单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="牵头单位始终填报；勾选的属地单位也须每周填报本项目的周报。",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = project.territorial_units.order_by("sort_order", "name")
