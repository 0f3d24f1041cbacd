"""Schedule files written by mpxj's own writers (MS Project XML and Primavera XER in GB18030)."""

from tiaodu.scheduling.importers import start_jvm

# (name, days, [(predecessor index, type, lag days)])
NETWORK = [
    ("征收拆迁", 5, []),
    ("施工图设计", 3, [(0, "FINISH_START", 2)]),
    ("道路施工", 10, [(1, "START_START", -1), (0, "FINISH_FINISH", 4)]),
    ("竣工验收", 0, [(2, "FINISH_START", 0)]),
]


def _project(network=NETWORK, summary=False):
    start_jvm()
    from java.time import LocalDateTime
    from org.mpxj import Duration, ProjectFile, Relation, RelationType, TimeUnit

    pf = ProjectFile()
    calendar = pf.addDefaultBaseCalendar()
    pf.setDefaultCalendar(calendar)
    pf.getProjectProperties().setStartDate(LocalDateTime.of(2026, 3, 2, 8, 0))
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


def write_xer(path, network=NETWORK, charset="GB18030"):
    start_jvm()
    from java.io import FileOutputStream
    from java.nio.charset import Charset
    from org.mpxj.primavera import PrimaveraXERFileWriter

    writer = PrimaveraXERFileWriter()
    writer.setCharset(Charset.forName(charset))
    out = FileOutputStream(str(path))
    try:
        writer.write(_project(network), out)
    finally:
        out.close()
    return path
