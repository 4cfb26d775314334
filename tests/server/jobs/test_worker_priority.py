"""`hallway worker` runs at a lower CPU priority than the web process, so transcodes never slow requests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _worker(tmp_path: Path, nice: str) -> subprocess.Popen:
    env = {**os.environ, "HALLWAY_DATA": str(tmp_path), "HALLWAY_WORKER_NICE": nice, "HALLWAY_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "server.cli", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    return subprocess.Popen([sys.executable, "-m", "server.cli", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _priority_once_started(proc: subprocess.Popen) -> int:
    # The worker lowers its priority before it opens the database; give it a moment to get there.
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the worker exited"
        if os.getpriority(os.PRIO_PROCESS, proc.pid) != ours:
            break
        time.sleep(0.05)
    return os.getpriority(os.PRIO_PROCESS, proc.pid) - ours


def test_the_worker_yields_the_cpu_to_requests_by_default(tmp_path):
    proc = _worker(tmp_path, "")
    try:
        assert _priority_once_started(proc) == 10
    finally:
        proc.terminate()
        proc.wait(30)


def test_hallway_worker_nice_0_keeps_the_web_process_priority(tmp_path):
    proc = _worker(tmp_path, "0")
    try:
        time.sleep(2)  # long enough to have lowered it, had it meant to
        assert proc.poll() is None
        assert os.getpriority(os.PRIO_PROCESS, proc.pid) == os.getpriority(os.PRIO_PROCESS, 0)
    finally:
        proc.terminate()
        proc.wait(30)
