"""Rules every stored value keeps, whatever path it comes by (forms, the API, imports, the admin).

* Text holds no control characters except tab and newline (``\\x00-\\x08 \\x0b \\x0c \\x0e-\\x1f \\x7f``):
  they break Word, Excel and XML renderers and are never typed on purpose.
* Dates lie between 1900-01-01 and 2100-12-31: outside that, date arithmetic overflows and no
  project of a district is planned there.

``harden_model_fields()`` (called by the core app when Django starts) adds the two validators to every
CharField/TextField and DateField/DateTimeField of every Tiaodu model, so a new model is covered
without anyone remembering to; ``full_clean()``, model forms and DRF model serializers run them, and
``makemigrations`` records them. Importers and bulk writers that skip ``full_clean()`` call
``text_problem``/``date_problem`` (or ``check_instance``) themselves. ``manage.py check_data`` finds
rows written before the rules (or behind their back, by raw SQL).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from tiaodu.core.text_rules import (  # noqa: F401 — the rules' pure half, re-exported
    CONTROL_CHARACTERS,
    DATE_RANGE_TEXT,
    MAX_DATE,
    MIN_DATE,
    date_problem,
    strip_control,
    text_problem,
    usable_date,
)


@deconstructible
class NoControlCharacters:
    """Refuses text holding control characters other than tab and newline."""

    code = "control_character"

    def __init__(self, label: str = ""):
        self.label = label

    def __call__(self, value):
        problem = text_problem(value, self.label)
        if problem:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters) and other.label == self.label

    def __hash__(self):
        return hash((type(self), self.label))


@deconstructible
class DateInRange:
    """Refuses dates before 1900-01-01 or after 2100-12-31."""

    code = "date_range"

    def __init__(self, label: str = ""):
        self.label = label

    def __call__(self, value):
        problem = date_problem(value, self.label)
        if problem:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other):
        return isinstance(other, DateInRange) and other.label == self.label

    def __hash__(self):
        return hash((type(self), self.label))


def _label(field) -> str:
    return str(field.verbose_name or field.name)


def _text_field(field) -> bool:
    from django.db import models

    return isinstance(field, models.CharField | models.TextField) and not field.choices


def _date_field(field) -> bool:
    from django.db import models

    return isinstance(field, models.DateField) and not (
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    )


def harden_field(field) -> None:
    """Add the validators the field's kind needs (once)."""
    wanted = []
    if _text_field(field):
        wanted.append(NoControlCharacters(_label(field)))
    elif _date_field(field):
        wanted.append(DateInRange(_label(field)))
    added = False
    for validator in wanted:
        if not any(type(v) is type(validator) for v in field._validators):
            field._validators = [*field._validators, validator]
            added = True
    if added:
        field.__dict__.pop("validators", None)  # a cached_property combining the default validators


def tiaodu_models():
    from django.apps import apps

    return [m for m in apps.get_models() if m.__module__.startswith("tiaodu.")]


def hardened_fields(model):
    """The concrete fields of `model` that carry the text or date rule."""
    return [f for f in model._meta.concrete_fields if _text_field(f) or _date_field(f)]


def harden_model_fields() -> None:
    from django.db.models.signals import pre_save

    for model in tiaodu_models():
        for field in hardened_fields(model):
            harden_field(field)
        pre_save.connect(refuse_bad_values, sender=model, dispatch_uid=f"text-date-rules-{model._meta.label}")


def refuse_bad_values(sender, instance, raw=False, update_fields=None, **kwargs):
    """The last line: a save() that skipped full_clean() still cannot store a control character or a
    date out of range (only the fields being saved are checked). Raw saves (loading a backup or a
    fixture) pass; ``check_data`` finds what they bring."""
    if not raw:
        check_instance(instance, only=update_fields)


def instance_problems(instance, only=None) -> list[tuple[str, str]]:
    """[(field name, message)] for every text or date field of `instance` (of `only`, names, when
    given) that breaks a rule."""
    problems = []
    for field in hardened_fields(type(instance)):
        if only is not None and field.name not in only and field.attname not in only:
            continue
        value = getattr(instance, field.attname)
        problem = (
            text_problem(value, _label(field)) if _text_field(field) else date_problem(value, _label(field))
        )
        if problem:
            problems.append((field.name, problem))
    return problems


def check_instance(instance, only=None) -> None:
    """ValidationError (by field) when `instance` breaks a rule — for writers that skip full_clean()."""
    problems = instance_problems(instance, only=only)
    if problems:
        errors: dict[str, list[str]] = {}
        for name, message in problems:
            errors.setdefault(name, []).append(message)
        raise ValidationError(errors)
