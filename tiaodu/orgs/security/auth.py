"""The API's token authentication with the same controls as signed-in pages: a token of an account whose
password has expired, or of a read-only auditor making a change, gets 403 with a Chinese message."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from tiaodu.orgs.security.middleware import access_refusal


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        """DRF's, with the user's person and unit read in the same query (as `UserBackend.get_user`)."""
        model = self.get_model()
        try:
            token = model.objects.select_related("user__person__unit").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            refusal = access_refusal(user=result[0], method=request.method, path=request.path)
            if refusal:
                raise exceptions.PermissionDenied(refusal)
        return result
