"""Service functions of the registry: every state change of a document is one function,
one transaction (guard, new state, state-change row, audit event, side effects on commit).

- :mod:`.drafting`: create and correct drafts, add versions and attachments, comment, submit, return,
  approve, cancel.
- :mod:`.signing`: the signer's signature and the agency seal.
- :mod:`.tokensigning`: the signer's signature by a USB token on their computer (prepare, finish),
  and the agency's seal by the agency's token.
- :mod:`.issuing`: number and register, issue to units, agencies (outbox) and e-mail.
- :mod:`.reservations`: hold and cancel numbers of a register (giữ số, hủy số).
- :mod:`.registers`: the agency administrator adds, changes and puts registers out of use.
- :mod:`.keyfiles`: the agency administrator registers a key file for a person or the agency seal.
- :mod:`.incoming` (arrival to done) and :mod:`.handover` (assignment at several levels: the unit
  head's assignment, forward, give back, ask an opinion), used as modules.
"""

from vanban.registry.files import MAX_UPLOAD_BYTES
from vanban.registry.services.drafting import (
    NO_RECIPIENT,
    DraftData,
    DraftEdit,
    RecipientData,
    add_attachment,
    add_version,
    approve,
    cancel,
    comment,
    create_draft,
    edit_draft,
    missing_recipients,
    require_recipients,
    return_draft,
    submit,
)
from vanban.registry.services.issuing import issue, number_document, request_recall
from vanban.registry.services.keyfiles import KeyRefused, register_remote_account, register_uploaded_key
from vanban.registry.services.registers import (
    RegisterRefused,
    RegisterRow,
    agency_registers,
    create_register,
    update_register,
)
from vanban.registry.services.reservations import cancel_number, number_entries, reserve_numbers, reserved_numbers
from vanban.registry.services.signing import BatchSigning, seal_document, sign_document, sign_documents
from vanban.registry.services.tokensigning import (
    TokenBatch,
    TokenDigest,
    finish_token_seal,
    finish_token_signatures,
    prepare_token_seal,
    prepare_token_signatures,
)

__all__ = [
    "MAX_UPLOAD_BYTES",
    "DraftData",
    "DraftEdit",
    "RecipientData",
    "NO_RECIPIENT",
    "create_draft",
    "edit_draft",
    "missing_recipients",
    "require_recipients",
    "add_version",
    "add_attachment",
    "comment",
    "submit",
    "return_draft",
    "approve",
    "cancel",
    "sign_document",
    "sign_documents",
    "BatchSigning",
    "TokenBatch",
    "TokenDigest",
    "prepare_token_signatures",
    "finish_token_signatures",
    "prepare_token_seal",
    "finish_token_seal",
    "number_document",
    "seal_document",
    "issue",
    "request_recall",
    "reserve_numbers",
    "cancel_number",
    "reserved_numbers",
    "number_entries",
    "RegisterRefused",
    "RegisterRow",
    "agency_registers",
    "create_register",
    "update_register",
    "KeyRefused",
    "register_uploaded_key",
    "register_remote_account",
]
