"""Template helpers: Chinese dates and numbers, form fields in Bootstrap, pager links that keep filters.

Dates are shown the Chinese way everywhere (2026年3月1日); numbers without trailing zeros and with
thousands separators (120,000.5).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from django import forms, template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tiaodu.core.geometry import geometry_summary as _geometry_summary

register = template.Library()

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$")
_SOURCES = {
    "web": "网页",
    "api": "接口",
    "admin": "后台",
    "import": "台账导入",
    "ledger": "台账导入",
    "command": "命令",
    "system": "系统",
    "demo": "演示数据",
    "report": "周报",
}


def _date_text(year: int, month: int, day: int) -> str:
    return f"{year}年{month}月{day}日"


@register.filter
def cn_date(value) -> str:
    """2026年3月1日 for a date or datetime (local time); empty for None."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if isinstance(value, datetime.date):
        return _date_text(value.year, value.month, value.day)
    return str(value)


@register.filter
def cn_datetime(value) -> str:
    """2026年3月1日 14:05 in local time."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{_date_text(value.year, value.month, value.day)} {value:%H:%M}"
    return cn_date(value)


@register.filter
def cn_num(value) -> str:
    """120,000.5 for Decimal('120000.500'); empty for None."""
    if value in (None, ""):
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if not number.is_finite():
        return str(value)
    number = number.normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return format(number, ",f")


@register.filter
def width_class(value) -> str:
    """td-bar-45 for 45.3 (a percentage, 0..100): bars get their width from a class in tiaodu.css, since the
    Content-Security-Policy allows no style attributes. None and bad values are 0."""
    try:
        pct = float(value)
    except (TypeError, ValueError):
        return "td-bar-0"
    if pct != pct:  # NaN
        return "td-bar-0"
    return f"td-bar-{min(100, max(0, round(pct)))}"


@register.filter
def cn_value(value) -> str:
    """A value from the change log as the user reads it: ISO dates become Chinese dates."""
    if value in (None, ""):
        return ""
    text = str(value)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day, hour, minute = match.groups()
        out = _date_text(int(year), int(month), int(day))
        return f"{out} {hour}:{minute}" if hour else out
    return text


@register.filter
def geometry_summary(value) -> str:
    """A project's 空间范围 in words (「线，3个点」)."""
    return _geometry_summary(value)


@register.filter
def source_label(value) -> str:
    return _SOURCES.get(value, value or "")


@register.filter
def ct_label(content_type) -> str:
    """The Chinese name of a change record's model (项目, 目标指标…)."""
    model = content_type.model_class() if content_type is not None else None
    return str(model._meta.verbose_name) if model is not None else ""


@register.filter
def project_url(project_or_code) -> str:
    """The project page's address; never fails, even for a code the URL pattern cannot carry (with "/")."""
    code = str(getattr(project_or_code, "code", project_or_code))
    try:
        return reverse("project_detail", args=[code])
    except NoReverseMatch:
        return f"/projects/{quote(code, safe='')}/"


@register.filter
def elided_range(page):
    """Page numbers around the current page, with … for the gaps."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (None removes one): pager links keep filters."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key, value in kwargs.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode() if params else ""
    return f"?{encoded}" if encoded else "?"


@register.filter
def query_items(params) -> list[tuple[str, str]]:
    """(name, value) pairs of a query string. In a template `request.GET.items` would look up a
    parameter named "items" first, so `?items=x` would break the page."""
    return list(params.items()) if params is not None else []


@register.filter
def add_class(bound_field, css: str):
    """Render a bound field's widget with extra CSS classes (and is-invalid when it has errors)."""
    if bound_field.errors:
        css = f"{css} is-invalid"
    return bound_field.as_widget(attrs={"class": css})


def _widget_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.inclusion_tag("core/_field.html")
def field(bound_field, wrapper_class="", hide_label=False):
    """A form field with its label, its errors right beside it, and its help text."""
    widget = bound_field.field.widget
    multi = isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
    attrs = {}
    if not multi:
        # (A multiple-choice widget would put the class on its container too; CSS styles its inputs.)
        css = _widget_class(widget)
        if bound_field.errors:
            css += " is-invalid"
        existing = widget.attrs.get("class", "")
        attrs["class"] = f"{existing} {css}".strip()
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    check = isinstance(widget, forms.CheckboxInput)
    return {
        "field": bound_field,
        "widget": bound_field.as_widget(attrs=attrs),
        "multi": multi,
        "check": check,
        "wrapper_class": wrapper_class,
        "hide_label": hide_label,
    }
