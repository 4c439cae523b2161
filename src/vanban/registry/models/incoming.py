"""Incoming documents (văn bản đến): what arrived, its registration in the incoming
register, the leader's assignment (chủ trì, phối hợp, để biết, deadline) and its handling."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vanban.directory.models import Agency, DocumentType, Person, SecrecyLevel, Unit, UrgencyLevel
from vanban.registry.states import AssignmentRole, ConfidenceLevel, IncomingSource, IncomingState


class IncomingDocument(models.Model):
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="incoming", verbose_name="cơ quan nhận")
    source = models.CharField("nguồn", max_length=12, choices=IncomingSource.choices)
    state = models.CharField(
        "trạng thái", max_length=14, choices=IncomingState.choices, default=IncomingState.RECEIVED, db_index=True
    )
    sender_code = models.CharField("mã cơ quan gửi", max_length=32, blank=True)
    sender_name = models.CharField("cơ quan gửi (tác giả)", max_length=255)
    document_id = models.CharField("mã văn bản (edXML)", max_length=300, blank=True)
    code_number = models.CharField("số", max_length=20, blank=True)
    code_notation = models.CharField("ký hiệu", max_length=60, blank=True)
    issued_on = models.DateField("ngày văn bản", null=True, blank=True)
    document_type = models.ForeignKey(DocumentType, models.PROTECT, null=True, blank=True, verbose_name="loại văn bản")
    type_name = models.CharField("tên loại", max_length=100, blank=True)
    subject = models.CharField("trích yếu", max_length=500)
    signer_name = models.CharField("người ký", max_length=150, blank=True)
    urgency = models.ForeignKey(UrgencyLevel, models.PROTECT, null=True, blank=True, verbose_name="độ khẩn")
    sender_due_date = models.DateField("hạn trả lời (nơi gửi)", null=True, blank=True)
    paper_copy = models.BooleanField("có bản giấy", default=False)
    secrecy = models.ForeignKey(SecrecyLevel, models.PROTECT, null=True, blank=True, verbose_name="độ mật")
    main_file = models.ForeignKey("registry.StoredFile", models.PROTECT, null=True, blank=True, related_name="+")
    # the digitized copy (bản số hóa) of a paper document: PDF/A with the text layer, and
    # the scan it was made from, both content-addressed; the archive's confidence level
    digitized_file = models.ForeignKey(
        "registry.StoredFile", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="bản số hóa"
    )
    scan_original = models.ForeignKey(
        "registry.StoredFile", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="bản quét gốc"
    )
    confidence_level = models.CharField(
        "mức độ tin cậy", max_length=2, choices=ConfidenceLevel.choices, blank=True, default=""
    )
    verification = models.JSONField("kết quả kiểm tra chữ ký", default=dict, blank=True)
    received_package_id = models.BigIntegerField(null=True, blank=True, unique=True)
    arrived_at = models.DateTimeField("thời điểm đến", auto_now_add=True)
    register = models.ForeignKey("registry.Register", models.PROTECT, null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    arrival_number = models.PositiveIntegerField("số đến", null=True, blank=True)
    registered_at = models.DateTimeField("thời điểm vào sổ", null=True, blank=True)
    refused_reason = models.CharField("lý do từ chối", max_length=500, blank=True)
    deadline = models.DateField("hạn xử lý", null=True, blank=True, db_index=True)
    # the lead of the assignment, kept on the row too so "what must I handle" is one index
    # lookup (the Assignment rows stay the record of who was assigned what)
    lead_person = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+")
    lead_unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+")
    instructions = models.TextField("ý kiến chỉ đạo", blank=True)
    # the step of the chain of assignment on whose target the document waits now
    current_step = models.ForeignKey(
        "registry.AssignmentStep", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result = models.TextField("kết quả xử lý", blank=True)
    take_back_requested_at = models.DateTimeField("nơi gửi yêu cầu lấy lại lúc", null=True, blank=True)
    take_back_reason = models.CharField("lý do nơi gửi lấy lại", max_length=500, blank=True)
    take_back_answer = models.CharField("trả lời yêu cầu lấy lại", max_length=2, blank=True)
    answer = models.ForeignKey(
        "registry.OutgoingDocument",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers_to",
        verbose_name="văn bản trả lời",
    )
    replaced_by = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="replaces", verbose_name="được thay thế bởi"
    )
    response_to = models.ForeignKey(
        "registry.OutgoingDocument",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name="trả lời văn bản đi",
        help_text="Our outgoing document this arrived document answers (from its ResponseFor).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-arrived_at"]
        verbose_name = "văn bản đến"
        verbose_name_plural = "văn bản đến"
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "arrival_number"],
                condition=models.Q(arrival_number__isnull=False),
                name="incoming_arrival_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["agency", "year", "register", "arrival_number"]),
            models.Index(
                fields=["agency", "state", "deadline"],
                name="incoming_open_by_deadline",
                condition=models.Q(state__in=["da-phan-cong", "dang-xu-ly"]),
            ),
            models.Index(fields=["lead_person", "state"], name="incoming_lead_person_state"),
            models.Index(fields=["lead_unit", "state"], name="incoming_lead_unit_state"),
            models.Index(  # the leader's tab "Quá hạn", most overdue first, read in order
                fields=["agency", "deadline"],
                name="incoming_open_deadline",
                condition=models.Q(state__in=["da-phan-cong", "dang-xu-ly"]),
            ),
            models.Index(  # the leader's tab "Nơi gửi xin lấy lại": few rows among a year's
                fields=["agency"],
                name="incoming_take_back_open",
                condition=models.Q(take_back_requested_at__isnull=False, take_back_answer=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.so_ky_hieu or 'Văn bản đến'} – {self.subject[:60]}"

    @property
    def so_ky_hieu(self) -> str:
        if self.code_number and self.code_notation:
            return f"{self.code_number}/{self.code_notation}"
        return self.code_notation or self.code_number

    @property
    def so_den(self) -> str:
        return f"{self.arrival_number:02d}" if self.arrival_number else ""

    @property
    def awaits_digitized_copy(self) -> bool:
        """A non-secret paper document with no digitized copy yet (none, or a bare scan)."""
        return self.source == IncomingSource.PAPER and self.digitized_file_id is None and self.secrecy_id is None

    def people(self, role: str):
        return [a for a in self.assignments.all() if a.role == role]


class Assignment(models.Model):
    """Who handles an incoming document: exactly one lead (a unit or a person), helpers,
    and people or units informed."""

    document = models.ForeignKey(IncomingDocument, models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=10, choices=AssignmentRole.choices)
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True)
    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(person__isnull=False), name="assignment_has_target"
            )
        ]
        indexes = [
            models.Index(fields=["person", "role", "document"]),
            models.Index(fields=["unit", "role", "document"]),
        ]

    def __str__(self) -> str:
        if self.person is not None:
            return self.person.full_name
        return self.unit.name if self.unit is not None else ""


class ProgressNote(models.Model):
    document = models.ForeignKey(IncomingDocument, models.CASCADE, related_name="notes")
    author = models.ForeignKey(Person, models.PROTECT, related_name="+")
    text = models.TextField("nội dung")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class IncomingStateChange(models.Model):
    document = models.ForeignKey(IncomingDocument, models.CASCADE, related_name="history")
    action = models.CharField(max_length=30)
    old_state = models.CharField(max_length=14)
    new_state = models.CharField(max_length=14)
    status_sent = models.CharField("trạng thái gửi lại nơi gửi", max_length=2, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    reason = models.CharField(max_length=1000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def action_label(self) -> str:
        from vanban.registry.transitions import INCOMING

        special = {
            "receive": "Nhận văn bản",
            "recall": "Nơi gửi thu hồi",
            "update": "Nơi gửi cập nhật",
            "replace": "Được thay thế",
        }
        t = INCOMING.rows.get(self.action)
        return t.label if t else special.get(self.action, self.action)

    @property
    def new_state_label(self) -> str:
        return IncomingState(self.new_state).label if self.new_state in IncomingState.values else self.new_state


class ExtensionRequest(models.Model):
    """A request to extend an incoming document's deadline (gia hạn) and the leader's decision."""

    PENDING, APPROVED, REFUSED = "cho-duyet", "dong-y", "tu-choi"
    STATES = [(PENDING, "Chờ quyết định"), (APPROVED, "Đồng ý"), (REFUSED, "Không đồng ý")]

    document = models.ForeignKey(IncomingDocument, models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(Person, models.PROTECT, related_name="+")
    old_deadline = models.DateField("hạn cũ")
    new_deadline = models.DateField("hạn đề nghị")
    reason = models.CharField("lý do", max_length=1000)
    state = models.CharField(max_length=10, choices=STATES, default=PENDING)
    decided_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("ý kiến", max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class Reminder(models.Model):
    """A follow-up (đôn đốc) about an incoming document: from a leader, or automatic before
    and after the deadline; e-mailed to the lead and shown on their page."""

    MANUAL, BEFORE, AFTER = "lanh-dao", "sap-den-han", "qua-han"
    KINDS = [(MANUAL, "Lãnh đạo đôn đốc"), (BEFORE, "Sắp đến hạn"), (AFTER, "Quá hạn")]

    document = models.ForeignKey(IncomingDocument, models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, choices=KINDS)
    sent_by = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    message = models.CharField(max_length=1000)
    on_day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "kind", "on_day"],
                condition=~models.Q(kind="lanh-dao"),
                name="one_automatic_reminder_a_day",
            )
        ]


class Delegation(models.Model):
    """A leader lets a deputy assign incoming documents or sign outgoing ones in the
    leader's place for a period (ủy quyền); it ends by itself after ``ends_on``."""

    ASSIGN, SIGN = "phan-cong", "ky"
    SCOPES = [(ASSIGN, "Phân công xử lý văn bản đến"), (SIGN, "Ký văn bản đi")]

    delegator = models.ForeignKey(
        Person, models.PROTECT, related_name="delegations_given", verbose_name="người ủy quyền"
    )
    deputy = models.ForeignKey(
        Person, models.PROTECT, related_name="delegations_received", verbose_name="người được ủy quyền"
    )
    scope = models.CharField("phạm vi", max_length=10, choices=SCOPES)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = "ủy quyền"
        verbose_name_plural = "ủy quyền"

    def __str__(self) -> str:
        return f"{self.delegator.full_name} ủy quyền {self.deputy.full_name} ({self.get_scope_display()})"


class CertifiedCopy(models.Model):
    """A certified electronic copy (bản sao điện tử) of a digitized paper document: the
    digitized PDF signed with the copying agency's seal (no image; its name and the signing
    time at the top right of the first page). Digitized from paper: confidence level 02."""

    document = models.ForeignKey(IncomingDocument, models.PROTECT, related_name="certified_copies")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="cơ quan sao")
    file = models.ForeignKey("registry.StoredFile", models.PROTECT, related_name="+")
    confidence_level = models.CharField(
        "mức độ tin cậy", max_length=2, choices=ConfidenceLevel.choices, default=ConfidenceLevel.DIGITIZED
    )
    made_by = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name="người sao")
    certificate = models.CharField("chứng thư số", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "bản sao điện tử"
        verbose_name_plural = "bản sao điện tử"
