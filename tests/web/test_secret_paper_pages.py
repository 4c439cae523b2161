"""Secret ("Mật") documents on the pages: the paper-only notice at drafting (the directory's
secrecy levels say which may not go electronically) and one clear "Gửi bản giấy" at issue."""

import re

import pytest
from django.urls import reverse

from vanban.directory.models import DocumentType, SecrecyLevel
from vanban.registry import services
from vanban.registry.services import DraftData, RecipientData

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def secret_draft(office, sample_pdf):
    return services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v phương án bảo vệ bí mật nhà nước",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="du-thao.pdf",
            secrecy=SecrecyLevel.objects.get(code="mat"),
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )


def test_the_draft_form_marks_the_levels_that_go_on_paper_only(client, office):
    page = login(client, "tuan").get(reverse("web:outgoing_new")).content.decode()
    paper_only = {str(pk) for pk in SecrecyLevel.objects.filter(electronic_allowed=False).values_list("pk", flat=True)}
    marked = re.search(r'data-paper-only="([^"]*)"', page).group(1)
    assert set(marked.split(",")) == paper_only and str(SecrecyLevel.objects.get(code="mat").pk) in paper_only
    assert re.search(r'<div class="notice" id="paper-only" hidden>', page)


def test_choosing_mat_shows_the_paper_only_notice_on_the_form(client, office):
    mat = SecrecyLevel.objects.get(code="mat")
    page = login(client, "tuan").post(reverse("web:outgoing_new"), {"subject": "X", "secrecy": mat.pk})
    html = page.content.decode()
    assert page.status_code == 200 and '<div class="notice" id="paper-only">' in html
    assert "chỉ gửi bản giấy" in html


def test_a_secret_drafts_page_says_it_goes_on_paper(client, office, sample_pdf):
    doc = secret_draft(office, sample_pdf)
    page = login(client, "tuan").get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    assert "Văn bản có độ mật “Mật” không được gửi qua mạng: khi phát hành chỉ gửi bản giấy." in page


def test_an_issued_secret_document_reads_gui_ban_giay_once(client, office, sample_pdf):
    doc = secret_draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    services.sign_document(office.minh.user, doc)
    services.number_document(office.lan.user, doc)
    services.seal_document(office.lan.user, doc)
    services.issue(office.lan.user, doc)
    page = login(client, "lan").get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    assert '<span class="state state-ban-giay" id="state">Gửi bản giấy</span>' in page
    assert "state-da-phat-hanh" not in page and "Gửi bản giấy – Gửi bản giấy" not in page
    assert page.count('id="paper-issue"') == 1 and "Gửi kèm bản giấy" not in page
