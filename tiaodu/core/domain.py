"""The words of the domain, defined once: project types, project statuses and lag levels — their stored
values, their Chinese labels and their orders. Pure Python (no Django): the models' choices
(tiaodu.projects.models.ProjectType / ProjectStatus) are built from these tables, and the pure cores
(the lag analysis, the overview figures, the briefing) use them directly.

Orders: the tables are in the order pages list them (types: 重点建设, 综合整治; statuses: the workflow
未开工 → 在建 → 已竣工 → 已验收, then 暂停); LEVEL_ORDER sorts the most severe lag first.
"""

from __future__ import annotations

# --- project types ----------------------------------------------------------------------------------

KEY_CONSTRUCTION = "key_construction"
REMEDIATION = "remediation"

PROJECT_TYPES: tuple[tuple[str, str], ...] = (
    (KEY_CONSTRUCTION, "重点建设"),
    (REMEDIATION, "综合整治"),
)
TYPE_LABELS: dict[str, str] = dict(PROJECT_TYPES)
TYPE_ORDER: tuple[str, ...] = tuple(value for value, _label in PROJECT_TYPES)
# The noun a sentence counts: 全区14个重点建设项目中…
TYPE_NOUNS: dict[str, str] = {value: f"{label}项目" for value, label in PROJECT_TYPES}

# --- project statuses -------------------------------------------------------------------------------

NOT_STARTED = "not_started"
UNDER_CONSTRUCTION = "under_construction"
COMPLETED = "completed"
ACCEPTED = "accepted"
SUSPENDED = "suspended"

PROJECT_STATUSES: tuple[tuple[str, str], ...] = (
    (NOT_STARTED, "未开工"),
    (UNDER_CONSTRUCTION, "在建"),
    (COMPLETED, "已竣工"),
    (ACCEPTED, "已验收"),
    (SUSPENDED, "暂停"),
)
STATUS_LABELS: dict[str, str] = dict(PROJECT_STATUSES)
STATUS_ORDER: tuple[str, ...] = tuple(value for value, _label in PROJECT_STATUSES)

# 已竣工 in every count means completed or accepted (an accepted project was completed first).
DONE_STATUSES = frozenset({COMPLETED, ACCEPTED})
# Projects that must report every week; a not-started one must too once its planned start has passed.
MUST_REPORT_STATUSES = frozenset({UNDER_CONSTRUCTION, SUSPENDED})

# One step at a time in the UI and API: 未开工 → 在建 → 已竣工 → 已验收; 暂停 from and back to 在建.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    NOT_STARTED: {UNDER_CONSTRUCTION},
    UNDER_CONSTRUCTION: {COMPLETED, SUSPENDED},
    SUSPENDED: {UNDER_CONSTRUCTION},
    COMPLETED: {ACCEPTED},
    ACCEPTED: set(),
}


def status_reachable(old: str, new: str) -> bool:
    """Whether `new` can be reached from `old` by allowed steps (the ledger may skip steps)."""
    if old == new:
        return True
    seen, frontier = {old}, [old]
    while frontier:
        for nxt in STATUS_TRANSITIONS[frontier.pop()]:
            if nxt == new:
                return True
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return False


# --- lag levels -------------------------------------------------------------------------------------

NORMAL = "normal"
LAGGING = "lagging"
SEVERE = "severe"

LEVELS: tuple[tuple[str, str], ...] = (
    (NORMAL, "正常"),
    (LAGGING, "滞后"),
    (SEVERE, "严重滞后"),
)
LEVEL_LABELS: dict[str, str] = dict(LEVELS)
LEVEL_ORDER: dict[str, int] = {SEVERE: 0, LAGGING: 1, NORMAL: 2}
BEHIND_LEVELS = frozenset({LAGGING, SEVERE})
