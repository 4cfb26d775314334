"""A real Hallway server and Debian's Chromium at a phone viewport, for the browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support import need

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

ADMIN = {"email": "ada@example.com", "name": "Ada Admin", "password": "ada-correct-horse"}
MEMBER = {"email": "max@example.com", "name": "Max Member", "password": "max-correct-horse"}


def _hallway() -> str:
    exe = VENV_BIN / "hallway"
    return str(exe) if exe.exists() else shutil.which("hallway") or "hallway"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"hallway serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"hallway serve did not become healthy in {timeout}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> str:
    """Base URL of a migrated instance with an admin and a member, served on a free port."""
    data = tmp_path_factory.mktemp("hallway-data")
    env = {**os.environ, "HALLWAY_DATA": str(data), "HALLWAY_SIGNIN_ATTEMPTS": "20"}
    env.pop("DATABASE_URL", None)
    hallway = _hallway()
    subprocess.run([hallway, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    for person, role in ((ADMIN, "admin"), (MEMBER, "member")):
        subprocess.run(
            [hallway, "user", "add", person["email"], "--name", person["name"], "--role", role],
            input=person["password"] + "\n", text=True, env=env, check=True, capture_output=True, timeout=60,
        )
    port = _free_port()
    log = data / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [hallway, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser():
    need(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        need(False, "the playwright Python package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, server):
    """Factory for fresh phone-sized browser contexts (own cookies, storage and service worker)."""
    contexts = []

    def make(**overrides):
        options = {**PHONE, "base_url": server, "locale": "en-US", **overrides}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


__all__ = ["ADMIN", "MEMBER", "server", "browser", "new_context", "page"]
