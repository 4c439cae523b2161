"""Admin for the registry's data: registers (which types each numbers, secret series) and
signing keys; edits are audited like every directory change."""

from django.contrib import admin

from vanban.directory.admin import AuditedAdmin
from vanban.registry.models import Register, SigningKey


@admin.register(Register)
class RegisterAdmin(AuditedAdmin):
    list_display = ["name", "agency", "kind", "secret", "active"]
    list_filter = ["kind", "secret", "active"]
    search_fields = ["name", "agency__code", "agency__name"]
    raw_id_fields = ["agency"]
    filter_horizontal = ["document_types"]


@admin.register(SigningKey)
class SigningKeyAdmin(AuditedAdmin):
    list_display = ["__str__", "person", "agency", "kind", "active"]
    list_filter = ["kind", "active"]
    raw_id_fields = ["person", "agency", "image"]
