"""A schedule as its MS Project or Primavera P6 file states it: pure data, no Django, no Java.

The contract between the three parts of a schedule-file import:

* `tiaodu.scheduling.mpxj_open` opens a file (any format mpxj reads) and picks one project;
* `tiaodu.scheduling.mpxj_extract` turns mpxj's ProjectFile into a FileProject (this module's types);
* `tiaodu.scheduling.file_engine` schedules a FileProject (working time in minutes on its calendars);
  the product keeps a FileProject's semantics on the Task rows and schedules them with the same engine.

Times are naive local datetimes, as the files hold them. Durations and lags are minutes of *working* time on
the calendar that applies (the task's own, else the project's), unless `elapsed` says calendar time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Where the file came from; MS Project and P6 schedule a few things differently.
MSP = "msp"
P6 = "p6"


@dataclass(frozen=True)
class WorkRange:
    """A working period within one day, in minutes from midnight: start < end ≤ 1440."""

    start: int
    end: int


@dataclass
class FileCalendar:
    """A calendar: its working week, and dates that differ from it (exceptions)."""

    key: str  # the file's calendar unique id, as text
    name: str
    # Monday=0 … Sunday=6 → working periods of that weekday (empty tuple: a day off).
    week: dict[int, tuple[WorkRange, ...]]
    # A date → its working periods that day (empty tuple: a holiday / non-working day).
    exceptions: dict[datetime.date, tuple[WorkRange, ...]] = field(default_factory=dict)
    minutes_per_day: int = 480  # the file's "hours per day", used to show durations in days
    minutes_per_week: int = 2400
    minutes_per_month: int = 9600  # 20 days, MS Project's default


# Constraint types (MS Project names; P6's are mapped onto them by mpxj_extract).
ASAP = "ASAP"  # as soon as possible
ALAP = "ALAP"  # as late as possible
SNET = "SNET"  # start no earlier than
SNLT = "SNLT"  # start no later than
FNET = "FNET"  # finish no earlier than
FNLT = "FNLT"  # finish no later than
MSO = "MSO"  # must start on (P6: mandatory start when `mandatory`)
MFO = "MFO"  # must finish on (P6: finish on / mandatory finish)
CONSTRAINTS = (ASAP, ALAP, SNET, SNLT, FNET, FNLT, MSO, MFO)

FS, SS, FF, SF = "FS", "SS", "FF", "SF"


@dataclass
class FileLink:
    predecessor: str  # the predecessor's key (FileTask.key)
    type: str = FS
    lag_minutes: int = 0  # working minutes (or calendar minutes when lag_elapsed)
    lag_elapsed: bool = False  # ed/ew/emo: calendar time, 24 h a day, 7 days a week
    lag_percent: float | None = None  # a percentage lag: this share of the predecessor's duration


@dataclass
class FileTask:
    key: str  # stable identity: MS Project UniqueID, P6 activity GUID or activity ID
    code: str  # what the planner sees: MS Project's ID / WBS, P6 activity ID
    name: str
    duration_minutes: int  # the planned (or for progressed tasks, the at-completion) duration
    calendar: str | None = None  # a FileCalendar.key; None: the project's calendar
    duration_elapsed: bool = False  # an elapsed duration (calendar time)
    links: list[FileLink] = field(default_factory=list)  # several per predecessor are allowed
    summary: bool = False
    parent: str | None = None  # the key of the summary task above it
    milestone: bool = False
    manual: bool = False  # MS Project manually scheduled: stays at `start`/`finish`
    typed: bool = False  # MS Project manual task with a typed duration/start/finish text: never critical
    level_of_effort: bool = False  # P6 LOE: spans from its predecessors to its successors
    constraint: str = ASAP
    constraint_date: datetime.datetime | None = None
    mandatory: bool = False  # P6: MSO/MFO are mandatory start/finish (else P6 "start on"/"finish on")
    start_milestone: bool | None = None  # P6 start milestone (True) / finish milestone (False); None: unknown
    secondary_constraint: str | None = None  # P6's second constraint
    secondary_constraint_date: datetime.datetime | None = None
    deadline: datetime.datetime | None = None  # MS Project's task deadline (only raises warnings)
    actual_start: datetime.datetime | None = None
    actual_finish: datetime.datetime | None = None
    percent_complete: float = 0.0  # 0 … 100 (MS Project duration % complete / P6 physical)
    remaining_minutes: int | None = None  # the remaining duration, when the file states one
    # The file's own scheduled values, for comparison (None when the file does not state them).
    file_start: datetime.datetime | None = None
    file_finish: datetime.datetime | None = None
    file_early_start: datetime.datetime | None = None
    file_early_finish: datetime.datetime | None = None
    file_late_start: datetime.datetime | None = None
    file_late_finish: datetime.datetime | None = None
    file_total_float_minutes: int | None = None
    file_critical: bool | None = None


@dataclass
class FileProject:
    source: str  # MSP or P6
    name: str
    start: datetime.datetime  # the project's planned start
    calendar: str  # the default calendar's key
    calendars: dict[str, FileCalendar]
    tasks: list[FileTask]  # in the file's order, summaries included
    data_date: datetime.datetime | None = None  # status date (MS Project) / data date (P6)
    finish: datetime.datetime | None = None  # the file's own project finish
    must_finish_by: datetime.datetime | None = None
    resources: int = 0  # how many resources the file names (not scheduled here)
    levelled: bool = False  # whether the file shows signs of resource levelling
    notes: list[str] = field(default_factory=list)  # what the extraction dropped or changed, in Chinese


@dataclass
class TaskResult:
    key: str
    early_start: datetime.datetime
    early_finish: datetime.datetime
    late_start: datetime.datetime
    late_finish: datetime.datetime
    total_float_minutes: int  # on the task's calendar; negative when late
    critical: bool


@dataclass
class FileSchedule:
    """What file_engine.schedule returns: one result per non-summary task, summaries rolled up."""

    tasks: dict[str, TaskResult]
    finish: datetime.datetime | None
    critical_path: list[str]  # keys, in schedule order
    warnings: list[str] = field(default_factory=list)  # Chinese


@dataclass
class ImportReport:
    """Shown after every import (and kept with the change record)."""

    file_name: str
    file_format: str  # e.g. "MS Project (.mpp)", "Primavera P6 XER"
    project_name: str
    counts: dict[str, int]  # 任务/摘要任务/依赖/日历/限制条件/资源 → how many were read
    added: list[str] = field(default_factory=list)  # "code name" of tasks new to the project
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # "code name：工期 5天→6天" …
    dropped: list[str] = field(default_factory=list)  # what was not taken, and why (Chinese)
    calendar_notes: list[str] = field(default_factory=list)  # file calendar vs the project's
    file_finish: datetime.datetime | None = None
    our_finish: datetime.datetime | None = None
    critical_same: int = 0  # tasks critical in both
    critical_only_file: list[str] = field(default_factory=list)
    critical_only_ours: list[str] = field(default_factory=list)
