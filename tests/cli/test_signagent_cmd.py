"""``vanban signing-agent`` as the person runs it: a real process on 127.0.0.1 with a SoftHSM2
token, the PIN from an environment variable (never printed), the pairing code on its output."""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import subprocess
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

from testkit.softhsm import SOFTHSM_MODULE, softhsm_token
from vanban.signing import TestPKI

PIN = "975310"
SITE = "https://vanban.thu-nghiem.gov.vn"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_agent_process_signs_for_the_paired_page_and_never_shows_the_pin(tmp_path) -> None:
    pki = TestPKI.create(None)
    leader = pki.issue_person("Trần Quang Minh", "000.00.02.H99", "Sở Nội vụ", "Giám đốc", "ec-p256")
    port = _free_port()
    with softhsm_token(tmp_path / "token", "token-minh", PIN, [(leader, "minh")], pki.root_cert) as label:
        env = {**os.environ, "VANBAN_TEST_PIN": PIN}
        args = ["--origin", SITE, "--module", SOFTHSM_MODULE, "--token", label, "--key", "minh", "--port", str(port)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "vanban.cli", "signing-agent", *args, "--pin-env", "VANBAN_TEST_PIN"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            assert proc.stdout is not None
            started = proc.stdout.readline()
            pairing = proc.stdout.readline().strip().rsplit(" ", 1)[1]
            assert f"127.0.0.1:{port}" in started
            digest = b"\x42" * 32
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            body = json.dumps({"digest_algorithm": "sha256", "digests": [base64.b64encode(digest).decode()]})
            conn.request("POST", "/v1/sign", body, {"Origin": SITE, "X-Vanban-Agent": pairing})
            reply = json.loads(conn.getresponse().read())
            conn.close()
        finally:
            proc.terminate()
            out, err = proc.communicate(timeout=10)
    value = base64.b64decode(reply["signatures"][0])
    pub = leader.cert.public_key()
    assert isinstance(pub, ec.EllipticCurvePublicKey)
    pub.verify(value, digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))  # raises if not the leader's key
    assert PIN not in started + out + err
    assert "POST /v1/sign" in err  # the log says what was asked, not with what
