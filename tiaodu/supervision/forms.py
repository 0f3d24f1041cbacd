"""Page forms of the supervision loop. Forms check and convert input; the services write (and check again)."""

from django import forms
from django.db.models import Q

from tiaodu.core.uploads import megabytes, upload_limit
from tiaodu.orgs.forms import PersonChoiceField, PersonMultipleChoiceField, person_queryset
from tiaodu.orgs.models import Unit, UnitType
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import project_list
from tiaodu.supervision import selectors
from tiaodu.supervision.models import (
    AccountabilityRecord,
    Level,
    Measure,
    Meeting,
    Problem,
    ProblemType,
    Source,
    SupervisionConfig,
    SupervisionItem,
    WebhookEndpoint,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one input (the services check type, size and count)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png", "multiple": True})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def unit_queryset():
    return Unit.objects.exclude(type=UnitType.GOVERNMENT).order_by("sort_order", "name")


def project_choice_queryset(user):
    return project_list(user=user).order_by("code")


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class UnitMultipleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ProblemChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "所选难题不存在、已解决或您无权查看"}

    def label_from_instance(self, obj):
        return f"{obj.project.name}：{obj.title}（{obj.get_level_display()}）"


def open_problems(user):
    return selectors.problem_list(user=user).filter(status=Problem.Status.OPEN).select_related("project")


def meeting_problems(user, extra_ids=()):
    """The problems a meeting decides on: open ones at 分管区领导 level and above (as in the agenda), and
    those already named (a decision's problem)."""
    wanted = Q(level__gte=Level.LEADER) | Q(pk__in=[i for i in extra_ids if i])
    return open_problems(user).filter(wanted).order_by("-level", "level_entered_on", "id")


# --- items ----------------------------------------------------------------------------------------


class ItemForm(forms.ModelForm):
    assignee_units = UnitMultipleField(label="承办单位", queryset=Unit.objects.none())
    project = ProjectChoiceField(
        label="所属项目", queryset=Project.objects.none(), required=False, empty_label="（不关联项目）"
    )
    meeting = forms.ModelChoiceField(
        label="调度会", queryset=Meeting.objects.none(), required=False, empty_label="（不关联调度会）"
    )
    problem = ProblemChoiceField(
        label="关联难题", queryset=Problem.objects.none(), required=False, widget=forms.HiddenInput
    )
    responsible_person = PersonChoiceField(
        label="责任人", queryset=person_queryset(), required=False, empty_label="（未指定）"
    )
    supervising_leader = PersonChoiceField(
        label="分管领导",
        queryset=person_queryset(),
        required=False,
        empty_label="（取所属项目的分管领导）",
        help_text="亮红牌时一并通知",
    )
    photos = MultipleFileField(
        label="现场照片",
        help_text=f"JPEG或PNG，每张不超过{megabytes(upload_limit('PHOTO_MAX_BYTES'))}；巡查发现的事项必须上传",
    )

    class Meta:
        model = SupervisionItem
        fields = [
            "title",
            "source",
            "content",
            "meeting",
            "project",
            "problem",
            "assignee_units",
            "responsible_person",
            "supervising_leader",
            "deadline",
            "location",
            "longitude",
            "latitude",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 4}), "deadline": DATE}

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_units"].queryset = unit_queryset()
        self.fields["project"].queryset = project_choice_queryset(user)
        self.fields["meeting"].queryset = selectors.meeting_list(user=user)
        self.fields["problem"].queryset = open_problems(user)
        self.fields["location"].help_text = "巡查发现的事项必填，如“北园大街与历山路路口东北角”"
        if editing:
            for name in ("source", "meeting", "problem", "photos"):
                self.fields.pop(name)


class FeedbackForm(forms.Form):
    text = forms.CharField(label="办理进展", widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label="照片（可选）")


class CloseRequestForm(forms.Form):
    text = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label="整改后现场照片", help_text="巡查发现的事项必须上传整改后的现场照片")


class ConfirmForm(forms.Form):
    text = forms.CharField(label="确认意见（可选）", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SendBackForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}))


class ItemEditForm(ItemForm):
    reason = forms.CharField(
        label="调整理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如延长办结时限，请写明理由",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, editing=True, **kwargs)


# --- problems -------------------------------------------------------------------------------------


class ProblemForm(forms.ModelForm):
    project = ProjectChoiceField(label="项目", queryset=Project.objects.none())
    owner_unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="（本单位；未关联单位时为项目牵头单位）",
    )

    class Meta:
        model = Problem
        fields = ["project", "type", "title", "description", "owner_unit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_choice_queryset(user)
        self.fields["owner_unit"].queryset = unit_queryset()
        self.fields["title"].required = False
        self.fields["title"].help_text = "可留空，取描述的第一行"


class ProblemActionForm(forms.Form):
    # Not required here: the service names what is missing for each action (办理情况, 如何解决, 已做的工作).
    text = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FromReportForm(forms.Form):
    type = forms.ChoiceField(
        label="难题类型",
        choices=[("", "（请选择）"), *ProblemType.choices],
        error_messages={"required": "请选择难题类型（资金、用地、拆迁、审批、规划、其他）"},
    )
    title = forms.CharField(
        label="难题摘要", max_length=200, required=False, help_text="可留空，取存在问题的第一行"
    )


# --- meetings -------------------------------------------------------------------------------------


class MeetingForm(forms.ModelForm):
    chair = PersonChoiceField(
        label="主持人", queryset=person_queryset(), required=False, empty_label="（未指定）"
    )
    attendees = PersonMultipleChoiceField(
        label="参会人员",
        queryset=person_queryset(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="按住 Ctrl（Mac 为 ⌘）可多选",
    )

    class Meta:
        model = Meeting
        fields = ["title", "date", "location", "chair", "attendees", "attendees_note", "minutes"]
        widgets = {"date": DATE, "minutes": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "可留空，按日期生成，如“2026年6月4日重点工程调度会”"


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 8})}


