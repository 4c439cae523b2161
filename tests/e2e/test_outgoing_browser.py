"""The outgoing journey in a real browser: an officer drafts a công văn, the leader approves
and signs it, the clerk numbers, seals and issues it; the issued PDF carries two valid
signatures and the page shows its number with the leading zero."""

from pathlib import Path

import pytest

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "e2e"
pytestmark = [pytest.mark.browser]


def login(page, base, username, password):
    page.goto(base + "/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Xin chào")


def logout(page):
    page.click("text=Đăng xuất")
    page.wait_for_selector("#id_username")


def shot(page, name):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"outgoing-{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_drafts_leader_signs_clerk_numbers_seals_and_issues(live_server, browser_page, settings, tmp_path):
    from vanban.demo import seed_demo
    from vanban.registry.models import OutgoingDocument
    from vanban.signing import load_trust_roots, make_sample_pdf, validate_pdf

    settings.VAR_DIR = tmp_path / "var"
    settings.VANBAN_TRUST_ROOTS = str(tmp_path / "var" / "pki" / "root.pem")
    logins = seed_demo()
    pdf = tmp_path / "cong-van.pdf"
    pdf.write_bytes(make_sample_pdf(title="CÔNG VĂN", agency_name="ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
                                    number="Số:      /UBND-VP1", position="CHỦ TỊCH",
                                    signer_name="Trần Văn Đức").pdf)
    page, base, pw = browser_page, live_server.url, logins.password

    # the officer drafts and submits
    login(page, base, "chuyenvien.ubnd", pw)
    page.click("nav >> text='Văn bản đi'")
    page.click("#new-draft")
    page.fill("#id_subject", "V/v triển khai gửi nhận văn bản điện tử trên trục liên thông tỉnh")
    page.select_option("#id_document_type", label="Công văn")
    page.set_input_files("#id_main_file", str(pdf))
    page.check("#id_units label:has-text('Phòng Kinh tế') input")
    page.fill("#agency-search", "so noi vu")
    page.wait_for_selector("#agency-options button")
    page.click("#agency-options button:has-text('Sở Nội vụ')")
    assert "000.00.02.H49" in page.input_value("#id_agency_codes")
    shot(page, "1-draft-form")
    page.click("button:has-text('Tạo dự thảo')")
    page.wait_for_selector("text=Đã tạo dự thảo.")
    page.click("button:has-text('Trình duyệt')")
    page.wait_for_selector("#state:has-text('Đang trình duyệt')")
    doc_url = page.url
    logout(page)

    # the leader approves and signs with the key kept on the server
    login(page, base, "lanhdao.ubnd", pw)
    page.goto(doc_url)
    page.click("button:has-text('Duyệt')")
    page.wait_for_selector("#state:has-text('Đã duyệt')")
    page.click("#sign-form button[type=submit]")
    page.wait_for_selector("text=Đã ký số văn bản.")
    assert "hợp lệ" in page.inner_text("#validation")
    shot(page, "2-signed")
    logout(page)

    # the clerk numbers, seals and issues
    login(page, base, "vanthu.ubnd", pw)
    page.goto(doc_url)
    page.click("button:has-text('Cấp số, vào sổ')")
    page.wait_for_selector("h1:has-text('Số: 01/UBND-VP1')")
    page.click("#seal-form button[type=submit]")
    page.wait_for_selector("text=Đã ký số của cơ quan")
    page.click("button:has-text('Phát hành')")
    page.wait_for_selector("#state:has-text('Đã phát hành')")
    assert page.inner_text("h1") == "Số: 01/UBND-VP1"
    recipients = page.inner_text("#recipients")
    assert "Phòng Kinh tế" in recipients and "Đã chuyển" in recipients
    assert "Sở Nội vụ" in recipients and "Đang gửi qua trục" in recipients
    validation = page.inner_text("#validation")
    assert "Chữ ký số người ký: Trần Văn Đức" in validation and "Chữ ký số cơ quan" in validation
    shot(page, "3-issued")

    page.click("nav >> text='Sổ văn bản đi'")
    assert "01/UBND-VP1" in page.inner_text("#register")
    shot(page, "4-register")

    doc = OutgoingDocument.objects.get()
    result = validate_pdf(doc.signed_file.read(), load_trust_roots([settings.VANBAN_TRUST_ROOTS]))
    assert result.valid and [s.kind for s in result.signatures] == ["person", "agency"]
