"""The HTTP client used for hub-to-hub forwarding (see :mod:`vanban.transport.http`)."""

from vanban.transport.http import Answer, TransportError, api_url, request

__all__ = ["Answer", "TransportError", "request", "api_url"]
