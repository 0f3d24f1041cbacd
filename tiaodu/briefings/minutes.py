"""The minutes of a dispatch meeting (会议纪要): numbered, rendered, filed in the document center, sent.

`minutes_generate` numbers the minutes 调度会纪要〔year〕N号 (a sequence per year of the meeting's date, apart
from the briefings'), builds their content (tiaodu.briefings.minutes_content, pure), renders them with the
briefing's renderers (one layout) to .docx and .pdf, files both as Documents (kind 会议纪要, linked to the
meeting) and tells the units the decisions were assigned to (an inbox message with a link to the PDF).

Made again (a decision added after the first issue), the minutes keep their number and become a new
revision: two new files; the earlier files stay in the document center (nothing silently lost), their
description saying which revision replaced them.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from tiaodu.briefings import selectors
from tiaodu.briefings.minutes_content import (
    DecisionLine,
    LagLine,
    MinutesContent,
    MinutesInputs,
    build_minutes,
    minutes_number,
)
from tiaodu.briefings.models import DocFormat, DocKind, Document, Minutes
from tiaodu.briefings.numbering import allocate_number
from tiaodu.briefings.render_docx import render_docx
from tiaodu.briefings.render_pdf import render_pdf
from tiaodu.core.actors import stored_user
from tiaodu.core.errors import NotAllowed
from tiaodu.core.text_rules import strip_control
from tiaodu.supervision.models import Meeting
from tiaodu.supervision.notify import Outbox
from tiaodu.supervision.permissions import MEETING_DENIED, meeting_can_manage

NOTIFY_KIND = "minutes_issued"


@dataclass
class MinutesResult:
    minutes: Minutes
    docx: Document
    pdf: Document
    paths: list[Path]
    units: list[str]  # the units told


def _person(person) -> str:
    if person is None:
        return ""
    return f"{person.name}（{person.post}）" if person.post else person.name


def minutes_inputs(meeting: Meeting) -> MinutesInputs:
    """What the minutes state, read from the meeting, its stored agenda and its decisions."""
    agenda = meeting.agenda or {}
    decisions = []
    for d in meeting.decisions.select_related("item__responsible_person", "item__project").prefetch_related(
        "item__assignee_units"
    ):
        item = d.item
        decisions.append(
            DecisionLine(
                content=d.content,
                units=tuple(u.name for u in item.assignee_units.all()) if item else (),
                person=item.responsible_person.name if item and item.responsible_person_id else "",
                deadline=item.deadline if item else None,
                project=item.project.name if item and item.project_id else "",
            )
        )
    return MinutesInputs(
        title=meeting.title,
        date=meeting.date,
        location=meeting.location,
        chair=_person(meeting.chair),
        attendees=[
            f"{p.name}（{p.unit.name}）" if p.unit_id else p.name
            for p in meeting.attendees.select_related("unit").order_by("unit__sort_order", "name")
        ],
        attendees_note=meeting.attendees_note,
        lagging=[
            LagLine(
                name=r.get("name", ""),
                lead_unit=r.get("lead_unit", ""),
                lag_text=r.get("lag_text") or (f"滞后{r['lag_days']}个工作日" if r.get("lag_days") else ""),
            )
            for r in agenda.get("lagging", [])
        ],
        missing=[r.get("name", "") for r in agenda.get("missing", [])],
        problems=[f"{r.get('project', '')}：{r.get('title', '')}" for r in agenda.get("problems", [])],
        overdue=[f"{r.get('title', '')}（{r.get('units', '')}）" for r in agenda.get("overdue", [])],
        decisions=decisions,
    )


def _allocate(*, meeting: Meeting, user) -> Minutes:
    """The meeting's Minutes record: a new revision of the existing one, else the next number of its year
    (tiaodu.briefings.numbering)."""

    def create() -> Minutes:
        existing = Minutes.objects.select_for_update().filter(meeting=meeting).first()
        if existing is not None:
            existing.revision += 1
            existing.updated_at = timezone.now()
            existing.save(update_fields=["revision", "updated_at"])
            return existing
        year = meeting.date.year
        last = Minutes.objects.filter(year=year).aggregate(m=Max("number"))["m"] or 0
        return Minutes.objects.create(
            meeting=meeting, year=year, number=last + 1, created_by=stored_user(user)
        )

    return allocate_number(create, failure="无法分配纪要文号，请稍后重试")


def _title(minutes: Minutes, content: MinutesContent) -> str:
    title = f"{content.title}（{minutes_number(minutes.year, minutes.number)}）"
    return title if minutes.revision == 1 else f"{title}第{minutes.revision}版"


def _document(*, meeting, fmt, data: bytes, title: str, text: str, pages, user, saved: list) -> Document:
    doc = Document(
        title=title[:200],
        kind=DocKind.MINUTES,
        format=fmt,
        size=len(data),
        page_count=pages,
        text=strip_control(text),
        author=stored_user(user),
        meeting=meeting,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    doc.file.save("minutes", ContentFile(data), save=False)
    saved.append(doc.file.name)
    doc.save()
    return doc


def _paths(*, minutes: Minutes, docs, files: dict[str, bytes], out_dir: Path | None) -> list[Path]:
    if out_dir is None:
        try:
            return [Path(d.file.path) for d in docs]
        except NotImplementedError:
            return [Path(d.file.name) for d in docs]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"调度会纪要{minutes.year}年第{minutes.number}号"
    if minutes.revision > 1:
        stem += f"（第{minutes.revision}版）"
    paths = []
    for ext in ("docx", "pdf"):
        path = out_dir / f"{stem}.{ext}"
        path.write_bytes(files[ext])
        paths.append(path.resolve())
    return paths


def _notify(*, user, meeting: Meeting, pdf: Document, title: str) -> list[str]:
    units = {}
    for d in meeting.decisions.filter(item__isnull=False).prefetch_related("item__assignee_units"):
        for unit in d.item.assignee_units.all():
            units[unit.pk] = unit.name
    if units:
        outbox = Outbox(actor=user)
        outbox.add(
            kind=NOTIFY_KIND,
            title=f"会议纪要已印发：{title}"[:200],
            body=f"{meeting.title}的会议纪要已印发，请按纪要所列决定事项和完成时限办理。",
            url=reverse("document_detail", args=[pdf.pk]),
            units=units,
        )
        outbox.flush()
    return sorted(units.values())


def minutes_generate(
    *, user, meeting: Meeting, out_dir: Path | None = None, issued_on: datetime.date | None = None
) -> MinutesResult:
    """Number (or revise), render and file the minutes of `meeting`, and tell the units concerned."""
    if not meeting_can_manage(user=user, obj=meeting):
        raise NotAllowed(MEETING_DENIED)
    issued_on = issued_on or timezone.localdate()
    saved: list[str] = []
    with transaction.atomic():
        minutes = _allocate(meeting=meeting, user=user)
        inputs = minutes_inputs(meeting)
        content = build_minutes(
            inputs=inputs,
            number=minutes.number,
            year=minutes.year,
            issuer=selectors.briefing_issuer(),
            issued_on=issued_on,
        )
        try:
            pdf_bytes, pages = render_pdf(content, parallel=False)
            docx_bytes = render_docx(content, pages=pages)
            title = _title(minutes, content)
            earlier = list(
                Document.objects.filter(meeting=meeting, kind=DocKind.MINUTES, deleted_at__isnull=True)
            )
            common = {"meeting": meeting, "title": title, "text": content.text(), "pages": pages}
            pdf = _document(fmt=DocFormat.PDF, data=pdf_bytes, user=user, saved=saved, **common)
            docx_doc = _document(fmt=DocFormat.DOCX, data=docx_bytes, user=user, saved=saved, **common)
            docx_doc.preview_pdf = pdf
            docx_doc.save(update_fields=["preview_pdf"])
            for doc in earlier:  # kept, marked as replaced
                doc.description = f"已由第{minutes.revision}版取代"[:500]
                doc.save(update_fields=["description"])
            units = _notify(user=user, meeting=meeting, pdf=pdf, title=title)
        except BaseException:
            for name in saved:
                Document.file.field.storage.delete(name)
            raise
    files = {"docx": docx_bytes, "pdf": pdf_bytes}
    paths = _paths(minutes=minutes, docs=(docx_doc, pdf), files=files, out_dir=out_dir)
    return MinutesResult(minutes=minutes, docx=docx_doc, pdf=pdf, paths=paths, units=units)


def minutes_documents(meeting: Meeting):
    """The minutes' files of a meeting, newest first (earlier revisions included)."""
    return Document.objects.filter(meeting=meeting, kind=DocKind.MINUTES, deleted_at__isnull=True).order_by(
        "-created_at", "-id"
    )
