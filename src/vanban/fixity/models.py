"""Where the fixity walk stands: one row (``key="all"``) with the position of the next
batch (which declared file reference, and the last row checked in its table), the counts
of the pass in progress and of the last finished one, and a lease so that two workers do
not check the same batch at once."""

from __future__ import annotations

from django.db import models


class FixityState(models.Model):
    key = models.CharField(max_length=20, primary_key=True, default="all")
    ref_index = models.PositiveIntegerField("bảng đang kiểm tra", default=0)
    last_pk = models.BigIntegerField("dòng đã kiểm tra sau cùng", default=0)
    pass_started_at = models.DateTimeField("bắt đầu lượt kiểm tra", null=True, blank=True)
    pass_checked = models.PositiveIntegerField("số tệp đã kiểm tra trong lượt", default=0)
    pass_problems = models.PositiveIntegerField("số tệp có vấn đề trong lượt", default=0)
    last_run_at = models.DateTimeField("lần chạy gần nhất", null=True, blank=True)
    last_pass_finished_at = models.DateTimeField("lượt kiểm tra xong gần nhất", null=True, blank=True)
    last_pass_checked = models.PositiveIntegerField(default=0)
    last_pass_problems = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tình trạng kiểm tra toàn vẹn tệp"

    def __str__(self) -> str:
        return f"fixity {self.key}: bảng {self.ref_index}, dòng {self.last_pk}"
