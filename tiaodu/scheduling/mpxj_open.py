"""Opening an MS Project or Primavera P6 file with mpxj, whatever its name says, and picking one project.

The format is found from the content (a renamed file is read as what it is): .mpp, .mpx, MS Project XML
(MSPDI), Primavera P6 XER and P6 XML, through mpxj's UniversalProjectReader. An XER file does not say
which character set it is written in, so it is found here (see `xer_charset`), never guessed silently.
Every problem is a ScheduleFileError whose messages are in Chinese, say what the file is and what to do.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tiaodu.core.xlsx import CellError
from tiaodu.scheduling.importers import ScheduleFileError, start_jvm

MPP, MPX, MSPDI, XER, PMXML = "mpp", "mpx", "mspdi", "xer", "pmxml"
FORMAT_LABELS = {
    MPP: "MS Project（.mpp）",
    MPX: "MS Project MPX（.mpx）",
    MSPDI: "MS Project XML（MSPDI）",
    XER: "Primavera P6 XER",
    PMXML: "Primavera P6 XML",
}
# mpxj's reader class → our format key (other formats mpxj reads are not offered).
_READERS = {
    "MPPReader": MPP,
    "MPXReader": MPX,
    "MSPDIReader": MSPDI,
    "PrimaveraXERFileReader": XER,
    "PrimaveraPMFileReader": PMXML,
}
# What each extension promises, to say so when the content differs.
_EXTENSIONS = {
    ".mpp": "MS Project 文件（.mpp）",
    ".mpt": "MS Project 模板（.mpt）",
    ".mpx": "MS Project MPX 文件",
    ".xml": "XML 计划文件",
    ".xer": "Primavera P6 XER 文件",
    ".pmxml": "Primavera P6 XML 文件",
    ".xlsx": "Excel 工作簿",
}
SUPPORTED = "请上传 .mpp、.mpx、.xml（MS Project 或 P6）、.xer、.pmxml 或 .xlsx 文件"
SAVE_AS_XML = "请在 MS Project 中打开后另存为 XML 格式（.xml）再上传"
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOMS = ((b"\xef\xbb\xbf", "UTF-8"), (b"\xff\xfe", "UTF-16LE"), (b"\xfe\xff", "UTF-16BE"))


@dataclass(frozen=True)
class ProjectChoice:
    key: str  # what `open_file(choice=...)` takes
    name: str  # as the planner knows it: P6 "short name 名称", MS Project's title
    task_count: int  # tasks that are not summaries (P6 activities)


@dataclass
class OpenedFile:
    project_file: object  # org.mpxj.ProjectFile of the chosen project
    format_key: str  # MPP, MPX, MSPDI, XER or PMXML
    format_label: str  # FORMAT_LABELS[format_key]
    projects: list[ProjectChoice] = field(default_factory=list)  # every project in the file
    chosen: ProjectChoice | None = None
    charset: str | None = None  # the XER's character set (Java name), None for other formats


class ProjectChoiceNeeded(ScheduleFileError):
    """The file holds several projects and none was chosen; `.choices` lists them."""

    def __init__(self, choices: list[ProjectChoice], message: str | None = None):
        self.choices = choices
        super().__init__([CellError(message=message or f"文件包含{len(choices)}个项目，请选择要导入的项目")])


def _file(label: str) -> str:
    """ " MS Project（.mpp）文件", " Primavera P6 XER 文件": a format label in a sentence."""
    return f" {label}文件" if label.endswith("）") else f" {label} 文件"


def _fail(message: str) -> ScheduleFileError:
    return ScheduleFileError([CellError(message=message)])


def open_file(path, *, filename: str | None = None, choice: str | None = None) -> OpenedFile:
    """Open any file mpxj reads and return its chosen project; raise ScheduleFileError (in Chinese)."""
    name = Path(filename or os.fspath(path)).name
    with open(path, "rb") as fh:
        data = fh.read()
    kind = sniff(data)
    _refuse_other_documents(kind, data, name)
    try:
        start_jvm()
    except Exception:  # noqa: BLE001 — any failure to start Java means the same to the user
        raise _fail(
            f"服务器上的 MS Project / Primavera 文件读取组件（Java）不可用，暂时无法读取「{name}」；"
            "请改用 .xlsx 导入，或请系统管理员检查服务器"
        )
    if kind in (XER, MPX):
        _check_complete(kind, data, name)
    charset = xer_charset(data, name) if kind == XER else None
    format_key, files = _read_all(path, kind, charset, name)
    label = FORMAT_LABELS[format_key]
    if not files:
        raise _fail(f"「{name}」是{_file(label)}，但其中没有项目；请在导出时选择要导出的项目后重新导出")
    choices = _choices(files, format_key, name)
    index = _chosen_index(choices, choice, name)
    chosen = choices[index]
    if chosen.task_count == 0:
        raise _fail(
            f"「{name}」是{_file(label)}，但项目「{chosen.name}」中没有任务；请确认导出的项目包含任务（作业）后重新导出"
        )
    return OpenedFile(files[index], format_key, label, choices, chosen, charset)


# --- what the bytes are -----------------------------------------------------------------------------


def sniff(data: bytes) -> str:
    """The file's kind from its first bytes: a format key, or "empty", "ole", "xlsx", "docx", "pptx",
    "zip", "broken-zip", "pdf", "xml", "text" or "binary"."""
    if not data:
        return "empty"
    if data.startswith(OLE_HEADER):
        return "ole"
    if data.startswith(b"PK"):
        return _zip_kind(data)
    if data.startswith(b"%PDF"):
        return "pdf"
    head = _head_text(data)
    if head.startswith("ERMHDR"):
        return XER
    if head.startswith("MPX"):
        return MPX
    if re.search(r"<(APIBusinessObjects|BusinessObjects)\b", head):
        return PMXML
    if "schemas.microsoft.com/project" in head or re.search(r"<Project\b.*<(SaveVersion|Title)>", head, re.S):
        return MSPDI
    if head.lstrip().startswith("<"):
        return "xml"
    return "text" if head and all(ch.isprintable() or ch in "\r\n\t" for ch in head[:512]) else "binary"


def _head_text(data: bytes) -> str:
    head = data[:4096]
    for bom, charset in BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(charset, errors="replace")
    if head[:4] in (b"<\x00?\x00", b"<\x00P\x00"):
        return head.decode("utf-16-le", errors="replace")
    if head[:4] in (b"\x00<\x00?", b"\x00<\x00P"):
        return head.decode("utf-16-be", errors="replace")
    return head.decode("latin-1")


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "broken-zip"
    for prefix, kind in (("xl/", "xlsx"), ("word/", "docx"), ("ppt/", "pptx")):
        if any(n.startswith(prefix) for n in names):
            return kind
    return "zip"


def _refuse_other_documents(kind: str, data: bytes, name: str) -> None:
    """Refuse, in words the planner understands, files that are no schedule mpxj reads."""
    said = _EXTENSIONS.get(Path(name).suffix.lower())
    ext = Path(name).suffix.lower() or "（无扩展名）"
    message = {
        "empty": f"「{name}」是空文件（0字节）；请重新导出计划文件后上传",
        "xlsx": f"「{name}」的内容是 Excel 工作簿（.xlsx）"
        + (f"，不是 {said}" if said and ext != ".xlsx" else "")
        + "；Excel 计划须使用工作表「计划」的模板，扩展名为 .xlsx",
        "docx": f"「{name}」的内容是 Word 文档（.docx），不是计划文件；{SUPPORTED}",
        "pptx": f"「{name}」的内容是 PowerPoint 演示文稿（.pptx），不是计划文件；{SUPPORTED}",
        "pdf": f"「{name}」的内容是 PDF 文档，不是计划文件，PDF 中的计划无法导入；"
        "请上传 MS Project 或 P6 导出的原始文件（.mpp、.xml、.xer）",
        "broken-zip": f"「{name}」是压缩格式的文件（如 Excel 工作簿），但文件不完整或已损坏（可能上传时被截断）；"
        "请重新保存完整的文件后上传",
    }.get(kind)
    if message is None and kind in ("xml", "text", "binary"):
        message = f"无法识别的文件「{name}」：内容不是 MS Project 或 Primavera P6 计划；{SUPPORTED}"
    if message is None and kind == "ole":
        message = _ole_problem(data, name)
    if message is not None:
        raise _fail(message)


def _ole_problem(data: bytes, name: str) -> str | None:
    """An Office 97–2003 style (OLE) file that is not MS Project: what it is, else None."""
    marks = {
        "W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t\x00": "Word 97-2003 文档（.doc）",
        "W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00": "Excel 97-2003 工作簿（.xls）",
        "E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00": "加密的 Office 文档",
    }
    if b"MSProject" in data:
        return None
    text = data[:65536].decode("latin-1")
    for mark, what in marks.items():
        if mark in text:
            return f"「{name}」的内容是{what}，不是 MS Project 计划文件；{SUPPORTED}"
    return None


def _mismatch(kind: str, name: str) -> str:
    """ "文件扩展名为 .xer，但内容是…；" when the name promises another format, else ""."""
    ext = Path(name).suffix.lower()
    said = _EXTENSIONS.get(ext)
    if said is None or kind not in FORMAT_LABELS:
        return ""
    matches = {".mpp": (MPP,), ".mpt": (MPP,), ".mpx": (MPX,), ".xml": (MSPDI, PMXML), ".xer": (XER,)}
    if kind in matches.get(ext, (PMXML,) if ext == ".pmxml" else ()):
        return ""
    return f"文件扩展名为 {ext}，但内容是{_file(FORMAT_LABELS[kind])}；"


# --- XER character sets -----------------------------------------------------------------------------


def xer_charset(data: bytes, name: str) -> str:
    """The character set of an XER file (a Java charset name), or ScheduleFileError.

    A byte order mark first (it is a declaration; FF FE / FE FF are never valid UTF-8 and the UTF-8 BOM
    must be skipped), then strict UTF-8 (pure ASCII included), then GB18030 when the text reads as Chinese,
    then the Windows code page P6 exported it in (an XER names no code page: windows-1251 when the text
    reads as Cyrillic words, windows-1252 when it reads as Western European words). Anything else, or
    text that reads as two of them, is refused: a wrong guess would import every name as mojibake.
    """
    for bom, charset in BOMS:
        if data.startswith(bom):
            try:
                data[len(bom) :].decode(charset)
            except UnicodeDecodeError:
                break
            return charset
    else:
        try:
            data.decode("utf-8")
            return "UTF-8"
        except UnicodeDecodeError:
            pass
        if _reads_as_chinese(data):
            return "GB18030"
        fits = [cs for cs in ("windows-1251", "windows-1252") if _decodes(data, cs) and _check(cs, data)]
        if len(fits) == 1:
            return fits[0]
    raise _fail(
        f"无法确定「{name}」的文字编码（不是 UTF-8，也不像 GB18030 中文或 Windows 俄文/西欧文字），"
        "为避免任务名称变成乱码未导入；请在 P6 中重新导出，或用文本编辑器将文件另存为 UTF-8 编码后上传"
    )


def _decodes(data: bytes, charset: str) -> bool:
    try:
        data.decode(charset)
    except UnicodeDecodeError:
        return False
    return True


def _check(charset: str, data: bytes) -> bool:
    text = data.decode(charset)
    return _reads_as_cyrillic(text) if charset == "windows-1251" else _reads_as_western(text)


def _reads_as_chinese(data: bytes) -> bool:
    """Strict GB18030, and the characters are mostly GB2312's common (level 1) Chinese characters.

    Cyrillic windows-1251 bytes often decode as GB18030 too, but into rare (level 2 / extension)
    characters: lower-case Cyrillic letters are bytes E0–FF, beyond GB2312's level 1 (lead B0–D7).
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    common = rare = symbols = 0
    for ch in text:
        if ord(ch) < 128:
            continue
        try:
            lead = ch.encode("gb2312")[0]
        except UnicodeEncodeError:
            rare += 1
            continue
        if 0xB0 <= lead <= 0xD7:
            common += 1
        elif lead >= 0xD8:
            rare += 1
        else:
            symbols += 1
    if common + rare == 0:
        return symbols > 0
    return common / (common + rare) >= 0.6


