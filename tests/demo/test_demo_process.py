"""``vanban demo`` as a person runs it: a real process on SQLite, a real login over HTTP,
Ctrl-C stops it cleanly (even when started with SIGINT ignored, as a shell's background job
is), and a second run keeps the data.

Each demo runs in its own session (process group), and the whole group is killed at the end
of the test whatever happened, so a failing test leaves no process behind."""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from vanban.secretbox import is_sealed

VANBAN = str(Path(sys.executable).parent / "vanban")


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start_demo(cwd: Path, sigint_ignored: bool = False) -> tuple[subprocess.Popen, str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "VANBAN_VAR_DIR", "SECRET_KEY"}}
    proc = subprocess.Popen(
        [VANBAN, "demo", "--port", "0"],
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killed as a whole by kill_group()
        preexec_fn=_ignore_sigint if sigint_ignored else None,
    )
    started.append(proc)
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Nhấn Ctrl-C để dừng" in line:
            url = next(m.group(0) for line in lines if (m := re.search(r"http://127\.0\.0\.1:\d+/", line)))
            return proc, url, lines
    kill_group(proc)
    pytest.fail("demo did not start:\n" + "".join(lines))


started: list[subprocess.Popen] = []


def group_members(pgid: int) -> list[int]:
    """The processes still in the process group ``pgid`` (zombies included)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


@pytest.fixture(autouse=True)
def _no_demo_left_behind():
    yield
    while started:
        kill_group(started.pop())


def stop(proc: subprocess.Popen) -> str:
    """Ctrl-C in the demo's terminal: SIGINT to its process group; it exits 0 and leaves no process."""
    os.killpg(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    deadline = time.monotonic() + 10
    while group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert group_members(proc.pid) == [], out
    return out


def login(url: str, username: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(url + "dang-nhap/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    opener.open(url + "dang-nhap/", data).read()
    return opener.open(url + "danh-ba/?q=so+noi+vu").read().decode()


def test_demo_prints_logins_serves_pages_stops_on_ctrl_c_and_keeps_data(tmp_path):
    proc, url, lines = start_demo(tmp_path)
    try:
        text = "".join(lines)
        assert "vanthu.ubnd" in text and "lanhdao.ubnd" in text and "chuyenvien.ubnd" in text
        assert "quantri.tinh" in text and "Quản trị tỉnh" in text
        password = re.search(r"mật khẩu chung: (\S+)\)", text).group(1)
        page = login(url, "vanthu.ubnd", password)
        assert "Sở Nội vụ" in page and "000.00.02.H49" in page
    finally:
        out = stop(proc)
    assert "Đã dừng" in out
    assert (tmp_path / "var" / "vanban.sqlite3").exists()
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
    var = tmp_path / "var"
    exposed = [str(p.relative_to(tmp_path)) for p in [var, *var.rglob("*")] if p.stat().st_mode & 0o077]
    assert not exposed, f"readable by other users: {exposed}"
    keys = sorted((var / "pki" / "keys").glob("*.p12"))
    assert len(keys) >= 20
    plain = [p.name for p in [*keys, var / "pki" / "root-key.pem"] if not is_sealed(p.read_bytes())]
    assert not plain, f"key files not encrypted: {plain}"
    assert (var / "key-encryption-key").stat().st_mode & 0o777 == 0o600

    proc, url, _ = start_demo(tmp_path)
    try:
        page = login(url, "vanthu.ubnd", password)
        assert page.count("000.00.02.H49") >= 1
    finally:
        stop(proc)
    verify = subprocess.run(
        [VANBAN, "audit", "verify"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_ctrl_c_stops_a_demo_started_with_sigint_ignored(tmp_path):
    """A shell starts a background job with SIGINT ignored; Ctrl-C (SIGINT) must still stop
    the demo and its worker, with nothing left in its process group."""
    proc, url, _ = start_demo(tmp_path, sigint_ignored=True)
    assert urllib.request.urlopen(url + "dang-nhap/", timeout=30).status == 200
    out = stop(proc)
    assert "Đã dừng bản demo" in out
