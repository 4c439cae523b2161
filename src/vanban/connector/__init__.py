"""The office's connector to a hub: the outbox that issuing writes (sent by a worker task
with backoff) and the inbox pulled from the hub (verified, de-duplicated, stored)."""
