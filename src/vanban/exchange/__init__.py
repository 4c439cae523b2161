"""The interconnection hub (trục liên thông) as a Django app: accepts XML-signed edXML
packages from authenticated agencies, stores them durably, delivers them to recipients'
inboxes, relays statuses, keeps a per-recipient timeline and forwards to other hubs.
It never imports the office apps (``registry``, ``connector``)."""
