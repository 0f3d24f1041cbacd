"""Checking and reading uploaded files, by content, safely.

`inspect_file(path, name)` decides the format from the bytes (never from the name or the browser's
content type), refuses what is not on the allow-list (PDF, Word .docx, Excel .xlsx, JPEG, PNG),
guards Office files against zip bombs *before* any parser sees them, refuses macros, and extracts the
text used by the full-text search plus the page count.

Zip guard: tiaodu.core.zipguard, shared with every importer of .xlsx files (entries, declared total,
compression ratio, then a real streaming decompression that catches a header lying about sizes).

Page counts: PDF from `pdfinfo` (poppler); Word from docProps/app.xml <Pages> when Word saved it,
otherwise estimated on the GB/T 9704 grid — a paragraph takes ceil(characters / 28) lines, a table row
one line, 22 lines a page — and marked as an estimate.

Previews kept at upload (Document.outline): a Word file's paragraphs with their heading levels, an
Excel file's first rows per sheet. Nothing of an upload is ever executed or rendered by an Office suite.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import subprocess
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError

from tiaodu.core.images import ImageRefused, exif_datetime, exif_gps, open_image, reencode
from tiaodu.core.text_rules import strip_control
from tiaodu.core.zipguard import (  # noqa: F401 — the limits are part of this module's story
    BROKEN_ZIP,
    MACRO_CONTENT_TYPES,
    ZIP_MAX_ENTRIES,
    ZIP_MAX_RATIO,
    ZIP_MAX_TOTAL,
    declared_problem,
    inflated_problem,
)

TEXT_MAX_CHARS = 500_000
EXTERNAL_TIMEOUT = 30

ALLOWED_LABEL = "PDF、Word（.docx）、Excel（.xlsx）、JPEG或PNG"


@dataclass
class Inspected:
    format: str
    text: str = ""
    page_count: int | None = None
    page_count_estimated: bool = False
    outline: list = field(default_factory=list)
    sha256: str = ""
    size: int = 0
    # Images: the bytes to store instead of the upload (pixels only, no EXIF), the EXIF time and place.
    content: bytes | None = None
    taken_at: datetime.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def refuse(message: str):
    raise ValidationError({"file": message})


def sniff(head: bytes) -> str | None:
    """'pdf', 'png', 'jpeg', 'zip', 'ole' or None, from the first bytes."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- Office (zip) ---------------------------------------------------------------------------------


