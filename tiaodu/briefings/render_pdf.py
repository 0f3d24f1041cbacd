"""The briefing as a PDF, from the same blocks as the Word file, through WeasyPrint.

The page follows GB/T 9704-2012 like the Word file: A4, the same margins, 16 pt body on a 28.99 pt
line pitch with characters set 0.21 pt closer so that 28 fit a line; page numbers `— N —` in the
bottom margin (odd pages right, even pages left); table headers repeat on every page (thead).
WeasyPrint embeds subsets of the fonts it uses (Noto CJK from fonts-noto-cjk where the official
fonts are missing).
"""

from __future__ import annotations

import base64
import logging
import multiprocessing
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from html import escape
from pathlib import Path

from tiaodu.briefings import layout as L
from tiaodu.briefings.content import Block, Content
from tiaodu.briefings.minutes_content import document_title
from tiaodu.core.gcpause import without_gc

log = logging.getLogger(__name__)

PAGE_NUMBERS_CSS = f"""
@page {{
  @bottom-right {{
    content: "— " counter(page) " —";
    font-family: {L.css_family(L.SONG_FONT)}; font-size: {L.PAGE_NUMBER_PT}pt;
    vertical-align: top; padding-top: 4.5mm; padding-right: {L.PAGE_NUMBER_PT}pt;
  }}
}}
@page :left {{
  @bottom-right {{ content: none; }}
  @bottom-left {{
    content: "— " counter(page) " —";
    font-family: {L.css_family(L.SONG_FONT)}; font-size: {L.PAGE_NUMBER_PT}pt;
    vertical-align: top; padding-top: 4.5mm; padding-left: {L.PAGE_NUMBER_PT}pt;
  }}
}}
"""

PAGE_CSS = f"""
@page {{
  size: A4;
  margin: {L.MARGIN_TOP_MM}mm {L.MARGIN_RIGHT_MM}mm {L.MARGIN_BOTTOM_MM}mm {L.MARGIN_LEFT_MM}mm;
  @footnote {{ border-top: none; padding-top: 0; margin-top: 6pt; }}
}}
"""

CSS = f"""
.record::footnote-call {{ content: none; }}
.record::footnote-marker {{ content: none; }}
html {{ color: #000; }}
body {{
  margin: 0;
  font-family: {L.css_family(L.BODY_FONT)}; font-size: {L.BODY_PT}pt;
  line-height: {L.LINE_PITCH_PT:.3f}pt; letter-spacing: {L.LETTER_SPACING_PT:.3f}pt;
  text-align: justify; orphans: 1; widows: 1;
}}
p {{ margin: 0; text-indent: {L.CHAR_PITCH_PT * 2:.2f}pt; }}
h1, h2 {{ margin: 0; font-size: {L.BODY_PT}pt; font-weight: normal; text-indent: {L.CHAR_PITCH_PT * 2:.2f}pt;
  page-break-after: avoid; break-after: avoid; }}
h1 {{ font-family: {L.css_family(L.HEI_FONT)}; }}
h2 {{ font-family: {L.css_family(L.KAI_FONT)}; }}
.masthead {{ margin: 2mm 0 3mm; text-align: center; color: #{L.RED}; text-indent: 0;
  font-family: {L.css_family(L.TITLE_FONT)}; font-weight: bold; font-size: {L.HEADER_PT}pt; line-height: 1.3;
  letter-spacing: 1pt; }}
.issue {{ text-align: center; text-indent: 0; }}
.issuer {{ width: 100%; margin: 0; table-layout: auto; border-collapse: collapse; font-size: {L.BODY_PT}pt; line-height: {L.LINE_PITCH_PT:.3f}pt;
  letter-spacing: {L.LETTER_SPACING_PT:.3f}pt; }}
.issuer td {{ border: 0; padding: 0 {L.CHAR_PITCH_PT:.2f}pt; text-align: left; white-space: nowrap; }}
.issuer td.date {{ text-align: right; }}
.rule {{ border-bottom: 2.25pt solid #{L.RED}; margin: 4mm 0 0; }}
.title {{ margin: {L.LINE_PITCH_PT:.2f}pt 0 {L.LINE_PITCH_PT * 0.5:.2f}pt; text-align: center; text-indent: 0;
  font-family: {L.css_family(L.TITLE_FONT)}; font-weight: bold; font-size: {L.TITLE_PT}pt;
  line-height: {L.LINE_PITCH_PT * 1.1:.2f}pt; letter-spacing: 0; }}
table {{ width: 100%; table-layout: fixed; border-collapse: collapse; margin: 2pt 0 8pt;
  font-size: {L.TABLE_PT}pt; line-height: 1.32; letter-spacing: 0; text-align: center; }}
th, td {{ border: 0.5pt solid #000; padding: 1.5pt 2.5pt; vertical-align: middle; text-indent: 0;
  overflow-wrap: break-word; }}
th {{ font-family: {L.css_family(L.HEI_FONT)}; font-weight: normal; background: #ededed; }}
td.l {{ text-align: left; }}
td.r {{ text-align: right; }}
tr {{ page-break-inside: avoid; break-inside: avoid; }}
td.s {{ font-weight: bold; }}
figure {{ margin: 4pt 0 0; text-align: center; text-indent: 0; page-break-inside: avoid; }}
figure img {{ display: block; margin: 0 auto; }}
figcaption {{ font-size: {L.COPY_PT}pt; line-height: 1.6; margin-bottom: 6pt; }}
.record {{ float: footnote; margin-top: {L.LINE_PITCH_PT:.2f}pt; font-size: {L.COPY_PT}pt; line-height: 1.6; letter-spacing: 0;
  page-break-inside: avoid; }}
.record div {{ padding: 3pt {L.COPY_PT}pt; text-indent: 0; }}
.record .copy {{ border-top: 1pt solid #000; border-bottom: 0.5pt solid #000; }}
.record table {{ margin: 0; border-bottom: 1pt solid #000; font-size: {L.COPY_PT}pt; line-height: 1.6;
  table-layout: auto; }}
.record td {{ border: 0; padding: 3pt {L.COPY_PT}pt; text-align: left; white-space: nowrap; }}
.record td.date {{ text-align: right; }}
"""


