"""A scan job (bản quét chờ số hóa): one scanned file of an agency, from the upload page or
the consume folder, what the worker made of it (PDF/A, text per page, fields, secrecy) and
what the clerk then did with it (the incoming document it became or joined)."""

from __future__ import annotations

from django.db import models

from vanban.directory.models import Agency, Person
from vanban.scanning.states import JobOutcome, JobSource, JobState


class ScanJob(models.Model):
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="scan_jobs", verbose_name="cơ quan")
    uploaded_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="người tải lên"
    )
    source = models.CharField("nguồn", max_length=10, choices=JobSource.choices)
    file_name = models.CharField("tên tệp", max_length=255)
    # the scan as it came, content-addressed in vanban.storage (empty when refused unread)
    original_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    original_size = models.PositiveBigIntegerField(default=0)
    original_type = models.CharField(max_length=100, blank=True)
    folder_path = models.CharField("tệp trong thư mục máy quét", max_length=1000, blank=True)
    state = models.CharField("trạng thái", max_length=12, choices=JobState.choices, default=JobState.QUEUED)
    error_code = models.CharField(max_length=60, blank=True)
    error_vi = models.CharField("lỗi", max_length=1000, blank=True)
    pages_done = models.PositiveIntegerField("số trang đã xử lý", default=0)
    pages_total = models.PositiveIntegerField("tổng số trang", default=0)
    # the result: the PDF/A beside the original, the text per page, the fields
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_size = models.PositiveBigIntegerField(default=0)
    page_count = models.PositiveIntegerField(default=0)
    ocr_done = models.BooleanField("đã nhận dạng chữ", default=False)
    pdfa_ok = models.BooleanField("đạt PDF/A", default=False)
    confidence = models.FloatField("độ tin cậy nhận dạng", null=True, blank=True)
    message_vi = models.CharField("ghi chú", max_length=1000, blank=True)
    text = models.TextField("nội dung nhận dạng", blank=True)
    pages = models.JSONField(default=list, blank=True)
    fields = models.JSONField("thông tin trích xuất", default=dict, blank=True)
    secrecy = models.CharField("dấu độ mật", max_length=20, blank=True)
    document = models.ForeignKey(
        "registry.IncomingDocument",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="văn bản đến",
    )
    outcome = models.CharField("đã dùng", max_length=20, choices=JobOutcome.choices, blank=True, default="")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "bản quét"
        verbose_name_plural = "bản quét"
        indexes = [models.Index(fields=["agency", "state", "created_at"], name="scanjob_agency_state")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def active(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return int(100 * self.pages_done / self.pages_total) if self.pages_total else 0

    def field(self, name: str) -> tuple[str, float]:
        """(value, confidence 0..1) of an extracted field; ("", 0) when not found."""
        found = self.fields.get(name) or {}
        return str(found.get("value") or ""), float(found.get("confidence") or 0.0)
