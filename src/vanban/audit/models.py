"""The audit event table and the chain heads that serialise each chain's writers."""

from __future__ import annotations

from django.db import models

from vanban.audit.actions import AuditAction


class AuditChainHead(models.Model):
    """One row per chain (``agency:<code>``, ``hub``, ``system``; see
    :mod:`vanban.audit.chain`): its last number and hash. Writers lock their chain's row,
    so each chain is extended by one transaction at a time on PostgreSQL while other
    chains' writers go on (SQLite writers are all serialised by ``BEGIN IMMEDIATE``)."""

    chain = models.CharField(max_length=80, unique=True)
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

    ``chain`` and ``chain_seq``: which chain the event is on and its number there (1..N,
    no gap); ``hash`` = SHA-256 of ``prev_hash`` (the chain's previous event's) plus the
    event's canonical content (:func:`vanban.audit.chain.event_digest`). ``seq`` orders the
    whole log (increasing, unique, gaps possible; not hashed): "the latest events" across
    chains. Actor fields are plain values, not a foreign key, so deleting a user never
    rewrites history.
    """

    seq = models.BigIntegerField(unique=True)
    chain = models.CharField(max_length=80)
    chain_seq = models.BigIntegerField()
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
        constraints = [models.UniqueConstraint(fields=["chain", "chain_seq"], name="audit_event_chain_seq_unique")]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action"], name="audit_event_action_idx"),
            models.Index(fields=["object_id"], name="audit_event_object_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.chain} #{self.chain_seq} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Nhật ký kiểm tra chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Nhật ký kiểm tra chỉ được ghi thêm, không được xóa.")
