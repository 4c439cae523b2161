"""The registry's models: registers and their numbering, stored files, outgoing documents
with their versions, recipients and history (:mod:`.outgoing`), incoming documents with
their assignments and follow-ups (:mod:`.incoming`). Django finds them all here."""

from vanban.registry.models.incoming import (
    IncomingDocument,
    Assignment,
    ProgressNote,
    IncomingStateChange,
    ExtensionRequest,
    Reminder,
    Delegation,
)
from vanban.registry.models.outgoing import (
    Register,
    RegisterYear,
    StoredFile,
    OutgoingDocument,
    DocumentVersion,
    DocumentAttachment,
    Comment,
    Recipient,
    RecipientStatus,
    RegisterEntry,
    StateChange,
    SyncCursor,
    SigningKey,
    ANSWERED,
)

__all__ = [
    "ANSWERED",
    "Assignment",
    "Comment",
    "Delegation",
    "DocumentAttachment",
    "DocumentVersion",
    "ExtensionRequest",
    "IncomingDocument",
    "IncomingStateChange",
    "OutgoingDocument",
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
