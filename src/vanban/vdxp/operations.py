"""The operations of the VDXP protocol: name, HTTP method and the parameters each takes.

Every operation is ``endpoint + "/" + name``; parameters travel as ``XroadVnpt-`` headers.
A parameter not listed for an operation is an accumulated header from an earlier call of the
same client object and must never be used as a filter.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COUNT_RECEIVE_EDOC",
    "COUNT_RECEIVE_STATUS",
    "DELETE_AGENCY",
    "DOWNLOAD_EDOC",
    "GET_AGENCIES_LIST",
    "GET_AGENCIES_LIST_QD20",
    "GET_EDOC",
    "GET_RECEIVED_EDOC_LIST",
    "GET_SENT_EDOC_LIST",
    "GET_SYNCHRONIZE_UNIT",
    "MESSAGE_TYPES",
    "OPERATIONS",
    "Operation",
    "REGISTER_AGENCY",
    "SEND_EDOC",
    "SERVICE_TYPE",
    "UPDATE_STATUSES",
    "UPDATE_STATUS",
]

GET_AGENCIES_LIST = "getAgenciesList"
GET_AGENCIES_LIST_QD20 = "getAgenciesListQD20"
GET_SYNCHRONIZE_UNIT = "getSynchronizeUnit"
REGISTER_AGENCY = "registerAgency"
DELETE_AGENCY = "deleteAgency"
SEND_EDOC = "sendEdoc"
GET_RECEIVED_EDOC_LIST = "getReceivedEdocList"
GET_SENT_EDOC_LIST = "getSentEdocList"
GET_EDOC = "getEdoc"
DOWNLOAD_EDOC = "downloadEdoc"
UPDATE_STATUS = "updateStatus"
COUNT_RECEIVE_EDOC = "countReceiveEdoc"
COUNT_RECEIVE_STATUS = "countReceiveStatus"

SERVICE_TYPE = "eDoc"
MESSAGE_TYPES = ("edoc", "status")
UPDATE_STATUSES = ("done", "fail", "processing")


@dataclass(frozen=True)
class Operation:
    """``name``, ``method``, the parameters it takes and what its body is (``none``/``json``/``edxml``)."""

    name: str
    method: str
    params: tuple[str, ...]
    body: str = "none"


OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation(GET_AGENCIES_LIST, "POST", ()),
        Operation(GET_AGENCIES_LIST_QD20, "POST", ("level",)),
        Operation(GET_SYNCHRONIZE_UNIT, "POST", ()),
        Operation(REGISTER_AGENCY, "POST", (), "json"),
        Operation(DELETE_AGENCY, "POST", ("AgencyCode",), "json"),
        Operation(SEND_EDOC, "POST", ("from", "servicetype", "messagetype", "hash-file", "to"), "edxml"),
        Operation(
            GET_RECEIVED_EDOC_LIST,
            "POST",
            ("servicetype", "messagetype", "from", "to", "status", "pageSize", "pageIndex", "fromDate", "toDate"),
        ),
        Operation(GET_SENT_EDOC_LIST, "POST", ("servicetype", "messagetype", "docId")),
        Operation(GET_EDOC, "POST", ("docId",), "json"),
        Operation(DOWNLOAD_EDOC, "GET", ("docId",)),
        Operation(UPDATE_STATUS, "POST", ("docId", "status", "description"), "json"),
        Operation(COUNT_RECEIVE_EDOC, "POST", ("servicetype", "messagetype"), "json"),
        Operation(COUNT_RECEIVE_STATUS, "POST", ("servicetype", "messagetype"), "json"),
    )
}
