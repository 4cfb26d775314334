"""The web process and the worker register the same listeners and job kinds (server/wiring.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_REPORT = """
import json
from server.jobs import registry
from server.lib import events
{setup}
print(json.dumps({{
    "listeners": events.listeners(),
    "jobs": sorted(registry.handlers),
    "gave_up": sorted(k for k in registry.handlers if registry.gave_up_handler(k)),
}}))
"""


def _registrations(setup: str, tmp_path: Path) -> dict:
    """What a fresh interpreter has registered after `setup`, as the process would start."""
    env = {**os.environ, "HALLWAY_DATA": str(tmp_path), "HALLWAY_LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-c", _REPORT.format(setup=setup)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_the_app_and_the_worker_register_the_same_listeners_and_job_kinds(tmp_path):
    web = _registrations("from server.app import create_app\ncreate_app()", tmp_path)
    worker = _registrations("from server.worker import configure\nconfigure()", tmp_path)
    assert web == worker
    published = worker["listeners"]["post_published"]
    # The worker publishes every video: open apps hear of it only if it has the live listener too.
    assert "server.live.listeners.after_publish" in published["after_commit"]
    assert {"process-post", "push-deliver", "push-digest", "push-fanout", "notify-audience"} <= set(worker["jobs"])
    assert worker["gave_up"] == ["process-post"]


def test_importing_a_domain_registers_nothing(tmp_path):
    """Registration is explicit: importing every domain's code, short of wiring it, leaves both lists empty."""
    quiet = _registrations(
        "import server.posts.jobs, server.social.listeners, server.announcements.jobs, server.live.listeners, "
        "server.notifications.delivery, server.push.delivery",
        tmp_path,
    )
    assert quiet["jobs"] == [] and all(not any(lists.values()) for lists in quiet["listeners"].values())