def _cell_html(value: str) -> str:
    """A cell's text; its line breaks (as the Word file has them) kept."""
    return escape(value).replace("\n", "<br>")


def _table_html(block: Block) -> str:
    total = sum(c.width for c in block.columns)
    cols = "".join(f'<col style="width:{100 * c.width / total:.2f}%">' for c in block.columns)
    head = "".join(f"<th>{escape(c.title).replace(chr(10), '<br>')}</th>" for c in block.columns)
    classes = ["l" if c.align == "left" else "r" if c.align == "right" else "" for c in block.columns]
    strong_classes = [
        (cls + " s").strip() if not block.strong_cols or i in block.strong_cols else cls
        for i, cls in enumerate(classes)
    ]
    rows = []
    for index, row in enumerate(block.rows):
        marks = strong_classes if index in block.strong_rows else classes
        rows.append(
            "<tr>"
            + "".join(
                f'<td class="{cls}">{_cell_html(value)}</td>' if cls else f"<td>{_cell_html(value)}</td>"
                for value, cls in zip(row, marks, strict=True)
            )
            + "</tr>"
        )
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def briefing_html(
    content: Content,
    *,
    blocks: slice = slice(None),
    head: bool = True,
    tail: bool = True,
    numbers: bool = True,
) -> str:
    """The HTML of the briefing (or of a part: some blocks, with or without the masthead, the record and
    the page numbers)."""
    parts = [
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(document_title(content))}</title>",
        f'<meta name="author" content="{escape(content.issuer)}">',
        f'<meta name="description" content="{escape(content.title)}">',
        f"<style>{PAGE_CSS}{PAGE_NUMBERS_CSS if numbers else ''}{CSS}</style></head><body>",
    ]
    if head:
        parts += [
            f'<div class="masthead">{escape(content.header)}</div>',
            f'<p class="issue">{escape(content.number_text)}</p>',
            f'<table class="issuer"><tr><td>{escape(content.issuer)}</td>'
            f'<td class="date">{escape(content.date_text)}</td></tr></table>',
            '<div class="rule"></div>',
            f'<div class="title">{escape(content.title)}</div>',
        ]
    for block in content.blocks[blocks]:
        if block.kind == "h1":
            parts.append(f"<h1>{escape(block.text)}</h1>")
        elif block.kind == "h2":
            parts.append(f"<h2>{escape(block.text)}</h2>")
        elif block.kind == "p":
            parts.append(f"<p>{escape(block.text)}</p>")
        elif block.kind == "table":
            parts.append(_table_html(block))
        elif block.kind == "image":
            data = base64.b64encode(block.image).decode("ascii")
            caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" style="width:{block.width_mm}mm" '
                f'alt="{escape(block.caption)}">{caption}</figure>'
            )
    if tail:
        parts.append(
            '<div class="record">'
            f'<div class="copy">抄送：{escape(content.copy_to)}</div>'
            f'<table><tr><td>{escape(content.issuer)}</td><td class="date">{escape(content.date_text)}印发</td></tr>'
            "</table></div>"
        )
    parts.append("</body></html>")
    return "".join(parts)


SPLIT_MIN_ROWS = 600  # table rows from which a second process renders half of the PDF


@without_gc  # in the child process too: WeasyPrint's boxes trigger collections that free nothing
def _render(html: str) -> tuple[bytes, int]:
    from weasyprint import HTML

    document = HTML(string=html).render()
    return document.write_pdf(), len(document.pages)


def _weight(block: Block) -> int:
    """Rough layout cost of a block: WeasyPrint's time goes into the cells' text boxes."""
    if block.kind != "table":
        return 60
    return sum(len(row) * 12 + sum(len(v) for v in row) for row in block.rows)


