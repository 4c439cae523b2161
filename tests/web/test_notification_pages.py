"""The bell in the top bar with the unread count, the list, opening one, the e-mail choice."""

import pytest
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.models import Notification, NotificationSetting
from vanban.registry.services import DraftData, RecipientData

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def submitted(office, sample_pdf):
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v tổng kết công tác năm 2026",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="a.pdf",
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )
    return services.submit(office.tuan.user, doc)


def test_the_bell_shows_the_unread_count(client, office, submitted):
    page = login(client, "minh").get(reverse("web:home")).content.decode()
    assert '<span class="count" id="unread-count">1</span>' in page
    assert 'id="unread-count"' not in login(client, "tuan").get(reverse("web:home")).content.decode()


def test_opening_a_notification_marks_it_read_and_shows_the_document(client, office, submitted):
    client = login(client, "minh")
    page = client.get(reverse("web:notifications")).content.decode()
    assert "Dự thảo chờ bạn duyệt: V/v tổng kết công tác năm 2026" in page and 'class="unread"' in page
    item = Notification.objects.get(person=office.minh)
    response = client.get(reverse("web:notification_open", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("web:outgoing", args=[submitted.pk])
    item.refresh_from_db()
    assert item.read_at is not None
    assert 'id="unread-count"' not in client.get(reverse("web:home")).content.decode()


def test_someone_elses_notification_is_not_found(client, office, submitted):
    item = Notification.objects.get(person=office.minh)
    assert login(client, "tuan").get(reverse("web:notification_open", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_all_marked_read(client, office, submitted):
    response = login(client, "minh").post(reverse("web:notification_settings"), {"all_read": "1"}, follow=True)
    assert "Đã đánh dấu 1 thông báo là đã xem." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_e_mail_cannot_be_chosen_without_an_address(client, office):
    office.minh.user.email = ""
    office.minh.user.save()
    response = login(client, "minh").post(reverse("web:notification_settings"), {"email": "1"}, follow=True)
    assert "Tài khoản chưa có địa chỉ thư điện tử" in response.content.decode()
    assert not NotificationSetting.objects.filter(email=True).exists()


def test_e_mail_chosen(client, office):
    office.minh.user.email = "minh@snv.example.gov.vn"
    office.minh.user.save()
    response = login(client, "minh").post(reverse("web:notification_settings"), {"email": "1"}, follow=True)
    assert "Đã lưu: gửi cả thư điện tử." in response.content.decode()
    assert NotificationSetting.objects.get(person=office.minh).email
