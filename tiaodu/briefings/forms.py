"""Forms of the document center and the briefing page."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from tiaodu.briefings import selectors
from tiaodu.briefings.models import DocFormat, DocKind
from tiaodu.orgs.models import Unit
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import project_list

ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.date:%Y-%m-%d} {obj.title}"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="文件",
        help_text="PDF、Word（.docx）、Excel（.xlsx）、JPEG或PNG；不接收含宏的文件",
        error_messages={"required": "请选择要上传的文件", "empty": "文件为空"},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    title = forms.CharField(label="标题", max_length=200, required=False, help_text="留空则使用文件名")
    description = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    project = ProjectChoiceField(
        label="关联项目", queryset=Project.objects.none(), required=False, empty_label="（不关联）"
    )
    unit = forms.ModelChoiceField(label="关联单位", queryset=None, required=False, empty_label="（不关联）")
    meeting = MeetingChoiceField(label="关联调度会", queryset=None, required=False, empty_label="（不关联）")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_list(user=user).only("code", "name").order_by("code")
        self.fields["unit"].queryset = selectors.upload_units(user=user)
        self.fields["meeting"].queryset = selectors.upload_meetings(user=user).order_by("-date", "-id")
        self.fields["meeting"].help_text = "关联调度会后，能查看该会议的用户都可以查看"
        self.fields["unit"].help_text = "关联单位后，该单位的用户可以查看"
        self.fields[
            "project"
        ].help_text = "关联项目后，能查看该项目的用户都可以查看；都不关联则仅本人和领导可见"


class DocumentEditForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    description = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


SHARE_DAYS = [(1, "1天"), (3, "3天"), (7, "7天"), (15, "15天"), (30, "30天")]


class ShareForm(forms.Form):
    days = forms.TypedChoiceField(label="有效期", choices=SHARE_DAYS, coerce=int, initial=7)
    note = forms.CharField(
        label="备注",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：发给市住建局王科长"}),
    )

    def expires_at(self) -> datetime.datetime:
        return timezone.now() + datetime.timedelta(days=self.cleaned_data["days"])


class BriefingForm(forms.Form):
    as_of = forms.DateField(
        label="截至日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请按YYYY-MM-DD填写截至日期", "required": "请填写截至日期"},
    )
    again = forms.BooleanField(label="该日期已有通报，仍生成新一期", required=False)

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day > timezone.localdate():
            raise forms.ValidationError("截至日期不能晚于今天")
        if day.year < 2000:
            raise forms.ValidationError("截至日期须在2000年之后")
        return day


FORMAT_CHOICES = [("", "全部格式")] + list(DocFormat.choices)
KIND_CHOICES = [("", "全部来源")] + list(DocKind.choices)


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
    format = forms.ChoiceField(label="格式", choices=FORMAT_CHOICES, required=False)
    kind = forms.ChoiceField(label="来源", choices=KIND_CHOICES, required=False)
    project = forms.CharField(label="项目编号", required=False, max_length=50)
    unit = forms.ModelChoiceField(label="关联单位", queryset=None, required=False, empty_label="全部单位")
    favorites = forms.BooleanField(label="只看收藏", required=False)
    mine = forms.BooleanField(label="我上传的", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["unit"].queryset = Unit.objects.all()
        self.user = user

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            for word in data["q"].split()[:5]:
                qs = qs.filter(
                    Q(title__icontains=word) | Q(text__icontains=word) | Q(original_name__icontains=word)
                )
        if data["format"]:
            qs = qs.filter(format=data["format"])
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["project"]:
            qs = qs.filter(
                Q(project__code__iexact=data["project"].strip()) | Q(project__name__icontains=data["project"])
            )
        if data["unit"]:
            qs = qs.filter(unit=data["unit"])
        if data["favorites"]:
            qs = qs.filter(favorites__user=self.user)
        if data["mine"]:
            qs = qs.filter(author=self.user)
        return qs
