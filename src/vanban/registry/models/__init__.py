"""The registry's models: registers and their numbering, stored files, outgoing documents
with their versions, recipients and history (:mod:`.outgoing`), incoming documents with
their assignments and follow-ups (:mod:`.incoming`), the chain of assignment (:mod:`.steps`).
Django finds them all here."""

from vanban.registry.models.incoming import (
    Assignment,
    CertifiedCopy,
    Delegation,
    ExtensionRequest,
    IncomingDocument,
    IncomingStateChange,
    ProgressNote,
    Reminder,
)
from vanban.registry.models.notifications import Notification, NotificationSetting
from vanban.registry.models.outgoing import (
    ANSWERED,
    Comment,
    DocumentAttachment,
    DocumentVersion,
    OutgoingDocument,
    PendingSignature,
    Recipient,
    RecipientStatus,
    Register,
    RegisterEntry,
    RegisterYear,
    SigningKey,
    StateChange,
    StoredFile,
    SyncCursor,
)
from vanban.registry.models.reads import DocumentKind, DocumentRead
from vanban.registry.models.steps import AssignmentStep

__all__ = [
    "ANSWERED",
    "Assignment",
    "AssignmentStep",
    "CertifiedCopy",
    "Comment",
    "Delegation",
    "DocumentAttachment",
    "DocumentKind",
    "DocumentRead",
    "DocumentVersion",
    "ExtensionRequest",
    "IncomingDocument",
    "IncomingStateChange",
    "Notification",
    "NotificationSetting",
    "OutgoingDocument",
    "PendingSignature",
    "ProgressNote",
    "Recipient",
    "RecipientStatus",
    "Register",
    "RegisterEntry",
    "RegisterYear",
    "Reminder",
    "SigningKey",
    "StateChange",
    "StoredFile",
    "SyncCursor",
]