class DecisionItemForm(forms.Form):
    """The fields that make a decision a supervision item."""

    title = forms.CharField(
        label="事项名称", max_length=200, required=False, help_text="可留空，取决定事项的第一行"
    )
    assignee_units = UnitMultipleField(label="承办单位", queryset=Unit.objects.none())
    responsible_person = PersonChoiceField(
        label="责任人", queryset=person_queryset(), required=False, empty_label="（未指定）"
    )
    project = ProjectChoiceField(
        label="所属项目",
        queryset=Project.objects.none(),
        required=False,
        empty_label="（不关联项目；关联难题时取难题的项目）",
    )
    problem = ProblemChoiceField(
        label="关于难题",
        queryset=Problem.objects.none(),
        required=False,
        empty_label="（不关联难题）",
        help_text="督查室确认事项办结时，该难题随之解决",
    )
    deadline = forms.DateField(label="办结时限", widget=DATE)

    def __init__(self, *args, user, problem_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_units"].queryset = unit_queryset()
        self.fields["project"].queryset = project_choice_queryset(user)
        self.fields["problem"].queryset = meeting_problems(user, problem_ids)

    def item_data(self) -> dict:
        data = dict(self.cleaned_data)
        keys = ("title", "assignee_units", "responsible_person", "project", "problem", "deadline")
        return {k: data.get(k) for k in keys}


class DecisionForm(DecisionItemForm):
    content = forms.CharField(label="决定事项", widget=forms.Textarea(attrs={"rows": 3}))
    make_item = forms.BooleanField(label="同时转为督办事项", required=False, initial=True)

    field_order = [
        "content",
        "problem",
        "make_item",
        "title",
        "assignee_units",
        "responsible_person",
        "project",
        "deadline",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_units"].required = False
        self.fields["deadline"].required = False

    def clean(self):
        data = super().clean()
        if data.get("make_item"):
            if not data.get("assignee_units"):
                self.add_error("assignee_units", "转为督办事项须选择承办单位")
            if not data.get("deadline"):
                self.add_error("deadline", "转为督办事项须填写办结时限")
        return data


class LiveDecisionForm(forms.Form):
    """A decision recorded on a project screen of the walk-through (调度会现场): it becomes an item at once."""

    content = forms.CharField(
        label="决定事项",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写决定事项"},
    )
    assignee_units = forms.ModelMultipleChoiceField(
        label="责任单位",
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="可多选（按住Ctrl）",
        error_messages={"required": "请至少选择一个责任单位"},
    )
    responsible_person = PersonChoiceField(
        label="责任人", queryset=person_queryset(), required=False, empty_label="（可不指定）"
    )
    deadline = forms.DateField(label="完成时限", widget=DATE, error_messages={"required": "请填写完成时限"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_units"].queryset = unit_queryset()

    def item_data(self, project) -> dict:
        d = self.cleaned_data
        return {
            "assignee_units": d["assignee_units"],
            "responsible_person": d.get("responsible_person"),
            "deadline": d["deadline"],
            "project": project,
        }


# --- accountability -------------------------------------------------------------------------------


class AccountabilityForm(forms.ModelForm):
    unit = forms.ModelChoiceField(
        label="问责单位", queryset=Unit.objects.none(), required=False, empty_label="（按问责人员所在单位）"
    )
    person = PersonChoiceField(
        label="问责人员", queryset=person_queryset(), required=False, empty_label="（单位问责）"
    )
    items = forms.ModelMultipleChoiceField(
        label="相关督办事项",
        queryset=SupervisionItem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    problems = forms.ModelMultipleChoiceField(
        label="相关难题",
        queryset=Problem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = AccountabilityRecord
        fields = [
            "measure",
            "measure_other",
            "unit",
            "person",
            "reason",
            "items",
            "problems",
            "decision_date",
            "decided_by",
        ]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4}), "decision_date": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_queryset()
        self.fields["items"].queryset = selectors.item_list(user=user).order_by("-created_at")
        self.fields["problems"].queryset = selectors.problem_list(user=user).order_by("-created_at")
        self.fields["measure"].choices = Measure.choices
        self.fields["decided_by"].help_text = "如：区委常委会、区纪委监委、张书记"


# --- settings -------------------------------------------------------------------------------------


class ConfigForm(forms.ModelForm):
    class Meta:
        model = SupervisionConfig
        fields = SupervisionConfig.TRACKED_FIELDS


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label="Webhook 地址",
        max_length=500,
        assume_scheme="https",
        help_text="钉钉：https://oapi.dingtalk.com/robot/send?access_token=…；"
        "企业微信：https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "unit", "kind", "url", "secret", "active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_queryset()
        self.fields["unit"].empty_label = "（全局：接收全部通知）"
        self.fields["kind"].choices = WebhookEndpoint.Kind.choices
        self.fields["kind"].initial = WebhookEndpoint.Kind.DINGTALK


SOURCE_CHOICES = Source.choices
