"""WSGI entry point for production servers (``vanban serve`` uses it with waitress).

Requests to the hub API (``/hub/v1/``) and to the national hub's protocol (``/vdxp/``) go through a handler with a short middleware
list: they authenticate with a bearer token, a client certificate or an HMAC, never with a
session, so sessions, CSRF, messages, locale and the auth middleware would only cost
time on every package (a busy hub answers hundreds a second). Everything else goes
through the full stack of ``settings.MIDDLEWARE``.
"""

import os

from django.core.wsgi import get_wsgi_application

os.umask(0o077)  # files and folders the server writes are private to its user
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")
site = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after setup)
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

API_PREFIX = "/hub/v1/"
API_MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]


class APIHandler(WSGIHandler):
    """The same Django, with :data:`API_MIDDLEWARE` only."""

    def load_middleware(self, is_async: bool = False) -> None:
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = [m for m in full if m in API_MIDDLEWARE]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


api = APIHandler()


def _api_prefixes() -> tuple[str, ...]:
    if settings.VANBAN_ROLE not in ("hub", "all"):
        return (API_PREFIX,)
    from vanban.exchange.conf import vdxp_prefix

    return (API_PREFIX, vdxp_prefix())


API_PREFIXES = _api_prefixes()


def application(environ, start_response):
    handler = api if environ.get("PATH_INFO", "").startswith(API_PREFIXES) else site
    return handler(environ, start_response)
