"""The briefing as a Word file laid out after GB/T 9704-2012.

python-docx builds the document; tables (which may hold a thousand rows) are written as one XML
fragment for speed. Every run names its fonts explicitly, the East-Asian one in w:eastAsia, and the
font table gives Word an alternative for each Chinese font (w:altName) where it is not installed.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from tiaodu.briefings import layout as L
from tiaodu.briefings.content import Block, Content
from tiaodu.briefings.minutes_content import document_title, keywords
from tiaodu.core.gcpause import without_gc
from tiaodu.core.text_rules import strip_control

TWIPS_PER_MM = 1440 / 25.4
TEXT_W_TWIPS = round(L.TEXT_W_MM * TWIPS_PER_MM)  # 8844


def _set_fonts(rpr, east_asia: str, latin: str | None = None):
    """Explicit fonts on a w:rPr (theme fonts removed, since they would win over explicit ones)."""
    latin = latin or east_asia
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _run(paragraph, text: str, *, font: str, size: float, latin: str | None = None, bold=False, color=None):
    run = paragraph.add_run(strip_control(text))  # XML cannot hold control characters
    run.font.size = Pt(size)
    run.font.name = latin or font
    _set_fonts(run._r.get_or_add_rPr(), font, latin)
    if bold:
        run.font.bold = True
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


# The order of w:pPr's children is fixed by the schema (Word refuses a file that breaks it).
_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def _insert_ordered(parent, element, order: list[str]):
    """Insert `element` into `parent` before the first child that must follow it in `order`."""
    name = element.tag.split("}")[1]
    later = {qn(f"w:{n}") for n in order[order.index(name) + 1 :]}
    for child in parent:
        if child.tag in later:
            child.addprevious(element)
            return element
    parent.append(element)
    return element


def _ppr_insert(ppr, element):
    """Insert a child into w:pPr at its schema position."""
    return _insert_ordered(ppr, element, _PPR_ORDER)


def _no_grid(paragraph):
    """Lay the paragraph out off the document grid (large type, tables, images)."""
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:snapToGrid")) is None:
        _ppr_insert(ppr, parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))


_BORDER_ORDER = ["top", "left", "bottom", "right", "between", "bar"]


def _border(paragraph, side: str, size: int, color: str = "000000", space: int = 1):
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = _ppr_insert(ppr, parse_xml(f"<w:pBdr {nsdecls('w')}/>"))
    edge = parse_xml(
        f'<w:{side} {nsdecls("w")} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'
    )
    _insert_ordered(borders, edge, _BORDER_ORDER)


def _spacing(paragraph, before=0, after=0):
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)


def _setup_styles(document):
    styles = document.styles
    # docDefaults: explicit fonts and 16 pt, no spacing after, single lines (the grid gives the pitch).
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, L.BODY_FONT, L.LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    normal = styles["Normal"]
    normal.font.size = Pt(L.BODY_PT)
    normal.font.name = L.LATIN_FONT
    _set_fonts(normal.element.get_or_add_rPr(), L.BODY_FONT, L.LATIN_FONT)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = False

    for name, font, size in (
        ("Heading 1", L.HEI_FONT, L.BODY_PT),
        ("Heading 2", L.KAI_FONT, L.BODY_PT),
        ("Title", L.TITLE_FONT, L.TITLE_PT),
    ):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.name = font
        srpr = style.element.get_or_add_rPr()
        _set_fonts(srpr, font, font if name == "Title" else L.LATIN_FONT)
        for tag in ("w:szCs", "w:spacing", "w:kern"):
            el = srpr.find(qn(tag))
            if el is not None and tag != "w:szCs":
                srpr.remove(el)
        pf = style.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.keep_with_next = True
        spr = style.element.get_or_add_pPr()
        for tag in ("w:pBdr",):
            el = spr.find(qn(tag))
            if el is not None:
                spr.remove(el)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _font_table(document):
    """Add the Chinese fonts with their alternatives to word/fontTable.xml."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            xml = part.blob.decode("utf-8")
            entries = "".join(
                f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                f'<w:family w:val="{"modern" if name == L.HEI_FONT else "roman"}"/><w:pitch w:val="variable"/></w:font>'
                for name, alt in L.DOCX_ALT_NAMES.items()
            )
            part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _app_properties(document, pages: int | None, title: str):
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = (
                "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                f"<Template>Normal.dotm</Template>{f'<Pages>{pages}</Pages>' if pages else ''}"
                "<Application>Tiaodu</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
                f"<Company>{escape(strip_control(title))}</Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
                "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>"
            ).encode()


