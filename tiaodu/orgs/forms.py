"""Forms for units and people, and the person pickers other apps' forms use."""

from django import forms

from tiaodu.orgs.models import Person, Unit


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


def person_queryset():
    return Person.objects.select_related("unit").order_by("unit__sort_order", "unit__name", "name")


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "type", "parent", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "（无上级单位）"
        self.fields["sort_order"].help_text = "数字越小越靠前"


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "post", "phone", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].empty_label = "请选择单位"

    def clean(self):
        data = super().clean()
        name, unit = data.get("name"), data.get("unit")
        if name and unit:
            same = Person.objects.filter(unit=unit, name=name)
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("name", f"{unit.name}已有名为「{name}」的人员")
        return data
