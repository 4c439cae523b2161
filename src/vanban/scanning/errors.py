"""The one error base of digitizing jobs: a stable code and a Vietnamese message."""

from vanban.errors import DomainError


class ScanningError(DomainError):
    """A step on a scan job refused (not a clerk, job not finished, already used...)."""

    code = "scanning_error"
