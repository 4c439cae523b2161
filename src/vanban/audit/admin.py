from django.contrib import admin

from vanban.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only view of the log: nothing here can add, change or delete an event."""

    list_display = ["seq", "chain", "chain_seq", "at", "actor_username", "action", "object_label"]
    list_filter = ["chain", "action"]
    search_fields = ["object_label", "actor_username", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
