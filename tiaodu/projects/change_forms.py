"""The page form of a baseline change request (计划变更申请): new dates, each indicator's new target, reason.

The rules are those of the service (tiaodu.projects.changes.proposal_problems): the form asks them in its
clean() so each message appears beside its field.
"""

from django import forms

from tiaodu.projects.changes import REASON_MAX, Proposal, proposal_problems, target_key
from tiaodu.projects.forms import DATE_WIDGET
from tiaodu.projects.models import BASELINE_FIELDS, Project


class ChangeRequestForm(forms.Form):
    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        for name, label in BASELINE_FIELDS.items():
            current = getattr(project, name)
            self.fields[name] = forms.DateField(
                label=f"新的{label}",
                required=False,
                initial=current,
                widget=forms.DateInput(**DATE_WIDGET),
                help_text=f"现为 {current.isoformat() if current else '未填写'}；不改则保持原值",
                error_messages={"invalid": f"{label}须为日期（如 2027-06-30）"},
            )
        self.indicators = list(project.indicators.prefetch_related("shares"))
        for ind in self.indicators:
            shared = bool(ind.shares.all())
            self.fields[target_key(ind)] = forms.DecimalField(
                label=f"{ind.name}目标值（{ind.unit_of_measure}）",
                required=False,
                initial=format(ind.target.normalize(), "f"),
                max_digits=18,
                decimal_places=3,
                disabled=shared,
                widget=forms.NumberInput(attrs={"step": "any"}),
                help_text="已按属地分解，由领导小组办公室连同属地分解一并调整"
                if shared
                else f"现为 {format(ind.target.normalize(), 'f')}",
                error_messages={"invalid": f"指标「{ind.name}」的目标值须为数字"},
            )
        self.fields["reason"] = forms.CharField(
            label="变更理由",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4, "maxlength": REASON_MAX}),
            help_text=f"必填，不超过{REASON_MAX}字；说明调整的原因和依据",
        )

    def date_fields(self):
        return [self[name] for name in BASELINE_FIELDS]

    def target_fields(self):
        return [self[target_key(ind)] for ind in self.indicators]

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        return Proposal(
            reason=data.get("reason") or "",
            planned_start=data.get("planned_start"),
            planned_finish=data.get("planned_finish"),
            deadline=data.get("deadline"),
            targets=[
                (ind, data.get(target_key(ind)))
                for ind in self.indicators
                if data.get(target_key(ind)) is not None and not self.fields[target_key(ind)].disabled
            ],
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for key, messages in proposal_problems(self.project, self.proposal()).items():
            for message in messages:
                self.add_error(None if key == "__all__" else key, message)
        return data
