"""The audit event table and the chain head that serialises writers."""

from __future__ import annotations

from django.db import models

from vanban.audit.actions import AuditAction


class AuditChainHead(models.Model):
    """One row (pk=1): the last sequence number and hash. Writers lock it, so the chain
    is extended by one transaction at a time on PostgreSQL (SQLite writers are already
    serialised by ``BEGIN IMMEDIATE``)."""

    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = "đầu chuỗi nhật ký"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D401 - the log is append-only
        raise PermissionError("Nhật ký kiểm tra chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise PermissionError("Nhật ký kiểm tra chỉ được ghi thêm, không được xóa.")


class AuditEvent(models.Model):
    """Who did what, when, to which object, with the state before and after.

    ``hash`` = SHA-256 of ``prev_hash`` plus the event's canonical content
    (:func:`vanban.audit.chain.event_digest`). Actor fields are plain values, not a
    foreign key, so deleting a user never rewrites history.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = "sự kiện nhật ký"
        verbose_name_plural = "nhật ký kiểm tra"
        # Plain indexes (db_index on a CharField adds a LIKE-pattern index on PostgreSQL,
        # written for every event and used by no query here).
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action"], name="audit_event_action_idx"),
            models.Index(fields=["object_id"], name="audit_event_object_id_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Nhật ký kiểm tra chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Nhật ký kiểm tra chỉ được ghi thêm, không được xóa.")
