"""Which imported task is which existing task, and what an import changed (added, removed, changed).

Rules (the README's 计划导入 section):

* A task is the same task when its file identity (Task.source_key: MS Project UniqueID, P6 activity GUID
  or ID) is the same. A task without one (an .xlsx row), or the first file import over tasks none of which
  has one, is matched by its code (a task added by hand to an imported plan is never matched by code to a
  new file task: it would give that task its indicator and quantity). Matched tasks keep their indicator and quantity when the file carries
  none (MS Project / P6 files), even when their code (MS Project's row ID) changed.
* "Changed" means: name, duration (whole days, or hours when the days stay the same), predecessors
  (compared by identity, so a renumbering alone changes nothing), constraint, actual start / finish or
  percent complete. A code that changed alone is not a change: the renumbering is summarised in one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tiaodu.scheduling import engine
from tiaodu.scheduling.importers import ImportedTask
from tiaodu.scheduling.models import Task

# Task.detail entries compared for "changed", with their labels.
DETAIL_LABELS = {
    "actual_start": "实际开始",
    "actual_finish": "实际完成",
    "percent_complete": "完成百分比",
}
LIST_LIMIT = 200
# Constraint codes (file_model) in words; "{}" is the constraint date. P6's mandatory start / finish are
# MSO / MFO with `mandatory`.
CONSTRAINT_TEXT = {
    "ASAP": "越早越好",
    "ALAP": "越晚越好",
    "SNET": "不得早于{}开始",
    "SNLT": "不得晚于{}开始",
    "FNET": "不得早于{}完成",
    "FNLT": "不得晚于{}完成",
    "MSO": "必须开始于{}",
    "MFO": "必须完成于{}",
}
MANDATORY_TEXT = {"MSO": "强制开始于{}", "MFO": "强制完成于{}"}


def identity(task: Task | ImportedTask) -> str:
    key = task.source_key if isinstance(task, Task) else task.key
    return key or f"code:{task.code}"


def match(old: list[Task], new: list[ImportedTask]) -> dict[int, Task]:
    """New task position → the existing task it continues."""
    by_key = {t.source_key: t for t in old if t.source_key}
    by_code = {t.code: t for t in old}
    first_file_import = not by_key  # no old task has a file identity yet
    out: dict[int, Task] = {}
    used: set[int] = set()
    for i, t in enumerate(new):
        found = by_key.get(t.key) if t.key else None
        if found is None:
            candidate = by_code.get(t.code)
            if candidate is not None and (not t.key or first_file_import):
                found = candidate
        if found is not None and found.pk not in used:
            out[i] = found
            used.add(found.pk)
    return out


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    kept_quantities: int = 0

    def lines(self) -> list[str]:
        """`changed` with the renumbering summarised at the end."""
        out = self.changed[:LIST_LIMIT]
        if len(self.changed) > LIST_LIMIT:
            out.append(f"……共{len(self.changed)}项任务有变化")
        if self.renumbered:
            examples = "、".join(f"{a}→{b}" for a, b in self.renumbered[:3])
            out.append(
                f"另有{len(self.renumbered)}项任务仅编号变化（如 {examples}，MS Project 插入或删除行后标识号会顺延），"
                "已按文件中的唯一标识对应，不计为变更"
            )
        return out


def _old_links(task: Task, continued: dict[int, str]) -> set[tuple[str, str, int]]:
    """The task's links by the identity their predecessor has now (a matched task's new identity)."""
    return {
        (continued.get(d.predecessor_id, identity(d.predecessor)), d.type, d.lag)
        for d in task.predecessor_links.all()
    }


def _fmt_links(links) -> str:
    return "、".join(engine.format_link(link) for link in links) or "无"


def _detail_changes(old: dict | None, new: dict | None) -> list[str]:
    if old is None or new is None:  # an .xlsx task on either side states none of these
        return []
    parts = []
    a, b = _constraint_text(old), _constraint_text(new)
    if a != b:
        parts.append(f"限制条件{a}→{b}")
    for name, label in DETAIL_LABELS.items():
        a, b = old.get(name), new.get(name)
        if a != b and (a or b):
            parts.append(f"{label}{_show(a)}→{_show(b)}")
    return parts


def _constraint_text(detail: dict) -> str:
    kind = detail.get("constraint") or "ASAP"
    texts = MANDATORY_TEXT if detail.get("mandatory") and kind in MANDATORY_TEXT else CONSTRAINT_TEXT
    when = detail.get("constraint_date")
    return texts.get(kind, kind).format(_show(when) if when else "")


def _show(value) -> str:
    if value in (None, ""):
        return "无"
    if isinstance(value, str) and len(value) >= 16 and value[10] == "T":
        return value[:10] if value.endswith("T00:00:00") else value[:16].replace("T", " ")
    if isinstance(value, float):
        return f"{value:g}%"
    return str(value)


def changes(old: list[Task], new: list[ImportedTask], matched: dict[int, Task]) -> Changes:
    out = Changes()
    key_of_code = {t.code: identity(t) for t in new}
    used = {t.pk for t in matched.values()}
    continued = {before.pk: identity(new[i]) for i, before in matched.items()}
    for i, t in enumerate(new):
        before = matched.get(i)
        if before is None:
            out.added.append(f"{t.code} {t.name}")
            continue
        if before.code != t.code:
            out.renumbered.append((before.code, t.code))
        parts = []
        if before.name != t.name:
            parts.append(f"名称「{before.name}」→「{t.name}」")
        if before.duration != t.duration:
            parts.append(f"工期{before.duration}天→{t.duration}天")
        else:
            a = (before.detail or {}).get("duration_minutes")
            b = (t.detail or {}).get("duration_minutes")
            if a is not None and b is not None and a != b:
                parts.append(f"工期{a / 60:g}小时→{b / 60:g}小时")
        new_links = {(key_of_code.get(link.predecessor, ""), link.type, link.lag) for link in t.links}
        if _old_links(before, continued) != new_links:
            before_links = [
                engine.Link(d.predecessor.code, d.type, d.lag) for d in before.predecessor_links.all()
            ]
            parts.append(f"紧前任务「{_fmt_links(before_links)}」→「{_fmt_links(t.links)}」")
        parts += _detail_changes(before.detail, t.detail)
        if parts:
            out.changed.append(f"{t.code} {t.name}：" + "；".join(parts))
    out.removed = [f"{t.code} {t.name}" for t in old if t.pk not in used]
    return out
