"""Schedule files that once failed badly: placeholder dates (year 1 / 9999), a cycle through summary links,
a project choice the file does not hold, English enum names in notes, a tiny valid MSPDI file."""

import re
from pathlib import Path

import pytest

from tests.scheduling import mpxj_files
from tests.scheduling.test_mpxj_extract import project, round_trip, task
from tiaodu.scheduling import import_report, import_views, mpxj_extract
from tiaodu.scheduling.file_import import read_file_project
from tiaodu.scheduling.file_model import FS, P6, FileLink, FileTask
from tiaodu.scheduling.importers import ScheduleFileError
from tiaodu.scheduling.models import ScheduleImport
from tiaodu.scheduling.selectors import project_tasks
from tiaodu.scheduling.services import schedule_import_record

pytestmark = pytest.mark.django_db
URL = "/projects/ZD-001/schedule/import/"


def _insert(xml: str, uid: int, text: str) -> str:
    """text added to the task with this UID, after its Duration."""
    start = xml.index(f"<UID>{uid}</UID>", xml.index("<Tasks>"))
    at = xml.index("</Duration>", start) + len("</Duration>")
    return xml[:at] + text + xml[at:]


def placeholder_file(path: Path) -> Path:
    """An MSPDI file (mpxj-written) whose tasks carry .NET's DateTime.MinValue / MaxValue as dates."""
    mpxj_files.write_mspdi(path)
    xml = path.read_text(encoding="utf-8")
    xml = _insert(
        xml, 1, "<ConstraintType>3</ConstraintType><ConstraintDate>0001-01-02T08:00:00</ConstraintDate>"
    )
    xml = _insert(xml, 2, "<Start>0001-01-03T08:00:00</Start><Finish>9999-12-30T17:00:00</Finish>")
    xml = _insert(
        xml, 3, "<ConstraintType>4</ConstraintType><ConstraintDate>9999-12-30T08:00:00</ConstraintDate>"
    )
    path.write_text(xml, encoding="utf-8")
    return path


def test_placeholder_dates_are_ignored_and_named(district, tmp_path):
    path = placeholder_file(tmp_path / "占位日期.xml")
    record = schedule_import_record(
        user=district.users["hq"], project=district.project, path=path, filename="占位日期.xml"
    )
    assert [t.name for t in project_tasks(district.project)] == [
        "征收拆迁",
        "施工图设计",
        "道路施工",
        "竣工验收",
    ]
    dropped = record.report["dropped"]
    assert any(n.startswith("任务「1 征收拆迁」的限制日期为0001-01-02") for n in dropped), dropped
    assert any(n.startswith("任务「2 施工图设计」的开始时间为0001-01-03") for n in dropped), dropped
    assert any(n.startswith("任务「2 施工图设计」的完成时间为9999-12-30") for n in dropped), dropped
    assert any(n.startswith("任务「3 道路施工」的限制日期为9999-12-30") for n in dropped), dropped
    assert record.report["schedule_problem"] == ""


def test_a_page_upload_with_placeholder_dates_imports(client, district, tmp_path):
    client.force_login(district.users["hq"])
    with open(placeholder_file(tmp_path / "占位日期.xml"), "rb") as fh:
        response = client.post(URL, {"file": fh})
    assert response.status_code == 302
    assert "已忽略" in client.get(response["Location"]).content.decode()


def test_any_failure_reading_the_data_is_a_chinese_message_and_forgets_the_upload(
    client, district, tmp_path, monkeypatch, settings
):
    settings.VAR_DIR = tmp_path / "var"

    def broken(pf):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(mpxj_extract, "extract", broken)
    client.force_login(district.users["hq"])
    with open(mpxj_files.write_mspdi(tmp_path / "计划.xml"), "rb") as fh:
        response = client.post(URL, {"file": fh})
    html = response.content.decode()
    assert response.status_code == 400
    assert "「计划.xml」中的数据无法读取（技术信息：date value out of range）；" in html
    assert "请在 MS Project / P6 中检查后重新导出" in html
    assert list(import_views.upload_dir().iterdir()) == [] and not ScheduleImport.objects.exists()


def test_an_overflow_while_scheduling_is_a_schedule_problem_in_the_report(district, monkeypatch):
    def overflow(project, mode=None):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(import_report, "project_schedule", overflow)
    assert import_report._schedule(district.project) == (None, "date value out of range")


