"""The demo district's documents: two briefings and a few attached files, loaded once."""

import datetime

from tiaodu.briefings.models import Briefing, DocKind, Document, ShareAccess


def test_it_loads_the_demo_briefings_and_files_once(db, frozen):
    from tests.demo_copy import demo_district
    from tiaodu.demo.documents import load_demo_documents

    today = datetime.date(2026, 11, 27)
    created = demo_district(today=today).created
    assert (created["briefings"], created["uploads"], created["shares"]) == (2, 4, 1)
    assert list(Briefing.objects.order_by("number").values_list("number", "as_of")) == [
        (1, datetime.date(2026, 11, 20)),
        (2, datetime.date(2026, 11, 27)),
    ]
    uploads = Document.objects.filter(kind=DocKind.UPLOAD)
    assert {d.format for d in uploads} == {"docx", "pdf", "png", "xlsx"}
    assert uploads.get(format="pdf").meeting is not None
    assert uploads.get(format="docx").project.name.startswith("北园大街")
    assert ShareAccess.objects.count() == 2
    assert load_demo_documents(today=today) == {}
    assert Document.objects.count() == 10
