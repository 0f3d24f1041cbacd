"""The form of the investment settings page (投资统计设置)."""

from django import forms

from tiaodu.investment.models import InvestmentSettings


class InvestmentSettingsForm(forms.ModelForm):
    class Meta:
        model = InvestmentSettings
        fields = InvestmentSettings.TRACKED_FIELDS
