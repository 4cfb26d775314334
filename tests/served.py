"""A real `hallway serve` process for the tests that attack the server as a client would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["Served", "serve", "sign_in"]

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Served:
    url: str
    proc: subprocess.Popen
    log: Path
    env: dict[str, str]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hallway(*args: str) -> list[str]:
    # This checkout's code (not whatever an installed `hallway` script imports).
    return [sys.executable, "-m", "server.cli", *args]


@contextmanager
def serve(
    data: Path, *, people: dict[str, str] | None = None, database_url: str = "", **env_overrides: str,
) -> Iterator[Served]:
    """Serve an instance from `data`, migrated unless `database_url` is a test database the fixtures
    migrated already, with `people` added ({email: role}, password PASSWORD)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(
        HALLWAY_DATA=str(data), HALLWAY_LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT),
        HALLWAY_SIGNIN_ATTEMPTS="1000", **env_overrides,
    )
    if not database_url:
        subprocess.run(_hallway("migrate"), cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    for email, role in (people or {}).items():
        subprocess.run(
            _hallway("user", "add", email, "--name", email.split("@")[0].title(), "--role", role),
            cwd=ROOT, env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True, timeout=60,
        )
    port = _free_port()
    log = data / "serve.log"
    # A file, not a pipe: nobody reads a pipe while the test runs, and a full one blocks the server.
    with log.open("wb") as out:
        proc = subprocess.Popen(
            _hallway("serve", "--host", "127.0.0.1", "--port", str(port)),
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    served = Served(f"http://127.0.0.1:{port}", proc, log, env)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"hallway serve exited with {proc.returncode}:\n{served.log_text()}")
            try:
                if httpx.get(f"{served.url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"hallway serve did not answer in 30 s:\n{served.log_text()}")
            time.sleep(0.1)
        yield served
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sign_in(url: str, email: str, password: str = PASSWORD) -> httpx.Client:
    """A client signed in as `email`, sending the CSRF header on every request."""
    client = httpx.Client(base_url=url, timeout=30)
    client.get("/api/health")
    client.headers["x-csrftoken"] = client.cookies["csrftoken"]
    response = client.post("/api/session", json={"email": email, "password": password})
    response.raise_for_status()
    return client
