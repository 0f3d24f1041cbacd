"""Which baseline snapshot row each current task continues (selectors.baseline_comparison)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tiaodu.scheduling.compute import Schedule
    from tiaodu.scheduling.models import Task


def baseline_rows(schedule: Schedule, snapshot: dict, tasks: list[Task] | None) -> tuple[dict, list]:
    """The baseline row of each current task (by code) and the baseline rows no task continues.

    A task's row is the one with its key (file_schedule.task_key; before version 2 a key was the source
    key or the bare code). A task whose key has no row takes the row keyed by its code (the tasks of an
    .xlsx baseline that an MS Project / P6 import has given file identities). Snapshots older than keys
    match by code.
    """
    base_rows = snapshot.get("tasks", [])
    if not all("key" in row for row in base_rows):
        by_code = {row["code"]: row for row in base_rows}
        current = {t.code for t in schedule.tasks}
        return {c: by_code[c] for c in current if c in by_code}, [
            row for c, row in by_code.items() if c not in current
        ]
    prefixed = snapshot.get("version", 1) >= 2
    by_key = {row["key"]: row for row in base_rows}
    model = {t.code: t for t in tasks or []}

    def code_key(code: str) -> str:  # the key of a row keyed by this code
        return f"code:{code}" if prefixed else code

    def key(code: str) -> str:
        t = model.get(code)
        return t.source_key if t is not None and t.source_key else code_key(code)

    matched: dict[str, dict] = {}
    claimed: set[str] = set()
    for t in schedule.tasks:
        if key(t.code) in by_key:
            matched[t.code] = by_key[key(t.code)]
            claimed.add(key(t.code))
    for t in schedule.tasks:
        k = code_key(t.code)
        row = by_key.get(k)
        if t.code in matched or row is None or k in claimed or (not prefixed and row["code"] != k):
            continue
        matched[t.code] = row
        claimed.add(k)
    return matched, [row for k, row in by_key.items() if k not in claimed]
