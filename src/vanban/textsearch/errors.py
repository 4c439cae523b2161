"""The one error base of :mod:`vanban.textsearch`."""

from vanban.errors import DomainError

__all__ = ["TextSearchError", "QueryError"]


class TextSearchError(DomainError):
    code = "textsearch_error"


class QueryError(TextSearchError):
    """A search query that cannot be understood (the message says what to change)."""

    code = "bad_query"
