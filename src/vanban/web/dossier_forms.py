"""Forms of the list of dossiers and of the destruction pages: they parse what was typed;
the records services decide."""

from __future__ import annotations

from django import forms

from vanban import records
from vanban.directory.models import Agency, Person, Unit
from vanban.records.models import RetentionClass
from vanban.web.forms import _choices
from vanban.web.uploadlimit import max_size

__all__ = ["EntryForm", "EditEntryForm", "ImportForm", "MinutesForm", "AppraisalForm", "DecisionForm", "StopForm"]

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


class EditEntryForm(forms.Form):
    """What the administrator changes of an entry: the code is the service's."""

    title = forms.CharField(label="Tiêu đề hồ sơ", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.ModelChoiceField(
        label="Đơn vị lập hồ sơ", queryset=Unit.objects.none(), required=False, empty_label="—"
    )
    responsible = forms.ModelChoiceField(
        label="Người lập hồ sơ", queryset=Person.objects.none(), required=False, empty_label="—"
    )
    retention_class = forms.ModelChoiceField(
        label="Thời hạn lưu trữ", queryset=RetentionClass.objects.none(), empty_label=None
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "unit", Unit.objects.filter(agency=agency, active=True).order_by("name"), lambda u: u.name)
        _choices(
            self,
            "responsible",
            Person.objects.filter(agency=agency).order_by("full_name"),
            lambda p: f"{p.full_name} – {p.position}" if p.position else p.full_name,
        )
        _choices(self, "retention_class", records.retention_classes(agency), lambda c: c.name)


class EntryForm(EditEntryForm):
    """A new entry of the year's list: its heading and number too (empty: the next)."""

    heading = forms.CharField(label="Đề mục", max_length=255, required=False)
    heading_abbr = forms.CharField(
        label="Viết tắt đề mục", max_length=12, required=False, help_text="Ví dụ: TCCB (số và ký hiệu 01.TCCB)."
    )
    number = forms.IntegerField(
        label="Số thứ tự", min_value=1, max_value=9999, required=False, help_text="Để trống: số tiếp theo."
    )

    field_order = ["heading", "heading_abbr", "number", "title", "retention_class", "unit", "responsible"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp bảng tính (.xlsx)",
        validators=[max_size(5 * 1024 * 1024)],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label="Biên bản họp Hội đồng xét hủy", widget=forms.Textarea(attrs={"rows": 3}))


class AppraisalForm(forms.Form):
    appraisal = forms.CharField(label="Ý kiến thẩm định", widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    number = forms.CharField(label="Số quyết định hủy", max_length=60)
    date = forms.DateField(
        label="Ngày quyết định",
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        error_messages={"invalid": "Ngày quyết định phải ghi dạng dd/mm/yyyy."},
    )
    signer = forms.CharField(label="Người ký quyết định", max_length=150)


class StopForm(forms.Form):
    reason = forms.CharField(label="Lý do dừng việc hủy", max_length=1000)


def year_of(value) -> int:
    """The year a dossier page was asked for (``?nam=``), this year when absent or absurd."""
    from django.utils import timezone

    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 1900 <= year <= 2999 else timezone.localdate().year
