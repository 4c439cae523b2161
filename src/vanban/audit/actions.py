"""Audit event types: stable codes, never reused or renamed once shipped."""

from django.db import models


class AuditAction(models.TextChoices):
    AGENCY_CREATED = "directory.agency.created", "Tạo cơ quan"
    AGENCY_UPDATED = "directory.agency.updated", "Sửa cơ quan"
    AGENCY_DELETED = "directory.agency.deleted", "Xóa cơ quan"
    AGENCY_MERGED = "directory.agency.merged", "Sáp nhập cơ quan"
    UNIT_CREATED = "directory.unit.created", "Tạo đơn vị"
    UNIT_UPDATED = "directory.unit.updated", "Sửa đơn vị"
    UNIT_DELETED = "directory.unit.deleted", "Xóa đơn vị"
    PERSON_CREATED = "directory.person.created", "Tạo người dùng"
    PERSON_UPDATED = "directory.person.updated", "Sửa người dùng"
    PERSON_DELETED = "directory.person.deleted", "Xóa người dùng"
    REFERENCE_CREATED = "directory.reference.created", "Tạo dữ liệu danh mục"
    REFERENCE_UPDATED = "directory.reference.updated", "Sửa dữ liệu danh mục"
    REFERENCE_DELETED = "directory.reference.deleted", "Xóa dữ liệu danh mục"
    DIRECTORY_IMPORTED = "directory.imported", "Nhập danh bạ cơ quan"
