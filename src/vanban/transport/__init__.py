"""What the hub and the office connector both need to move packages, without either
importing the other: durable content-addressed files and a small HTTP client (stdlib).
Pure library: no Django."""

from vanban.transport.durable import load, path_for, remove, store
from vanban.transport.http import Answer, TransportError, api_url, request

__all__ = ["store", "load", "path_for", "remove", "Answer", "TransportError", "request", "api_url"]
