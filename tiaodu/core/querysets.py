"""Row-level permissions in one method: `Model.objects.restrict(user, action)`.

In the manner of NetBox's `RestrictedQuerySet`: every model whose rows are not all equal to all users
gets a queryset class (in its app's `querysets.py`) that states, per action, which rows a user may act
on. The actions are

* ``"view"``   — the rows the user may see (a row outside it is a 404 on every page and endpoint);
* ``"change"`` — the rows the user may edit (a visible row outside it is a 403);

and a model may add its own (weekly reports: ``"verify"``). A subclass writes one method per action,
`_restrict_view(user)`, `_restrict_change(user)`, …, each returning a filtered queryset. `restrict`
itself refuses anonymous users and unknown actions, so a rule never has to. The selectors of every app start from `restrict`; the `<noun>_can_<verb>` functions of
each app's `permissions.py` ask it about one object where the rule is about rows.

The user is duck-typed: anything with `is_authenticated`, `sees_all`, `manages_all`, `role` and `unit`
(a `User`, or the system actor of time-based work) will do. `None` is nobody: it sees nothing.
"""

from __future__ import annotations

from django.db import models

VIEW = "view"
CHANGE = "change"


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user may do: `restrict(user, "view")`.

    The defaults are the house's common case: every signed-in user sees every row, and the office and
    administrators (`user.manages_all`) change them. Models with another rule override the methods.
    """

    def restrict(self, user, action: str = VIEW) -> RestrictedQuerySet:
        rule = getattr(self, f"_restrict_{action}", None) if action.isidentifier() else None
        if rule is None:
            raise ValueError(f"{self.model.__name__} has no rule for the action {action!r}")
        if user is None or not user.is_authenticated:
            return self.none()
        return rule(user)

    def restrict_through(self, field: str, user, action: str = VIEW) -> RestrictedQuerySet:
        """The rows whose `field` (a foreign key) points at a row the user may `action`."""
        related = self.model._meta.get_field(field).related_model
        return self.filter(**{f"{field}__in": related._default_manager.restrict(user, action)})

    def _restrict_view(self, user) -> RestrictedQuerySet:
        return self.all()

    def _restrict_change(self, user) -> RestrictedQuerySet:
        return self.all() if user.manages_all else self.none()


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
