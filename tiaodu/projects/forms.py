"""Page forms for projects, indicators and responsibility letters.

Forms only check and convert input; the writes go through services (which check again).
"""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone

from tiaodu.core.uploads import megabytes, upload_limit
from tiaodu.orgs.forms import PersonChoiceField, person_queryset
from tiaodu.orgs.models import Unit, UnitType
from tiaodu.projects.models import (
    BASELINE_FIELDS,
    STATUS_TRANSITIONS,
    Indicator,
    LetterItem,
    Project,
    ProjectStatus,
    ProjectType,
    ResponsibilityLetter,
)
from tiaodu.projects.permissions import (
    RESPONSIBILITY_FIELDS,
    project_can_change_baseline,
    project_can_change_responsibility,
)
from tiaodu.projects.selectors import project_list
from tiaodu.projects.shares import sum_problem

LEAD_UNIT_TYPES = [UnitType.HEADQUARTERS, UnitType.DEPARTMENT, UnitType.OFFICE, UnitType.GOVERNMENT]
TERRITORIAL_UNIT_TYPES = [UnitType.STREET]

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


def lead_unit_queryset():
    return Unit.objects.filter(type__in=LEAD_UNIT_TYPES).order_by("sort_order", "name")


def territorial_unit_queryset():
    return Unit.objects.filter(type__in=TERRITORIAL_UNIT_TYPES).order_by("sort_order", "name")


class GeoJSONField(forms.JSONField):
    """A JSON field that shows nothing (not "null") when empty."""

    def prepare_value(self, value):
        if value is None:
            return ""
        return super().prepare_value(value)


