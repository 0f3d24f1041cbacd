"""manage.py check_data [--fix]: rows that break the text and date rules (tiaodu.core.validation).

Reports every stored value of a Tiaodu model that the rules would refuse today — text holding control
characters, dates outside 1900-01-01..2100-12-31 — one line each: model, id, field, problem. Such rows
come from before the rules, from raw SQL or from another program writing to the database.

--fix cleans what can be cleaned without guessing, and records each change in the change log (source
check_data, by 系统):
* control characters are removed from the text (tab and newline kept);
* a date out of range is set to empty when the field may be empty; a required date is left as it is
  and reported as needing a person (no date can be guessed for it).

Exits with an error status while problems remain (so a cron job or CI can watch it).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from tiaodu.core.audit import build_record
from tiaodu.core.validation import (
    MAX_DATE,
    MIN_DATE,
    date_problem,
    hardened_fields,
    strip_control,
    text_problem,
    tiaodu_models,
)

# The regex in the database's own syntax (escapes, not the characters: PostgreSQL cannot hold NUL).
SQL_CONTROL = r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]"
SQLITE_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def _is_text(field) -> bool:
    return isinstance(field, models.CharField | models.TextField)


def _bad_rows(model, field):
    manager = model._base_manager
    if _is_text(field):
        pattern = SQLITE_CONTROL if connection.vendor == "sqlite" else SQL_CONTROL
        return manager.filter(**{f"{field.name}__regex": pattern})
    if isinstance(field, models.DateTimeField):
        low, high = f"{field.name}__date__lt", f"{field.name}__date__gt"
    else:
        low, high = f"{field.name}__lt", f"{field.name}__gt"
    return manager.filter(models.Q(**{low: MIN_DATE}) | models.Q(**{high: MAX_DATE}))


class Command(BaseCommand):
    help = "检查（并可用 --fix 清理）含有控制字符的文本和超出1900–2100年的日期"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="清除控制字符；可为空的越界日期置空")

    def handle(self, *args, fix: bool = False, **options):
        found = fixed = 0
        for model in tiaodu_models():
            for field in hardened_fields(model):
                for pk, value in _bad_rows(model, field).values_list("pk", field.attname).iterator():
                    label = str(field.verbose_name or field.name)
                    problem = (
                        text_problem(value, label) if _is_text(field) else date_problem(value, label)
                    ) or "值无效"
                    found += 1
                    line = f"{model._meta.label} #{pk} {field.name}: {problem}"
                    if fix:
                        outcome = self._fix(model, field, pk, value)
                        fixed += outcome is not None
                        line += f" → {outcome or '需人工处理（必填日期无法推断）'}"
                    self.stdout.write(line)
        if not found:
            self.stdout.write("未发现问题数据")
            return
        remaining = found - fixed
        self.stdout.write(f"共发现{found}处问题" + (f"，已修复{fixed}处" if fix else ""))
        if remaining:
            raise CommandError(f"仍有{remaining}处问题数据" + ("" if fix else "（可用 --fix 清理）"))

    @transaction.atomic
    def _fix(self, model, field, pk, value) -> str | None:
        if _is_text(field):
            new = strip_control(value)
            outcome = "已清除控制字符"
        elif field.null:
            new = None
            outcome = "已置空"
        else:
            return None
        model._base_manager.filter(pk=pk).update(**{field.attname: new})
        try:
            obj = model._base_manager.filter(pk=pk).first()
        except (OverflowError, ValueError):  # another field of the row is out of range too
            obj = None
        if obj is not None:
            label = str(field.verbose_name or field.name)
            record = build_record(
                obj=obj,
                before={label: repr(value) if _is_text(field) else str(value)},
                after={label: repr(new) if new is not None else ""},
                source="check_data",
            )
            if record is not None:
                record.save()
        return outcome
