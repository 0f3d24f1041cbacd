"""Signing in and finding the signed-in user of a request."""

from django.contrib.auth.backends import ModelBackend

from tiaodu.orgs.models import User


class UserBackend(ModelBackend):
    """Django's ModelBackend, except that a request's user comes with its person and unit in one query:
    every page asks for the user's unit (the menu, the permissions, the rows it may see), which took two
    more queries per request."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("person__unit").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
