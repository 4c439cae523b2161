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

    def ready(self) -> None:
        # Changes saved in this process (services, admin) clear the request caches at once;
        # other processes see them within VANBAN_HUB_CACHE_SECONDS (vanban.exchange.cache).
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from vanban.exchange import cache

        watched = {
            "directory.Agency": cache.agencies,
            "exchange.HubCredential": cache.credentials,
            "exchange.ServedPattern": cache.routing,
            "exchange.PeerHub": cache.routing,
        }
        for label, target in watched.items():
            model = apps.get_model(label)

            def _changed(sender, target=target, **kwargs):
                target.invalidate()
                if target is cache.agencies:  # a closed agency also changes who may send
                    cache.credentials.invalidate()

            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(_changed, sender=model, weak=False, dispatch_uid=f"hub-cache-{label}-{name}")
