"""Reading query parameters: one function per kind, a 400 in Chinese (or the filter left out), never a 500."""

import datetime

import pytest
from django.http import Http404, QueryDict

from tiaodu.core.params import (
    BadParameter,
    choice_param,
    date_param,
    id_list_param,
    id_param,
    int_param,
    path_id,
    text_param,
)


def q(text: str) -> QueryDict:
    return QueryDict(text)


@pytest.mark.parametrize("raw", ["²", "１２", "abc", "1.5", "1e3", "99999999999999999999", "--1", "\x00"])
def test_it_refuses_what_int_would_misread_or_choke_on(raw):
    with pytest.raises(BadParameter) as exc:
        int_param({"year": raw}, "year", label="年度")
    assert exc.value.name == "year" and exc.value.message.startswith("年度须为整数")


def test_it_reads_integers_with_defaults_and_bounds():
    assert int_param(q("year=2026"), "year", label="年度") == 2026
    assert int_param(q("year=+7"), "year", label="年度") == 7
    assert int_param(q("year="), "year", label="年度", default=2025) == 2025
    assert int_param(q(""), "year", label="年度") is None
    with pytest.raises(BadParameter, match="年度须在2000至2100之间"):
        int_param(q("year=1999"), "year", label="年度", minimum=2000, maximum=2100)
    assert int_param(q("year=²"), "year", label="年度", default=1, strict=False) == 1


def test_it_reads_dates_written_year_month_day():
    assert date_param(q("as_of=2026-11-27"), "as_of", label="截至日期") == datetime.date(2026, 11, 27)
    assert date_param(q("as_of=2026-1-5"), "as_of", label="截至日期") == datetime.date(2026, 1, 5)
    for raw in ("2026-02-30", "9999-99-99", "20261127", "2026-W48-5", "yesterday", "２０２６-01-01"):
        with pytest.raises(BadParameter, match="截至日期无效"):
            date_param({"as_of": raw}, "as_of", label="截至日期")
    with pytest.raises(BadParameter, match="截至日期须在2000年至2100年之间"):
        date_param(q("as_of=1999-12-31"), "as_of", label="截至日期")


def test_it_reads_an_enumeration_and_names_the_choices():
    assert choice_param(q("kind=month"), "kind", ["quarter", "month"], label="周期") == "month"
    with pytest.raises(BadParameter, match="周期「week」不是可选值（quarter、month）"):
        choice_param(q("kind=week"), "kind", ["quarter", "month"], label="周期")
    assert (
        choice_param(q("kind=week"), "kind", ["month"], label="周期", default="month", strict=False)
        == "month"
    )


def test_it_reads_ids_only_when_they_fit_a_64_bit_integer():
    assert id_param(q("unit=12"), "unit", label="单位") == 12
    assert id_param(q(f"unit={2**63 - 1}"), "unit", label="单位") == 2**63 - 1
    for raw in ("0", "-1", str(2**63), "²", "null,null"):
        with pytest.raises(BadParameter, match="单位编号无效"):
            id_param({"unit": raw}, "unit", label="单位")
    assert id_list_param(q("items=3&items=x&items=5"), "items", label="事项", strict=False) == [3, 5]


def test_it_refuses_nul_and_overlong_text():
    assert text_param(q("q=+北园+"), "q", label="关键词") == "北园"
    with pytest.raises(BadParameter, match="不能包含空字符"):
        text_param({"q": "a\x00b"}, "q", label="关键词")
    assert text_param({"q": "x" * 500}, "q", label="关键词", strict=False) == ""


@pytest.mark.parametrize("raw", ["null,null", "0", "-1", "²", "99999999999999999999", "\x00", ""])
def test_it_turns_a_path_id_that_names_no_row_into_a_404(raw):
    with pytest.raises(Http404):
        path_id(raw)


def test_it_answers_a_bad_parameter_with_a_chinese_400_page_and_api_error(district, client):
    client.force_login(district.users["office"])
    page = client.get("/calendar/enter/?year=²")
    assert page.status_code == 400 and "年度须为整数，「²」无法识别" in page.content.decode()
    api = client.get("/api/v1/progress?as_of=9999-99-99")
    assert api.status_code == 400 and api.json() == {
        "as_of": ["截至日期无效「9999-99-99」，请按YYYY-MM-DD填写"]
    }


def test_it_leaves_out_a_list_filter_it_cannot_read(district, client):
    client.force_login(district.users["leader"])
    assert client.get("/letters/?year=²&status=nope").status_code == 200
    assert client.get("/supervision/?meeting=99999999999999999999").status_code == 200
    assert client.get("/api/v1/supervision-items/?meeting=99999999999999999999").status_code == 400


def test_it_answers_404_for_ids_that_name_no_row_in_the_api(district, client):
    client.force_login(district.users["hq"])
    for pk in ("null,null", "99999999999999999999", "%C2%B2"):
        assert client.post(f"/api/v1/notifications/{pk}/read/").status_code == 404
        assert client.get(f"/api/v1/units/{pk}/").status_code == 404


def test_it_refuses_a_nul_in_the_address_with_a_400(district, client):
    client.force_login(district.users["leader"])
    page = client.get("/projects/%00/")
    assert page.status_code == 400 and "请求地址含有空字符" in page.content.decode()
    api = client.get("/api/v1/projects/%00/")
    assert api.status_code == 400 and api.json() == {"detail": "请求地址含有空字符（%00），无法处理"}


def test_it_keeps_a_query_parameter_named_items_from_breaking_the_progress_list(district, client):
    client.force_login(district.users["leader"])
    response = client.get("/dashboard/projects/?items=abc&level=severe")
    assert response.status_code == 200
    assert 'name="items" value="abc"' in response.content.decode()
