"""Links point where Hallway is actually served, and a risky address is said loudly at start."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from server.settings import Settings, reset_settings, use_address

ROOT = Path(__file__).resolve().parents[2]


def _settings(base_url: str = "", host: str = "127.0.0.1", port: int = 8000) -> Settings:
    return Settings(base_url=base_url, host=host, port=port)


def test_links_without_a_base_url_use_the_served_address():
    assert _settings(port=9123).public_url == "http://127.0.0.1:9123"
    assert _settings(host="192.0.2.7", port=9123).public_url == "http://192.0.2.7:9123"
    assert _settings(host="::1", port=9123).public_url == "http://[::1]:9123"
    # Listening everywhere: the one address that surely reaches it from here.
    assert _settings(host="0.0.0.0", port=9123).public_url == "http://127.0.0.1:9123"
    assert _settings(base_url="https://hallway.example.com", port=9123).public_url == "https://hallway.example.com"


def test_use_address_makes_the_served_port_the_settings_own(monkeypatch):
    monkeypatch.setenv("PORT", "8000")
    monkeypatch.delenv("HALLWAY_BASE_URL", raising=False)
    reset_settings()
    try:
        assert use_address("127.0.0.1", 9555).public_url == "http://127.0.0.1:9555"
    finally:
        reset_settings()


def test_no_warning_on_this_machine_or_behind_https():
    assert _settings().link_warnings() == []
    assert _settings(base_url="http://localhost:8000").link_warnings() == []
    assert _settings(base_url="https://hallway.example.com", host="0.0.0.0").link_warnings() == []


def test_plain_http_on_the_network_is_warned_about():
    for settings in (_settings(base_url="http://hallway.example.com", host="0.0.0.0"), _settings(host="192.0.2.7")):
        (warning,) = settings.link_warnings()
        assert "plain http" in warning and "HALLWAY_BASE_URL=https://" in warning


def test_listening_everywhere_without_a_base_url_is_warned_about():
    (warning,) = _settings(host="0.0.0.0", port=8080).link_warnings()
    assert "HALLWAY_BASE_URL is not set" in warning and "http://127.0.0.1:8080" in warning


def test_a_base_url_without_a_scheme_is_warned_about():
    (warning,) = _settings(base_url="hallway.example.com").link_warnings()
    assert "not an address like https://" in warning


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """`hallway serve ARGS` on a fresh data dir; its output lines arrive in a queue."""

    def __init__(self, data: Path, args: list[str], **env: str) -> None:
        self.env = {**os.environ, "HALLWAY_DATA": str(data), "PYTHONPATH": str(ROOT), "HALLWAY_LOG_LEVEL": "WARNING", **env}
        self.env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "server.cli", "migrate"], env=self.env, cwd=ROOT, check=True,
                       capture_output=True, timeout=120)
        self.proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", *args], env=self.env, cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.proc.stdout], daemon=True).start()

    def line_with(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.seen.append(line)
            if text in line:
                return line.strip()
        pytest.fail(f"no line with {text!r} from hallway serve:\n{''.join(self.seen)[-3000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def test_the_setup_link_opens_on_the_port_given_to_serve(tmp_path):
    """PORT says 8000 (or anything), `hallway serve --port P` serves P: the printed link must open."""
    port = _free_port()
    served = Served(tmp_path, ["--port", str(port)], PORT="1", HALLWAY_BASE_URL="")
    try:
        link = served.line_with("/#/join/")
        assert link.startswith(f"http://127.0.0.1:{port}/#/join/"), link
        origin = link.split("/#/", 1)[0]
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{origin}/api/health", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        served.stop()


def test_serving_plain_http_to_the_network_warns_loudly_at_start(tmp_path):
    served = Served(tmp_path, ["--host", "0.0.0.0", "--port", str(_free_port())], HALLWAY_BASE_URL="http://hallway.example.com")
    try:
        warning = served.line_with("WARNING")
        assert "plain http at http://hallway.example.com" in warning
        assert served.line_with("/#/join/").startswith("http://hallway.example.com/#/join/")
    finally:
        served.stop()
