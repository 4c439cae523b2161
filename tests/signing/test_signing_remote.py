"""Remote signing over real HTTP on 127.0.0.1 against the reference service."""

from __future__ import annotations

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
