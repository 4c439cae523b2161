"""The local signing agent: a small HTTP service on the person's own computer, on 127.0.0.1
only, through which the web page has a USB token (PKCS#11) sign the digest the server
prepared. Pure: no Django; the ``vanban signing-agent`` command runs it.

Only digests cross it (never the document); only the server's own page may call it (its
``Origin``), after pairing (a code the agent prints); the PIN is asked once per request,
so a batch of documents takes one PIN entry. Protocol and setup: ``docs/signing.md``.
"""

from vanban.signagent.agent import (
    AGENT_HEADER,
    MAX_BODY_BYTES,
    MAX_DIGESTS,
    AgentConfig,
    SigningAgent,
    TokenKey,
)

__all__ = ["AgentConfig", "SigningAgent", "TokenKey", "AGENT_HEADER", "MAX_BODY_BYTES", "MAX_DIGESTS"]
