"""Opening MS Project and Primavera P6 files whatever their names say: every format mpxj reads, XER
character sets, several projects in one file, and the Chinese messages for files that cannot be read."""

import random

import pytest

from tests.scheduling import mpxj_files as files
from tiaodu.scheduling import mpxj_open
from tiaodu.scheduling.importers import ScheduleFileError
from tiaodu.scheduling.mpxj_open import ProjectChoice, ProjectChoiceNeeded, open_file

CHINESE = [name for name, _days, _links in files.NETWORK]
CYRILLIC = [name for name, _days, _links in files.CYRILLIC]
SUPPORTED = "请上传 .mpp、.mpx、.xml（MS Project 或 P6）、.xer、.pmxml 或 .xlsx 文件"


def names(opened) -> list[str]:
    return [str(t.getName()) for t in opened.project_file.getTasks() if not t.getSummary()]


def refusal(path, **kwargs) -> str:
    with pytest.raises(ScheduleFileError) as err:
        open_file(path, **kwargs)
    assert len(err.value.messages) == 1
    return err.value.messages[0]


@pytest.mark.parametrize(
    "write, name, key, label",
    [
        (files.write_mspdi, "plan.xml", "mspdi", "MS Project XML（MSPDI）"),
        (files.write_mpx, "plan.mpx", "mpx", "MS Project MPX（.mpx）"),
        (files.write_xer, "plan.xer", "xer", "Primavera P6 XER"),
        (files.write_pmxml, "plan.xml", "pmxml", "Primavera P6 XML"),
        (files.write_pmxml, "plan.pmxml", "pmxml", "Primavera P6 XML"),
    ],
)
def test_it_opens_every_format_with_its_chinese_names(tmp_path, write, name, key, label):
    opened = open_file(write(tmp_path / name))
    assert (opened.format_key, opened.format_label) == (key, label)
    assert names(opened) == CHINESE
    assert opened.chosen == opened.projects[0] and opened.chosen.task_count == 4


def test_it_reads_the_code_page_an_mpx_file_declares(tmp_path):
    opened = open_file(files.write_mpx(tmp_path / "ru.mpx", files.CYRILLIC, code_page="RU"))
    assert names(opened) == CYRILLIC and opened.charset is None


@pytest.mark.parametrize(
    "charset, bom, network, expected",
    [
        ("UTF-8", False, files.NETWORK, CHINESE),
        ("UTF-8", True, files.NETWORK, CHINESE),
        ("UTF-16LE", True, files.NETWORK, CHINESE),
        ("UTF-16BE", True, files.NETWORK, CHINESE),
        ("GB18030", False, files.NETWORK, CHINESE),
        ("windows-1251", False, files.CYRILLIC, CYRILLIC),
        ("UTF-8", False, files.CYRILLIC, CYRILLIC),
    ],
)
def test_it_finds_the_character_set_of_an_xer(tmp_path, charset, bom, network, expected):
    path = files.write_xer(tmp_path / "plan.xer", network, charset=charset, bom=bom)
    opened = open_file(path)
    assert names(opened) == expected
    assert opened.charset == charset


def test_windows_1251_bytes_that_also_decode_as_gb18030_are_read_as_cyrillic(tmp_path):
    path = files.write_xer(tmp_path / "plan.xer", files.CYRILLIC, charset="windows-1251")
    raw = path.read_bytes()
    as_chinese = raw.decode("gb18030")  # valid GB18030 — forcing it gave mojibake such as this
    assert "Подготовка" not in as_chinese and any("\u4e00" <= ch <= "\u9fff" for ch in as_chinese)
    assert names(open_file(path)) == CYRILLIC


def test_it_reads_western_european_windows_1252(tmp_path):
    path = files.write_xer(tmp_path / "plan.xer", [("Fondations béton armé", 3, [])], charset="windows-1252")
    opened = open_file(path)
    assert names(opened) == ["Fondations béton armé"] and opened.charset == "windows-1252"


def test_windows_1252_symbols_alone_are_read_as_western(tmp_path):
    # P6's currency table holds £ or € in windows-1252 even when every name is plain ASCII
    path = files.write_xer(tmp_path / "plan.xer", [("Budget 5 €", 3, [])], charset="windows-1252")
    opened = open_file(path)
    assert names(opened) == ["Budget 5 €"] and opened.charset == "windows-1252"