class ProjectForm(forms.ModelForm):
    supervising_leader = PersonChoiceField(
        label="分管领导", queryset=person_queryset(), required=False, empty_label="（未指定）"
    )
    responsible_person = PersonChoiceField(
        label="责任人", queryset=person_queryset(), required=False, empty_label="（未指定）"
    )
    geometry = GeoJSONField(
        label="空间范围（坐标）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="可留空；粘贴地图或测绘软件导出的点、线或面的坐标（GeoJSON格式文本）",
    )

    SECTIONS = [
        ("基本信息", ["code", "name", "type", "category", "status", "description"]),
        (
            "单位与人员",
            [
                "lead_unit",
                "territorial_units",
                "supporting_units",
                "supervising_leader",
                "responsible_person",
            ],
        ),
        ("时间与投资", ["planned_start", "planned_finish", "deadline", "total_investment"]),
        ("位置", ["longitude", "latitude", "geometry"]),
    ]

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "type",
            "category",
            "status",
            "description",
            "lead_unit",
            "territorial_units",
            "supporting_units",
            "supervising_leader",
            "responsible_person",
            "planned_start",
            "planned_finish",
            "deadline",
            "total_investment",
            "longitude",
            "latitude",
            "geometry",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "territorial_units": forms.CheckboxSelectMultiple,
            "supporting_units": forms.CheckboxSelectMultiple,
            "planned_start": forms.DateInput(**DATE_WIDGET),
            "planned_finish": forms.DateInput(**DATE_WIDGET),
            "deadline": forms.DateInput(**DATE_WIDGET),
        }

    def __init__(self, *args, user, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not creating:
            # Status changes go through the status form (one allowed step at a time).
            del self.fields["status"]
        # Responsibility fields (code, type, units) are not offered to those who may not change them. One
        # sent anyway stays in the data, so that the service refuses it exactly as it does through the API.
        self.unoffered = set()
        project = self.instance if not creating else None
        if not project_can_change_responsibility(user=user, obj=project):
            self._unoffer(RESPONSIBILITY_FIELDS)
        # The approved baseline (dates) is shown read-only to those who request changes instead.
        self.baseline = []
        if not creating and not project_can_change_baseline(user=user, obj=project):
            self._unoffer(BASELINE_FIELDS)
            self.baseline = [(label, getattr(self.instance, name)) for name, label in BASELINE_FIELDS.items()]
        if "type" in self.fields:
            self.fields["type"].choices = [("", "请选择类型"), *ProjectType.choices]
        if "lead_unit" in self.fields:
            self.fields["lead_unit"].queryset = lead_unit_queryset()
            self.fields["lead_unit"].empty_label = "请选择牵头单位"
        if "territorial_units" in self.fields:
            self.fields["territorial_units"].queryset = territorial_unit_queryset()
            self.fields["territorial_units"].required = True
            self.fields["territorial_units"].error_messages["required"] = "请至少选择一个属地单位"
        if "supporting_units" in self.fields:
            self.fields["supporting_units"].queryset = Unit.objects.exclude(
                type=UnitType.GOVERNMENT
            ).order_by("sort_order", "name")
        self.fields["category"].queryset = self.fields["category"].queryset.filter(
            Q(active=True) | Q(pk=self.instance.category_id)
        )
        self.fields["category"].empty_label = "请选择类别"
        for name in ("longitude", "latitude"):
            self.fields[name].widget.attrs["step"] = "any"
        self.fields["total_investment"].widget.attrs["step"] = "any"

    def _unoffer(self, names) -> None:
        for name in names:
            if name not in self.fields:
                continue
            if self.is_bound and name in self.data:
                self.fields[name].required = False
                self.unoffered.add(name)
            else:
                del self.fields[name]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if "/" in code or "?" in code or "#" in code or "\\" in code:
            raise forms.ValidationError("项目编号不能包含 / ? # \\ 等字符")
        return code

    def sections(self):
        """[(title, [bound fields])] in page order, skipping fields this user does not edit."""
        out = []
        for title, names in self.SECTIONS:
            fields = [self[name] for name in names if name in self.fields and name not in self.unoffered]
            if fields:
                out.append((title, fields))
        return out


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="新状态")

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS[project.status]
        self.fields["status"].choices = [
            (s, ProjectStatus(s).label) for s in ProjectStatus.values if s in allowed
        ]
        self.fields["status"].error_messages["invalid_choice"] = (
            f"状态不能从「{project.get_status_display()}」改为所选状态（允许："
            f"{'、'.join(ProjectStatus(s).label for s in ProjectStatus.values if s in allowed) or '无'}）"
        )


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit_of_measure", "target", "sort_order"]
        help_texts = {"unit_of_measure": "如 m²、m³、栋、个、万元", "sort_order": "数字越小越靠前"}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].widget.attrs["step"] = "any"
        # An existing indicator's target is part of the approved baseline: read-only for a unit user.
        self.target_locked = bool(
            self.instance.pk and not project_can_change_baseline(user=user, obj=self.instance.project)
        )
        if self.target_locked:
            self.fields["target"].widget.attrs["readonly"] = True
            self.fields["target"].help_text = "目标值属于批准的计划基线，如需调整请申请计划变更"

    def clean_target(self):
        target = self.cleaned_data["target"]
        if self.target_locked and target is not None and target != self.instance.target:
            raise forms.ValidationError(
                "目标值属于批准的计划基线，请提交计划变更申请（编辑项目页的「申请计划变更」）"
            )
        return target

    def clean_name(self):
        name = self.cleaned_data["name"]
        same = Indicator.objects.filter(project_id=self.instance.project_id, name=name)
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(f"该项目已有名为「{name}」的指标")
        return name


def _current_year() -> int:
    return timezone.localdate().year


