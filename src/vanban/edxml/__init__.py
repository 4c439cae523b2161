"""edXML (QCVN 102:2016/BTTTT) envelopes and status messages: a pure library.

Read real-world packages tolerantly and safely (:func:`parse`), write the one canonical
form (:func:`build`), check them against the project's XSD and the standard's rules
(:func:`validate`), and sign / verify their XML signature (:func:`sign`,
:func:`verify`); :func:`check` does all of it on a single parse. No Django import:
everything above the exchange hub stands on this.
"""

from vanban.edxml.api import build, parse, peek
from vanban.edxml.attachments import VANBAN_NS, ZipMember, is_zip, unzip_attachment
from vanban.edxml.check import CheckResult, check
from vanban.edxml.dsig import (
    SigningIdentity,
    TrustStore,
    VerificationResult,
    load_identity,
    sign,
    verify,
)
from vanban.edxml.errors import (
    AttachmentError,
    DepthLimitError,
    DigestMismatchError,
    EdxmlError,
    EncodingError,
    ForbiddenDtdError,
    HostileXmlError,
    HugeTextError,
    MalformedXmlError,
    Problem,
    Severity,
    SignatureError,
    SizeLimitError,
    StructureError,
    TruncatedXmlError,
    WrongRootError,
    ZipLimitError,
)
from vanban.edxml.identity import identity_key
from vanban.edxml.jsonio import from_dict, to_dict
from vanban.edxml.model import (
    Attachment,
    Business,
    BusinessDocType,
    BusinessDocumentInfo,
    DocumentCode,
    DocumentType,
    Envelope,
    Organization,
    OtherInfo,
    Package,
    ParseNote,
    Priority,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignatureInfo,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    SteeringType,
    TraceHeader,
)
from vanban.edxml.safexml import DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, DSIG_NS, EDXML_NS
from vanban.edxml.validate import validate, validate_package

__all__ = [
    # functions
    "parse",
    "peek",
    "build",
    "identity_key",
    "to_dict",
    "from_dict",
    "validate",
    "validate_package",
    "check",
    "CheckResult",
    "sign",
    "verify",
    "load_identity",
    "unzip_attachment",
    "is_zip",
    # constants
    "EDXML_NS",
    "DSIG_NS",
    "VANBAN_NS",
    "DEFAULT_MAX_SIZE",
    "DEFAULT_MAX_DEPTH",
    # model
    "Package",
    "Envelope",
    "StatusMessage",
    "Organization",
    "DocumentCode",
    "PromulgationInfo",
    "DocumentType",
    "SignerInfo",
    "OtherInfo",
    "ResponseFor",
    "TraceHeader",
    "StaffInfo",
    "Business",
    "BusinessDocumentInfo",
    "Receiver",
    "ReplacementInfo",
    "Attachment",
    "SignatureInfo",
    "ParseNote",
    "StatusCode",
    "BusinessDocType",
    "Priority",
    "SteeringType",
    "ZipMember",
    # signatures
    "SigningIdentity",
    "TrustStore",
    "VerificationResult",
    # errors and problems
    "EdxmlError",
    "MalformedXmlError",
    "TruncatedXmlError",
    "EncodingError",
    "HostileXmlError",
    "ForbiddenDtdError",
    "SizeLimitError",
    "DepthLimitError",
    "HugeTextError",
    "WrongRootError",
    "StructureError",
    "AttachmentError",
    "DigestMismatchError",
    "ZipLimitError",
    "SignatureError",
    "Problem",
    "Severity",
]
