"""The one raw-SQL bulk writer, on whichever database the suite runs (SQLite, or PostgreSQL with
DATABASE_URL): what it writes reads back the same through the ORM."""

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tiaodu.core.bulk import (
    PG_ROWS,
    insert_new_rows,
    insert_objects,
    insert_returning,
    insert_rows,
    update_rows,
)
from tiaodu.core.models import ChangeRecord
from tiaodu.orgs.models import Unit, UnitType
from tiaodu.projects.models import Indicator, Project

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_it_inserts_rows_of_plain_values_from_a_generator():
    unit_ct = ContentType.objects.get_for_model(Unit)
    at = datetime.datetime(2026, 4, 1, 9, 30, tzinfo=SHANGHAI)
    rows = (
        (unit_ct.pk, i, f"单位{i}", "update", {"单位名称": ["旧", f"新{i}"]}, "系统", "import", at)
        for i in range(3)
    )
    fields = ["content_type", "object_id", "object_repr", "action", "changes", "user_name", "source", "at"]
    assert insert_rows(ChangeRecord, fields, rows) == 3
    records = list(ChangeRecord.objects.order_by("object_id"))
    assert [r.object_repr for r in records] == ["单位0", "单位1", "单位2"]
    assert records[2].changes == {"单位名称": ["旧", "新2"]}
    assert records[0].at == at and records[0].user_id is None and records[0].parent_id is None


def test_it_takes_attribute_names_of_foreign_keys_and_writes_decimals_and_dates(district):
    project = district.project
    count = insert_rows(
        Indicator,
        ["project_id", "name", "unit_of_measure", "target", "sort_order"],
        [
            (project.pk, "绿化面积", "m²", Decimal("1234.567"), 9),
            (project.pk, "路灯", "盏", Decimal("40"), 10),
        ],
    )
    assert count == 2
    assert project.indicators.get(name="绿化面积").target == Decimal("1234.567")
    assert project.indicators.get(name="路灯").sort_order == 10


def test_it_skips_rows_that_break_a_unique_constraint_when_asked():
    Unit.objects.create(name="北园街道", type=UnitType.STREET)
    rows = [
        ("北园街道", UnitType.STREET, 0),
        ("泺口街道", UnitType.STREET, 0),
        ("泺口街道", UnitType.STREET, 1),
    ]
    assert insert_rows(Unit, ["name", "type", "sort_order"], rows, ignore_conflicts=True) == 3
    assert sorted(Unit.objects.values_list("name", "sort_order")) == [("北园街道", 0), ("泺口街道", 0)]


def test_it_writes_many_rows_across_statements_and_batches():
    total = PG_ROWS * 2 + 345
    rows = ((f"单位{i:05d}", UnitType.DEPARTMENT, i) for i in range(total))
    assert insert_rows(Unit, ["name", "type", "sort_order"], rows, chunk=700) == total
    assert Unit.objects.count() == total
    assert Unit.objects.get(name=f"单位{total - 1:05d}").sort_order == total - 1


def test_it_inserts_objects_with_their_defaults_and_auto_now_add():
    unit_ct = ContentType.objects.get_for_model(Unit)
    objs = [
        ChangeRecord(content_type=unit_ct, object_id=i, object_repr=f"单位{i}", action="create")
        for i in range(5)
    ]
    before = datetime.datetime.now(datetime.UTC)
    assert insert_objects(ChangeRecord, objs) == 5
    assert insert_objects(ChangeRecord, []) == 0
    records = list(ChangeRecord.objects.order_by("object_id"))
    assert [r.object_id for r in records] == [0, 1, 2, 3, 4]
    assert all(r.changes == {} and r.source == "web" and r.at >= before for r in records)


def test_it_updates_only_the_given_fields_by_primary_key(district):
    project, other = district.project, district.other
    project.name = "不应写入的名称"
    project.total_investment = Decimal("61000.50")
    project.planned_finish = datetime.date(2027, 12, 31)
    project.lead_unit = district.units["hq2"]
    other.total_investment = None
    fields = ["total_investment", "planned_finish", "lead_unit"]
    assert update_rows(Project, [project, other], fields) == 2
    project.refresh_from_db()
    other.refresh_from_db()
    assert project.name == "北园大街道路拓宽及两侧整治"
    assert project.total_investment == Decimal("61000.50")
    assert project.planned_finish == datetime.date(2027, 12, 31)
    assert project.lead_unit == district.units["hq2"]
    assert other.total_investment is None


def test_it_updates_from_light_objects_that_carry_a_pk(district):
    @dataclass
    class Row:
        pk: int
        unit_of_measure: str
        target: Decimal

    indicator = district.project.indicators.get()
    assert (
        update_rows(
            Indicator, [Row(indicator.pk, "平方米", Decimal("130000.125"))], ["unit_of_measure", "target"]
        )
        == 1
    )
    indicator.refresh_from_db()
    assert (indicator.unit_of_measure, indicator.target) == ("平方米", Decimal("130000.125"))
    assert update_rows(Indicator, [], ["target"]) == 0


