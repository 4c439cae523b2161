"""Forms of the pages: they parse and check input; the services decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet

from vanban.directory.models import DocumentType, Person, SecrecyLevel, Unit, UrgencyLevel
from vanban.registry.services import MAX_UPLOAD_BYTES
from vanban.web.uploadlimit import max_size

MAX_UPLOAD = 50 * 1024 * 1024


def _choices(
    form: forms.BaseForm, name: str, queryset: QuerySet[Any], label: Callable[[Any], str] | None = None
) -> forms.ModelChoiceField[Any]:
    """Set the rows a model choice field offers, and how each is shown."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label  # type: ignore[method-assign,assignment]  # Django allows it per instance
    return field


class DraftForm(forms.Form):
    subject = forms.CharField(label="Trích yếu nội dung", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    document_type = forms.ModelChoiceField(label="Loại văn bản", queryset=DocumentType.objects.none(), empty_label=None)
    signer = forms.ModelChoiceField(label="Người ký", queryset=Person.objects.none(), empty_label=None)
    competence = forms.CharField(
        label="Thẩm quyền ký",
        max_length=100,
        required=False,
        help_text="Ví dụ: KT. GIÁM ĐỐC, TL. CHỦ TỊCH; để trống nếu người đứng đầu ký.",
    )
    unit = forms.ModelChoiceField(label="Đơn vị soạn thảo", queryset=Unit.objects.none(), required=False)
    secrecy = forms.ModelChoiceField(
        label="Độ mật", queryset=SecrecyLevel.objects.all(), required=False, empty_label="Không mật"
    )
    urgency = forms.ModelChoiceField(
        label="Độ khẩn", queryset=UrgencyLevel.objects.all(), required=False, empty_label="Thường"
    )
    copies = forms.IntegerField(label="Số bản", min_value=1, max_value=999, initial=1)
    due_date = forms.DateField(
        label="Hạn trả lời", required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    main_file = forms.FileField(label="Tệp văn bản (PDF hoặc DOCX)", validators=[max_size(MAX_UPLOAD_BYTES)])
    units = forms.ModelMultipleChoiceField(
        label="Đơn vị nhận trong cơ quan",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agency_codes = forms.CharField(required=False, widget=forms.HiddenInput)
    emails = forms.CharField(
        label="Tổ chức, cá nhân bên ngoài (mỗi dòng: tên <thư điện tử>)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Công ty A <vanthu@congtya.vn>"}),
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(
            self, "document_type", DocumentType.objects.order_by("group", "order")
        ).initial = DocumentType.objects.filter(code="cong-van").first()
        _choices(
            self,
            "signer",
            Person.objects.filter(agency=person.agency, roles__code="lanh-dao"),
            lambda p: f"{p.full_name} – {p.position}" if p.position else p.full_name,
        )
        units = Unit.objects.filter(agency=person.agency, active=True)
        _choices(self, "unit", units, lambda u: u.name).initial = person.unit
        _choices(self, "units", units, lambda u: u.name)
        paper_only = list(SecrecyLevel.objects.filter(electronic_allowed=False))
        self.paper_only_names = [s.name for s in paper_only]
        self.fields["secrecy"].widget.attrs["data-paper-only"] = ",".join(str(s.pk) for s in paper_only)
        chosen = self["secrecy"].value()
        self.paper_only_chosen = chosen not in (None, "") and str(chosen) in {str(s.pk) for s in paper_only}

    def clean_main_file(self):
        f = self.cleaned_data["main_file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError("Tệp quá lớn (tối đa 50 MB).")
        return f

    def clean_emails(self):
        import re
        from email.utils import parseaddr

        out = []
        for line in self.cleaned_data.get("emails", "").splitlines():
            line = line.strip()
            if not line:
                continue
            name, addr = parseaddr(line)
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", addr or ""):
                raise forms.ValidationError(f"Dòng “{line}” không có địa chỉ thư điện tử hợp lệ.")
            out.append((name or addr, addr))
        return out

    def clean_agency_codes(self):
        return [c.strip() for c in self.cleaned_data.get("agency_codes", "").split(",") if c.strip()]


class EditDraftForm(DraftForm):
    """The correction of a draft: the fields the drafter may still change, prefilled from the
    document, checked as at creation (the file has its own form: a new version)."""

    FIXED = ("main_file", "unit", "secrecy", "copies", "reply_to")

    def __init__(self, *args, person: Person, document, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "subject": document.subject,
                "document_type": document.document_type,
                "signer": document.signer,
                "competence": document.competence,
                "urgency": document.urgency,
                "due_date": document.due_date,
                "units": [r.unit for r in document.recipients.all() if r.unit_id],
                "agency_codes": ",".join(r.agency.code for r in document.recipients.all() if r.agency_id),
                "emails": "\n".join(f"{r.name} <{r.email}>" for r in document.recipients.all() if r.email),
            },
        )
        super().__init__(*args, person=person, **kwargs)
        for name in self.FIXED:
            del self.fields[name]


class VersionForm(forms.Form):
    file = forms.FileField(label="Tệp dự thảo mới (PDF hoặc DOCX)", validators=[max_size(MAX_UPLOAD_BYTES)])
    note = forms.CharField(label="Nội dung chỉnh sửa", max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label="Ý kiến", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class KeyForm(forms.Form):
    """How to sign: the key kept on the server (PIN/password if any) or a .p12 file now."""

    source = forms.ChoiceField(
        label="Khóa ký số",
        choices=[("server", "Khóa đã đăng ký trên hệ thống"), ("file", "Tệp khóa (.p12) của tôi")],
        widget=forms.RadioSelect,
        initial="server",
    )
    key_file = forms.FileField(label="Tệp khóa .p12", required=False)
    password = forms.CharField(
        label="Mật khẩu / mã PIN", required=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("source") == "file" and not data.get("key_file"):
            raise forms.ValidationError("Hãy chọn tệp khóa .p12.")
        return data


class SignKeyForm(KeyForm):
    """How the signer signs: also by their remote signing account (approved on the phone).
    The USB token goes through the page's script and the local signing agent instead."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("server", "Khóa đã đăng ký trên hệ thống (bản thử nghiệm)"),
            ("file", "Tệp khóa (.p12) của tôi"),
            ("remote", "Ký số từ xa (xác nhận trên điện thoại)"),
        ]


class PaperForm(forms.Form):
    """A paper document that arrived: its scan (PDF), or none yet (digitized later)."""

    sender_name = forms.CharField(label="Cơ quan, tổ chức gửi", max_length=255)
    code_number = forms.CharField(label="Số", max_length=20, required=False)
    code_notation = forms.CharField(label="Ký hiệu", max_length=60, required=False)
    issued_on = forms.DateField(
        label="Ngày văn bản", required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    document_type = forms.ModelChoiceField(
        label="Loại văn bản", queryset=DocumentType.objects.order_by("group", "order"), required=False, empty_label="—"
    )
    subject = forms.CharField(label="Trích yếu nội dung", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    secrecy = forms.ModelChoiceField(
        label="Độ mật",
        queryset=SecrecyLevel.objects.all(),
        required=False,
        empty_label="Không mật",
        help_text="Văn bản mật chỉ vào sổ văn bản đến mật và quản lý bản giấy: không lưu bản quét.",
    )
    file = forms.FileField(
        label="Bản quét (PDF)",
        required=False,
        help_text="Để trống nếu chưa quét (số hóa sau).",
        validators=[max_size(MAX_UPLOAD_BYTES)],
    )


class DigitizedForm(PaperForm):
    """The incoming paper document from a digitized scan, pre-filled from its fields."""

    file = None  # type: ignore[assignment]  # the scan is the job's
    register_now = forms.BooleanField(label="Vào sổ văn bản đến ngay", required=False, initial=True)

    def __init__(self, *args, low: set[str] = frozenset(), **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        for name in low:
            field = self.fields[name]
            field.widget.attrs["class"] = "low-confidence"
            field.help_text = "Đọc chưa chắc chắn từ bản quét: hãy kiểm tra lại."


class AssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(
        label="Đơn vị chủ trì", queryset=Unit.objects.none(), required=False, empty_label="—"
    )
    lead_person = forms.ModelChoiceField(
        label="hoặc người chủ trì", queryset=Person.objects.none(), required=False, empty_label="—"
    )
    helpers = forms.ModelMultipleChoiceField(
        label="Phối hợp", queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    informed = forms.ModelMultipleChoiceField(
        label="Để biết", queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(
        label="Hạn xử lý",
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        help_text="Để trống: theo hạn của nơi gửi, hoặc theo quy định (ngày làm việc).",
    )
    instructions = forms.CharField(label="Ý kiến chỉ đạo", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(agency=agency).order_by("full_name")
        _choices(self, "lead_unit", Unit.objects.filter(agency=agency, active=True), lambda u: u.name)
        for name in ("lead_person", "helpers", "informed"):
            _choices(self, name, people, lambda p: f"{p.full_name} – {p.unit.name}" if p.unit_id else p.full_name)


class ResultForm(forms.Form):
    result = forms.CharField(label="Kết quả xử lý", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(label="Tiến độ", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