def test_a_cycle_through_a_summary_link_is_refused():
    # S (child A) follows B, and B follows A: A → B → S ⊃ A.
    tasks = [
        FileTask(
            key="S", code="1", name="一期工程", duration_minutes=0, summary=True, links=[FileLink("B", FS)]
        ),
        FileTask(key="A", code="2", name="征收拆迁", duration_minutes=480, parent="S"),
        FileTask(key="B", code="3", name="施工图设计", duration_minutes=480, links=[FileLink("A", FS)]),
    ]
    fp = project(P6, tasks)
    with pytest.raises(ScheduleFileError) as err:
        read_file_project(fp, file_format="Primavera P6 XER")
    assert err.value.messages == [
        "任务之间存在经过摘要任务依赖的循环依赖：「2 征收拆迁」 → 「3 施工图设计」 → 「2 征收拆迁」；"
        "请在 MS Project / P6 中删除其中一条依赖后重新导出"
    ]


def test_a_summary_link_without_a_cycle_still_imports():
    tasks = [
        FileTask(
            key="S", code="1", name="一期工程", duration_minutes=0, summary=True, links=[FileLink("B", FS)]
        ),
        FileTask(key="A", code="2", name="征收拆迁", duration_minutes=480, parent="S"),
        FileTask(key="B", code="3", name="施工图设计", duration_minutes=480),
    ]
    read = read_file_project(project(P6, tasks), file_format="Primavera P6 XER")
    assert [t.code for t in read.tasks] == ["2", "3"]


def test_a_project_choice_not_in_the_file_asks_again_and_keeps_the_upload(client, district, tmp_path):
    two = [("P1", "一期工程", mpxj_files.NETWORK), ("P2", "二期工程", mpxj_files.CYRILLIC)]
    upload = mpxj_files.write_xer(tmp_path / "总进度.xer", charset="UTF-8", projects=two)
    client.force_login(district.users["hq"])
    with open(upload, "rb") as fh:
        client.post(URL, {"file": fh})
    token = next(iter(client.session[import_views.SESSION_KEY]))
    kept = Path(client.session[import_views.SESSION_KEY][token]["path"])
    response = client.post(URL, {"token": token, "choice": "P9"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "所选项目「P9」不在文件「总进度.xer」中，请重新选择" in html and 'id="project-choice"' in html
    assert "（4项任务）" in html and kept.is_file()
    response = client.post(URL, {"token": token, "choice": "P2"})
    assert response.status_code == 302 and not kept.exists()
    assert [t.name for t in project_tasks(district.project)] == ["Подготовка площадки", "Монтаж опор"]


@pytest.mark.parametrize("fmt", ("xer", "pmxml"))
def test_p6_settings_are_noted_in_chinese(tmp_path, fmt):
    fp = project(P6, [task("1", 2), task("2", 2, links=[FileLink("1", FS, 480)])])

    def edit(pf):
        from org.mpxj import Duration, RelationshipLagCalendar, TimeUnit, TotalSlackCalculationType

        props = pf.getProjectProperties()
        props.setRelationshipLagCalendar(RelationshipLagCalendar.PROJECT_DEFAULT)
        props.setTotalSlackCalculationType(TotalSlackCalculationType.START_SLACK)
        props.setCriticalSlackLimit(Duration.getInstance(2, TimeUnit.DAYS))

    notes = round_trip(tmp_path, fp, fmt, edit).notes
    assert "文件的关系延时日历为项目默认日历，本系统按紧前作业日历计算延时" in notes
    assert "文件的总浮时计算方式为开始浮时，本系统按完成浮时（P6默认）计算" in notes
    if fmt == "xer":  # XER holds the critical slack limit in hours; P6 XML does not hold it
        assert "文件的关键任务判定为总时差≤16小时，本系统按总时差≤0判定" in notes
    assert not any(re.search(r"[A-Z]{2,}_[A-Z]|PROJECT_DEFAULT|_SLACK|None", n) for n in notes), notes


def test_a_tiny_valid_mspdi_file_is_read(district, tmp_path):
    path = tmp_path / "小.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task><UID>1</UID><ID>1</ID>'
        "<Name>挖方</Name><Duration>PT16H0M0S</Duration><Start>2026-03-02T08:00:00</Start></Task>"
        "</Tasks></Project>",
        encoding="utf-8",
    )
    assert len(path.read_bytes()) < 400
    record = schedule_import_record(
        user=district.users["hq"], project=district.project, path=path, filename="小.xml"
    )
    assert record.file_format == "MS Project XML（MSPDI）"
    assert [(t.name, t.duration) for t in project_tasks(district.project)] == [("挖方", 2)]
