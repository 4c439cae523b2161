"""Signing with a USB token in a real browser: Debian's Chromium runs the page's script
(static/web/tokensign.js) against the local signing agent on 127.0.0.1 with a SoftHSM2 token
holding the leader's key; the document is signed, the page says so and shows the leader's
valid signature; a batch of two takes one PIN."""

from __future__ import annotations

import pytest

from testkit.softhsm import SOFTHSM_MODULE, softhsm_token

pytestmark = [pytest.mark.browser]
PASSWORD = "mat-khau-thu-nghiem-2026"
PIN = "556677"
PAIRING = "808080"


class PinPad:
    def __init__(self) -> None:
        self.asked, self.counts = 0, []

    def __call__(self, count: int) -> str:
        self.asked += 1
        self.counts.append(count)
        return PIN


@pytest.fixture
def agent_for(tmp_path, registry_pki, live_server, settings):
    """The leader's token and the agent answering the live server's pages (its address
    allowed by the page's Content-Security-Policy)."""
    from vanban.signagent import AgentConfig, SigningAgent, TokenKey
    from vanban.signing import load_pkcs12

    minh = load_pkcs12(registry_pki.files["minh"][0])
    pinpad = PinPad()
    with softhsm_token(tmp_path / "token", "token-minh", PIN, [(minh, "minh")]) as label:
        config = AgentConfig(TokenKey(SOFTHSM_MODULE, label, "minh"), (live_server.url,), pinpad, PAIRING, port=0)
        with SigningAgent(config) as agent:
            settings.VANBAN_SIGNING_AGENT_URL = agent.url
            policy = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
            policy["connect-src"] = ["'self'", agent.url]
            settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": policy}
            yield pinpad


def _approved(office, pdf: bytes):
    from tests.registry.test_outgoing_flow import draft
    from vanban.registry import services

    doc = draft(office, pdf)
    services.submit(office.tuan.user, doc)
    return services.approve(office.minh.user, doc)


def _login(page, base: str) -> None:
    page.goto(base + "/dang-nhap/")
    page.fill("#id_username", "minh")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Xin chào")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_leader_signs_with_the_usb_token_in_chromium(live_server, browser_page, office, sample_pdf, agent_for):
    from tests.e2e.conftest import OUTPUT
    from vanban.registry.models import OutgoingDocument

    doc = _approved(office, sample_pdf)
    page = browser_page
    _login(page, live_server.url)
    page.goto(f"{live_server.url}/van-ban-di/{doc.pk}/")
    page.fill("#token-pairing", PAIRING)
    page.click("#token-sign-button")
    page.wait_for_selector("text=Đã ký số văn bản.", timeout=30000)
    validation = page.inner_text("#validation")
    assert "hợp lệ" in validation and "Trần Quang Minh" in validation
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "token-signed.png"), full_page=True)
    assert OutgoingDocument.objects.get(pk=doc.pk).state == "da-ky"
    assert agent_for.asked == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_batch_signed_with_the_token_takes_one_pin_in_chromium(
    live_server, browser_page, office, sample_pdf, agent_for
):
    from vanban.registry.models import OutgoingDocument

    docs = [_approved(office, sample_pdf) for _ in range(2)]
    page = browser_page
    _login(page, live_server.url)
    page.evaluate(f"localStorage.setItem('vanban-signing-agent-pairing', '{PAIRING}')")  # paired before
    page.goto(f"{live_server.url}/van-ban-di/ky-hang-loat/")
    for d in docs:
        page.check(f"#vb-{d.pk}")
    page.click("#token-sign-button")
    page.wait_for_selector("text=Đã ký số 2 văn bản.", timeout=30000)
    assert {d.state for d in OutgoingDocument.objects.all()} == {"da-ky"}
    assert agent_for.counts == [2]