_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC_VOWELS = set("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ")


def _case_ok(word: str) -> bool:
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def _foreign_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if any(ord(ch) > 127 for ch in w)]


def _symbols_ok(text: str) -> bool:
    """Non-ASCII characters outside words are punctuation, symbols or spaces (not control codes)."""
    return all(unicodedata.category(ch)[0] in "LPSZN" for ch in text if ord(ch) > 127 and not ch.isalpha())


def _reads_as_cyrillic(text: str) -> bool:
    """Words in Cyrillic letters only, cased like words, with vowels like Russian/Ukrainian text."""
    words = _foreign_words(text)
    if not words or not _symbols_ok(text):
        return False
    good = [w for w in words if all("\u0400" <= ch <= "\u04ff" for ch in w) and _case_ok(w)]
    letters = "".join(good)
    vowels = sum(ch in _CYRILLIC_VOWELS for ch in letters)
    return len(good) >= 0.9 * len(words) and letters and 0.25 <= vowels / len(letters) <= 0.65


def _reads_as_western(text: str) -> bool:
    """Latin words with a few accented letters (é, ü, ß…), not runs of them (Cyrillic read as 1252);
    or no such words at all, only symbols (P6's currency table holds £ and € in windows-1252)."""
    words = _foreign_words(text)
    if not _symbols_ok(text):
        return False
    if not words:
        return True

    def plausible(word: str) -> bool:
        accented = [ch for ch in word if ord(ch) > 127]
        latin = all(ord(ch) < 0x250 for ch in word)
        return latin and _case_ok(word) and (len(word) < 4 or len(accented) * 2 <= len(word))

    return sum(plausible(w) for w in words) >= 0.9 * len(words)


