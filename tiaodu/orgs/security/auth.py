"""The API's token authentication with the same controls as signed-in pages: a token of an account whose
password has expired, or of a read-only auditor making a change, gets 403 with a Chinese message."""

from rest_framework import authentication, exceptions

from tiaodu.orgs.security.middleware import access_refusal


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            refusal = access_refusal(user=result[0], method=request.method, path=request.path)
            if refusal:
                raise exceptions.PermissionDenied(refusal)
        return result
