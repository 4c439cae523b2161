"""Errors of the connector: stable code, Vietnamese and English messages, and whether
trying again can help (a hub that is down) or not (the hub refused the package)."""

from __future__ import annotations


class ConnectorError(Exception):
    code = "connector_error"

    def __init__(self, message_vi: str, message_en: str, *, code: str | None = None, retryable: bool = False) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en
        self.retryable = retryable
        if code:
            self.code = code


class NoAccount(ConnectorError):
    code = "no_hub_account"


class HubUnavailable(ConnectorError):
    code = "hub_unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Không kết nối được trục liên thông: {detail}", f"The hub cannot be reached: {detail}", retryable=True
        )


class HubRefused(ConnectorError):
    code = "hub_refused"
