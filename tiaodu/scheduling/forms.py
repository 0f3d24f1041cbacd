from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from tiaodu.core.uploads import check_upload_size
from tiaodu.scheduling.importers import FORMATS
from tiaodu.scheduling.models import MAX_DURATION, CalendarMode, Task


class TaskForm(forms.ModelForm):
    predecessors = forms.CharField(
        label="紧前任务",
        required=False,
        max_length=2000,
        help_text="以逗号或顿号分隔，每项为任务编号加可选的类型和间隔（工作日，可为负）：3、3FS、3SS+2、4FF-1、5SF；不写类型即为FS",
    )

    class Meta:
        model = Task
        fields = ["code", "name", "duration", "indicator", "quantity"]
        help_texts = {"duration": "工作日；0 表示里程碑"}

    def __init__(self, *args, project, predecessors_initial: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = project.indicators.all()
        self.fields["indicator"].empty_label = "（不关联）"
        self.fields["duration"].widget.attrs.update({"min": 0, "max": MAX_DURATION})
        self.fields["predecessors"].initial = predecessors_initial
        self.fields["predecessors"].widget.attrs["placeholder"] = "如 1、2SS+3"
        self.fields["code"].widget.attrs["placeholder"] = "如 1、A10"

    def _post_clean(self):
        # Model validation runs in the service (with the project's other tasks); nothing here.
        pass


class ModeForm(forms.Form):
    mode = forms.ChoiceField(label="日历模式", choices=CalendarMode.choices)

    def __init__(self, *args, has_file_calendar: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # 导入文件日历 is offered only when the project's tasks came from an MS Project / P6 file.
        self.fields["mode"].choices = [
            (value, label)
            for value, label in CalendarMode.choices
            if value != CalendarMode.FILE or has_file_calendar
        ]


class ProjectChoiceForm(forms.Form):
    """The project to import from a file that holds several (the upload is kept under `token`)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    choice = forms.ChoiceField(label="导入哪个项目")

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c.key, f"{c.name}（{c.task_count}项任务）") for c in choices]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="计划文件",
        help_text="支持："
        + "；".join(f"{label}（{ext}）" for ext, label in FORMATS.items())
        + "。导入将替换本项目现有的全部任务，全部正确才写入；同一任务（按文件中的唯一标识）保留关联指标和工程量。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload_size(upload.size, setting="SCHEDULE_IMPORT_MAX_BYTES")
        return upload


class ApproveForm(forms.Form):
    note = forms.CharField(label="审定意见", required=False, max_length=200)


class OverrideForm(forms.Form):
    indicator = forms.TypedChoiceField(label="指标", coerce=int)
    period = forms.ChoiceField(label="时段")
    value = forms.DecimalField(
        label="计划累计量",
        max_digits=18,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("999999999999999"))],
    )
    note = forms.CharField(label="调整说明", required=False, max_length=200)

    def __init__(self, *args, indicators, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.pk, f"{i.name}（{i.unit_of_measure}）") for i in indicators]
        self.fields["period"].choices = [(p.key, p.label) for p in periods]


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    notice = forms.CharField(
        label="通知文号或标题",
        required=False,
        max_length=200,
        help_text="如：国办发明电〔2026〕×号 国务院办公厅关于2027年部分节假日安排的通知",
    )
    text = forms.CharField(
        label="放假与调休安排",
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}),
        help_text=(
            "每行一个日期或日期范围，写明节日和「放假」或「上班」，例如：2027-01-01 元旦 放假；"
            "2月6日至14日 春节 放假；2月20日 春节 上班。可用 至、到、~ 或 - 表示范围，"
            "列之间可用空格、Tab（从Excel粘贴）或逗号分隔；# 开头的行忽略。保存将替换该年度已有的安排。"
        ),
    )
