"""Writes: generating a briefing, uploading and deleting documents, favourites, share links and their log."""

from __future__ import annotations

import datetime
import hashlib
import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tiaodu.briefings import before_after_annex, charts, selectors
from tiaodu.briefings.content import BriefingInputs, Content, build_content, status_counts
from tiaodu.briefings.inspect import inspect_file, pdf_pages, pdf_text, read_xlsx
from tiaodu.briefings.models import Briefing, DocFormat, DocKind, Document, Favorite, ShareAccess, ShareLink
from tiaodu.briefings.numbering import allocate_number
from tiaodu.briefings.permissions import (
    BRIEFING_DENIED,
    briefing_can_generate,
    document_can_delete,
    document_can_edit,
    document_can_share,
    document_can_upload,
    share_can_revoke,
)
from tiaodu.briefings.render_docx import render_docx
from tiaodu.briefings.render_pdf import render_pdf
from tiaodu.briefings.render_xlsx import render_xlsx
from tiaodu.core import domain
from tiaodu.core.actors import stored_user
from tiaodu.core.errors import NotAllowed
from tiaodu.core.gcpause import without_gc
from tiaodu.core.text_rules import strip_control
from tiaodu.core.uploads import check_upload_size, upload_limit
from tiaodu.progress.figures import summary_json
from tiaodu.projects.models import ResponsibilityLetter
from tiaodu.projects.permissions import project_can_view

log = logging.getLogger(__name__)


def max_upload_bytes() -> int:
    return upload_limit("DOCUMENT_MAX_BYTES")


def share_max_days() -> int:
    return int(getattr(settings, "SHARE_LINK_MAX_DAYS", 30))


# --- briefings ------------------------------------------------------------------------------------


@dataclass
class Generated:
    briefing: Briefing
    docx: Document
    pdf: Document
    xlsx: Document
    paths: list[Path]


def _allocate(*, as_of: datetime.date, user, automatic: bool, issuer: str) -> Briefing:
    """A new Briefing numbered one after the last of its year (tiaodu.briefings.numbering)."""

    def create() -> Briefing:
        last = Briefing.objects.filter(year=as_of.year).aggregate(m=Max("number"))["m"] or 0
        return Briefing.objects.create(
            year=as_of.year,
            number=last + 1,
            as_of=as_of,
            issuer=issuer,
            automatic=automatic,
            created_by=stored_user(user),
        )

    return allocate_number(create, failure="无法分配通报期号，请稍后重试")


@without_gc
def briefing_content(*, briefing: Briefing, inputs: BriefingInputs) -> Content:
    status = inputs.status
    images = {"status": charts.status_chart(status_counts(status.summary))}
    if status.units:
        images["units"] = charts.units_chart(status.units)
    content = build_content(inputs=inputs, number=briefing.number, issuer=briefing.issuer, charts=images)
    content.blocks += before_after_annex.annex_blocks(selectors.before_after_places(as_of=inputs.as_of))
    return content


def _summary(inputs: BriefingInputs, pages) -> dict:
    """What the briefing's record keeps of its figures."""
    status = inputs.status
    counts = status.level_counts
    return {
        "summary": {key: summary_json(s) for key, s in status.summary.items()},
        "lagging": counts[domain.LAGGING],
        "severe": counts[domain.SEVERE],
        "missing": len(status.missing_reports),
        "problems": len(inputs.problems),
        "items": len(inputs.items),
        "pages": pages,
    }


def _document(
    *, briefing, fmt, data: bytes, title: str, text: str, pages, user, saved_files: list
) -> Document:
    doc = Document(
        title=title,
        kind=DocKind.BRIEFING,
        format=fmt,
        original_name="",
        size=len(data),
        page_count=pages,
        text=strip_control(text),  # the content's text may carry an old row's control character
        author=stored_user(user),
        briefing=briefing,
        sha256=hashlib.sha256(data).hexdigest(),
        created_at=briefing.created_at,
    )
    doc.file.save("briefing", ContentFile(data), save=False)
    saved_files.append(doc.file.name)
    doc.save()
    return doc


