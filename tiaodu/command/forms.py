"""The command settings form (/command/settings/): the campaign and the district boundary file."""

from __future__ import annotations

from django import forms

from tiaodu.command.geojson import GeoJSONError, parse_boundary_file
from tiaodu.command.models import CommandSettings

BOUNDARY_MAX_BYTES = 5 * 1024 * 1024


class CommandSettingsForm(forms.ModelForm):
    boundary_file = forms.FileField(
        label="辖区边界文件（GeoJSON）",
        required=False,
        help_text="上传区界的GeoJSON文件（.geojson或.json，UTF-8，不超过5MB）：Polygon、MultiPolygon，"
        "或由它们组成的FeatureCollection，坐标为WGS-84/CGCS2000经纬度。不上传则保留现有边界。",
        widget=forms.FileInput(attrs={"accept": ".geojson,.json,application/geo+json,application/json"}),
    )
    clear_boundary = forms.BooleanField(label="清除现有边界", required=False)

    class Meta:
        model = CommandSettings
        fields = ["campaign_name", "campaign_date"]
        widgets = {"campaign_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "campaign_name": "大屏标题显示的攻坚行动名称，如“决战2027”",
            "campaign_date": "大屏倒计时的目标日期",
        }

    def clean_campaign_name(self):
        name = (self.cleaned_data.get("campaign_name") or "").strip()
        if not name:
            raise forms.ValidationError("请填写攻坚行动名称")
        return name

    def clean_boundary_file(self):
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        if upload.size > BOUNDARY_MAX_BYTES:
            raise forms.ValidationError(
                f"文件过大（{upload.size / 1024 / 1024:.1f}MB），辖区边界文件不能超过5MB"
            )
        try:
            self.boundary = parse_boundary_file(upload.read())
        except GeoJSONError as exc:
            raise forms.ValidationError(f"「{upload.name[:60]}」不是可用的辖区边界：{exc.message}") from None
        return upload

    def changes(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("campaign_name", "campaign_date")}
        if self.cleaned_data.get("boundary_file"):
            data["boundary"] = self.boundary
            data["boundary_name"] = self.cleaned_data["boundary_file"].name[:200]
        elif self.cleaned_data.get("clear_boundary"):
            data["boundary"] = None
            data["boundary_name"] = ""
        return data