def test_it_reads_an_mpx_written_in_another_language(tmp_path):
    network = [("Erdarbeiten", 5, []), ("Fundament", 3, [(0, "FINISH_START", 2)])]
    path = files.write_mpx(tmp_path / "de.mpx", network, code_page="ANSI", language="de")
    opened = open_file(path)
    assert names(opened) == ["Erdarbeiten", "Fundament"]
    second = list(opened.project_file.getTasks())[-1]
    assert str(second.getName()) == "Fundament" and len(list(second.getPredecessors())) == 1


def test_it_refuses_an_xer_whose_character_set_it_cannot_tell(tmp_path):
    path = files.write_xer(tmp_path / "希腊.xer", [("Θεμέλια έργου", 3, [])], charset="windows-1253")
    assert refusal(path) == (
        "无法确定「希腊.xer」的文字编码（不是 UTF-8，也不像 GB18030 中文或 Windows 俄文/西欧文字），"
        "为避免任务名称变成乱码未导入；请在 P6 中重新导出，或用文本编辑器将文件另存为 UTF-8 编码后上传"
    )


def test_a_byte_order_mark_followed_by_other_bytes_is_refused(tmp_path):
    path = files.write_xer(tmp_path / "plan.xer", charset="GB18030")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # a UTF-8 mark on GB18030 text
    assert refusal(path).startswith("无法确定「plan.xer」的文字编码")


# --- several projects in one file -------------------------------------------------------------------

TWO = [("P1", "一期工程", files.NETWORK), ("P2", "二期工程", files.CYRILLIC)]


@pytest.mark.parametrize("write, name", [(files.write_xer, "two.xer"), (files.write_pmxml, "two.xml")])
def test_a_file_with_several_projects_asks_which_one(tmp_path, write, name):
    path = write(tmp_path / name, projects=TWO)
    with pytest.raises(ProjectChoiceNeeded) as err:
        open_file(path)
    assert err.value.messages == ["文件包含2个项目，请选择要导入的项目"]
    assert [(c.key, c.task_count) for c in err.value.choices] == [("P1", 4), ("P2", 2)]
    assert all(c.name.startswith(c.key) for c in err.value.choices)
    opened = open_file(path, choice="P2")
    assert names(opened) == CYRILLIC and opened.chosen.key == "P2" and len(opened.projects) == 2
    assert names(open_file(path, choice="P1")) == CHINESE


def test_an_unknown_project_choice_is_refused(tmp_path):
    path = files.write_xer(tmp_path / "two.xer", projects=TWO)
    with pytest.raises(ProjectChoiceNeeded) as err:  # the choice is asked again
        open_file(path, choice="P9")
    assert err.value.messages == ["所选项目「P9」不在文件「two.xer」中，请重新选择"]
    assert [c.key for c in err.value.choices] == ["P1", "P2"]


def test_a_single_project_needs_no_choice(tmp_path):
    opened = open_file(files.write_xer(tmp_path / "one.xer"))
    assert opened.projects == [ProjectChoice("PROJECT", "PROJECT", 4)]


# --- renamed files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "write, name, key",
    [
        (files.write_xer, "plan.xml", "xer"),
        (files.write_mspdi, "plan.mpp", "mspdi"),
        (files.write_mspdi, "plan.xer", "mspdi"),
        (files.write_pmxml, "plan.xer", "pmxml"),
        (files.write_mpx, "plan.xml", "mpx"),
        (files.write_xer, "计划", "xer"),
    ],
)
def test_a_renamed_file_is_read_as_what_it_is(tmp_path, write, name, key):
    opened = open_file(write(tmp_path / "f.bin"), filename=name)
    assert opened.format_key == key and names(opened) == CHINESE


def test_a_renamed_and_broken_file_says_what_it_really_is(tmp_path):
    half = files.cut_in_half(files.write_mspdi(tmp_path / "plan.xml"))
    message = refusal(half, filename="plan.xer")
    assert message.startswith(
        "文件扩展名为 .xer，但内容是 MS Project XML（MSPDI）文件；「plan.xer」是 MS Project XML（MSPDI）文件，"
        "但文件不完整或已损坏（可能导出或上传时被截断），无法读取；请重新导出完整的文件后上传（技术信息："
    )


