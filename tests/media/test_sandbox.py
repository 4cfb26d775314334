"""The child process: results come back, limits hold, failures leave nothing behind."""

import time

import pytest

import media
from media.pipeline import discard, stage
from media.sandbox import run_isolated


def _run_hostile(tmp_path, name: str, timeout: float = 30, memory_mb: int = 2048):
    """Run a hostile target the way process_isolated runs a file, cleaning up like it does."""
    outdir, staging, created = stage(tmp_path / "out")
    try:
        return run_isolated(f"tests.media.hostile:{name}", {"staging": str(staging)}, staging, timeout, memory_mb)
    finally:
        discard(staging, outdir, created)


def test_isolated_processing_returns_the_manifest(rotated_clip, tmp_path):
    manifest = media.process_isolated(rotated_clip, tmp_path / "out")
    assert [r["name"] for r in manifest["renditions"]] == ["480p", "360p"]
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["360p.mp4", "480p.mp4", "manifest.json", "poster.webp"]


def test_isolated_rejection_is_a_media_error(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("not a video")
    with pytest.raises(media.MediaError) as caught:
        media.process_isolated(path, tmp_path / "out")
    assert caught.value.reason == "this file type is not supported"
    assert not (tmp_path / "out").exists()


def test_memory_limit_is_a_media_error(tmp_path):
    with pytest.raises(media.MediaError) as caught:
        _run_hostile(tmp_path, "hog_memory", memory_mb=1536)
    assert caught.value.reason == "this file needs too much memory to process"
    assert not (tmp_path / "out").exists()


def test_wall_clock_timeout(tmp_path):
    began = time.monotonic()
    with pytest.raises(media.MediaError) as caught:
        _run_hostile(tmp_path, "hang", timeout=3)
    assert caught.value.reason == "processing this file took too long"
    assert time.monotonic() - began < 10 and not (tmp_path / "out").exists()


def test_timeout_of_a_real_file_leaves_nothing(rotated_clip, tmp_path):
    with pytest.raises(media.MediaError) as caught:
        media.process_isolated(rotated_clip, tmp_path / "out", limits=media.Limits(timeout=0.3))
    assert caught.value.reason == "processing this file took too long"
    assert not (tmp_path / "out").exists()


def test_crash_is_not_a_media_error(tmp_path):
    with pytest.raises(media.MediaCrash) as caught:
        _run_hostile(tmp_path, "crash")
    assert not isinstance(caught.value, media.MediaError) and "-11" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_existing_outdir_keeps_earlier_files(plain_clip, tmp_path):
    outdir = tmp_path / "out"
    media.process_isolated(plain_clip, outdir, fast_start=True)  # published first
    # A deterministic rejection (too long for these limits), not a race against a timeout.
    with pytest.raises(media.MediaError):
        media.process_isolated(plain_clip, outdir, limits=media.Limits(max_duration=0.01))
    assert sorted(p.name for p in outdir.iterdir()) == ["fast.mp4", "manifest.json", "poster.webp"]


def test_a_killed_worker_takes_its_media_child_along(tmp_path):
    """SIGKILL on the worker leaves no orphan decoding on until its own timeout."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    pid_file = tmp_path / "child.pid"
    script = (
        "import sys; from pathlib import Path; from media.sandbox import run_isolated; "
        "staging = Path(sys.argv[1]); staging.mkdir(); "
        "run_isolated('tests.media.hostile:hang_telling_pid', {'staging': str(staging), 'pid_file': sys.argv[2]}, staging, 60, 2048)"
    )
    worker = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "staging"), str(pid_file)])
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline and worker.poll() is None, "the media child never started"
        time.sleep(0.05)
    child = int(pid_file.read_text())
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        # A zombie (dead, not yet reaped by init) counts as gone.
        state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0] if Path(f"/proc/{child}/stat").exists() else "Z"
        if state == "Z":
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the media child outlived its worker")
