"""The briefing as a PDF, from the same blocks as the Word file, through WeasyPrint.

The page follows GB/T 9704-2012 like the Word file: A4, the same margins, 16 pt body on a 28.99 pt
line pitch with characters set 0.21 pt closer so that 28 fit a line; page numbers `— N —` in the
bottom margin (odd pages right, even pages left); table headers repeat on every page (thead).
WeasyPrint embeds subsets of the fonts it uses (Noto CJK from fonts-noto-cjk where the official
fonts are missing).
"""

from __future__ import annotations

import base64
from html import escape

from tiaodu.briefings import layout as L
from tiaodu.briefings.content import Block, Content

CSS = f"""
@page {{
  size: A4;
  margin: {L.MARGIN_TOP_MM}mm {L.MARGIN_RIGHT_MM}mm {L.MARGIN_BOTTOM_MM}mm {L.MARGIN_LEFT_MM}mm;
  @bottom-right {{
    content: "— " counter(page) " —";
    font-family: {L.css_family(L.SONG_FONT)}; font-size: {L.PAGE_NUMBER_PT}pt;
    vertical-align: top; padding-top: 4.5mm; padding-right: {L.PAGE_NUMBER_PT}pt;
  }}
}}
@page {{ @footnote {{ border-top: none; padding-top: 0; margin-top: 6pt; }} }}
::footnote-call {{ content: none; }}
::footnote-marker {{ content: none; }}
@page :left {{
  @bottom-right {{ content: none; }}
  @bottom-left {{
    content: "— " counter(page) " —";
    font-family: {L.css_family(L.SONG_FONT)}; font-size: {L.PAGE_NUMBER_PT}pt;
    vertical-align: top; padding-top: 4.5mm; padding-left: {L.PAGE_NUMBER_PT}pt;
  }}
}}
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
                f'<td class="{cls}">{escape(value)}</td>' if cls else f"<td>{escape(value)}</td>"
                for value, cls in zip(row, marks, strict=True)
            )
            + "</tr>"
        )
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def briefing_html(content: Content) -> str:
    parts = [
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(content.header)}（{content.year}年{escape(content.number_text)}）</title>",
        f'<meta name="author" content="{escape(content.issuer)}">',
        f'<meta name="description" content="{escape(content.title)}">',
        f"<style>{CSS}</style></head><body>",
        f'<div class="masthead">{escape(content.header)}</div>',
        f'<p class="issue">{escape(content.number_text)}</p>',
        f'<table class="issuer"><tr><td>{escape(content.issuer)}</td><td class="date">{escape(content.date_text)}</td></tr>'
        "</table>",
        '<div class="rule"></div>',
        f'<div class="title">{escape(content.title)}</div>',
    ]
    for block in content.blocks:
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
    parts.append(
        '<div class="record">'
        f'<div class="copy">抄送：{escape(content.copy_to)}</div>'
        f'<table><tr><td>{escape(content.issuer)}</td><td class="date">{escape(content.date_text)}印发</td></tr></table>'
        "</div></body></html>"
    )
    return "".join(parts)


def render_pdf(content: Content) -> tuple[bytes, int]:
    """(PDF bytes, page count)."""
    from weasyprint import HTML

    document = HTML(string=briefing_html(content)).render()
    pages = len(document.pages)
    return document.write_pdf(), pages
