"""Filters of the funds pages: an amount in 万元 (12,345.60) and a percentage (97.2%), both as figures.py
writes them (rounded half-up only when shown)."""

from django import template

from tiaodu.investment import figures

register = template.Library()


@register.filter
def wan(value) -> str:
    return figures.money_text(value)


@register.filter
def pct(value) -> str:
    return figures.pct_text(value)
