"""The local signing agent over real HTTP on 127.0.0.1 with a SoftHSM2 token: the test plays
the page (its Origin, the pairing code) and the server (prepare, save, resume, embed)."""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Iterator

import pytest

from testkit.softhsm import SOFTHSM_MODULE, softhsm_token
from vanban.signagent import AgentConfig, SigningAgent, TokenKey
from vanban.signing import PreparedSignature, SigningError, prepare_signature, validate_pdf
from vanban.signing.pki import IssuedCertificate

PIN = "246802"
SITE = "https://vanban.thu-nghiem.gov.vn"
PAIRING = "135790"


@pytest.fixture(scope="module")
def token(tmp_path_factory, chairman, pki) -> Iterator[str]:
    with softhsm_token(
        tmp_path_factory.mktemp("agent-token"), "token-chu-tich", PIN, [(chairman, "chu-tich")], pki.root_cert
    ) as label:
        yield label


class PinPad:
    """The person typing the PIN: counts how often they were asked."""

    def __init__(self, pin: str = PIN) -> None:
        self.pin, self.asked, self.counts = pin, 0, []

    def __call__(self, count: int) -> str:
        self.asked += 1
        self.counts.append(count)
        return self.pin


@pytest.fixture
def pinpad() -> PinPad:
    return PinPad()


@pytest.fixture
def agent(token, pinpad) -> Iterator[SigningAgent]:
    config = AgentConfig(TokenKey(SOFTHSM_MODULE, token, "chu-tich"), (SITE,), pinpad, pairing_code=PAIRING, port=0)
    with SigningAgent(config) as running:
        yield running


def ask(agent: SigningAgent, method: str, path: str, body: object = None, **headers: str) -> tuple[int, dict, dict]:
    port = int(agent.url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    head = {"Origin": SITE, "X-Vanban-Agent": PAIRING, **{k.replace("_", "-"): v for k, v in headers.items()}}
    raw = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    if raw is not None:
        head["Content-Type"] = "application/json"
    conn.request(method, path, body=raw, headers=head)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, (json.loads(data) if data else {}), dict(resp.getheaders())


def _pem_certs(reply: dict):
    from cryptography import x509

    return (
        x509.load_pem_x509_certificate(reply["certificate"].encode()),
        [x509.load_pem_x509_certificate(p.encode()) for p in reply["chain"]],
    )


def test_the_token_signs_the_prepared_digest_and_the_pdf_names_the_signer(
    agent, pinpad, sample, signature_png, roots
) -> None:
    status, reply, headers = ask(agent, "GET", "/v1/certificate")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == SITE
    cert, chain = _pem_certs(reply)
    prepared = prepare_signature(
        sample.pdf, cert, chain, image=signature_png, box=sample.signature_box, signature_size=256
    )
    saved = prepared.to_bytes()  # the server keeps it between the page's two requests
    digest = base64.b64encode(prepared.digest_to_sign).decode()
    status, reply, _ = ask(agent, "POST", "/v1/sign", {"digest_algorithm": "sha256", "digests": [digest]})
    assert status == 200, reply
    value = base64.b64decode(reply["signatures"][0])
    resumed = PreparedSignature.from_bytes(saved)
    resumed.check_value(value)
    result = validate_pdf(resumed.embed(value), roots)
    assert result.verdict == "valid", result.report_vi()
    assert result.signatures[0].signer_name == "Nguyễn Văn An"
    assert pinpad.asked == 1


def test_a_batch_of_digests_takes_one_pin(agent, pinpad) -> None:
    digests = [base64.b64encode(bytes([n]) * 32).decode() for n in range(5)]
    status, reply, _ = ask(agent, "POST", "/v1/sign", {"digest_algorithm": "sha256", "digests": digests})
    assert status == 200 and len(reply["signatures"]) == 5
    assert pinpad.counts == [5]  # asked once, told how many


def test_another_site_gets_no_answer_it_can_read(agent, pinpad) -> None:
    status, reply, headers = ask(agent, "GET", "/v1/certificate", Origin="https://ke-gian.example")
    assert (status, reply["error"]) == (403, "bad_origin")
    assert "Access-Control-Allow-Origin" not in headers
    status, reply, _ = ask(agent, "POST", "/v1/sign", {"digest_algorithm": "sha256", "digests": []}, Origin="null")
    assert status == 403 and pinpad.asked == 0


def test_the_preflight_allows_only_the_server_site(agent) -> None:
    status, _, headers = ask(agent, "OPTIONS", "/v1/sign")
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == SITE
    assert "X-Vanban-Agent" in headers["Access-Control-Allow-Headers"]
    status, _, headers = ask(agent, "OPTIONS", "/v1/sign", Origin="https://ke-gian.example")
    assert status == 403 and "Access-Control-Allow-Origin" not in headers


def test_without_the_pairing_code_nothing_is_signed(agent, pinpad) -> None:
    digest = base64.b64encode(b"\0" * 32).decode()
    status, reply, _ = ask(
        agent, "POST", "/v1/sign", {"digest_algorithm": "sha256", "digests": [digest]}, X_Vanban_Agent="000000"
    )
    assert (status, reply["error"]) == (401, "pairing_required")
    assert "mã ghép nối" in reply["message"]
    assert pinpad.asked == 0


def test_a_rebound_host_name_is_refused(agent) -> None:
    status, reply, _ = ask(agent, "GET", "/v1/certificate", Host="ke-gian.example:8765")
    assert (status, reply["error"]) == (421, "bad_host")


def test_a_large_body_is_refused_unread(agent, pinpad) -> None:
    status, reply, _ = ask(agent, "POST", "/v1/sign", b"{" + b" " * (70 * 1024) + b"}")
    assert (status, reply["error"]) == (413, "too_large")
    assert pinpad.asked == 0


def test_a_wrong_pin_is_a_clear_refusal(token) -> None:
    config = AgentConfig(
        TokenKey(SOFTHSM_MODULE, token, "chu-tich"), (SITE,), PinPad("000000"), pairing_code=PAIRING, port=0
    )
    with SigningAgent(config) as agent:
        digest = base64.b64encode(b"\1" * 32).decode()
        status, reply, _ = ask(agent, "POST", "/v1/sign", {"digest_algorithm": "sha256", "digests": [digest]})
    assert (status, reply["error"]) == (409, "pkcs11_login")
    assert "sai mã PIN" in reply["message"]


def test_a_value_from_another_key_is_not_embedded(sample, chairman: IssuedCertificate, vice_chair) -> None:
    from vanban.signing import KeyFileSigner

    prepared = prepare_signature(sample.pdf, chairman.cert, chairman.chain)
    other = KeyFileSigner(vice_chair).sign_digest(prepared.digest_to_sign, "sha256")
    with pytest.raises(SigningError) as err:
        prepared.check_value(other)
    assert err.value.code == "signature_mismatch"
