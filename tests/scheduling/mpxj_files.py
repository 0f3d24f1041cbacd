"""Schedule files written by mpxj's own writers: MS Project XML and MPX, Primavera XER (in a chosen
character set, with or without a byte order mark, one or several projects) and Primavera P6 XML."""

from tiaodu.scheduling.importers import start_jvm

BOMS = {"UTF-8": b"\xef\xbb\xbf", "UTF-16LE": b"\xff\xfe", "UTF-16BE": b"\xfe\xff"}
CYRILLIC = [
    ("Подготовка площадки", 5, []),
    ("Монтаж опор", 3, [(0, "FINISH_START", 0)]),
]  # GB18030-decodable bytes

# (name, days, [(predecessor index, type, lag days)])
NETWORK = [
    ("征收拆迁", 5, []),
    ("施工图设计", 3, [(0, "FINISH_START", 2)]),
    ("道路施工", 10, [(1, "START_START", -1), (0, "FINISH_FINISH", 4)]),
    ("竣工验收", 0, [(2, "FINISH_START", 0)]),
]


def _project(network=NETWORK, summary=False, short_name=None, title=None, context=None):
    start_jvm()
    from java.time import LocalDateTime
    from org.mpxj import Duration, ProjectFile, Relation, RelationType, TimeUnit

    pf = ProjectFile(context) if context is not None else ProjectFile()
    calendar = pf.addDefaultBaseCalendar()
    pf.setDefaultCalendar(calendar)
    props = pf.getProjectProperties()
    props.setStartDate(LocalDateTime.of(2026, 3, 2, 8, 0))
    if short_name:
        props.setProjectID(short_name)
    if title:
        props.setName(title)
        props.setProjectTitle(title)
    parent = pf
    if summary:
        parent = pf.addTask()
        parent.setName("一期工程")
    tasks = []
    for i, (name, days, _links) in enumerate(network):
        task = parent.addTask()
        task.setName(name)
        task.setActivityID(f"A{(i + 1) * 10}")
        task.setDuration(Duration.getInstance(days, TimeUnit.DAYS))
        task.setActualDuration(Duration.getInstance(0, TimeUnit.DAYS))
        task.setRemainingDuration(Duration.getInstance(days, TimeUnit.DAYS))
        tasks.append(task)
    for i, (_name, _days, links) in enumerate(network):
        for pred, kind, lag in links:
            tasks[i].addPredecessor(
                Relation.Builder()
                .predecessorTask(tasks[pred])
                .type(getattr(RelationType, kind))
                .lag(Duration.getInstance(lag, TimeUnit.DAYS))
            )
    return pf


def write_mspdi(path, network=NETWORK, summary=False):
    start_jvm()
    from org.mpxj.mspdi import MSPDIWriter

    MSPDIWriter().write(_project(network, summary), str(path))
    return path


def write_mpx(path, network=NETWORK, code_page="ZH", language=None):
    """An MPX file in the code page its header declares: ZH (GB2312), RU (windows-1251), ANSI…;
    with `language` ("de", "fr"…) its keywords and units as MS Project in that language writes them."""
    start_jvm()
    from java.util import Locale
    from org.mpxj import CodePage
    from org.mpxj.mpx import MPXWriter

    pf = _project(network)
    pf.getProjectProperties().setMpxCodePage(getattr(CodePage, code_page))
    writer = MPXWriter()
    writer.setUseLocaleDefaults(False)
    if language:
        writer.setLocale(Locale(language))
    writer.write(pf, str(path))
    return path


def write_pmxml(path, network=NETWORK, projects=None):
    """Primavera P6 XML; `projects` (a list of (short name, title, network)) writes several."""
    start_jvm()
    from java.util import ArrayList
    from org.mpxj.primavera import PrimaveraPMFileWriter

    files = ArrayList()
    for short_name, title, net in projects or [("P1", "一期工程", network)]:
        context = files.get(0).getProjectContext() if files.size() else None
        files.add(_project(net, short_name=short_name, title=title, context=context))
    PrimaveraPMFileWriter().write(files, str(path))
    return path


def write_xer(path, network=NETWORK, charset="GB18030", bom=False, projects=None):
    """A Primavera XER in `charset` (a byte order mark first when `bom`); `projects` (a list of
    (short name, title, network)) writes several projects in one file."""
    start_jvm()
    from java.io import ByteArrayOutputStream
    from java.nio.charset import Charset
    from java.util import ArrayList
    from org.mpxj.primavera import PrimaveraXERFileWriter

    writer = PrimaveraXERFileWriter()
    writer.setCharset(Charset.forName(charset))
    out = ByteArrayOutputStream()
    if projects:
        files = ArrayList()
        for short_name, title, net in projects:
            context = files.get(0).getProjectContext() if files.size() else None
            files.add(_project(net, short_name=short_name, title=title, context=context))
        writer.write(files, out)
    else:
        writer.write(_project(network), out)
    data = bytes(out.toByteArray())
    path.write_bytes((BOMS[charset] if bom else b"") + data)
    return path


def write_fake_mpp(path, file_format="MSProject.MPP14", application="Microsoft Project 2016"):
    """An OLE compound file with only the CompObj stream MS Project files carry (mpxj writes no .mpp):
    enough to be taken for an .mpp file of `file_format`, nothing to read."""
    start_jvm()
    import struct

    from java.io import ByteArrayInputStream, FileOutputStream
    from org.apache.poi.poifs.filesystem import POIFSFileSystem

    def text(value: str) -> bytes:
        raw = value.encode("latin-1") + b"\x00"
        return struct.pack("<i", len(raw)) + raw

    comp_obj = (
        b"\x01\x00\xfe\xff"
        + b"\x00" * 24
        + text(application)
        + text(file_format)
        + text("MSProject.Project.9")
    )
    fs = POIFSFileSystem()
    fs.createDocument(ByteArrayInputStream(comp_obj), "\u0001CompObj")
    out = FileOutputStream(str(path))
    try:
        fs.writeFilesystem(out)
    finally:
        out.close()
        fs.close()
    return path


def cut_in_half(path, name=None):
    """The first half of a file, as an interrupted upload leaves it."""
    data = path.read_bytes()
    target = path.with_name(name or f"half-{path.name}")
    target.write_bytes(data[: len(data) // 2])
    return target
