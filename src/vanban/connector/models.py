"""The office side of the exchange: one hub account per hosted agency, the outbox, and
what arrived (packages and statuses).

Storage choices: an outbox row keeps the signed package in a ``BinaryField`` so that it
commits or rolls back with the issuing step that writes it (a file written beside a
rolled-back transaction would be an orphan); received packages are kept in the
``connector`` namespace of the one store (:mod:`vanban.storage`), durably, before the row
that names them commits.
"""

from __future__ import annotations

from django.db import models


class HubProtocol(models.TextChoices):
    """The wire protocol a hub speaks (:func:`vanban.connector.transports.for_account`)."""

    NATIVE = "native", "API của vanban (/hub/v1/)"
    VDXP = "vdxp", "Giao thức trục quốc gia (VDXP)"


class HubAccount(models.Model):
    """How one agency hosted here reaches its hub.

    ``protocol`` says what the hub speaks: the hub's own API (``hub_url`` its
    ``/hub/v1/`` base, ``token_sealed`` the bearer token) or the national hub's protocol
    (``hub_url`` the VDXP endpoint, ``system_id`` the system id the hub's operator issued,
    ``token_sealed`` the shared secret that keys each request's HMAC). The credential is
    encrypted with a key derived from ``SECRET_KEY``
    (:mod:`vanban.connector.secrets_box`); it is never logged or shown. The XML-signing
    key stays in a file (``signing_key_path``: PKCS#12, or PEM key with
    ``signing_cert_path``), readable only by the service account and sealed with the
    key-encryption key (:mod:`vanban.keystore`) when the server wrote it, not in the database.
    """

    agency = models.OneToOneField(
        "directory.Agency", models.PROTECT, related_name="hub_account", verbose_name="cơ quan"
    )
    protocol = models.CharField(
        "giao thức của trục", max_length=10, choices=HubProtocol.choices, default=HubProtocol.NATIVE
    )
    hub_url = models.URLField(
        "địa chỉ API của trục",
        max_length=500,
        help_text="ví dụ https://truc.tinh.gov.vn/hub/v1/ (VDXP: https://truc.tinh.gov.vn/vdxp)",
    )
    system_id = models.CharField(
        "mã hệ thống (VDXP)", max_length=100, blank=True, help_text="systemid do đơn vị vận hành trục cấp"
    )
    token_sealed = models.TextField("khóa truy cập (đã mã hóa)", editable=False)
    signing_key_path = models.CharField("tệp khóa ký XML", max_length=500, blank=True)
    signing_cert_path = models.CharField("tệp chứng thư (nếu khóa là PEM)", max_length=500, blank=True)
    active = models.BooleanField("đang dùng", default=True)
    last_pull_at = models.DateTimeField(null=True, blank=True)
    last_pull_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "tài khoản trục liên thông"
        verbose_name_plural = "tài khoản trục liên thông"

    def __str__(self) -> str:
        return f"{self.agency.code} → {self.hub_url}"


class OutboxState(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENDING = "sending", "Đang gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Trục từ chối"


class OutboxKind(models.TextChoices):
    ENVELOPE = "envelope", "Văn bản"
    STATUS = "status", "Trạng thái"


class OutboxItem(models.Model):
    agency = models.ForeignKey("directory.Agency", models.PROTECT, related_name="outbox_items")
    kind = models.CharField(max_length=10, choices=OutboxKind.choices, default=OutboxKind.ENVELOPE)
    document_ref = models.CharField(max_length=200, help_text="ví dụ registry.outgoing:123")
    document_id = models.CharField(max_length=300)
    recipients = models.JSONField(default=list)
    package = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=64, blank=True)
    last_error_vi = models.TextField(blank=True)
    last_error_en = models.TextField(blank=True)
    hub_package_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "gói tin chờ gửi"
        verbose_name_plural = "gói tin chờ gửi"
        indexes = [models.Index(fields=["state", "next_attempt_at"])]


class ReceivedState(models.TextChoices):
    NEW = "new", "Mới đến"
    TAKEN = "taken", "Đã vào sổ"
    QUARANTINED = "quarantined", "Chữ ký không hợp lệ"
    SECRET = "secret", "Văn bản mật: đã từ chối"


class ReceivedPackage(models.Model):
    agency = models.ForeignKey(
        "directory.Agency", models.PROTECT, related_name="received_packages", verbose_name="cơ quan nhận"
    )
    sender_code = models.CharField(max_length=32)
    document_id = models.CharField(max_length=300)
    business_type = models.PositiveSmallIntegerField(default=0)
    dedupe_key = models.CharField(max_length=700)
    business_key = models.CharField(max_length=64, help_text="SHA-256 của (gửi, số/ký hiệu, ngày, nội dung)")
    subject = models.CharField(max_length=500, blank=True)
    code_notation = models.CharField(max_length=60, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    verified = models.BooleanField(default=False)
    verification = models.JSONField(default=dict)
    hub_package_id = models.CharField(max_length=64, blank=True)
    header = models.JSONField(default=dict, help_text="the envelope as read once on arrival, without attachments")
    attachments = models.JSONField(
        default=list, help_text="each attachment's name, type, size and SHA-256 in the store"
    )
    state = models.CharField(max_length=12, choices=ReceivedState.choices, default=ReceivedState.NEW)
    received_at = models.DateTimeField(auto_now_add=True)
    secret_reported_at = models.DateTimeField(null=True, blank=True, help_text="trục đã được báo văn bản có dấu độ mật")

    class Meta:
        ordering = ["id"]
        verbose_name = "gói tin đến"
        verbose_name_plural = "gói tin đến"
        constraints = [
            models.UniqueConstraint(fields=["agency", "dedupe_key"], name="received_once_per_document_id"),
            models.UniqueConstraint(fields=["agency", "business_key"], name="received_once_per_business_key"),
        ]


class ReceivedStatus(models.Model):
    agency = models.ForeignKey("directory.Agency", models.PROTECT, related_name="received_statuses")
    document_id = models.CharField(max_length=300)
    from_code = models.CharField(max_length=32)
    status_code = models.CharField(max_length=4)
    description = models.TextField(blank=True)
    status_time = models.DateTimeField(null=True, blank=True)
    hub_package_id = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "trạng thái nhận được"
        verbose_name_plural = "trạng thái nhận được"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "document_id", "from_code", "status_code", "status_time"], name="status_once"
            )
        ]