def _page_number_footer(footer, *, odd: bool):
    """— N — in 四号 宋体: odd pages on the right, even pages on the left, one character in (GB/T 9704 7.5)."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    if odd:
        fmt.right_indent = Pt(L.PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(L.PAGE_NUMBER_PT)
    _no_grid(paragraph)
    _run(paragraph, "— ", font=L.SONG_FONT, size=L.PAGE_NUMBER_PT)
    run = _run(paragraph, "", font=L.SONG_FONT, size=L.PAGE_NUMBER_PT)
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    run = _run(paragraph, "", font=L.SONG_FONT, size=L.PAGE_NUMBER_PT)
    run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
    run = _run(paragraph, "", font=L.SONG_FONT, size=L.PAGE_NUMBER_PT)
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    _run(paragraph, "1", font=L.SONG_FONT, size=L.PAGE_NUMBER_PT)
    run = _run(paragraph, "", font=L.SONG_FONT, size=L.PAGE_NUMBER_PT)
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
    _run(paragraph, " —", font=L.SONG_FONT, size=L.PAGE_NUMBER_PT)


def _setup_section(document):
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Mm(L.PAGE_W_MM)
    section.page_height = Mm(L.PAGE_H_MM)
    section.top_margin = Mm(L.MARGIN_TOP_MM)
    section.bottom_margin = Mm(L.MARGIN_BOTTOM_MM)
    section.left_margin = Mm(L.MARGIN_LEFT_MM)
    section.right_margin = Mm(L.MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(21)  # the page number's dash sits about 7 mm under the text block
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(L.DOCX_LINE_PITCH))
    grid.set(qn("w:charSpace"), str(L.DOCX_CHAR_SPACE))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, odd=True)
    _page_number_footer(section.even_page_footer, odd=False)


def _cell_xml(text: str, width: int, *, header=False, align="center", bold=False) -> str:
    font = L.HEI_FONT if header else L.BODY_FONT
    lines = escape(strip_control(text)).split("\n")
    runs = "<w:r><w:br/></w:r>".join(
        f'<w:r><w:rPr><w:rFonts w:ascii="{L.LATIN_FONT}" w:hAnsi="{L.LATIN_FONT}" w:eastAsia="{font}" '
        f'w:cs="{L.LATIN_FONT}"/>{"<w:b/>" if bold else ""}<w:sz w:val="{L.TABLE_PT * 2}"/>'
        f'<w:szCs w:val="{L.TABLE_PT * 2}"/></w:rPr><w:t xml:space="preserve">{line}</w:t></w:r>'
        for line in lines
    )
    jc = {"left": "left", "right": "right"}.get(align, "center")
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/>' if header else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="20" w:after="20" w:line="264" '
        f'w:lineRule="auto"/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="{jc}"/></w:pPr>{runs}</w:p></w:tc>'
    )


def _table(document, block: Block):
    total = sum(c.width for c in block.columns)
    widths = [round(TEXT_W_TWIPS * c.width / total) for c in block.columns]
    widths[-1] += TEXT_W_TWIPS - sum(widths)
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    parts = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{TEXT_W_TWIPS}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
        # The header row repeats on every page the table runs onto; rows do not split across pages.
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
        "".join(_cell_xml(c.title, w, header=True) for c, w in zip(block.columns, widths, strict=True)),
        "</w:tr>",
    ]
    for index, row in enumerate(block.rows):
        strong = index in block.strong_rows
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts.append(
            "".join(
                _cell_xml(
                    value, w, align=c.align, bold=strong and (not block.strong_cols or i in block.strong_cols)
                )
                for i, (value, c, w) in enumerate(zip(row, block.columns, widths, strict=True))
            )
        )
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    table = parse_xml("".join(parts))
    document.element.body.insert_element_before(table, "w:sectPr")
    # A paragraph after each table keeps two tables from merging and leaves a little air.
    spacer = document.add_paragraph()
    _no_grid(spacer)
    spacer.paragraph_format.line_spacing = Pt(10)


def _body(document, text: str, *, indent=True):
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(L.CHAR_PITCH_PT * 2)
        ppr = paragraph._p.get_or_add_pPr()
        ind = ppr.find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), "200")
    _run(paragraph, text, font=L.BODY_FONT, size=L.BODY_PT, latin=L.LATIN_FONT)
    return paragraph


def _heading(document, text: str, level: int):
    paragraph = document.add_paragraph(style="Heading 1" if level == 1 else "Heading 2")
    paragraph.paragraph_format.first_line_indent = Pt(L.CHAR_PITCH_PT * 2)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.find(qn("w:ind")).set(qn("w:firstLineChars"), "200")
    font = L.HEI_FONT if level == 1 else L.KAI_FONT
    _run(paragraph, text, font=font, size=L.BODY_PT, latin=L.LATIN_FONT)
    return paragraph


def _image(document, block: Block):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    _no_grid(paragraph)
    paragraph.add_run().add_picture(io.BytesIO(block.image), width=Mm(min(block.width_mm, L.TEXT_W_MM)))
    if block.caption:
        caption = document.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _no_grid(caption)
        _spacing(caption, 2, 10)
        _run(caption, block.caption, font=L.BODY_FONT, size=L.COPY_PT, latin=L.LATIN_FONT)


def _masthead(document, content: Content):
    """版头: the red masthead, the issue number, the issuing office and date, the red rule."""
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_grid(head)
    _spacing(head, 6, 12)
    _run(head, content.header, font=L.TITLE_FONT, size=L.HEADER_PT, color=L.RED)

    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(number, 0, 0)
    _run(number, content.number_text, font=L.BODY_FONT, size=L.BODY_PT, latin=L.LATIN_FONT)

    line = document.add_paragraph()
    fmt = line.paragraph_format
    fmt.left_indent = Pt(L.CHAR_PITCH_PT)
    fmt.right_indent = Pt(L.CHAR_PITCH_PT)
    fmt.tab_stops.add_tab_stop(Mm(L.TEXT_W_MM) - Pt(L.CHAR_PITCH_PT * 2), alignment=2)  # right
    _run(line, f"{content.issuer}\t{content.date_text}", font=L.BODY_FONT, size=L.BODY_PT, latin=L.LATIN_FONT)
    # The red rule as wide as the text block, 4 mm under the issuer's line.
    rule = document.add_paragraph()
    _no_grid(rule)
    rule.paragraph_format.line_spacing = Pt(2)
    _border(rule, "bottom", 18, L.RED, 0)

    title = document.add_paragraph(style="Title")
    _no_grid(title)
    _spacing(title, L.LINE_PITCH_PT, L.LINE_PITCH_PT * 0.5)
    title.paragraph_format.line_spacing = Pt(L.LINE_PITCH_PT * 1.1)
    _run(title, content.title, font=L.TITLE_FONT, size=L.TITLE_PT)


def _record(document, content: Content):
    """版记: 抄送 and the printing office and date between rules (GB/T 9704 8.3)."""
    spacer = document.add_paragraph()
    _spacing(spacer, 0, 0)
    copy = document.add_paragraph()
    _no_grid(copy)
    fmt = copy.paragraph_format
    fmt.left_indent = Pt(L.COPY_PT)
    fmt.right_indent = Pt(L.COPY_PT)
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing = Pt(L.COPY_PT * 1.6)
    _border(copy, "top", 8, space=4)
    _border(copy, "bottom", 4, space=4)
    _run(copy, "抄送：" + content.copy_to, font=L.BODY_FONT, size=L.COPY_PT, latin=L.LATIN_FONT)
    issued = document.add_paragraph()
    _no_grid(issued)
    fmt = issued.paragraph_format
    fmt.left_indent = Pt(L.COPY_PT)
    fmt.right_indent = Pt(L.COPY_PT)
    fmt.line_spacing = Pt(L.COPY_PT * 1.6)
    fmt.tab_stops.add_tab_stop(Mm(L.TEXT_W_MM) - Pt(L.COPY_PT * 2), alignment=2)
    _border(issued, "bottom", 8, space=4)
    _run(
        issued,
        f"{content.issuer}\t{content.date_text}印发",
        font=L.BODY_FONT,
        size=L.COPY_PT,
        latin=L.LATIN_FONT,
    )


@without_gc
def render_docx(content: Content, *, pages: int | None = None) -> bytes:
    """The .docx bytes of the briefing (or of the minutes). `pages` (from the PDF of the same content) goes into app.xml."""
    document = docx.Document()
    _setup_styles(document)
    _setup_section(document)
    _font_table(document)
    core = document.core_properties
    core.title = document_title(content)
    core.author = content.issuer
    core.subject = content.title
    core.language = "zh-CN"
    core.keywords = keywords(content)
    _app_properties(document, pages, content.issuer)
    # The empty paragraph a new document starts with goes; the masthead comes first.
    body = document.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _masthead(document, content)
    for block in content.blocks:
        if block.kind == "h1":
            _heading(document, block.text, 1)
        elif block.kind == "h2":
            _heading(document, block.text, 2)
        elif block.kind == "p":
            _body(document, block.text)
        elif block.kind == "table":
            _table(document, block)
        elif block.kind == "image":
            _image(document, block)
    _record(document, content)
    # The body's sectPr must stay last.
    sect = body.find(qn("w:sectPr"))
    body.remove(sect)
    body.append(sect)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
