"""The national hub's wire protocol (VDXP, the "VXP SDK" 2.0.x), shared by the hub and the office.

Pure library (no Django, no app): signed request headers built as the vendor client builds
them and verified as a hub must (:mod:`.headers`), the unpadded ``hash-file``
(:mod:`.hashing`), the JSON answer envelope (:mod:`.envelope`), the operations
(:mod:`.operations`), the hub's appended ``TraceHeader`` (:mod:`.trace`) and the stable error-code table (:mod:`.errors`). See
``docs/vdxp.md`` and ``../shared/spec/vdxp-protocol.md``.
"""

from __future__ import annotations

from vanban.vdxp.envelope import Answer, decode_answer, encode_answer, encode_error
from vanban.vdxp.errors import ErrorCode, Note, VdxpError, error_codes, notes
from vanban.vdxp.hashing import body_content, body_content_digest, hash_file, hash_file_matches
from vanban.vdxp.headers import (
    PREFIX,
    USER_AGENT,
    VERSION,
    SignedRequest,
    format_timestamp,
    hmac_hex,
    normalize_name,
    parse_timestamp,
    read_signed_headers,
    sign_headers,
    verify_headers,
)
from vanban.vdxp.operations import MESSAGE_TYPES, OPERATIONS, SERVICE_TYPE, UPDATE_STATUSES, Operation
from vanban.vdxp.trace import append_trace, strip_appended_trace

__all__ = [
    "MESSAGE_TYPES",
    "OPERATIONS",
    "PREFIX",
    "SERVICE_TYPE",
    "UPDATE_STATUSES",
    "USER_AGENT",
    "VERSION",
    "Answer",
    "ErrorCode",
    "Note",
    "Operation",
    "SignedRequest",
    "VdxpError",
    "append_trace",
    "body_content",
    "body_content_digest",
    "decode_answer",
    "encode_answer",
    "encode_error",
    "error_codes",
    "format_timestamp",
    "hash_file",
    "hash_file_matches",
    "hmac_hex",
    "normalize_name",
    "notes",
    "parse_timestamp",
    "read_signed_headers",
    "sign_headers",
    "strip_appended_trace",
    "verify_headers",
]
