"""The API's and the Django admin's side of the apps' permission functions (`<noun>_can_<verb>(*, user,
obj=None)`).

`allows(create=..., change=...)` makes a DRF permission class from two of them, so a viewset states
its rights with the same functions the pages and services use:

* `create(user=)` is asked for a POST to the list (`action == "create"`);
* `change(user=, obj=)` for PUT, PATCH and DELETE of one object — after the object was found among
  those the user may see, so what the user may not see stays a 404 and only a visible object the user
  may not change is a 403 (the README's rule for pages and the API alike).

Reads are left to the viewset's queryset (`Model.objects.restrict(user, "view")` via the selectors).
Other actions (feedback, verify, …) are checked by the services they call.
"""

from __future__ import annotations

from collections.abc import Callable

from rest_framework import permissions

CHANGE_ACTIONS = ("update", "partial_update", "destroy")


def signed_in(user) -> bool:
    """Every right starts here: nobody (None) and an anonymous visitor may do nothing."""
    return user is not None and user.is_authenticated


class Allowed(permissions.BasePermission):
    create: Callable | None = None
    change: Callable | None = None
    create_message = "您无权新建"
    change_message = "您无权修改"

    def has_permission(self, request, view):
        if self.create is not None and getattr(view, "action", None) == "create":
            if not self.create(user=request.user):
                self.message = self.create_message
                return False
        return True

    def has_object_permission(self, request, view, obj):
        if self.change is not None and getattr(view, "action", None) in CHANGE_ACTIONS:
            if not self.change(user=request.user, obj=obj):
                self.message = self.change_message
                return False
        return True


def allows(
    *,
    create: Callable | None = None,
    change: Callable | None = None,
    create_message: str = Allowed.create_message,
    change_message: str = Allowed.change_message,
) -> type[Allowed]:
    """A permission class for a viewset: `create(user=)` for POST, `change(user=, obj=)` for writes."""
    return type(
        "Allowed",
        (Allowed,),
        {
            "create": staticmethod(create) if create is not None else None,
            "change": staticmethod(change) if change is not None else None,
            "create_message": create_message,
            "change_message": change_message,
        },
    )


class AdminRights:
    """Django admin: a model permission is not enough; the app's right must agree too.

    Mix into a ModelAdmin before it and name the app's functions: `can_add(user=)` for the add form,
    `can_change(user=, obj=)` for the change form and deletion. The admin then refuses what the pages
    and the API refuse (a staff account of a unit cannot edit, there, a project it may not edit here).
    """

    can_add: Callable | None = None
    can_change: Callable | None = None

    def has_add_permission(self, request, *args):
        allowed = super().has_add_permission(request, *args)
        return allowed and (self.can_add is None or type(self).can_add(user=request.user))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (self.can_change is None or type(self).can_change(user=request.user, obj=obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (self.can_change is None or type(self).can_change(user=request.user, obj=obj))