def test_an_excel_workbook_renamed_to_xer_is_named_as_such(tmp_path):
    from tests.scheduling.conftest import write_plan

    path = write_plan(tmp_path / "plan.xlsx", [["1", "拆迁", 5, "", "", None]])
    assert refusal(path, filename="plan.xer") == (
        "「plan.xer」的内容是 Excel 工作簿（.xlsx），不是 Primavera P6 XER 文件；"
        "Excel 计划须使用工作表「计划」的模板，扩展名为 .xlsx"
    )


def test_word_and_pdf_documents_renamed_to_mpp_are_named_as_such(tmp_path):
    import zipfile

    docx = tmp_path / "a.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    assert (
        refusal(docx, filename="plan.mpp")
        == f"「plan.mpp」的内容是 Word 文档（.docx），不是计划文件；{SUPPORTED}"
    )
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 2000)
    assert refusal(pdf, filename="plan.mpp") == (
        "「plan.mpp」的内容是 PDF 文档，不是计划文件，PDF 中的计划无法导入；"
        "请上传 MS Project 或 P6 导出的原始文件（.mpp、.xml、.xer）"
    )


# --- files that cannot be read ----------------------------------------------------------------------


def test_an_empty_file(tmp_path):
    (tmp_path / "plan.mpp").write_bytes(b"")
    assert refusal(tmp_path / "plan.mpp") == "「plan.mpp」是空文件（0字节）；请重新导出计划文件后上传"


@pytest.mark.parametrize(
    "content",
    [random.Random(15).randbytes(4000), b"hello, world\n" * 100, b"<?xml version='1.0'?><nothing/>"],
)
def test_garbage_is_not_recognised(tmp_path, content):
    (tmp_path / "plan.mpp").write_bytes(content)
    assert refusal(tmp_path / "plan.mpp") == (
        f"无法识别的文件「plan.mpp」：内容不是 MS Project 或 Primavera P6 计划；{SUPPORTED}"
    )


@pytest.mark.parametrize(
    "write, name, label",
    [
        (files.write_xer, "plan.xer", "Primavera P6 XER 文件"),
        (lambda p: files.write_xer(p, charset="UTF-16LE", bom=True), "plan.xer", "Primavera P6 XER 文件"),
        (files.write_mpx, "plan.mpx", "MS Project MPX（.mpx）文件"),
    ],
)
def test_a_text_file_cut_short_is_said_to_be_incomplete(tmp_path, write, name, label):
    half = files.cut_in_half(write(tmp_path / name), name)
    assert refusal(half) == (
        f"「{name}」是 {label}，但文件不完整（末尾缺失，可能导出或上传时被截断）；请重新导出完整的文件后上传"
    )


@pytest.mark.parametrize(
    "write, name, label",
    [
        (files.write_mspdi, "plan.xml", "MS Project XML（MSPDI）文件"),
        (files.write_pmxml, "plan.xml", "Primavera P6 XML 文件"),
        (files.write_fake_mpp, "plan.mpp", "MS Project（.mpp）文件"),
    ],
)
def test_a_damaged_file_says_what_it_is_and_what_to_do(tmp_path, write, name, label):
    path = write(tmp_path / name)
    # the fake .mpp is whole but holds nothing to read; the XML files are cut in half
    message = refusal(path if name.endswith(".mpp") else files.cut_in_half(path, name))
    head, _, technical = message.partition("（技术信息：")
    assert head == (
        f"「{name}」是 {label}，但文件不完整或已损坏（可能导出或上传时被截断），无法读取；请重新导出完整的文件后上传"
    )
    assert technical.endswith("）")


def test_a_truncated_mpp_file(tmp_path):
    half = files.cut_in_half(files.write_fake_mpp(tmp_path / "plan.mpp"), "plan.mpp")
    assert refusal(half) == (
        "「plan.mpp」已损坏或不完整（可能导出或上传时被截断），无法作为 MS Project 文件读取；"
        "请重新上传完整的文件，或在 MS Project 中打开后另存为 XML 格式（.xml）再上传"
    )


