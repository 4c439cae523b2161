"""The hub's state: credentials, packages (envelopes and status messages), one delivery
per package and recipient, the delivery timeline, served code patterns and peer hubs.

Package bytes are files content-addressed by SHA-256 in the ``hub`` namespace of
:mod:`vanban.storage` (``FILES_DIR/hub/`` or a bucket; stored durably before the row's
transaction commits); the row holds the digest.
"""

from __future__ import annotations

import uuid

from django.db import models


class HubCredential(models.Model):
    """A bearer credential: token ``<id>.<secret>``; only SHA-256(secret) is stored.

    Issued either to an agency (it then sends and reads as that agency) or to a peer hub
    (``peer_code``; it may forward packages of any sender, still checked by signature).
    """

    id = models.CharField(primary_key=True, max_length=24)
    agency = models.ForeignKey(
        "directory.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="hub_credentials",
        verbose_name="cơ quan",
    )
    peer_code = models.CharField("mã trục ngang hàng", max_length=64, blank=True)
    secret_sha256 = models.CharField(max_length=64)
    label = models.CharField("ghi chú", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "khóa truy cập trục"
        verbose_name_plural = "khóa truy cập trục"

    def __str__(self) -> str:
        who = self.agency.code if self.agency is not None else f"trục {self.peer_code}"
        return f"{self.id} ({who})"


class ServedPattern(models.Model):
    """A code pattern this hub serves: an exact code, a prefix, or a shell pattern (``*.H53``).
    No rows at all means the hub serves every agency in its directory."""

    pattern = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["pattern"]
        verbose_name = "mã được phục vụ"
        verbose_name_plural = "mã được phục vụ"

    def __str__(self) -> str:
        return self.pattern


class PeerHub(models.Model):
    """Another hub: the parent (province -> national) or a peer serving some patterns."""

    code = models.CharField("mã trục", max_length=64, unique=True)
    base_url = models.URLField("địa chỉ", max_length=500)
    token = models.CharField("khóa truy cập tại trục đó", max_length=200)
    patterns = models.JSONField("mã được trục đó phục vụ", default=list, blank=True)
    is_parent = models.BooleanField("trục cấp trên", default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "trục liên kết"
        verbose_name_plural = "trục liên kết"

    def __str__(self) -> str:
        return self.code


class PackageKind(models.TextChoices):
    ENVELOPE = "envelope", "Gói tin văn bản"
    STATUS = "status", "Gói tin trạng thái"


class Package(models.Model):
    """An accepted edXML package (the id is what callers see; random, not guessable)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=PackageKind.choices)
    idempotency_key = models.CharField(max_length=600)
    sender_code = models.CharField("cơ quan gửi", max_length=32)
    document_id = models.CharField(max_length=300)
    business_type = models.PositiveSmallIntegerField(null=True, blank=True)
    status_code = models.CharField(max_length=4, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    code_notation = models.CharField(max_length=60, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    received_from = models.CharField(max_length=80, help_text="cơ quan hoặc trục đã gửi lên")
    trace = models.JSONField(default=list, help_text="mã các trục đã đi qua, trục này cuối cùng")
    signer_subject = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="nội dung đã xóa khỏi trục (văn bản mật bị báo)"
    )

    class Meta:
        ordering = ["received_at"]
        verbose_name = "gói tin"
        verbose_name_plural = "gói tin"
        # Only the indexes that queries use: each is written for every package accepted.
        # (A constraint, not unique=True, and no db_index on sender_code: on PostgreSQL
        # those add LIKE-pattern indexes that nothing here searches with.)
        constraints = [models.UniqueConstraint(fields=["idempotency_key"], name="package_idempotency_key_unique")]
        indexes = [models.Index(fields=["sender_code", "document_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.sender_code} {self.document_id}"


class DeliveryState(models.TextChoices):
    WAITING = "waiting", "Chờ nhận"
    FETCHED = "fetched", "Đã tải"
    ACKED = "acked", "Đã nhận"
    FORWARDING = "forwarding", "Đang chuyển tiếp"
    FORWARDED = "forwarded", "Đã chuyển tiếp"
    FAILED = "failed", "Chuyển tiếp thất bại"


class Delivery(models.Model):
    """One package for one recipient: here (an inbox row) or through another hub.
    ``id`` is the inbox cursor: it only grows."""

    package = models.ForeignKey(
        Package, models.CASCADE, related_name="deliveries", db_index=False
    )  # the (package, recipient_code) constraint serves
    recipient_code = models.CharField(max_length=32, help_text="cơ quan nhận (sau kế thừa)")
    addressed_code = models.CharField(max_length=32, help_text="mã ghi trên gói tin")
    state = models.CharField(max_length=12, choices=DeliveryState.choices)
    peer = models.ForeignKey(PeerHub, models.PROTECT, null=True, blank=True, related_name="+")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    remote_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    acked_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, help_text="03 hoặc 02 đã đến")

    class Meta:
        ordering = ["id"]
        verbose_name = "lượt chuyển"
        verbose_name_plural = "lượt chuyển"
        constraints = [
            models.UniqueConstraint(fields=["package", "recipient_code"], name="delivery_once_per_recipient")
        ]
        indexes = [
            models.Index(fields=["recipient_code", "state", "id"]),
            models.Index(fields=["state", "next_attempt_at"]),
        ]


class TimelineEvent(models.TextChoices):
    ACCEPTED = "accepted", "Trục đã nhận"
    FORWARDED = "forwarded", "Đã chuyển tiếp"
    FORWARD_RETRY = "forward_retry", "Chuyển tiếp lỗi, sẽ thử lại"
    FORWARD_FAILED = "forward_failed", "Chuyển tiếp thất bại"
    FETCHED = "fetched", "Nơi nhận đã tải"
    ACKED = "acked", "Nơi nhận đã xác nhận"
    STATUS = "status", "Trạng thái xử lý"
    SECRET = "secret", "Nơi nhận báo văn bản mật"
    RECIPIENT_FAILED = "recipient_failed", "Nơi nhận báo không nhận được"
    PROCESSING = "processing", "Nơi nhận đang xử lý"


class DeliveryEvent(models.Model):
    """The delivery ledger: an append-only line of what happened to one delivery."""

    delivery = models.ForeignKey(Delivery, models.CASCADE, related_name="events")
    event = models.CharField(max_length=16, choices=TimelineEvent.choices)
    status_code = models.CharField(max_length=4, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "sự kiện chuyển"
        verbose_name_plural = "sự kiện chuyển"


class SecrecyReport(models.Model):
    """A secret document met on the electronic channel, for the hub operator: refused at
    intake (``package`` empty: nothing of it was stored) or reported by a recipient office
    (the package's content is then withdrawn from the hub)."""

    SOURCE_INTAKE = "intake"
    SOURCE_RECIPIENT = "recipient"
    SOURCES = [(SOURCE_INTAKE, "Trục từ chối khi nhận"), (SOURCE_RECIPIENT, "Nơi nhận báo")]

    source = models.CharField("nguồn", max_length=10, choices=SOURCES)
    package = models.ForeignKey(Package, models.SET_NULL, null=True, blank=True, related_name="+")
    sender_code = models.CharField("cơ quan gửi", max_length=32)
    document_id = models.CharField(max_length=300, blank=True)
    code_notation = models.CharField("số, ký hiệu", max_length=60, blank=True)
    reported_by = models.CharField("cơ quan báo", max_length=80)
    level = models.CharField("độ mật", max_length=20)
    where = models.CharField("thấy ở", max_length=100)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "báo cáo văn bản mật"
        verbose_name_plural = "báo cáo văn bản mật"


class VdxpSystem(models.Model):
    """A system id of the national hub's protocol (VDXP, :mod:`vanban.vdxp`): an eOffice
    installation that signs its requests with HMAC-SHA256 and a shared secret.

    The server must recompute the HMAC, so it needs the secret itself: a hash would not do.
    The secret is sealed (AES-256-GCM, key derived from the settings, :mod:`.vdxp.sealing`): a copy
    of the database alone does not give it away. ``agency_codes``: the agencies this system
    sends and receives for. ``sandbox``: a test system, accepted only by a hub running with
    ``--sandbox`` (its secret may be chosen, e.g. the vendor's test secret).
    """

    systemid = models.CharField("mã hệ thống", primary_key=True, max_length=40)
    secret_sealed = models.TextField()
    agency_codes = models.JSONField("mã cơ quan", default=list)
    sandbox = models.BooleanField("thử nghiệm", default=False)
    label = models.CharField("ghi chú", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["systemid"]
        verbose_name = "hệ thống VDXP"
        verbose_name_plural = "hệ thống VDXP"

    def __str__(self) -> str:
        return f"{self.systemid} ({', '.join(self.agency_codes)})"


class ConformanceRecord(models.Model):
    """What the conformance sandbox saw in one VDXP request: the answer's error code (``0``
    when accepted), the quirks tolerated (``notes``) and the edXML problems with their rule."""

    systemid = models.CharField("mã hệ thống", max_length=100, db_index=True)
    operation = models.CharField("thao tác", max_length=40)
    error_code = models.CharField(max_length=8)
    error_name = models.CharField(max_length=40)
    detail = models.CharField(max_length=500, blank=True)
    notes = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    doc_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "bản ghi kiểm tra tương thích"
        verbose_name_plural = "bản ghi kiểm tra tương thích"