def zip_guard(path: Path) -> zipfile.ZipFile:
    """Open an Office file's zip after checking it cannot blow up (tiaodu.core.zipguard); ValidationError
    otherwise. Macros are refused by office_kind, with the file type's messages."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        refuse(BROKEN_ZIP)
    problem = declared_problem(archive) or inflated_problem(archive)
    if problem:
        archive.close()
        refuse(problem)
    return archive


def office_kind(archive: zipfile.ZipFile) -> str:
    """'docx' or 'xlsx' for a macro-free Word or Excel file; ValidationError otherwise."""
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        refuse(f"文件类型不在允许范围内（仅允许{ALLOWED_LABEL}）")
    content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    lowered = {n.lower() for n in names}
    if any(marker in content_types for marker in MACRO_CONTENT_TYPES) or any(
        n.endswith("vbaproject.bin") or n.endswith("vbadata.xml") or "/activex/" in n for n in lowered
    ):
        refuse("文件含有宏或ActiveX控件，出于安全考虑不予接收；请另存为不含宏的 .docx 或 .xlsx 后上传")
    if "word/document.xml" in names and "wordprocessingml.document.main+xml" in content_types:
        return "docx"
    if "xl/workbook.xml" in names and "spreadsheetml.sheet.main+xml" in content_types:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        refuse(f"不接收PowerPoint文件（仅允许{ALLOWED_LABEL}）")
    refuse(f"文件类型不在允许范围内（仅允许{ALLOWED_LABEL}）")


def _app_pages(archive: zipfile.ZipFile) -> int | None:
    try:
        xml = archive.read("docProps/app.xml").decode("utf-8", "replace")
    except KeyError:
        return None
    match = re.search(r"<(?:\w+:)?Pages>\s*(\d+)\s*</(?:\w+:)?Pages>", xml)
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


def estimate_pages(lines: int) -> int:
    """Pages of GB/T 9704 pages (22 lines of 28 characters) needed for that many lines."""
    return max(1, -(-lines // 22))


def read_docx(path: Path, archive: zipfile.ZipFile) -> tuple[str, list, int | None, bool]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception:
        refuse("Word文件已损坏或格式不正确，无法读取")
    outline: list = []
    parts: list[str] = []
    lines = 0
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = 0
        match = re.match(r"(?:Heading|标题)\s*(\d)", style)
        if match:
            level = int(match.group(1))
        elif style == "Title":
            level = 1
        parts.append(text)
        lines += -(-len(text) // 28)
        if len(outline) < 400:
            outline.append({"level": level, "text": text[:2000]})
    table_rows = 0
    for table in document.tables:
        for row in table.rows:
            table_rows += 1
            cells = []
            for cell in row.cells:
                value = cell.text.strip()
                if value and (not cells or cells[-1] != value):
                    cells.append(value)
            if cells:
                parts.append(" | ".join(cells))
    text = "\n".join(parts)[:TEXT_MAX_CHARS]
    pages = _app_pages(archive)
    if pages is not None:
        return text, outline, pages, False
    return text, outline, estimate_pages(lines + table_rows), True


PREVIEW_ROWS = 30
PREVIEW_COLS = 20


def read_xlsx(path: Path) -> tuple[str, list]:
    """(the cells' text for the search, a preview: the first rows of each sheet)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:
        refuse("Excel文件已损坏或格式不正确，无法读取")
    parts: list[str] = []
    preview: list[dict] = []
    size = 0
    for name in workbook.sheet_names:
        parts.append(name)
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=True)
        except Exception:
            continue
        if len(preview) < 10:
            preview.append(
                {
                    "sheet": name,
                    "rows": [[_cell(v) for v in row[:PREVIEW_COLS]] for row in rows[:PREVIEW_ROWS]],
                    "total": len(rows),
                }
            )
        for row in rows:
            if size > TEXT_MAX_CHARS:
                break
            values = [_cell(v) for v in row if v not in ("", None)]
            if values:
                line = " ".join(values)
                parts.append(line)
                size += len(line)
    return "\n".join(parts)[:TEXT_MAX_CHARS], preview


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)[:200]


# --- PDF and images ---------------------------------------------------------------------------


PDF_NAME = re.compile(rb"/((?:[A-Za-z0-9]|#[0-9A-Fa-f]{2})+)")
PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n")
PDF_ACTIVE_NAMES = {b"JS", b"JavaScript", b"Launch"}
PDF_INFLATE_BUDGET = 200 * 1024 * 1024


def _active_name(data: bytes) -> bool:
    for match in PDF_NAME.finditer(data):
        name = PDF_HEX.sub(lambda h: bytes([int(h[1], 16)]), match[1])  # /J#53 is /JS
        if name in PDF_ACTIVE_NAMES:
            return True
    return False


def pdf_has_script(path: Path) -> bool:
    """Whether the PDF holds JavaScript or launch actions (/JS, /JavaScript — an /OpenAction or /AA
    running script included — or /Launch), in its objects or inside compressed object streams.

    The compressed streams are inflated with a total budget, so a deflate bomb costs bounded time."""
    data = path.read_bytes()
    if _active_name(data):
        return True
    budget = PDF_INFLATE_BUDGET
    for match in PDF_STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        if end < 0 or budget <= 0:
            break
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[match.end() : end], min(budget, 16 * 1024 * 1024))
        except zlib.error:
            continue
        budget -= len(inflated)
        if _active_name(inflated):
            return True
    return False


def pdf_pages(path: Path) -> int | None:
    try:
        out = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, timeout=EXTERNAL_TIMEOUT, check=False
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(match.group(1)) if match else None


