"""The registry's models: registers and their numbering, stored files, outgoing documents
with their versions, recipients and history (:mod:`.outgoing`), incoming documents with
their assignments and follow-ups (:mod:`.incoming`). Django finds them all here."""

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

__all__ = [
    "ANSWERED",
    "Assignment",
    "CertifiedCopy",
    "Comment",
    "Delegation",
    "DocumentAttachment",
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
