"""The agency administrator's pages (/quan-tri-co-quan/): units, people and registers of
the administrator's own agency (Phạm Văn Sơn, Sở KH&CN); the provincial administrator
(Đỗ Minh Khoa) may manage any agency; another agency's administrator and a person who is
no administrator are answered 404."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from vanban.audit.models import AuditEvent
from vanban.directory.models import Person, Unit
from vanban.registry import services as registry
from vanban.registry.models import Register

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
SNV = "000.00.02.H99"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def signs_in(username: str, password: str) -> bool:
    """Through the sign-in page, as the person would (302 home, else the form again)."""
    answer = Client().post(reverse("login"), {"username": username, "password": password})
    return answer.status_code == 302


def _roles(username: str) -> set[str]:
    return set(Person.objects.get(user__username=username).roles.values_list("code", flat=True))


def test_the_admin_adds_a_unit_and_renames_it(client, personas):
    page = login(client, "son").post(
        reverse("web:agency_units"), {"name": "Phòng Kế hoạch – Tài chính", "suffix": "KHTC"}, follow=True
    )
    assert "Đã thêm đơn vị “Phòng Kế hoạch – Tài chính”." in page.content.decode()
    unit = Unit.objects.get(agency=personas.so_khcn, name="Phòng Kế hoạch – Tài chính")
    assert unit.suffix == "KHTC"
    page = client.post(
        reverse("web:agency_unit", args=[unit.pk]), {"name": "Phòng Kế hoạch", "suffix": "KH", "hanh-dong": "luu"}
    )
    assert page.status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.suffix) == ("Phòng Kế hoạch", "KH")
    assert list(
        AuditEvent.objects.filter(object_id=str(unit.pk), action__startswith="directory.unit")
        .order_by("seq")
        .values_list("action", "actor_username")
    ) == [("directory.unit.created", "son"), ("directory.unit.updated", "son")]


def test_a_duplicate_unit_suffix_is_refused_and_the_form_keeps_it(client, personas):
    page = login(client, "son").post(reverse("web:agency_units"), {"name": "Phòng mới", "suffix": "CĐS"})
    text = page.content.decode()
    assert page.status_code == 200 and '<div class="error" role="alert">' in text
    assert 'value="Phòng mới"' in text
    assert not Unit.objects.filter(name="Phòng mới").exists()


def test_the_admin_puts_a_unit_out_of_use(client, personas):
    unit = personas.hoa.unit
    page = login(client, "son").post(reverse("web:agency_unit", args=[unit.pk]), {"hanh-dong": "ngung"}, follow=True)
    assert f"Đã ngừng dùng đơn vị “{unit.name}”." in page.content.decode()
    unit.refresh_from_db()
    assert not unit.active


def test_the_admin_adds_a_person_who_signs_in_with_the_given_password_and_roles(client, personas):
    unit = personas.hoa.unit
    page = login(client, "son").post(
        reverse("web:agency_person_new"),
        {
            "username": "binh",
            "full_name": "Trịnh Văn Bình",
            "unit": unit.pk,
            "position": "Văn thư",
            "email": "binh@skhcn.example.vn",
            "roles": ["van-thu", "chuyen-vien"],
            "password": "mat-khau-ban-dau-1",
        },
        follow=True,
    )
    text = page.content.decode()
    assert "Đã thêm người dùng Trịnh Văn Bình (binh)." in text
    assert "binh@skhcn.example.vn" in text  # the list shows them
    binh = Person.objects.get(user__username="binh")
    assert (binh.agency, binh.unit, binh.position) == (personas.so_khcn, unit, "Văn thư")
    assert _roles("binh") == {"van-thu", "chuyen-vien"}
    assert signs_in("binh", "mat-khau-ban-dau-1")
    event = AuditEvent.objects.filter(action="directory.person.created").order_by("-seq").first()
    assert (event.actor_username, event.after["username"]) == ("son", "binh")


def test_a_taken_username_is_refused_and_the_form_keeps_what_was_typed(client, personas):
    page = login(client, "son").post(
        reverse("web:agency_person_new"),
        {"username": "hoa", "full_name": "Lê Thị Hoa Hai", "password": "mat-khau-ban-dau-1"},
    )
    text = page.content.decode()
    assert "Tên đăng nhập hoa đã tồn tại." in text and 'value="Lê Thị Hoa Hai"' in text
    assert Person.objects.filter(user__username="hoa").count() == 1


def test_the_admin_changes_a_persons_roles_and_position(client, personas):
    hoa = personas.hoa
    page = login(client, "son").post(
        reverse("web:agency_person", args=[hoa.pk]),
        {
            "full_name": hoa.full_name,
            "unit": hoa.unit_id,
            "position": "Phó Trưởng phòng",
            "email": "hoa@skhcn.example.vn",
            "roles": ["chuyen-vien", "van-thu"],
        },
        follow=True,
    )
    assert f"Đã lưu người dùng {hoa.full_name}." in page.content.decode()
    assert _roles("hoa") == {"chuyen-vien", "van-thu"}
    hoa.refresh_from_db()
    assert (hoa.position, hoa.user.email) == ("Phó Trưởng phòng", "hoa@skhcn.example.vn")
    event = AuditEvent.objects.filter(action="directory.person.updated").order_by("-seq").first()
    assert sorted(event.before["roles"]) != sorted(event.after["roles"])


def test_a_closed_account_cannot_sign_in_until_opened_again(client, personas):
    hoa = personas.hoa
    page = login(client, "son").post(reverse("web:agency_person_action", args=[hoa.pk, "khoa"]), follow=True)
    assert f"Đã khóa tài khoản của {hoa.full_name}." in page.content.decode()
    assert not signs_in("hoa", PASSWORD)
    client.post(reverse("web:agency_person_action", args=[hoa.pk, "mo-khoa"]))
    assert signs_in("hoa", PASSWORD)


def test_the_admin_gives_a_new_password(client, personas):
    hoa = personas.hoa
    login(client, "son").post(
        reverse("web:agency_person_action", args=[hoa.pk, "dat-mat-khau"]), {"password": "mat-khau-moi-2026"}
    )
    assert signs_in("hoa", "mat-khau-moi-2026") and not signs_in("hoa", PASSWORD)
    page = client.post(
        reverse("web:agency_person_action", args=[hoa.pk, "dat-mat-khau"]), {"password": "ngan"}, follow=True
    )
    assert "Mật khẩu phải có ít nhất 8 ký tự." in page.content.decode()


def test_the_admin_cannot_close_their_own_account(client, personas):
    son = personas.son
    page = login(client, "son").post(reverse("web:agency_person_action", args=[son.pk, "khoa"]), follow=True)
    assert "Bạn không thể tự khóa tài khoản của chính mình." in page.content.decode()
    assert get_user_model().objects.get(username="son").is_active


def test_the_admin_cannot_remove_their_own_admin_role(client, personas):
    son = personas.son
    page = login(client, "son").post(
        reverse("web:agency_person", args=[son.pk]),
        {"full_name": son.full_name, "position": "Chuyên viên CNTT", "roles": ["chuyen-vien"]},
    )
    text = page.content.decode()
    assert "Bạn không thể tự bỏ vai trò quản trị của chính mình" in text and 'value="Chuyên viên CNTT"' in text
    assert _roles("son") == {"quan-tri-co-quan"}
    son.refresh_from_db()
    assert son.position == "Quản trị hệ thống"  # nothing of the refused change was kept


def test_an_agency_admin_cannot_make_a_provincial_admin(client, personas):
    hoa = personas.hoa
    page = login(client, "son").post(
        reverse("web:agency_person", args=[hoa.pk]), {"full_name": hoa.full_name, "roles": ["quan-tri-tinh"]}
    )
    assert "Chỉ quản trị tỉnh giao hoặc thu hồi vai trò quản trị tỉnh." in page.content.decode()
    assert _roles("hoa") == {"chuyen-vien"}


def test_another_agencys_admin_gets_404_and_nothing_changes(client, personas):
    tuan = personas.tuan  # Sở Nội vụ
    login(client, "son")
    assert client.get(reverse("web:agency_person", args=[tuan.pk])).status_code == 404
    assert client.post(reverse("web:agency_person_action", args=[tuan.pk, "khoa"])).status_code == 404
    assert client.get(reverse("web:agency_unit", args=[tuan.unit_id])).status_code == 404
    assert client.get(reverse("web:agency_people") + f"?co-quan={SNV}").status_code == 404
    assert get_user_model().objects.get(username="tuan").is_active
    assert "Vũ Anh Tuấn" not in client.get(reverse("web:agency_people")).content.decode()


def test_a_person_who_is_no_admin_gets_404_and_no_menu_link(client, personas):
    login(client, "hoa")
    page = client.get(reverse("web:agency_people"))
    assert page.status_code == 404 and "Chỉ quản trị cơ quan và quản trị tỉnh" in page.content.decode()
    assert client.post(reverse("web:agency_person_action", args=[personas.son.pk, "khoa"])).status_code == 404
    assert 'id="agency-admin-link"' not in client.get(reverse("web:home")).content.decode()
    assert 'id="agency-admin-link"' in login(client, "son").get(reverse("web:home")).content.decode()


def test_the_provincial_admin_manages_another_agencys_people(client, personas):
    tuan = personas.tuan
    page = login(client, "khoa").get(reverse("web:agency_people") + f"?co-quan={SNV}")
    assert page.status_code == 200 and "Vũ Anh Tuấn" in page.content.decode()
    client.post(reverse("web:agency_person_action", args=[tuan.pk, "khoa"]))
    assert not signs_in("tuan", PASSWORD)


def test_the_admin_adds_a_register_and_puts_one_out_of_use(client, office):
    from vanban.directory.models import DocumentType

    decision = DocumentType.objects.get(code="quyet-dinh")
    page = login(client, "son").post(
        reverse("web:agency_registers"),
        {"name": "Sổ quyết định", "kind": "di", "document_types": [decision.pk]},
        follow=True,
    )
    text = page.content.decode()
    assert "Đã thêm sổ “Sổ quyết định”." in text and "Quyết định" in text
    register = Register.objects.get(agency=office.so_khcn, name="Sổ quyết định")
    assert (register.kind, register.secret, list(register.document_types.all())) == ("di", False, [decision])
    assert AuditEvent.objects.filter(action="registry.register.created", object_id=str(register.pk)).exists()
    again = client.post(reverse("web:agency_registers"), {"name": "Sổ quyết định", "kind": "di"})
    assert "Cơ quan đã có sổ “Sổ quyết định” cùng loại." in again.content.decode()
    client.post(reverse("web:agency_register_action", args=[register.pk, "ngung"]))
    register.refresh_from_db()
    assert not register.active


def test_the_register_list_shows_this_years_last_number(client, office):
    outgoing = Register.objects.get(agency=office.so_noi_vu, kind="di", secret=False)
    registry.reserve_numbers(office.lan.user, outgoing, 2, "Giữ số cho hội nghị")
    page = login(client, "khoa").get(reverse("web:agency_registers") + f"?co-quan={SNV}")
    text = page.content.decode()
    assert page.status_code == 200 and "Sổ văn bản đi" in text and "<td>02</td>" in text
    assert (
        login(client, "son").post(reverse("web:agency_register_action", args=[outgoing.pk, "ngung"])).status_code == 404
    )


def test_the_keys_page_names_whose_keys_are_registered(client, office):
    page = login(client, "khoa").get(reverse("web:agency_keys") + f"?co-quan={SNV}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sở Nội vụ (con dấu)" in text and "Trần Quang Minh" in text and "Vũ Anh Tuấn" in text
    assert "Tệp khóa" in text and "Hiệu lực từ" in text
    own = login(client, "son").get(reverse("web:agency_keys")).content.decode()
    assert "Cơ quan chưa đăng ký khóa ký số nào." in own and "Trần Quang Minh" not in own


def test_the_delegations_page_lists_the_agencys_delegations(client, office):
    import datetime as dt

    from django.utils import timezone

    from vanban.registry.services.followup import delegate

    today = timezone.localdate()
    delegate(office.minh.user, office.tuan, "phan-cong", today, today + dt.timedelta(days=7))
    page = login(client, "khoa").get(reverse("web:agency_delegations") + f"?co-quan={SNV}")
    text = page.content.decode()
    assert "Trần Quang Minh" in text and "Vũ Anh Tuấn" in text and "Đang hiệu lực" in text
    assert today.strftime("%d/%m/%Y") in text
    assert "Chưa có ủy quyền nào." in login(client, "son").get(reverse("web:agency_delegations")).content.decode()


KEY_PASSWORD = b"mat-khau-tep-khoa"


@pytest.fixture
def pki(tmp_path, settings):
    from vanban.signing import TestPKI

    settings.VAR_DIR = tmp_path / "var"  # the kept key files and the key-encryption key
    ca = TestPKI.create(tmp_path / "ca")
    settings.VANBAN_TRUST_ROOTS = str(tmp_path / "ca" / "root.pem")
    return ca


def _upload(client, owner, data: bytes, password: bytes = KEY_PASSWORD):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("web:agency_keys"),
        {"owner": owner, "key_file": SimpleUploadedFile("khoa.p12", data), "password": password.decode()},
        follow=True,
    )


def test_the_admin_registers_a_key_file_the_person_then_signs_with(client, personas, pki):
    from vanban.registry.keys import person_signer
    from vanban.registry.models import SigningKey

    hoa = personas.hoa
    issued = pki.issue_person("Lê Thị Hoa", "000.00.03.H99", "Sở Khoa học và Công nghệ", "", "ec-p256")
    page = _upload(login(client, "son"), str(hoa.pk), issued.to_pkcs12(KEY_PASSWORD))
    text = page.content.decode()
    assert "Đã đăng ký khóa ký số của Lê Thị Hoa." in text and "Tệp khóa" in text
    key = SigningKey.objects.get(person=hoa, active=True)
    assert KEY_PASSWORD not in open(key.path, "rb").read()  # kept sealed, the password nowhere
    assert person_signer(hoa, password=KEY_PASSWORD).certificate == issued.cert
    event = AuditEvent.objects.filter(action="registry.key.registered").get()
    assert event.actor_username == "son" and "mat-khau" not in str(event.after)


def test_a_key_of_another_agency_or_person_or_a_wrong_password_is_refused(client, personas, pki):
    from vanban.registry.models import SigningKey

    hoa = personas.hoa
    login(client, "son")
    other_agency = pki.issue_person("Lê Thị Hoa", "000.00.02.H99", "Sở Nội vụ", "", "ec-p256")
    assert (
        "không thuộc cơ quan 000.00.03.H99"
        in _upload(client, str(hoa.pk), other_agency.to_pkcs12(KEY_PASSWORD)).content.decode()
    )
    someone_else = pki.issue_person("Phạm Văn Sơn", "000.00.03.H99", "Sở Khoa học và Công nghệ", "", "ec-p256")
    text = _upload(client, str(hoa.pk), someone_else.to_pkcs12(KEY_PASSWORD)).content.decode()
    assert "Chứng thư số này cấp cho Phạm Văn Sơn, không phải của Lê Thị Hoa." in text
    mine = pki.issue_person("Lê Thị Hoa", "000.00.03.H99", "Sở Khoa học và Công nghệ", "", "ec-p256")
    page = _upload(client, str(hoa.pk), mine.to_pkcs12(KEY_PASSWORD), b"sai-mat-khau")
    assert page.status_code == 200 and '<div class="error" role="alert">' in page.content.decode()
    assert not SigningKey.objects.filter(person=hoa).exists()
    assert not AuditEvent.objects.filter(action="registry.key.registered").exists()


def test_the_admin_registers_the_agency_seal(client, personas, pki):
    from vanban.registry.models import SigningKey

    seal = pki.issue_agency("000.00.03.H99", "Sở Khoa học và Công nghệ")
    page = _upload(login(client, "son"), "co-quan", seal.to_pkcs12(KEY_PASSWORD))
    assert "Đã đăng ký khóa ký số của Sở Khoa học và Công nghệ (con dấu)." in page.content.decode()
    assert SigningKey.objects.filter(agency=personas.so_khcn, active=True).count() == 1
