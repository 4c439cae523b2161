"""Dossiers (hồ sơ) of an agency: retention classes, the yearly list of dossiers (danh mục
hồ sơ), the dossiers with the metadata of spec archive.md §1.2, the documents filed into
them (one dossier per document), their history and annotations, and destruction batches.

Every change goes through :mod:`vanban.records.services` (the flow engine); nothing here
changes a state by itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vanban.directory.models import Agency, Person, Unit
from vanban.records.states import DisposalState, DossierKind, DossierState, UseMode


class RetentionClass(models.Model):
    """A class of records with one retention period (thời hạn lưu trữ): a common one
    (``agency`` empty) or the agency's own. ``years`` empty: vĩnh viễn."""

    agency = models.ForeignKey(Agency, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="cơ quan")
    code = models.SlugField("mã", max_length=40)
    name = models.CharField("tên nhóm hồ sơ", max_length=255)
    years = models.PositiveSmallIntegerField("số năm lưu trữ", null=True, blank=True)

    class Meta:
        verbose_name = "thời hạn lưu trữ"
        verbose_name_plural = "thời hạn lưu trữ"
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="retention_class_code_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def permanent(self) -> bool:
        return self.years is None


class DossierList(models.Model):
    """Danh mục hồ sơ of one agency for one year (NĐ 30/2020 Điều 28)."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="cơ quan")
    year = models.PositiveSmallIntegerField("năm")
    approved_by = models.CharField("người duyệt", max_length=150, blank=True)
    approved_on = models.DateField("ngày duyệt", null=True, blank=True)
    last_number = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "danh mục hồ sơ"
        verbose_name_plural = "danh mục hồ sơ"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="dossier_list_agency_year_unique")]

    def __str__(self) -> str:
        return f"Danh mục hồ sơ năm {self.year}"


class Dossier(models.Model):
    """One dossier: an entry of the year's list, or a work dossier opened while handling a
    matter. Its code (mã hồ sơ) is the agency's identifier code, the year and the number
    and notation (``000.00.02.H99.2026.01.TCCB``, spec archive.md §1.1)."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="cơ quan")
    dossier_list = models.ForeignKey(DossierList, models.PROTECT, related_name="dossiers", verbose_name="danh mục")
    year = models.PositiveSmallIntegerField("năm hình thành hồ sơ")
    kind = models.CharField("loại", max_length=12, choices=DossierKind.choices, default=DossierKind.LISTED)
    heading = models.CharField("đề mục", max_length=255, blank=True)
    heading_abbr = models.CharField("viết tắt đề mục", max_length=12, blank=True)
    number = models.PositiveIntegerField("số thứ tự trong danh mục")
    notation = models.CharField("số và ký hiệu hồ sơ", max_length=20)
    code = models.CharField("mã hồ sơ", max_length=100, unique=True)
    title = models.CharField("tiêu đề hồ sơ", max_length=1000)
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="đơn vị")
    responsible = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="người lập hồ sơ"
    )
    retention_class = models.ForeignKey(
        RetentionClass, models.PROTECT, related_name="dossiers", verbose_name="thời hạn lưu trữ"
    )
    retention_years = models.PositiveSmallIntegerField("số năm lưu trữ", null=True, blank=True)
    maintenance = models.CharField("mã thời hạn lưu trữ", max_length=2)
    mode = models.CharField("chế độ sử dụng", max_length=2, choices=UseMode.choices, default=UseMode.PUBLIC)
    language = models.CharField("ngôn ngữ", max_length=100, default="01")
    keyword = models.CharField("từ khóa", max_length=100, blank=True)
    description = models.CharField("ghi chú", max_length=2000, blank=True)
    start_date = models.DateField("thời gian bắt đầu", null=True, blank=True)
    end_date = models.DateField("thời gian kết thúc", null=True, blank=True)
    document_types = models.CharField(
        "loại văn bản thường lập vào hồ sơ (mã, cách nhau bởi dấu phẩy)", max_length=500, blank=True
    )
    state = models.CharField(max_length=12, choices=DossierState.choices, default=DossierState.OPEN, db_index=True)
    held = models.BooleanField("giữ lại, không hủy", default=False)
    hold_reason = models.CharField("lý do giữ lại", max_length=500, blank=True)
    closed_at = models.DateTimeField("thời điểm đóng", null=True, blank=True)
    destroyed_at = models.DateTimeField("thời điểm hủy", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier_list", "number"], name="dossier_number_unique_in_list"),
        ]
        indexes = [models.Index(fields=["agency", "year", "state"])]

    def __str__(self) -> str:
        return f"{self.notation} – {self.title[:60]}"

    @property
    def permanent(self) -> bool:
        return self.retention_years is None

    @property
    def retention_label(self) -> str:
        return "Vĩnh viễn" if self.retention_years is None else f"{self.retention_years:02d} năm"