class LetterForm(forms.ModelForm):
    scan = forms.FileField(
        label="扫描件",
        required=False,
        help_text=f"PDF、JPEG 或 PNG，不超过 {megabytes(upload_limit('LETTER_SCAN_MAX_BYTES'))}；"
        "重新上传会替换当前文件（旧文件保留在变更记录中）",
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    class Meta:
        model = ResponsibilityLetter
        fields = ["unit", "year", "title", "status", "signing_date", "signatories"]
        widgets = {"signing_date": forms.DateInput(**DATE_WIDGET)}
        help_texts = {"title": "可留空，默认为“某年度某单位目标责任书”"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("sort_order", "name")
        self.fields["unit"].empty_label = "请选择责任单位"
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("year", _current_year())

    def clean(self):
        data = super().clean()
        unit, year = data.get("unit"), data.get("year")
        if unit and year:
            same = ResponsibilityLetter.objects.filter(unit=unit, year=year)
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("year", f"{unit.name}已有{year}年度的目标责任书")
        return data


class LetterItemForm(forms.ModelForm):
    project_code = forms.CharField(
        label="项目编号",
        max_length=50,
        required=False,
        help_text="填写项目编号；选择了指标时可留空",
        widget=forms.TextInput(attrs={"list": "td-project-codes", "autocomplete": "off"}),
    )

    class Meta:
        model = LetterItem
        fields = ["indicator", "target", "deadline", "note"]
        widgets = {"deadline": forms.DateInput(**DATE_WIDGET)}

    def __init__(self, *args, user, letter: ResponsibilityLetter, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.letter = letter
        unit = letter.unit
        unit_projects = Project.objects.filter(
            Q(lead_unit=unit) | Q(territorial_units=unit) | Q(supporting_units=unit)
        ).values("pk")
        indicators = (
            Indicator.objects.filter(Q(project__in=unit_projects) | Q(pk=self.instance.indicator_id))
            .select_related("project")
            .order_by("project__code", "sort_order", "id")
        )
        field = self.fields["indicator"]
        field.queryset = indicators
        field.empty_label = "（不对应具体指标）"
        field.label_from_instance = lambda ind: (
            f"{ind.project.code} {ind.project.name} · {ind.name}（{ind.unit_of_measure}）"
        )
        field.help_text = f"列出{unit.name}牵头、属地或配合项目的指标"
        self.fields["target"].widget.attrs["step"] = "any"
        self.project_choices = (
            Project.objects.filter(pk__in=unit_projects).order_by("code").values_list("code", "name")[:2000]
        )
        if self.instance.pk and not self.is_bound:
            self.initial["project_code"] = self.instance.project.code
        self.order_fields(["project_code", "indicator", "target", "deadline", "note"])

    def clean(self):
        data = super().clean()
        code = (data.get("project_code") or "").strip()
        indicator = data.get("indicator")
        project = None
        if code:
            project = project_list(user=self.user).filter(code=code).first()
            if project is None:
                self.add_error("project_code", f"项目编号「{code}」不存在")
                return data
        elif indicator is not None:
            project = indicator.project
        else:
            self.add_error("project_code", "请填写项目编号或选择指标")
            return data
        if indicator is not None and indicator.project_id != project.pk:
            self.add_error("indicator", f"指标「{indicator.name}」不属于项目 {project.code}")
            return data
        data["project"] = project
        self.instance.project = project
        return data


class ShareForm(forms.Form):
    """The office's editor of an indicator's territorial shares (属地分解): the target and one share per unit
    that may hold one (the lead unit and the territorial units); an empty share: the unit holds none."""

    target = forms.DecimalField(label="目标值", max_digits=18, decimal_places=3, min_value=Decimal("0.001"))

    def __init__(self, *args, indicator: Indicator, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.units = units
        self.fields["target"].label = f"目标值（{indicator.unit_of_measure}）"
        self.fields["target"].help_text = "修改目标值须同时修改分解，分解合计须等于目标值"
        self.fields["target"].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        for unit in units:
            self.fields[share_key(unit.pk)] = forms.DecimalField(
                label=unit.name,
                required=False,
                max_digits=18,
                decimal_places=3,
                min_value=Decimal("0.001"),
                widget=forms.NumberInput(
                    attrs={"step": "any", "inputmode": "decimal", "placeholder": "不分解"}
                ),
            )

    def share_fields(self):
        return [self[share_key(u.pk)] for u in self.units]

    def shares(self) -> dict:
        """{Unit: share target} of the filled-in shares."""
        data = self.cleaned_data
        return {u: data[share_key(u.pk)] for u in self.units if data.get(share_key(u.pk)) is not None}

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target is None or any(self.has_error(share_key(u.pk)) for u in self.units):
            return data
        problem = sum_problem(
            self.indicator.name, self.indicator.unit_of_measure, target, self.shares().values()
        )
        if problem:
            self.add_error("target", problem)
        return data


def share_key(unit_id: int) -> str:
    return f"share_{unit_id}"