def _split_at(content: Content) -> int | None:
    """The heading (一、 or （一）) before which a large briefing is cut in two parts of about equal layout
    cost; the second part then starts on a new page. None for a small briefing."""
    rows = sum(len(b.rows) for b in content.blocks if b.kind == "table")
    if rows < SPLIT_MIN_ROWS:
        return None
    weights = [_weight(b) for b in content.blocks]
    total = sum(weights)
    best, best_gap, before = None, None, 0
    for i, block in enumerate(content.blocks):
        if i > 0 and block.kind in ("h1", "h2"):
            gap = abs(total / 2 - before)
            if best_gap is None or gap < best_gap:
                best, best_gap = i, gap
        before += weights[i]
    return best


def _numbers_html(pages: int, first: int) -> str:
    """`pages` empty pages numbered from `first` on (an even first page is a left-hand page)."""
    body = '<div style="break-after: page"></div>' * (pages - 1) + "<div></div>"
    side = "left" if first % 2 == 0 else "right"
    style = f"@page :first {{ counter-reset: page {first}; }} html {{ break-before: {side}; }}"
    return f"<html><head><style>{PAGE_CSS}{PAGE_NUMBERS_CSS}{style}</style></head><body>{body}</body></html>"


def _stamp_numbers(document, offset: int) -> None:
    """Give the pages of `document` the page numbers offset+1, offset+2, … (odd right, even left)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import MarginBox

    numbers = HTML(string=_numbers_html(len(document.pages), offset + 1)).render()
    for page, numbered in zip(document.pages, numbers.pages, strict=True):
        boxes = [c for c in numbered._page_box.children if isinstance(c, MarginBox)]
        page._page_box.children = list(page._page_box.children) + boxes


def _unite(first: bytes, second: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        a, b, out = Path(tmp, "a.pdf"), Path(tmp, "b.pdf"), Path(tmp, "out.pdf")
        a.write_bytes(first)
        b.write_bytes(second)
        subprocess.run(["pdfunite", str(a), str(b), str(out)], check=True, capture_output=True, timeout=120)
        return out.read_bytes()


def _pdf_string(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def with_info(pdf: bytes, info: dict[str, str]) -> bytes:
    """The PDF with a document information dictionary (Title, Author…), appended as an incremental
    update (pdfunite drops the parts' own). Unchanged when the file does not end in a classic trailer."""
    tail = pdf[-2048:]
    match = re.search(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", tail, re.S)
    root = re.search(rb"/Root\s+(\d+)\s+(\d+)\s+R", match.group(1)) if match else None
    if root is None:
        return pdf
    numbers = [int(n) for n in re.findall(rb"(?m)^(\d+)\s+\d+\s+obj\b", pdf)]
    number = max([*numbers, int(root.group(1))]) + 1
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    entries = " ".join(f"/{key} {_pdf_string(value)}" for key, value in info.items())
    obj = f"{number} 0 obj\n<< {entries} >>\nendobj\n".encode()
    xref_at = len(body) + len(obj)
    trailer = (
        f"xref\n0 1\n0000000000 65535 f \n{number} 1\n{len(body):010d} 00000 n \n"
        f"trailer\n<< /Size {number + 1} /Root {root.group(1).decode()} {root.group(2).decode()} R "
        f"/Info {number} 0 R /Prev {match.group(2).decode()} >>\nstartxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return body + obj + trailer


@without_gc
def render_pdf(content: Content, *, while_waiting=None, parallel: bool = True) -> tuple[bytes, int]:
    """(PDF bytes, page count).

    A large briefing (SPLIT_MIN_ROWS table rows and more) is laid out by two processes at once: a child
    process renders the first part (masthead to the category tables, with its page numbers), this
    process the rest (from the lagging projects on, which then starts on a new page) and stamps that
    part's page numbers once the first part's page count is known; poppler's pdfunite joins the two.
    `while_waiting()` runs in this process while the child works (the Word and Excel files).
    """
    from weasyprint import HTML

    cut = _split_at(content) if parallel and shutil.which("pdfunite") else None
    if cut is None:
        result = _render(briefing_html(content))
        if while_waiting is not None:
            while_waiting()
        return result
    first_html = briefing_html(content, blocks=slice(None, cut), tail=False)
    rest_html = briefing_html(content, blocks=slice(cut, None), head=False, numbers=False)
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        future = pool.submit(_render, first_html)
    except (OSError, RuntimeError):
        log.warning("PDF: no second process, rendering in one")
        result = _render(briefing_html(content))
        if while_waiting is not None:
            while_waiting()
        return result
    try:
        rest = HTML(string=rest_html).render()
        if while_waiting is not None:
            while_waiting()
        first_pdf, first_pages = future.result(timeout=600)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    _stamp_numbers(rest, first_pages)
    rest_pdf = rest.write_pdf()
    info = {
        "Title": document_title(content),
        "Author": content.issuer,
        "Subject": content.title,
        "Producer": "WeasyPrint, pdfunite",
    }
    return with_info(_unite(first_pdf, rest_pdf), info), first_pages + len(rest.pages)