def _check_complete(kind: str, data: bytes, name: str) -> None:
    """An XER ends with its %E line and an MPX with a line break; a file cut short does not."""
    tail = data.rstrip(b"\x00")[-16:]
    if kind == XER:
        lines = tail.replace(b"\x00", b"").strip().splitlines()
        complete = bool(lines) and lines[-1].strip() == b"%E"
    else:
        complete = tail.endswith(b"\n")
    if not complete:
        raise _fail(
            f"「{name}」是{_file(FORMAT_LABELS[kind])}，但文件不完整（末尾缺失，可能导出或上传时被截断）；"
            "请重新导出完整的文件后上传"
        )


# --- reading with mpxj ------------------------------------------------------------------------------


def _read_all(path, kind: str, charset: str | None, name: str) -> tuple[str, list]:
    """(format key, every project in the file) through mpxj's UniversalProjectReader."""
    from java.io import File
    from java.lang import Throwable
    from java.nio.charset import Charset
    from org.mpxj.reader import UniversalProjectReader

    proxy = None
    format_key = kind if kind in FORMAT_LABELS else None
    try:
        proxy = UniversalProjectReader().getProjectReaderProxy(File(os.fspath(path)))
        reader = proxy.getProjectReader() if proxy is not None else None
        if reader is not None:
            format_key = _READERS.get(str(reader.getClass().getSimpleName()))
        if reader is None and _plain_mspdi(path):  # too small for mpxj's sniffing, yet valid
            from org.mpxj.mspdi import MSPDIReader

            format_key = MSPDI
            return MSPDI, [pf for pf in MSPDIReader().readAll(File(os.fspath(path))) if pf is not None]
        if reader is None or format_key is None:
            raise _unreadable(kind, name)
        if format_key == XER:
            reader.setCharset(Charset.forName(charset or xer_charset(Path(path).read_bytes(), name)))
        return format_key, [pf for pf in proxy.readAll() if pf is not None]
    except Throwable as exc:
        files = _mpx_in_other_languages(path) if format_key == MPX else None
        if files is not None:
            return MPX, files
        raise _java_problem(exc, format_key or kind, name)
    finally:
        if proxy is not None:
            proxy.close()


