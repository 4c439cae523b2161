"""Django admin for the directory and its reference data. Every save and delete writes
an audit event in the admin's transaction, like the service functions do."""

from __future__ import annotations

from django.contrib import admin

from vanban.audit import AuditAction, record, snapshot
from vanban.directory import models

ACTIONS = {
    models.Agency: (AuditAction.AGENCY_CREATED, AuditAction.AGENCY_UPDATED, AuditAction.AGENCY_DELETED),
    models.Unit: (AuditAction.UNIT_CREATED, AuditAction.UNIT_UPDATED, AuditAction.UNIT_DELETED),
    models.Person: (AuditAction.PERSON_CREATED, AuditAction.PERSON_UPDATED, AuditAction.PERSON_DELETED),
}
REFERENCE = (AuditAction.REFERENCE_CREATED, AuditAction.REFERENCE_UPDATED, AuditAction.REFERENCE_DELETED)


class AuditedAdmin(admin.ModelAdmin):
    """Writes created/updated/deleted audit events (before and after) for admin edits."""

    def _actions(self):
        return ACTIONS.get(self.model, REFERENCE)

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        self._pending = (obj, change, before)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj, change, before = self._pending
        created, updated, _ = self._actions()
        record(request.user, updated if change else created, obj, before=before, after=snapshot(obj))

    def delete_model(self, request, obj):
        before, label, pk = snapshot(obj), str(obj), obj.pk
        super().delete_model(request, obj)
        record(
            request.user,
            self._actions()[2],
            object_type=obj._meta.label_lower,
            object_id=str(pk),
            object_label=label,
            before=before,
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(models.Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["code", "name", "short_name", "level", "parent", "active"]
    list_filter = ["level", "active"]
    search_fields = ["code", "name", "short_name", "search_text"]
    raw_id_fields = ["parent", "successor"]


@admin.register(models.Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "suffix", "agency", "active"]
    search_fields = ["name", "suffix", "agency__code", "agency__name"]
    raw_id_fields = ["agency"]


@admin.register(models.Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["full_name", "agency", "unit", "position"]
    search_fields = ["full_name", "user__username", "agency__code"]
    raw_id_fields = ["user", "agency", "unit"]
    exclude = ["certificate_pem"]


@admin.register(models.DocumentType)
class DocumentTypeAdmin(AuditedAdmin):
    list_display = [
        "name",
        "abbreviation",
        "group",
        "edxml_type_detail",
        "electronic_allowed",
        "paper_copy_required",
        "in_exchange_catalogue",
    ]
    list_filter = ["group", "electronic_allowed", "paper_copy_required", "in_exchange_catalogue"]


for model in (models.Level, models.Hub, models.Role, models.SecrecyLevel, models.UrgencyLevel):
    admin.site.register(model, AuditedAdmin)
