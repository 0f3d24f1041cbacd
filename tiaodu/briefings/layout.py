"""GB/T 9704-2012 page and type settings shared by the Word and PDF renderers.

版心 (text block) 156 mm × 225 mm on A4: margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
22 lines of 28 characters of 三号 (16 pt): the line pitch is 225 mm / 22 = 28.99 pt, the character
pitch 156 mm / 28 = 15.79 pt (16 pt characters set 0.21 pt closer).
"""

MM_PER_PT = 25.4 / 72

PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
TEXT_W_MM = PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_H_MM = PAGE_H_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
LINES, CHARS = 22, 28

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
HEADER_PT = 40  # 发文机关标志 (红头)
TABLE_PT = 12  # 小四, tables
PAGE_NUMBER_PT = 14  # 四号
COPY_PT = 14  # 版记

LINE_PITCH_PT = TEXT_H_MM / MM_PER_PT / LINES  # 28.99
CHAR_PITCH_PT = TEXT_W_MM / MM_PER_PT / CHARS  # 15.79
LETTER_SPACING_PT = CHAR_PITCH_PT - BODY_PT  # -0.21

# Word's w:docGrid: linePitch in twentieths of a point; charSpace in 1/4096 pt added to the pitch of
# the default (16 pt) font.
DOCX_LINE_PITCH = int(LINE_PITCH_PT * 20)  # 579
DOCX_CHAR_SPACE = round(LETTER_SPACING_PT * 4096)  # -847

RED = "FF0000"

# Font names as Chinese offices have them, with what to use where they are missing.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {
    TITLE_FONT: ["小标宋", "Noto Serif CJK SC"],
    BODY_FONT: ["仿宋", "FangSong", "Noto Serif CJK SC"],
    HEI_FONT: ["SimHei", "Noto Sans CJK SC"],
    KAI_FONT: ["楷体", "KaiTi", "Noto Serif CJK SC"],
    SONG_FONT: ["SimSun", "Noto Serif CJK SC"],
}
# Word's font table names one alternative per font (w:altName): the one found on every Chinese Windows.
DOCX_ALT_NAMES = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    HEI_FONT: "SimHei",
    KAI_FONT: "楷体",
    SONG_FONT: "SimSun",
}


def css_family(name: str) -> str:
    return ", ".join(f'"{n}"' for n in [name, *FALLBACKS.get(name, [])]) + ", serif"
