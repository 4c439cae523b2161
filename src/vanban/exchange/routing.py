"""Where a recipient code goes: an inbox here, or another hub (a peer serving the code,
else the parent hub). Codes of closed agencies follow their successor.

The configuration (served patterns, peers) and each code's resolution are read through
the short-lived caches of :mod:`vanban.exchange.cache`."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from vanban.directory.queries import resolve_agency
from vanban.exchange import cache
from vanban.exchange.models import PeerHub, ServedPattern


def matches(pattern: str, code: str) -> bool:
    """Exact code, a prefix, or a shell pattern with ``*``/``?`` (``*.H53``)."""
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(code, pattern)
    return code == pattern or code.startswith(pattern)


@dataclass(frozen=True)
class Route:
    recipient_code: str
    peer: PeerHub | None = None

    @property
    def local(self) -> bool:
        return self.peer is None


class Router:
    """Reads the configuration once; :meth:`route` per code."""

    def __init__(self) -> None:
        self.patterns, self.peers = cache.routing.get("config", _load_config)

    def serves(self, code: str) -> bool:
        return not self.patterns or any(matches(p, code) for p in self.patterns)

    def _remote(self, code: str) -> PeerHub | None:
        best: tuple[int, PeerHub] | None = None
        for peer in self.peers:
            for p in peer.patterns or []:
                if matches(p, code) and (best is None or len(p) > best[0]):
                    best = (len(p), peer)
        if best:
            return best[1]
        return next((p for p in self.peers if p.is_parent), None)

    def route(self, code: str) -> Route | None:
        if self.serves(code):
            current = cache.agencies.get(code, lambda: _current_code(code))
            if current is None:
                return None
            if current != code and not self.serves(current):
                peer = self._remote(current)
                return Route(current, peer) if peer else None
            return Route(current)
        peer = self._remote(code)
        return Route(code, peer) if peer else None


def _load_config() -> tuple[list[str], list[PeerHub]]:
    return list(ServedPattern.objects.values_list("pattern", flat=True)), list(PeerHub.objects.all())


def _current_code(code: str) -> str | None:
    """The code of the active agency acting for ``code`` today (None: unknown or closed)."""
    found = resolve_agency(code)
    if found is None or not found.current.active:
        return None
    return found.current.code