def pdf_text(path: Path) -> str:
    try:
        out = subprocess.run(
            ["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            timeout=EXTERNAL_TIMEOUT,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    # Page breaks (form feeds) become line breaks; no other control character is kept as text.
    return strip_control(out.decode("utf-8", "replace").replace("\x0c", "\n"))[:TEXT_MAX_CHARS]


def check_image(path: Path, fmt: str, result: Inspected) -> None:
    """Refuse an image that is broken, not what it claims or too large in pixels (tiaodu.core.images);
    keep its pixels re-encoded without metadata, and its EXIF time and place as data."""
    try:
        with open_image(path) as image:
            if (image.format or "").lower() not in {"png": ("png",), "jpeg": ("jpeg", "mpo")}[fmt]:
                refuse("图片内容与其格式不符")
            image.load()
            exif = image.getexif()
            result.taken_at = exif_datetime(exif)
            result.latitude, result.longitude = exif_gps(exif)
            result.content, _, _ = reencode(image, "PNG" if fmt == "png" else "JPEG")
    except ValidationError:
        raise
    except ImageRefused as exc:
        refuse(str(exc))
    except Exception:
        refuse("图片已损坏，无法打开")


# --- entry point --------------------------------------------------------------------------------


_EXT_FORMATS = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
}


def inspect_file(path: Path, name: str, *, max_bytes: int) -> Inspected:
    """Check an uploaded file by content and read what the document center keeps of it."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        refuse("文件为空")
    if size > max_bytes:
        refuse(f"文件过大（{size / 1024 / 1024:.1f} MB），不能超过 {max_bytes // 1024 // 1024} MB")
    with open(path, "rb") as fh:
        head = fh.read(16)
    kind = sniff(head)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind == "ole":
        refuse("不接收旧版Office文件（.doc/.xls），请另存为 .docx 或 .xlsx 后上传")
    if kind is None:
        refuse(f"文件类型不在允许范围内（仅允许{ALLOWED_LABEL}），按内容无法识别为上述格式")
    result = Inspected(format=kind, size=size)
    if kind == "zip":
        if ext in ("docm", "xlsm", "dotm", "xltm", "xlam"):
            refuse("文件含有宏，出于安全考虑不予接收；请另存为不含宏的 .docx 或 .xlsx 后上传")
        archive = zip_guard(path)
        with archive:
            result.format = office_kind(archive)
            if result.format == "docx":
                (result.text, result.outline, result.page_count, result.page_count_estimated) = read_docx(
                    path, archive
                )
            else:
                result.text, result.outline = read_xlsx(path)
    elif kind == "pdf":
        if pdf_has_script(path):
            refuse(
                "PDF文件含有JavaScript脚本或启动程序的动作，出于安全考虑不予接收；请重新导出或打印为PDF后上传"
            )
        result.page_count = pdf_pages(path)
        result.text = pdf_text(path)
    else:
        check_image(path, kind, result)
    expected = _EXT_FORMATS.get(ext)
    if ext and expected is None:
        refuse(f"文件扩展名 .{ext} 不在允许范围内（仅允许{ALLOWED_LABEL}）")
    if expected is not None and expected != result.format:
        refuse(f"文件扩展名 .{ext} 与其内容（{result.format.upper()}）不符")
    # Page breaks (form feeds) become line breaks; no other control character is kept as text.
    result.text = strip_control(result.text.replace("\x0c", "\n"))
    if result.content is not None:
        result.size = len(result.content)
        result.sha256 = hashlib.sha256(result.content).hexdigest()
    else:
        result.sha256 = _sha256(path)
    return result


def inspect_bytes(data: bytes, name: str, *, max_bytes: int) -> Inspected:
    """The same check for bytes in memory (tests, API)."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix="-" + re.sub(r"[^\w.]", "_", name)[-40:]) as tmp:
        tmp.write(data)
        tmp.flush()
        return inspect_file(Path(tmp.name), name, max_bytes=max_bytes)
