"""Labels and badges of the supervision pages."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tiaodu.supervision import rules
from tiaodu.supervision.models import Level

register = template.Library()

_WARNING_CSS = {rules.REMINDER: "td-w-reminder", rules.YELLOW: "td-w-yellow", rules.RED: "td-w-red"}
_ICONS = {rules.REMINDER: "bi-bell", rules.YELLOW: "bi-file-fill", rules.RED: "bi-file-fill"}


@register.filter
def warning_label(level) -> str:
    return rules.LABELS.get(level or rules.NONE, "")


@register.filter
def warning_row(level) -> str:
    return {rules.RED: "td-row-red", rules.YELLOW: "td-row-yellow", rules.REMINDER: "td-row-reminder"}.get(
        level, ""
    )


@register.simple_tag
def warning_badge(level):
    if not level or level == rules.NONE:
        return mark_safe('<span class="text-secondary">—</span>')
    return format_html(
        '<span class="badge td-w {}"><i class="bi {}"></i> {}</span>',
        _WARNING_CSS[level],
        _ICONS[level],
        rules.LABELS[level],
    )


@register.filter
def level_label(level) -> str:
    try:
        return Level(int(level)).label
    except (TypeError, ValueError):
        return ""
