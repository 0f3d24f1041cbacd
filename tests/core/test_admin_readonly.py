"""The read-only admin pages show the records and refuse every write, for a superuser too."""

import pytest
from django.contrib import admin

from tiaodu.core.admin_mixins import ReadOnlyAdminMixin

READ_ONLY = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ReadOnlyAdminMixin)
]


def test_it_makes_the_change_log_and_the_business_records_read_only():
    names = {model._meta.label for model, _ in READ_ONLY}
    assert {"core.ChangeRecord", "progress.Report", "scheduling.Task", "supervision.Problem"} <= names


@pytest.mark.parametrize("model", [model for model, _ in READ_ONLY], ids=lambda m: m._meta.label)
def test_it_shows_but_never_writes_a_read_only_record(db, client, model):
    from tiaodu.orgs.models import User

    client.force_login(User.objects.create_superuser("root", password="Tiaodu@2026!"))
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert client.get(base).status_code == 200
    assert client.get(base + "add/").status_code == 403
    assert client.post(base + "add/", {}).status_code == 403


def test_it_shows_a_change_record_without_a_save_button_and_refuses_a_post(district, client):
    from tiaodu.core.models import ChangeRecord
    from tiaodu.orgs import services
    from tiaodu.orgs.models import User

    services.unit_update(
        user=district.users["office"], unit=district.units["dept"], data={"name": "区住房城乡建设局"}
    )
    record = ChangeRecord.objects.latest("id")
    client.force_login(User.objects.create_superuser("root", password="Tiaodu@2026!"))
    url = f"/admin/core/changerecord/{record.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "区住房城乡建设局" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"user_name": "改过"}).status_code == 403
    assert client.post(f"/admin/core/changerecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert record.user_name == "office"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/orgs/person/add/?unit=²",
        "/admin/projects/indicator/add/?project=%20",
        "/admin/projects/responsibilityletter/add/?unit=null,null",
        "/admin/auth/group/add/?permissions=1,²",
        "/admin/orgs/user/add/?person=99999999999999999999",
    ],
)
def test_it_draws_an_admin_add_page_whatever_the_query_string_fills_in(db, client, url):
    from tiaodu.orgs.models import User

    client.force_login(User.objects.create_superuser("root", password="Tiaodu@2026!"))
    assert client.get(url).status_code == 200