def _plain_mspdi(path) -> bool:
    """An XML declaration followed by a <Project> element in MS Project's namespace (MSPDI)."""
    head = _head_text(Path(path).read_bytes()[:4096])
    return head.lstrip().startswith("<?xml") and bool(
        re.search(r"<Project\b[^>]*xmlns=[\"']http://schemas\.microsoft\.com/project[\"']", head)
    )


def _mpx_in_other_languages(path) -> list | None:
    """An MPX file written by MS Project in another language (its keywords and units translated):
    the projects read with the first language mpxj knows that reads it, else None."""
    from java.io import File
    from java.lang import Exception as JavaException
    from org.mpxj.mpx import MPXReader

    for locale in MPXReader.getSupportedLocales():
        reader = MPXReader()
        reader.setLocale(locale)
        try:
            return [pf for pf in reader.readAll(File(os.fspath(path))) if pf is not None]
        except JavaException:
            continue
    return None


def _unreadable(kind: str, name: str) -> ScheduleFileError:
    """mpxj found no reader: a damaged file of a known kind, or no schedule at all."""
    if kind in FORMAT_LABELS:
        return _fail(
            f"{_mismatch(kind, name)}「{name}」看起来是{_file(FORMAT_LABELS[kind])}，但文件不完整或已损坏"
            "（可能导出或上传时被截断），无法读取；请重新导出完整的文件后上传"
        )
    if kind == "ole" and Path(name).suffix.lower() in (".mpp", ".mpt"):
        return _fail(
            f"「{name}」已损坏或不完整（可能导出或上传时被截断），无法作为 MS Project 文件读取；"
            f"请重新上传完整的文件，或{SAVE_AS_XML[1:]}"
        )
    if kind == "ole":
        return _fail(
            f"「{name}」是 Office 97-2003 格式的文件，但不是可读取的 MS Project 计划（或文件已损坏）；"
            f"{SAVE_AS_XML}"
        )
    return _fail(f"无法识别的文件「{name}」：内容不是 MS Project 或 Primavera P6 计划；{SUPPORTED}")


