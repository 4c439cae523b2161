"""Outgoing documents, their versions, attachments, comments and recipients; registers
(sổ văn bản) and their yearly number series; signing keys of people and agencies."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vanban.directory.models import Agency, DocumentType, Person, SecrecyLevel, Unit, UrgencyLevel
from vanban.edxml import StatusCode
from vanban.registry.states import DeliveryState, EntryState, OutgoingState, RecipientKind

# the statuses that answer a delivered document (accepted or refused, or further along)
ANSWERED = (StatusCode.REJECTED, StatusCode.ACCEPTED, StatusCode.ASSIGNED, StatusCode.PROCESSING, StatusCode.COMPLETED)


class Register(models.Model):
    """A register (sổ văn bản) of an agency: which document types it numbers, whether it is
    the separate series for secret documents. Numbers restart each calendar year."""

    KIND_OUTGOING = "di"
    KIND_INCOMING = "den"
    KIND_CHOICES = [(KIND_OUTGOING, "Sổ văn bản đi"), (KIND_INCOMING, "Sổ văn bản đến")]

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="registers", verbose_name="cơ quan")
    kind = models.CharField("loại sổ", max_length=4, choices=KIND_CHOICES)
    name = models.CharField("tên sổ", max_length=150)
    document_types = models.ManyToManyField(
        DocumentType,
        blank=True,
        verbose_name="loại văn bản",
        help_text="Để trống: sổ dùng cho mọi loại văn bản không có sổ riêng.",
    )
    secret = models.BooleanField("sổ văn bản mật", default=False)
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        ordering = ["agency", "kind", "name"]
        verbose_name = "sổ văn bản"
        verbose_name_plural = "sổ văn bản"
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "name"], name="register_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} – {self.agency.short_name or self.agency.name}"


class RegisterYear(models.Model):
    """The number series of a register in one calendar year; ``last_number`` is locked
    while a number is taken, so numbers are 1..N with no gap and no duplicate."""

    register = models.ForeignKey(Register, models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="register_year_unique")]


class StoredFile(models.Model):
    """A file kept in content-addressed storage, with the name a person gave it."""

    sha256 = models.CharField(max_length=64, db_index=True)
    name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tệp"

    def __str__(self) -> str:
        return self.name

    def read(self) -> bytes:
        from vanban.storage import get_bytes

        return get_bytes(self.sha256)


class OutgoingDocument(models.Model):
    """A document the agency drafts and issues (văn bản đi)."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="outgoing", verbose_name="cơ quan")
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, verbose_name="đơn vị soạn thảo")
    drafter = models.ForeignKey(Person, models.PROTECT, related_name="drafted", verbose_name="người soạn thảo")
    document_type = models.ForeignKey(DocumentType, models.PROTECT, verbose_name="loại văn bản")
    subject = models.CharField("trích yếu", max_length=500)
    secrecy = models.ForeignKey(SecrecyLevel, models.PROTECT, null=True, blank=True, verbose_name="độ mật")
    urgency = models.ForeignKey(UrgencyLevel, models.PROTECT, null=True, blank=True, verbose_name="độ khẩn")
    signer = models.ForeignKey(Person, models.PROTECT, related_name="to_sign", verbose_name="người ký")
    competence = models.CharField(
        "thẩm quyền ký", max_length=100, blank=True, help_text="Ví dụ: KT. CHỦ TỊCH, TL. GIÁM ĐỐC"
    )
    state = models.CharField(
        "trạng thái", max_length=20, choices=OutgoingState.choices, default=OutgoingState.DRAFT, db_index=True
    )
    register = models.ForeignKey(Register, models.PROTECT, null=True, blank=True, verbose_name="sổ")
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    number = models.PositiveIntegerField("số", null=True, blank=True)
    notation = models.CharField("ký hiệu", max_length=60, blank=True)
    issued_on = models.DateField("ngày văn bản", null=True, blank=True, db_index=True)
    place = models.CharField("địa danh", max_length=50, blank=True)
    copies = models.PositiveSmallIntegerField("số bản", default=1)
    pages = models.PositiveSmallIntegerField("số trang", default=1)
    due_date = models.DateField("hạn trả lời", null=True, blank=True)
    signed_file = models.ForeignKey(StoredFile, models.PROTECT, null=True, blank=True, related_name="+")
    paper_issue = models.BooleanField("phát hành bản giấy", default=False)
    paper_issue_reason = models.CharField("lý do phát hành bản giấy", max_length=255, blank=True)
    paper_copy = models.BooleanField("gửi kèm bản giấy", default=False)
    document_id = models.CharField("mã văn bản (edXML)", max_length=200, blank=True, db_index=True)
    reply_to = models.ForeignKey(
        "registry.IncomingDocument",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="trả lời văn bản đến",
        help_text="The incoming document this one answers (its ResponseFor when sent).",
    )
    recall_requested_at = models.DateTimeField("yêu cầu lấy lại lúc", null=True, blank=True)
    recall_reason = models.CharField("lý do lấy lại", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "văn bản đi"
        verbose_name_plural = "văn bản đi"
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "number"],
                condition=models.Q(number__isnull=False),
                name="outgoing_number_unique_in_register_year",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "year", "register", "number"]),
            models.Index(fields=["agency", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.so_ky_hieu or 'Dự thảo'} – {self.subject[:60]}"

    @property
    def so_ky_hieu(self) -> str:
        """``01/UBND-VP1``: number (leading zero below 10) and notation, once numbered."""
        if self.number is None:
            return ""
        return f"{self.number:02d}/{self.notation}"

    @property
    def current_version(self) -> DocumentVersion | None:
        return self.versions.order_by("-number").first()


class DocumentVersion(models.Model):
    """One version of the main file: every upload is kept."""

    document = models.ForeignKey(OutgoingDocument, models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("phiên bản")
    file = models.ForeignKey(StoredFile, models.PROTECT, related_name="+")
    source = models.ForeignKey(
        StoredFile,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Tệp gốc (DOCX) khi tệp chính được chuyển sang PDF.",
    )
    author = models.ForeignKey(Person, models.PROTECT, related_name="+")
    note = models.CharField("ghi chú", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="version_unique")]


class DocumentAttachment(models.Model):
    """An attachment in a separate file (phụ lục); the clerk's agency signature goes on it."""

    document = models.ForeignKey(OutgoingDocument, models.CASCADE, related_name="attachments")
    file = models.ForeignKey(StoredFile, models.PROTECT, related_name="+")
    signed_file = models.ForeignKey(StoredFile, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class Comment(models.Model):
    document = models.ForeignKey(OutgoingDocument, models.CASCADE, related_name="comments")
    version = models.ForeignKey(DocumentVersion, models.SET_NULL, null=True, blank=True)
    author = models.ForeignKey(Person, models.PROTECT, related_name="+")
    text = models.TextField("ý kiến")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class Recipient(models.Model):
    """Where the document goes: a unit of the same agency, another agency (by code),
    or an outside organisation or person (by e-mail)."""

    document = models.ForeignKey(OutgoingDocument, models.CASCADE, related_name="recipients")
    kind = models.CharField(max_length=12, choices=RecipientKind.choices)
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True)
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField("tên", max_length=255)
    email = models.EmailField(blank=True)
    delivery = models.CharField(max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    delivery_note = models.CharField(max_length=500, blank=True)
    last_status = models.CharField("trạng thái xử lý", max_length=2, blank=True)
    last_status_at = models.DateTimeField(null=True, blank=True)
    hub_events = models.JSONField(
        "diễn biến trên trục",
        default=list,
        blank=True,
        help_text="The hub's timeline for this recipient: accepted, forwarded, fetched, acked, statuses.",
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def last_status_name(self) -> str:
        """The name of the last processing status the recipient sent back ("Hoàn thành")."""
        from vanban.registry.states import STATUS_NAMES

        return STATUS_NAMES.get(self.last_status, self.last_status)

    @property
    def late_notice(self) -> str:
        """What the sender should know when an agency recipient is late: not fetched from
        the hub within ``VANBAN_FETCH_WARNING_MINUTES`` (60) of its arrival there, or no
        answer (03 or 02) within one working day of fetching it."""
        import datetime as dt
        import os

        from django.utils import timezone

        from vanban.workdays import default_calendar

        if self.kind != RecipientKind.AGENCY or not self.hub_events:
            return ""

        def first(event):
            at = next((e.get("at") for e in self.hub_events if e.get("event") == event), None)
            try:
                return dt.datetime.fromisoformat(at.replace("Z", "+00:00")) if at else None
            except ValueError:
                return None

        now = timezone.now()
        accepted, fetched = first("accepted"), first("fetched")
        limit = int(os.environ.get("VANBAN_FETCH_WARNING_MINUTES", "60"))
        if accepted and not fetched and now - accepted > dt.timedelta(minutes=limit):
            minutes = int((now - accepted).total_seconds() // 60)
            return f"Nơi nhận chưa tải văn bản về sau {minutes} phút."
        answered = self.statuses.filter(code__in=[c.value for c in ANSWERED]).exists()
        if fetched and not answered:
            due = default_calendar().add_working_days(timezone.localtime(fetched).date(), 1)
            if timezone.localdate() > due:
                return "Nơi nhận chưa tiếp nhận (03) hay từ chối (02) sau một ngày làm việc."
        return ""


class RecipientStatus(models.Model):
    """A processing status a recipient sent back (edXML 01–06, 13, 15, 16)."""

    recipient = models.ForeignKey(Recipient, models.CASCADE, related_name="statuses")
    source_id = models.BigIntegerField(
        null=True, blank=True, unique=True, help_text="The connector's ReceivedStatus row it came from."
    )
    code = models.CharField(max_length=2)
    description = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def name(self) -> str:
        from vanban.registry.states import STATUS_NAMES

        return STATUS_NAMES.get(self.code, self.code)


class RegisterEntry(models.Model):
    """A number of a register's year: used by a document, reserved, or cancelled. Numbers
    are never reused; cancelled and reserved numbers stay visible in the register."""

    register_year = models.ForeignKey(RegisterYear, models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=EntryState.choices)
    document = models.OneToOneField(
        OutgoingDocument, models.PROTECT, null=True, blank=True, related_name="register_entry"
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["register_year", "number"]
        constraints = [models.UniqueConstraint(fields=["register_year", "number"], name="entry_number_unique")]


class StateChange(models.Model):
    """Each state change of an outgoing document: old, new, who, when, why."""

    document = models.ForeignKey(OutgoingDocument, models.CASCADE, related_name="history")
    action = models.CharField(max_length=30)
    old_state = models.CharField(max_length=20)
    new_state = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    reason = models.CharField(max_length=1000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def action_label(self) -> str:
        from vanban.registry.transitions import table

        t = table().get(self.action)
        return t.label if t else self.action

    @property
    def new_state_label(self) -> str:
        return OutgoingState(self.new_state).label if self.new_state in OutgoingState.values else self.new_state


class SyncCursor(models.Model):
    """How far a background sync has read an append-only table (locked while it runs)."""

    name = models.CharField(max_length=50, unique=True)
    last_id = models.BigIntegerField(default=0)


class SigningKey(models.Model):
    """Where a person's or an agency's signing key is: a key file kept by the server (the
    demo and small deployments), a PKCS#11 token, or an account at a remote signing provider
    (``service_url``, the key id in ``key_label``, the account's token sealed in
    ``service_token``). Passwords and PINs are never stored here."""

    KIND_FILE = "file"
    KIND_PKCS11 = "pkcs11"
    KIND_REMOTE = "remote"
    person = models.ForeignKey(Person, models.CASCADE, null=True, blank=True, related_name="keys")
    agency = models.ForeignKey(Agency, models.CASCADE, null=True, blank=True, related_name="keys")
    kind = models.CharField(
        max_length=10,
        choices=[
            (KIND_FILE, "Tệp khóa"),
            (KIND_PKCS11, "Thiết bị ký số (PKCS#11)"),
            (KIND_REMOTE, "Ký số từ xa"),
        ],
    )
    path = models.CharField("tệp khóa PKCS#12", max_length=500, blank=True)
    module = models.CharField("thư viện PKCS#11", max_length=500, blank=True)
    token_label = models.CharField(max_length=100, blank=True)
    key_label = models.CharField(
        max_length=100, blank=True, help_text="Nhãn khóa trên token, hoặc mã khóa ở nhà cung cấp."
    )
    service_url = models.URLField("địa chỉ dịch vụ ký số từ xa", max_length=500, blank=True)
    service_token = models.TextField(blank=True, help_text="Mã truy cập tài khoản ký số từ xa, đã mã hóa.")
    certificate_pem = models.TextField(blank=True)
    image = models.ForeignKey(
        StoredFile,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Ảnh chữ ký (người) hoặc ảnh con dấu (cơ quan), PNG nền trong suốt.",
    )
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        if self.person is not None:
            owner = self.person.full_name
        else:
            owner = self.agency.name if self.agency is not None else ""
        return f"Khóa ký số của {owner} ({self.get_kind_display()})"

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) ^ models.Q(agency__isnull=False),
                name="signing_key_has_one_owner",
            )
        ]


class PendingSignature(models.Model):
    """A signature the server prepared for a key it does not hold (a USB token on the
    person's computer, reached by the page through the local signing agent): the prepared
    PDF and the signed attributes (``PreparedSignature.to_bytes``), for one person and one
    version of a document, until the value comes back or it expires. Holds no secret."""

    token = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(Person, models.CASCADE, related_name="+")
    document = models.ForeignKey(OutgoingDocument, models.CASCADE, related_name="+")
    version = models.ForeignKey(DocumentVersion, models.CASCADE, related_name="+")
    state = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