def test_it_inserts_new_rows_with_what_save_gives_the_other_fields():
    unit_ct = ContentType.objects.get_for_model(Unit)
    saved = ChangeRecord(content_type=unit_ct, object_id=99, object_repr="单位99", action="create")
    saved.save()
    before = datetime.datetime.now(datetime.UTC)
    rows = ((unit_ct.pk, i, f"单位{i}", "create") for i in range(3))
    fields = ["content_type", "object_id", "object_repr", "action"]
    keys = insert_new_rows(ChangeRecord, fields, rows, returning=("id", "object_id"))
    assert sorted(object_id for _pk, object_id in keys) == [0, 1, 2]
    records = {r.pk: r for r in ChangeRecord.objects.filter(pk__in=[pk for pk, _o in keys])}
    assert {pk: r.object_id for pk, r in records.items()} == dict(keys)
    compared = ("changes", "source", "user_id", "user_name", "parent_type_id", "parent_id")
    for r in records.values():
        assert {f: getattr(r, f) for f in compared} == {f: getattr(saved, f) for f in compared}
        assert r.at >= before
    assert len({r.at for r in records.values()}) == 1  # one stamp for the call
    assert insert_new_rows(ChangeRecord, fields, [], returning=("id",)) == []


def test_it_writes_the_same_rows_when_queries_are_logged():
    """With queries logged (DEBUG, a test counting them) the statements take Django's cursor and show in
    the log; the rows are the same as without."""
    rows = [(f"单位{i}", UnitType.STREET, i) for i in range(7)]
    assert insert_rows(Unit, ["name", "type", "sort_order"], rows) == 7
    plain = list(Unit.objects.order_by("name").values_list("name", "type", "sort_order"))
    Unit.objects.all().delete()
    with CaptureQueriesContext(connection) as logged:
        assert insert_rows(Unit, ["name", "type", "sort_order"], rows) == 7
    assert list(Unit.objects.order_by("name").values_list("name", "type", "sort_order")) == plain
    if connection.vendor == "sqlite":  # (PostgreSQL writes through COPY)
        assert any(q["sql"].startswith('INSERT INTO "orgs_unit"') for q in logged.captured_queries)


def test_a_row_that_breaks_a_constraint_raises_djangos_error():
    Unit.objects.create(name="北园街道", type=UnitType.STREET)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Unit, ["name", "type", "sort_order"], [("北园街道", UnitType.STREET, 0)])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_returning(
            Unit, ["name", "type", "sort_order"], [("北园街道", UnitType.STREET, 0)], returning=["id"]
        )
    assert Unit.objects.count() == 1


def test_it_writes_text_that_needs_escaping_and_gives_back_new_keys_matched_to_their_rows():
    """PostgreSQL writes through COPY (tabs, newlines and backslashes are COPY's own separators and
    escapes); SQLite through INSERT … RETURNING. Either way the text reads back as given, and every
    returned key belongs to the row it is returned with."""
    unit_ct = ContentType.objects.get_for_model(Unit)
    at = datetime.datetime(2026, 4, 1, 9, 30, tzinfo=SHANGHAI)
    awkward = ["a\tb", "第一行\n第二行", "C:\\路径\\N", "\\N", "", "引号'\"{}", None]
    rows = [
        (unit_ct.pk, i, f"{text}" if text is not None else "空", "update", {"旧": text}, "系统", "import", at)
        for i, text in enumerate(awkward)
    ]
    fields = ["content_type", "object_id", "object_repr", "action", "changes", "user_name", "source", "at"]
    returned = insert_returning(ChangeRecord, fields, rows, returning=["id", "object_id"])
    assert sorted(object_id for _, object_id in returned) == list(range(len(awkward)))
    for pk, object_id in returned:
        record = ChangeRecord.objects.get(pk=pk)
        assert record.object_id == object_id
        assert record.changes == {"旧": awkward[object_id]}
        assert record.object_repr == (awkward[object_id] if awkward[object_id] is not None else "空")
    assert [pk for pk, _ in sorted(returned, key=lambda r: r[1])] == sorted(pk for pk, _ in returned)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_write_inside_a_transaction_that_a_failed_block_has_broken():
    """As an ORM write does: after an error inside `atomic` the rows are not written into a transaction
    that will be rolled back anyway (PostgreSQL's COPY included)."""
    from django.db import transaction
    from django.db.transaction import TransactionManagementError

    with pytest.raises(TransactionManagementError), transaction.atomic():
        try:
            with transaction.atomic(savepoint=False):
                Unit.objects.create(name="东城街道", type=UnitType.STREET)
                raise ValueError
        except ValueError:
            pass
        insert_rows(Unit, ["name", "type", "sort_order"], [("西城街道", UnitType.STREET, 0)])
    assert not Unit.objects.filter(name__in=["东城街道", "西城街道"]).exists()