def _java_problem(exc, kind: str, name: str) -> ScheduleFileError:
    """A Java exception from mpxj, in Chinese; its own text only as 技术信息 at the end."""
    messages = []
    cause = exc
    while cause is not None and len(messages) < 10:
        messages.append(str(cause.getMessage() or cause.getClass().getSimpleName()))
        cause = cause.getCause()
    joined = " | ".join(messages)
    label = FORMAT_LABELS.get(kind, "计划")
    if "password protected" in joined.lower():
        return _fail(
            f"「{name}」是受密码保护的 MS Project 文件，无法读取；请在 MS Project 中打开，"
            "取消密码（另存为 → 工具 → 常规选项）后保存，或另存为 XML 格式（.xml）再上传"
        )
    unsupported = re.search(r"Invalid file format: (MSProject\.\w+)", joined)
    if unsupported:
        return _fail(
            f"「{name}」是本系统无法读取的 MS Project 文件版本（{unsupported.group(1)}）；{SAVE_AS_XML}"
        )
    if "OutOfMemoryError" in joined or "Java heap space" in joined:
        return _fail(f"「{name}」过大，服务器无法读取；请拆分计划后分别导入")
    return _fail(
        f"{_mismatch(kind, name)}「{name}」是{_file(label)}，但文件不完整或已损坏（可能导出或上传时被截断），"
        f"无法读取；请重新导出完整的文件后上传（技术信息：{joined[:200]}）"
    )


def _project_name(pf, format_key: str, fallback: str) -> str:
    props = pf.getProjectProperties()
    short = str(props.getProjectID() or "").strip() if format_key in (XER, PMXML) else ""
    title = str(props.getName() or props.getProjectTitle() or "").strip()
    if format_key not in (XER, PMXML):
        title = str(props.getProjectTitle() or props.getName() or "").strip()
    return " ".join(part for part in (short, title if title != short else "") if part) or fallback


def _task_count(pf, format_key: str) -> int:
    count = 0
    for task in pf.getTasks():
        if task.getSummary() or task.getNull() or task.getExternalTask():
            continue
        if format_key not in (XER, PMXML) and task.getID() is not None and int(task.getID()) == 0:
            continue
        count += 1
    return count


def _choices(files: list, format_key: str, name: str) -> list[ProjectChoice]:
    """One choice per project; keyed by P6's project short name when those are unique, else by place."""
    names = [_project_name(pf, format_key, Path(name).stem) for pf in files]
    shorts = [str(pf.getProjectProperties().getProjectID() or "").strip() for pf in files]
    by_short = all(shorts) and len(set(shorts)) == len(shorts) and format_key in (XER, PMXML)
    return [
        ProjectChoice(shorts[i] if by_short else str(i + 1), names[i], _task_count(pf, format_key))
        for i, pf in enumerate(files)
    ]


def _chosen_index(choices: list[ProjectChoice], choice: str | None, name: str) -> int:
    if choice is None:
        if len(choices) > 1:
            raise ProjectChoiceNeeded(choices)
        return 0
    for i, c in enumerate(choices):
        if c.key == choice:
            return i
    raise ProjectChoiceNeeded(choices, f"所选项目「{choice}」不在文件「{name}」中，请重新选择")
