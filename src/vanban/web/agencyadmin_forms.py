"""What the agency administrator's pages share: which agency a page manages (the person's
own; a provincial administrator may name another with ``?co-quan=<mã định danh>``), the
object of a URL reached only when its agency is one the person manages (else 404), and the
forms. The rules are the services' (:mod:`vanban.directory.services`,
:mod:`vanban.registry.services.registers`)."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest
from django.utils.http import urlencode

from vanban.directory.models import Agency, DocumentType, Person, Role, Unit
from vanban.directory.services import can_manage_agency
from vanban.registry.models import Register
from vanban.web.uploadlimit import max_size

__all__ = [
    "managed_agency",
    "require_managed",
    "agency_query",
    "UnitForm",
    "PersonForm",
    "NewPersonForm",
    "RegisterForm",
]

NOT_YOURS = "Không có trang này, hoặc bạn không quản lý cơ quan của nó."


def managed_agency(request: HttpRequest) -> Agency:
    """The agency the page manages: ``?co-quan=`` if given (a provincial administrator's
    choice), else the person's own; one the person may not manage answers 404."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404("Tài khoản chưa gắn với cơ quan nào.")
    code = request.GET.get("co-quan", "").strip()
    agency = person.agency if not code else Agency.objects.filter(code=code).first()
    if agency is None or not can_manage_agency(request.user, agency):
        raise Http404(NOT_YOURS)
    return agency


def require_managed(request: HttpRequest, agency: Agency) -> None:
    """A URL's object (unit, person, register) of an agency the person does not manage: 404."""
    if not can_manage_agency(request.user, agency):
        raise Http404(NOT_YOURS)


def agency_query(request: HttpRequest, agency: Agency) -> str:
    """``?co-quan=...`` when the page manages another agency than the person's own, else ""."""
    person = getattr(request.user, "person", None)
    if person is not None and person.agency_id == agency.pk:
        return ""
    return "?" + urlencode({"co-quan": agency.code})


class UnitForm(forms.Form):
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    suffix = forms.CharField(
        label="Ký hiệu",
        max_length=20,
        required=False,
        help_text="Phần ký hiệu của đơn vị soạn thảo trong số, ký hiệu văn bản, ví dụ VP, TCCB.",
    )


def _roles_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label="Vai trò",
        queryset=Role.objects.order_by("name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PersonForm(forms.Form):
    """What the administrator changes of a person (the username stays)."""

    full_name = forms.CharField(label="Họ và tên", max_length=150)
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.none(), required=False, empty_label="—")
    position = forms.CharField(label="Chức vụ", max_length=150, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)
    roles = _roles_field()

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency, active=True).order_by("name")  # type: ignore[attr-defined]


class NewPersonForm(PersonForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    password = forms.CharField(
        label="Mật khẩu ban đầu",
        min_length=8,
        widget=forms.PasswordInput(render_value=True),
        help_text="Ít nhất 8 ký tự; báo cho người dùng để đăng nhập lần đầu.",
    )
    field_order = ["username", "full_name", "unit", "position", "email", "roles", "password"]


class RegisterForm(forms.Form):
    name = forms.CharField(label="Tên sổ", max_length=150)
    kind = forms.ChoiceField(label="Loại sổ", choices=Register.KIND_CHOICES)
    secret = forms.BooleanField(label="Sổ văn bản mật", required=False)
    document_types = forms.ModelMultipleChoiceField(
        label="Loại văn bản được đánh số",
        queryset=DocumentType.objects.order_by("group", "order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Để trống: sổ dùng cho mọi loại văn bản không có sổ riêng.",
    )


SEAL = "co-quan"
KEY_FILE_LIMIT = 1024 * 1024
IMAGE_LIMIT = 2 * 1024 * 1024


class RemoteAccountForm(forms.Form):
    """A person's account at a remote signing provider; the service asks the provider for
    the key's certificate and checks it is the person's."""

    person = forms.ChoiceField(label="Tài khoản của")
    service_url = forms.URLField(label="Địa chỉ dịch vụ ký số từ xa", max_length=500, assume_scheme="https")
    key_id = forms.CharField(label="Mã khóa ở nhà cung cấp", max_length=100)
    token = forms.CharField(
        label="Mã truy cập tài khoản",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Cất trên máy chủ đã mã hóa; không hiện lại.",
    )

    prefix = "tu-xa"

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(agency=agency, user__is_active=True).order_by("full_name")
        self.fields["person"].choices = [(str(p.pk), p.full_name) for p in people]  # type: ignore[attr-defined]
        self.agency = agency

    def chosen_person(self) -> Person:
        return Person.objects.get(agency=self.agency, pk=int(self.cleaned_data["person"]))


class KeyUploadForm(forms.Form):
    """A key file for a person of the agency or for its seal; the service checks the file."""

    owner = forms.ChoiceField(label="Khóa của")
    key_file = forms.FileField(label="Tệp khóa .p12", validators=[max_size(KEY_FILE_LIMIT)])
    password = forms.CharField(
        label="Mật khẩu tệp khóa",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Chỉ dùng để kiểm tra tệp; hệ thống không lưu mật khẩu.",
    )
    image = forms.FileField(label="Ảnh chữ ký hoặc con dấu (PNG)", required=False, validators=[max_size(IMAGE_LIMIT)])

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        people = Person.objects.filter(agency=agency, user__is_active=True).order_by("full_name")
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            (SEAL, f"{agency.name} (con dấu)"),
            *((str(p.pk), p.full_name) for p in people),
        ]

    def chosen_owner(self) -> Agency | Person:
        value = self.cleaned_data["owner"]
        return self.agency if value == SEAL else Person.objects.get(pk=int(value), agency=self.agency)