class FiledDocument(models.Model):
    """A registry document filed into a dossier: exactly one of ``outgoing`` and
    ``incoming``; a document is in at most one dossier."""

    dossier = models.ForeignKey(Dossier, models.PROTECT, related_name="items")
    ordinal = models.PositiveIntegerField("số thứ tự văn bản trong hồ sơ")
    outgoing = models.OneToOneField(
        "registry.OutgoingDocument", models.PROTECT, null=True, blank=True, related_name="+"
    )
    incoming = models.OneToOneField(
        "registry.IncomingDocument", models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_by = models.ForeignKey(Person, models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "ordinal"], name="filed_ordinal_unique_in_dossier"),
            models.CheckConstraint(
                condition=models.Q(outgoing__isnull=False, incoming__isnull=True)
                | models.Q(outgoing__isnull=True, incoming__isnull=False),
                name="filed_document_is_one_kind",
            ),
        ]

    @property
    def document(self):
        return self.outgoing if self.outgoing_id else self.incoming


class DossierNote(models.Model):
    """An annotation: the one thing a closed dossier still takes."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="notes")
    author = models.ForeignKey(Person, models.PROTECT, related_name="+")
    text = models.TextField("nội dung")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class DossierStateChange(models.Model):
    """One step of a dossier (the flow engine's history row)."""

    document = models.ForeignKey(Dossier, models.CASCADE, related_name="history")
    action = models.CharField(max_length=30)
    old_state = models.CharField(max_length=12)
    new_state = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    reason = models.CharField(max_length=1000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    @property
    def action_label(self) -> str:
        from vanban.records.flow import DOSSIERS

        if self.action == "create":
            return "Tạo hồ sơ"
        row = DOSSIERS.rows.get(self.action)
        return row.label if row else self.action


class DisposalBatch(models.Model):
    """One destruction of records whose retention expired: the list and explanation, the
    council's minutes, the appraisal, the decision, then the destruction (§4.1)."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="cơ quan")
    year = models.PositiveSmallIntegerField("năm")
    state = models.CharField(max_length=14, choices=DisposalState.choices, default=DisposalState.LISTED)
    explanation = models.TextField("bản thuyết minh")
    council_minutes = models.TextField("biên bản họp Hội đồng xét hủy", blank=True)
    appraisal = models.TextField("ý kiến thẩm định", blank=True)
    decision_number = models.CharField("số quyết định hủy", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định hủy", null=True, blank=True)
    decided_by = models.CharField("người ký quyết định", max_length=150, blank=True)
    dossiers = models.ManyToManyField(Dossier, related_name="disposals", verbose_name="hồ sơ")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "đợt hủy tài liệu"
        verbose_name_plural = "đợt hủy tài liệu"


class DisposalStateChange(models.Model):
    document = models.ForeignKey(DisposalBatch, models.CASCADE, related_name="history")
    action = models.CharField(max_length=30)
    old_state = models.CharField(max_length=14)
    new_state = models.CharField(max_length=14)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    reason = models.CharField(max_length=1000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    @property
    def action_label(self) -> str:
        from vanban.records.flow import DISPOSALS

        if self.action == "list":
            return "Lập danh mục tài liệu hết thời hạn lưu trữ và bản thuyết minh"
        row = DISPOSALS.rows.get(self.action)
        return row.label if row else self.action


class TransferReceipt(models.Model):
    """The archive's record of a transfer package it was given (biên nhận gói nộp lưu): who
    checked it and when, the package's SHA-256, the dossiers it holds, and the result;
    a refused package is recorded too, with its problems."""

    RESULT_ACCEPTED = "da-nhan"
    RESULT_REFUSED = "tu-choi"
    RESULTS = [(RESULT_ACCEPTED, "Đã nhận"), (RESULT_REFUSED, "Từ chối")]

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="cơ quan nhận")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="người nhận"
    )
    received_by_name = models.CharField("người nhận", max_length=150)
    received_at = models.DateTimeField("thời điểm nhận", auto_now_add=True)
    package_name = models.CharField("tên tệp", max_length=255, blank=True)
    package_sha256 = models.CharField("SHA-256 của gói", max_length=64)
    package_bytes = models.BigIntegerField("dung lượng", default=0)
    sender_code = models.CharField("mã cơ quan nộp lưu", max_length=40, blank=True)
    sender_name = models.CharField("cơ quan nộp lưu", max_length=255, blank=True)
    dossier_codes = models.JSONField("mã hồ sơ", default=list)
    documents = models.PositiveIntegerField("số tài liệu", default=0)
    result = models.CharField("kết quả", max_length=10, choices=RESULTS)
    problems = models.JSONField("lỗi phát hiện", default=list, blank=True)

    class Meta:
        verbose_name = "biên nhận gói nộp lưu"
        verbose_name_plural = "biên nhận gói nộp lưu"
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.package_sha256[:12]} ({self.get_result_display()})"
