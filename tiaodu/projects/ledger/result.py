"""What an import returns: the errors (each naming sheet, row and column), the counts, a sample of the
planned changes, the people to be created, and whether anything was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiaodu.core.xlsx import CellError
from tiaodu.projects.ledger import extensions
from tiaodu.projects.ledger.schema import ERRORS_KEPT, KIND_LABELS

# A ledger error is the importers' one cell-error type: 工作表「项目」第5行「计划开工」：日期无效「2026-13-01」.
LedgerError = CellError

_CHANGE_COUNTS = (
    "units_created",
    "units_updated",
    "people_created",
    "projects_created",
    "projects_updated",
    "indicators_created",
    "indicators_updated",
    "shares_created",
    "shares_updated",
    "shares_deleted",
)


class ErrorList(list):
    """The errors found so far, in the order found."""

    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.append(CellError(sheet, row, column, message))


@dataclass
class LedgerResult:
    errors: list[LedgerError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    changes: dict[str, list[dict]] = field(default_factory=lambda: {k: [] for k in KIND_LABELS})
    new_people: list[dict] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False
    records: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(self.counts.get(k, 0) for k in (*_CHANGE_COUNTS, *extensions.change_counts()))

    def summary_lines(self) -> list[str]:
        if self.errors:
            return [f"台账有 {len(self.errors)} 处错误，未导入任何数据。"]
        c = self.counts
        head = "导入完成：" if self.written else "检查通过（预览，未写入任何数据）："
        lines = [
            head,
            f"单位：新建 {c.get('units_created', 0)} 个，更新 {c.get('units_updated', 0)} 个，"
            f"未变 {c.get('units_unchanged', 0)} 个",
            f"人员：新建 {c.get('people_created', 0)} 人",
            f"项目：新建 {c.get('projects_created', 0)} 个，更新 {c.get('projects_updated', 0)} 个，"
            f"未变 {c.get('projects_unchanged', 0)} 个",
            f"目标指标：新建 {c.get('indicators_created', 0)} 个，更新 {c.get('indicators_updated', 0)} 个，"
            f"未变 {c.get('indicators_unchanged', 0)} 个",
        ]
        if any(c.get(k) for k in ("shares_created", "shares_updated", "shares_deleted")):
            lines.append(
                f"属地分解：新建 {c.get('shares_created', 0)} 项，修改 {c.get('shares_updated', 0)} 项，"
                f"删除 {c.get('shares_deleted', 0)} 项"
            )
        for sheet in extensions.registered():
            line = sheet.summary(c)
            if line:
                lines.append(line)
        if not self.changed:
            lines.append("台账与系统中的数据一致，" + ("未做任何修改。" if self.written else "无需导入。"))
        elif self.written:
            lines.append(f"变更记录：{self.records} 条")
        return lines

    def change_lines(self) -> list[str]:
        """The sampled per-object changes, one line each (for the command's output)."""
        lines = []
        for kind, items in self.changes.items():
            for item in items:
                if item["action"] == "新建":
                    fields = "；".join(f"{label}：{new}" for label, (_old, new) in item["changes"].items())
                else:
                    fields = "；".join(
                        f"{label}：{old or '（空）'} → {new or '（空）'}"
                        for label, (old, new) in item["changes"].items()
                    )
                lines.append(f"[{KIND_LABELS[kind]}·{item['action']}] {item['object']}  {fields}")
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "written": self.written,
            "records": self.records,
            "counts": self.counts,
            "changes": self.changes,
            "new_people": self.new_people,
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[:ERRORS_KEPT]],
            "lines": self.summary_lines(),
        }
