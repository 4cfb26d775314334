"""`hallway run` (what `make run` starts): web and a worker side by side, so a video post gets published."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.media.makers import make_clip

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> dict[int, str]:
    """Command lines of a process's direct children, by pid."""
    out = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except (OSError, ValueError, IndexError):
            continue
    return out


def _worker_of(pid: int) -> int | None:
    return next((child for child, cmd in _children(pid).items() if cmd.endswith(" worker")), None)


def test_run_serves_and_processes_posts(tmp_path):
    data, port = tmp_path / "var", _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # The worker at the web process's priority: the test machine is busier than a server (the
    # lower default has its own test, test_worker_priority.py).
    env.update(HALLWAY_DATA=str(data), PORT=str(port), HALLWAY_LOG_LEVEL="WARNING", HALLWAY_WORKER_NICE="0")
    hallway = [sys.executable, "-m", "server.cli"]
    subprocess.run(hallway + ["migrate"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    subprocess.run(hallway + ["user", "add", "ada@example.com", "--name", "Ada", "--role", "admin"], cwd=ROOT, env=env,
                   input="correct horse battery\n", text=True, check=True, capture_output=True, timeout=60)
    # A file, not a pipe: nobody reads a pipe until the end, and once its 64 KB fill up every
    # process writing logs to it (run, web, worker) blocks.
    log = tmp_path / "run.log"
    run = subprocess.Popen(hallway + ["run"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=base, timeout=10) as client:
            while True:
                try:
                    if client.get("/api/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert run.poll() is None and time.monotonic() < deadline, "hallway run did not start serving"
                time.sleep(0.2)
            children = _children(run.pid)
            assert any(c.endswith(" serve --host 127.0.0.1") for c in children.values()), children
            assert _worker_of(run.pid), children

            client.headers["x-csrftoken"] = client.cookies["csrftoken"]
            signed = client.post("/api/session", json={"email": "ada@example.com", "password": "correct horse battery"})
            assert signed.status_code == 200, signed.text
            clip = make_clip(tmp_path / "clip.mp4", seconds=1.0).read_bytes()
            created = client.post("/api/uploads", content=clip, headers={
                "Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream",
                "Upload-Length": str(len(clip)),
            })
            assert created.status_code == 201, created.text
            upload_id = created.headers["Location"].rsplit("/", 1)[1]
            post = client.post("/api/posts", json={"body": "hi", "upload_ids": [upload_id]}).json()
            assert post["status"] == "processing"
            # Nobody runs a job by hand here: the worker that `run` started does it.
            while (seen := client.get(f"/api/posts/{post['id']}").json())["status"] == "processing":
                assert time.monotonic() < deadline + 30, "the post was never processed"
                time.sleep(0.2)
            assert seen["status"] == "published" and seen["media"][0]["renditions"]

            # A worker killed (say, by the OOM killer) is replaced; the web process carries on.
            first = _worker_of(run.pid)
            os.kill(first, signal.SIGKILL)
            while (replacement := _worker_of(run.pid)) in (None, first):
                assert time.monotonic() < deadline + 60, "the worker was not started again"
                time.sleep(0.2)
            assert client.get("/api/health").status_code == 200 and run.poll() is None
    finally:
        run.send_signal(signal.SIGINT)  # Ctrl-C stops both
        try:
            run.wait(60)  # each child gets 20 s to finish what it is doing; a loaded machine is slow
        finally:
            if run.poll() is None:
                run.kill()
                run.wait()
                pytest.fail(f"hallway run did not stop on Ctrl-C: {log.read_text(errors='replace')[-3000:]}")
    assert run.returncode == 0, log.read_text(errors="replace")[-2000:]
    print(f"hallway run wrote {log.stat().st_size} bytes of logs")
    assert not _children(run.pid)