def _xlsx_text(data: bytes) -> tuple[str, list]:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        tmp.write(data)
        tmp.flush()
        return read_xlsx(Path(tmp.name))


@dataclass
class _Files:
    pdf: bytes
    pages: int | None
    docx: bytes
    xlsx: bytes


def _render(content: Content, inputs: BriefingInputs) -> _Files:
    """The three files: the PDF (its page count goes into the Word file), the Word file and the ledger."""
    ledger: dict[str, bytes] = {}

    def write_ledger():  # while a second process lays out half of a large PDF
        ledger["xlsx"] = render_xlsx(
            status=inputs.status,
            projects=inputs.projects,
            title=content.title,
            sources=inputs.sources,
            flags=list(inputs.flags),
            changes=inputs.changes,
            investment=inputs.investment,
        )

    pdf_bytes, pages = render_pdf(
        content, while_waiting=write_ledger, parallel=getattr(settings, "BRIEFING_PDF_PARALLEL", True)
    )
    return _Files(pdf=pdf_bytes, pages=pages, docx=render_docx(content, pages=pages), xlsx=ledger["xlsx"])


def _file_documents(*, briefing: Briefing, content: Content, files: _Files, user, saved_files: list):
    """The three files in the document center: (docx, pdf, xlsx) Documents."""
    text = content.text()
    base = f"重点工程建设调度通报（{briefing.year}年{content.number_text}）"
    common = {"briefing": briefing, "user": user, "saved_files": saved_files}
    pdf = _document(fmt=DocFormat.PDF, data=files.pdf, title=base, text=text, pages=files.pages, **common)
    docx_doc = _document(
        fmt=DocFormat.DOCX, data=files.docx, title=base, text=text, pages=files.pages, **common
    )
    docx_doc.preview_pdf = pdf
    docx_doc.save(update_fields=["preview_pdf"])
    ledger_text, ledger_preview = _xlsx_text(files.xlsx)
    xlsx = _document(
        fmt=DocFormat.XLSX, data=files.xlsx, title=f"{base}项目台账", text=ledger_text, pages=None, **common
    )
    xlsx.outline = ledger_preview
    xlsx.save(update_fields=["outline"])
    return docx_doc, pdf, xlsx


def _paths(*, briefing: Briefing, files: _Files, documents, out_dir: Path | None) -> list[Path]:
    """Where the files are: written into out_dir when given, else those of the document center."""
    if out_dir is None:
        try:
            return [Path(d.file.path) for d in documents]
        except NotImplementedError:  # a storage without local paths (S3): the names in the storage
            return [Path(d.file.name) for d in documents]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{briefing.year}年第{briefing.number}期调度通报"
    paths = []
    for suffix, data in ((".docx", files.docx), (".pdf", files.pdf), ("项目台账.xlsx", files.xlsx)):
        path = out_dir / f"{stem}{suffix}"
        path.write_bytes(data)
        paths.append(path.resolve())
    return paths


@without_gc  # the figures, charts and three files build millions of objects and no garbage to collect
def briefing_generate(
    *, as_of: datetime.date, user, automatic: bool = False, out_dir: Path | None = None
) -> Generated:
    """Number, compose and render the briefing for `as_of` (.docx, .pdf, .xlsx) into the document center.

    `user` is SYSTEM for the weekly run and the command without --user. The figures come from
    progress_status for all projects: a briefing is district-wide whoever presses the button.
    """
    if not briefing_can_generate(user=user):
        raise NotAllowed(BRIEFING_DENIED)
    if as_of > timezone.localdate() + datetime.timedelta(days=7):
        raise ValidationError({"as_of": "截至日期不能晚于今天一周以上"})
    if as_of.year < 2000:
        raise ValidationError({"as_of": "截至日期须在2000年之后"})
    started = time.monotonic()
    saved_files: list[str] = []
    inputs = selectors.briefing_inputs(as_of=as_of)
    briefing = _allocate(as_of=as_of, user=user, automatic=automatic, issuer=selectors.briefing_issuer())
    try:
        content = briefing_content(briefing=briefing, inputs=inputs)
        files = _render(content, inputs)
        with transaction.atomic():
            docx_doc, pdf, xlsx = _file_documents(
                briefing=briefing, content=content, files=files, user=user, saved_files=saved_files
            )
            briefing.state = Briefing.State.READY
            briefing.summary = _summary(inputs, files.pages)
            briefing.seconds = round(time.monotonic() - started, 2)
            briefing.save(update_fields=["state", "summary", "seconds"])
    except BaseException:
        Briefing.objects.filter(pk=briefing.pk).delete()  # the number is free again
        for name in saved_files:
            Document.file.field.storage.delete(name)
        raise
    paths = _paths(briefing=briefing, files=files, documents=(docx_doc, pdf, xlsx), out_dir=out_dir)
    return Generated(briefing=briefing, docx=docx_doc, pdf=pdf, xlsx=xlsx, paths=paths)


