"""Remote signing over real HTTP on 127.0.0.1 against the reference service."""

from __future__ import annotations

import threading
import time
import urllib.request

import pytest

from vanban.signing import RemoteSigner, RemoteSigningService, SigningError, seal_pdf, sign_pdf, validate_pdf


@pytest.fixture(scope="module")
def service(chairman, dept):
    with RemoteSigningService({"chu-tich": chairman, "so-noi-vu": dept}, token="bi-mat") as svc:
        yield svc


def test_remote_sign_and_seal(service, sample, signature_png, seal_png, roots) -> None:
    before = service.requests_signed
    out = sign_pdf(
        sample.pdf, RemoteSigner(service.url, "chu-tich", token="bi-mat"), image=signature_png, box=sample.signature_box
    )
    out = seal_pdf(out, RemoteSigner(service.url, "so-noi-vu", token="bi-mat"), seal_image=seal_png)
    result = validate_pdf(out, roots)
    assert result.verdict == "valid", result.report_vi()
    assert service.requests_signed == before + 2  # one digest per signature, no document


def test_remote_bad_token_unknown_key_and_down_service(service) -> None:
    with pytest.raises(SigningError) as err:
        RemoteSigner(service.url, "chu-tich", token="sai")
    assert err.value.code == "remote_unauthorized" and not err.value.retryable
    with pytest.raises(SigningError) as err:
        RemoteSigner(service.url, "khong-co", token="bi-mat")
    assert err.value.code == "remote_unknown_key"
    with pytest.raises(SigningError) as err:
        RemoteSigner("http://127.0.0.1:9", "chu-tich", timeout=2)
    assert err.value.code == "remote_unreachable" and err.value.retryable


def _phone(service: RemoteSigningService, answer: str) -> threading.Thread:
    """The person's phone: waits for the request to show up, then approves or refuses it
    over the provider's HTTP endpoint."""

    def run() -> None:
        for _ in range(200):
            waiting = service.pending()
            if waiting:
                req = urllib.request.Request(
                    f"{service.url}/v1/requests/{waiting[0]}/{answer}",
                    data=b"",
                    method="POST",
                    headers={"Authorization": "Bearer bi-mat"},
                )
                urllib.request.urlopen(req, timeout=10).read()
                return
            time.sleep(0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def approving(chairman):
    with RemoteSigningService({"chu-tich": chairman}, token="bi-mat", approval=True) as svc:
        yield svc


def test_the_signature_waits_for_the_approval_on_the_phone(approving, sample, roots) -> None:
    signer = RemoteSigner(approving.url, "chu-tich", token="bi-mat", poll_interval=0.05)
    phone = _phone(approving, "approve")
    out = sign_pdf(sample.pdf, signer)
    phone.join(5)
    assert validate_pdf(out, roots).verdict == "valid"
    assert approving.requests_signed == 1 and approving.pending() == []


def test_a_refusal_on_the_phone_signs_nothing(approving, sample) -> None:
    signer = RemoteSigner(approving.url, "chu-tich", token="bi-mat", poll_interval=0.05)
    phone = _phone(approving, "deny")
    with pytest.raises(SigningError) as err:
        sign_pdf(sample.pdf, signer)
    phone.join(5)
    assert err.value.code == "remote_denied" and approving.requests_signed == 0


def test_no_approval_in_time_is_a_retryable_refusal(approving, sample) -> None:
    signer = RemoteSigner(approving.url, "chu-tich", token="bi-mat", poll_interval=0.05, approval_timeout=0.3)
    with pytest.raises(SigningError) as err:
        sign_pdf(sample.pdf, signer)
    assert err.value.code == "remote_approval_timeout" and err.value.retryable
