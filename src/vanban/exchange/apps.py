"""The interconnection hub (trục liên thông) as a Django app: accepts XML-signed edXML
packages from authenticated agencies, stores them durably, delivers them to recipients'
inboxes, relays statuses, keeps a per-recipient timeline and forwards to other hubs.
It never imports the office apps (``registry``, ``connector``)."""
from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "vanban.exchange"
    label = "exchange"
    verbose_name = "Trục liên thông"
    # (dotted path of a django-tasks Task, seconds between runs) scheduled by the worker
    periodic_tasks: list[tuple[str, float]] = [("vanban.exchange.tasks.forward_due", 5.0)]
