"""The outgoing journey in a real browser: an officer drafts a công văn, the leader approves
and signs it, the clerk numbers, seals and issues it; the issued PDF carries two valid
signatures and the page shows its number with the leading zero."""

import pytest

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_drafts_leader_signs_clerk_numbers_seals_and_issues(
    live_server, journey_factory, cong_van_pdf, settings, tmp_path
):
    from vanban.demo import seed_demo
    from vanban.registry.models import OutgoingDocument
    from vanban.signing import load_trust_roots, validate_pdf

    settings.VAR_DIR = tmp_path / "var"
    settings.VANBAN_TRUST_ROOTS = str(tmp_path / "var" / "pki" / "root.pem")
    logins = seed_demo()
    j = journey_factory(live_server.url, logins.password, "outgoing")
    url = j.draft_and_submit(
        cong_van_pdf,
        "V/v triển khai gửi nhận văn bản điện tử trên trục liên thông tỉnh",
        unit="Phòng Kinh tế",
        agency_query="so noi vu",
        agency_name="Sở Nội vụ",
    )
    j.approve_and_sign(url)
    j.number_seal_issue(url)
    page = j.page
    assert page.inner_text("h1") == "Số: 01/UBND-VP1"
    recipients = page.inner_text("#recipients")
    assert "Phòng Kinh tế" in recipients and "Đã chuyển" in recipients
    assert "Sở Nội vụ" in recipients and "Đang gửi qua trục" in recipients
    validation = page.inner_text("#validation")
    assert "Chữ ký số người ký: Trần Văn Đức" in validation and "Chữ ký số cơ quan" in validation

    page.click("nav >> text='Sổ đi'")
    assert "01/UBND-VP1" in page.inner_text("#register")
    j.shot("4-register")

    doc = OutgoingDocument.objects.get()
    result = validate_pdf(doc.signed_file.read(), load_trust_roots([settings.VANBAN_TRUST_ROOTS]))
    assert result.valid and [s.kind for s in result.signatures] == ["person", "agency"]
