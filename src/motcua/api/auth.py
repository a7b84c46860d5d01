from ninja.security import HttpBearer, SessionAuth

from motcua.accounts.services import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


# API calls from our own pages carry the session cookie (and the CSRF token).
AUTH = [BearerToken(), SessionAuth()]
