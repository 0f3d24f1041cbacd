from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

from tiaodu.core.audit import record_change, snapshot
from tiaodu.core.params import parse_id


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits of reference data land in the same change log as every other write."""

    def _parent(self, obj):
        return None

    def save_model(self, request, obj, form, change):
        fields = getattr(obj, "TRACKED_FIELDS", [])
        before = None
        if change and obj.pk:
            old = type(obj).objects.get(pk=obj.pk)
            before = snapshot(old, fields)
        request._audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        record_change(
            obj=obj,
            before=getattr(request, "_audit_before", None),
            after=snapshot(obj, getattr(obj, "TRACKED_FIELDS", [])),
            user=request.user,
            source="admin",
            parent=self._parent(obj),
        )

    def delete_model(self, request, obj):
        record_change(
            obj=obj,
            before=snapshot(obj, getattr(obj, "TRACKED_FIELDS", [])),
            after=None,
            user=request.user,
            source="admin",
            parent=self._parent(obj),
        )
        super().delete_model(request, obj)


class ReadOnlyAdminMixin:
    """An admin page (or inline) that only shows: business records are written through the services,
    which keep their change log and timelines, never by editing rows in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class SafeInitialMixin:
    """The add page fills its form from the query string (`/admin/orgs/person/add/?unit=3`); a related
    field given something that is not an id (`?unit=²`) would fail while the form is drawn. Such values
    are left out, as if they had not been given."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.is_relation:
                continue
            values = value if isinstance(value, list) else [value]
            if any(parse_id(v) is None for v in values):
                del initial[name]
        return initial


def guard_initial_data(site: admin.AdminSite) -> None:
    """Give every registered admin (ours, Django's and the libraries') the SafeInitialMixin."""
    for model, model_admin in list(site._registry.items()):
        cls = type(model_admin)
        if not issubclass(cls, SafeInitialMixin):
            safe = type(cls.__name__, (SafeInitialMixin, cls), {"__module__": cls.__module__})
            site._registry[model] = safe(model, site)