# --- uploads --------------------------------------------------------------------------------------


def _check_links(*, user, project, unit, meeting):

    if project is not None and not project_can_view(user=user, obj=project):
        raise ValidationError({"project": "您无权关联该项目"})
    if unit is not None and not selectors.upload_units(user=user).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": "只能关联本单位"})
    if meeting is not None and not selectors.upload_meetings(user=user).filter(pk=meeting.pk).exists():
        raise ValidationError({"meeting": "您无权关联该调度会"})


def document_upload(
    *, user, file, title: str = "", description: str = "", project=None, unit=None, meeting=None
) -> Document:
    """Check the file by content (see inspect.py), then keep it under a random name with its text."""
    if not document_can_upload(user=user):
        raise NotAllowed("请先登录")
    limit = max_upload_bytes()
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1][:200]
    check_upload_size(getattr(file, "size", 0), setting="DOCUMENT_MAX_BYTES", field="file")
    _check_links(user=user, project=project, unit=unit, meeting=meeting)
    path = None
    tmp = None
    try:
        if hasattr(file, "temporary_file_path"):
            path = Path(file.temporary_file_path())
        else:
            tmp = tempfile.NamedTemporaryFile(suffix=".upload", delete=False)
            for chunk in file.chunks() if hasattr(file, "chunks") else [file.read()]:
                tmp.write(chunk)
            tmp.close()
            path = Path(tmp.name)
        found = inspect_file(path, name, max_bytes=limit)
        clean_title = (
            (title or "").strip() or (name.rsplit(".", 1)[0] if "." in name else name) or "未命名文件"
        )
        doc = Document(
            title=clean_title[:200],
            kind=DocKind.UPLOAD,
            format=found.format,
            original_name=name,
            size=found.size,
            page_count=found.page_count,
            page_count_estimated=found.page_count_estimated,
            sha256=found.sha256,
            text=found.text,
            outline=found.outline,
            taken_at=found.taken_at,
            latitude=found.latitude,
            longitude=found.longitude,
            description=(description or "")[:500],
            author=user,
            project=project,
            unit=unit,
            meeting=meeting,
        )
        doc.full_clean(exclude=["file"])
        if found.content is not None:  # an image: its pixels without EXIF (GPS kept as data above)
            with transaction.atomic():
                doc.file.save("upload", ContentFile(found.content), save=False)
                doc.save()
            return doc
        with transaction.atomic(), open(path, "rb") as fh:
            doc.file.save("upload", File(fh), save=False)
            doc.save()
        return doc
    finally:
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)


@transaction.atomic
def document_update(*, user, document: Document, title: str, description: str = "") -> Document:
    if not document_can_edit(user=user, obj=document):
        raise NotAllowed("只有上传人或领导小组办公室可以修改该文档")
    document.title = (title or "").strip()[:200] or document.title
    document.description = (description or "")[:500]
    document.full_clean(exclude=["file"])
    document.save(update_fields=["title", "description"])
    return document


@transaction.atomic
def document_delete(*, user, document: Document) -> None:
    """Soft delete: the record and the file stay (nothing silently lost), the center no longer lists it."""
    if not document_can_edit(user=user, obj=document):
        raise NotAllowed("只有上传人或领导小组办公室可以删除该文档")
    if not document_can_delete(user=user, obj=document):
        raise NotAllowed("调度通报只能由领导小组办公室删除")
    document.deleted_at = timezone.now()
    document.save(update_fields=["deleted_at"])
    document.shares.filter(revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=user)