@pytest.mark.parametrize(
    "file_format, application", [("MSProject.MPP99", "Microsoft Project 2040"), ("", "Microsoft Project 4.0")]
)
def test_an_mpp_version_mpxj_cannot_read(tmp_path, file_format, application):
    path = files.write_fake_mpp(tmp_path / "plan.mpp", file_format, application)
    version = file_format or "MSProject.MPP4"
    assert refusal(path) == (
        f"「plan.mpp」是本系统无法读取的 MS Project 文件版本（{version}）；"
        "请在 MS Project 中打开后另存为 XML 格式（.xml）再上传"
    )


def test_a_password_protected_mpp_is_explained():
    from tiaodu.scheduling.importers import start_jvm

    start_jvm()
    from org.mpxj import MPXJException

    for text in (MPXJException.PASSWORD_PROTECTED, MPXJException.PASSWORD_PROTECTED_ENTER_PASSWORD):
        error = mpxj_open._java_problem(MPXJException(text), "mpp", "plan.mpp")
        assert error.messages == [
            "「plan.mpp」是受密码保护的 MS Project 文件，无法读取；请在 MS Project 中打开，"
            "取消密码（另存为 → 工具 → 常规选项）后保存，或另存为 XML 格式（.xml）再上传"
        ]


def test_a_file_without_tasks(tmp_path):
    path = files.write_mspdi(tmp_path / "plan.xml", network=[])
    assert refusal(path) == (
        "「plan.xml」是 MS Project XML（MSPDI）文件，但项目「Project1」中没有任务；"
        "请确认导出的项目包含任务（作业）后重新导出"
    )


def test_without_java(tmp_path, monkeypatch):
    path = files.write_mspdi(tmp_path / "plan.xml")

    def no_java():
        raise OSError("no JVM")

    monkeypatch.setattr(mpxj_open, "start_jvm", no_java)
    assert refusal(path) == (
        "服务器上的 MS Project / Primavera 文件读取组件（Java）不可用，暂时无法读取「plan.xml」；"
        "请改用 .xlsx 导入，或请系统管理员检查服务器"
    )


def test_no_message_leaks_java_text_outside_its_technical_note(tmp_path):
    half = files.cut_in_half(files.write_mspdi(tmp_path / "plan.xml"), "plan.xml")
    head = refusal(half).partition("（技术信息：")[0]
    assert "Exception" not in head and "Failed" not in head


# --- through the import ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_import_reads_content_not_names(district, tmp_path):
    from tests.scheduling.conftest import write_plan
    from tiaodu.scheduling.importers import read_schedule_file

    excel = write_plan(tmp_path / "a.xlsx", [["1", "拆迁", 5, "", "", None]])
    read = read_schedule_file(excel, project=district.project, filename="plan.xer")
    assert [(t.code, t.name) for t in read.tasks] == [("1", "拆迁")]
    xer = files.write_xer(tmp_path / "b.xer", charset="UTF-8")
    read = read_schedule_file(xer, project=district.project, filename="plan.xlsx")
    assert [t.name for t in read.tasks] == CHINESE
    two = files.write_xer(tmp_path / "two.xer", projects=TWO)
    with pytest.raises(ProjectChoiceNeeded):
        read_schedule_file(two, project=district.project)
    read = read_schedule_file(two, project=district.project, choice="P2")
    assert [t.name for t in read.tasks] == CYRILLIC


@pytest.mark.django_db
def test_the_import_page_shows_the_message_for_a_cut_file(client, district, tmp_path):
    client.force_login(district.users["hq"])
    half = files.cut_in_half(files.write_xer(tmp_path / "plan.xer", charset="UTF-8"), "plan.xer")
    with open(half, "rb") as fh:
        response = client.post("/projects/ZD-001/schedule/import/", {"file": fh})
    assert response.status_code == 400
    assert (
        "「plan.xer」是 Primavera P6 XER 文件，但文件不完整（末尾缺失，可能导出或上传时被截断）；"
        "请重新导出完整的文件后上传" in response.content.decode()
    )
    renamed = files.write_mspdi(tmp_path / "计划.mpp")
    with open(renamed, "rb") as fh:
        response = client.post("/projects/ZD-001/schedule/import/", {"file": fh}, follow=True)
    assert "已从「计划.mpp」导入 4 项任务" in response.content.decode()