def favorite_toggle(*, user, document: Document) -> bool:
    """Add or remove the document from the user's favourites; True when it is now a favourite."""
    deleted, _ = Favorite.objects.filter(user=user, document=document).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Favorite.objects.create(user=user, document=document)
    except IntegrityError:  # a double click
        pass
    return True


# --- share links ----------------------------------------------------------------------------------


@transaction.atomic
def share_create(*, user, document: Document, expires_at: datetime.datetime, note: str = "") -> ShareLink:
    if not document_can_share(user=user, obj=document):
        raise NotAllowed("请先登录" if not user.is_authenticated else "您无权分享该文档")
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": "有效期须晚于现在"})
    if expires_at > now + datetime.timedelta(days=share_max_days()):
        raise ValidationError({"expires_at": f"分享链接有效期最长{share_max_days()}天"})
    link = ShareLink(document=document, created_by=user, expires_at=expires_at, note=(note or "")[:200])
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def share_revoke(*, user, link: ShareLink) -> ShareLink:
    if not share_can_revoke(user=user, obj=link):
        raise NotAllowed("只有分享人、上传人或领导小组办公室可以撤销该分享链接")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def share_log(*, link: ShareLink, outcome: str, ip: str | None, user_agent: str) -> ShareAccess:
    return ShareAccess.objects.create(
        link=link, outcome=outcome, ip=ip or None, user_agent=(user_agent or "")[:500]
    )


def share_open(*, token: str, action: str, ip: str | None, user_agent: str) -> tuple[ShareLink, bool]:
    """The link for `token` (ShareLink.DoesNotExist for an unknown one) and whether it may be used now.

    Every opening is logged: allowed (view / download) or refused (expired / revoked)."""
    link = ShareLink.objects.select_related("document").get(token=token)
    state = link.state()
    if link.document.deleted_at is not None and state == "valid":
        state = "revoked"
    if state == "valid":
        outcome = ShareAccess.Outcome.DOWNLOAD if action == "download" else ShareAccess.Outcome.VIEW
    else:
        outcome = ShareAccess.Outcome.EXPIRED if state == "expired" else ShareAccess.Outcome.REVOKED
    share_log(link=link, outcome=outcome, ip=ip, user_agent=user_agent)
    return link, state == "valid"


# --- responsibility letters' scans ------------------------------------------------------------


@transaction.atomic
def letter_scans_sync() -> int:
    """Register the scans of responsibility letters in the document center (the file is not copied: the
    record points at the letter's stored scan; a replaced scan updates the record). Run when the document
    center's list opens and finds a scan not registered. Returns how many were added or refreshed."""

    formats = {"application/pdf": DocFormat.PDF, "image/jpeg": DocFormat.JPEG, "image/png": DocFormat.PNG}
    changed = 0
    letters = ResponsibilityLetter.objects.exclude(scan="").select_related("unit")
    existing = {d.letter_id: d for d in Document.objects.filter(letter__isnull=False)}
    for letter in letters:
        fmt = formats.get(letter.scan_type)
        if fmt is None:
            continue
        doc = existing.get(letter.pk)
        if doc is not None and doc.file.name == letter.scan.name:
            continue
        try:
            size = letter.scan.size
        except OSError:
            continue
        pages = None
        text = ""
        if fmt == DocFormat.PDF:
            pages = pdf_pages(Path(letter.scan.path))
            text = pdf_text(Path(letter.scan.path))
        values = {
            "title": f"{letter}（扫描件）"[:200],
            "kind": DocKind.LETTER,
            "format": fmt,
            "original_name": letter.scan_name,
            "size": size,
            "page_count": pages,
            "text": text,
            "unit": letter.unit,
            "created_at": letter.created_at,
        }
        if doc is None:
            doc = Document(letter=letter, **values)
        else:
            for key, value in values.items():
                setattr(doc, key, value)
        doc.file.name = letter.scan.name
        doc.save()
        changed += 1
    return changed
