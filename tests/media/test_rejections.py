"""Unusable files: one line `error: <reason>` on stderr, exit 2, no traceback, nothing left behind."""

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from media.formats import open_av

from .conftest import png_header, small_png
from .makers import make_clip

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m media ...` as the worker or an admin would."""
    return subprocess.run([sys.executable, "-m", "media", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


def assert_rejected(path: Path, outdir: Path, reason: str, env: dict | None = None, probe: bool = True) -> None:
    """Both commands refuse the file with exactly this line, and no output directory appears."""
    commands = [("probe", str(path))] if probe else []
    for args in commands + [("process", str(path), str(outdir))]:
        done = run_cli(*args, env=env)
        assert (done.returncode, done.stderr, done.stdout) == (2, f"error: {reason}\n", ""), args
    assert not outdir.exists()


@pytest.fixture(scope="module")
def fast_clip(tmp_path_factory) -> Path:
    """A clip with its index at the front, as phones and our own outputs write them."""
    return make_clip(tmp_path_factory.mktemp("fast") / "front.mp4", seconds=2.0, faststart=True)


def test_cli_probe_and_process_succeed(fast_clip, tmp_path):
    probed = run_cli("probe", str(fast_clip))
    assert probed.returncode == 0 and json.loads(probed.stdout)["duration"] == pytest.approx(2.0, abs=0.05)
    done = run_cli("process", str(fast_clip), str(tmp_path / "out"))
    assert done.returncode == 0
    assert json.loads(done.stdout) == json.loads((tmp_path / "out" / "manifest.json").read_text())


@pytest.mark.parametrize("name, content, reason", [
    ("empty.mp4", b"", "the file is empty"),
    ("notes.mp4", b"Meeting notes\nbring snacks\n", "this file type is not supported"),
    ("picture.mp4", small_png(), "this file type is not supported"),
    ("list.mp4", b"ffconcat version 1.0\nfile '/etc/passwd'\nfile 'front.mp4'\n", "this file type is not supported"),
    ("bomb.png", png_header(20000, 20000), "this image is too large (400 megapixels)"),
])
def test_rejected_files(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    assert_rejected(path, tmp_path / "out", reason)


def test_bomb_warning_zone_is_an_error_too(tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(png_header(1500, 1000))  # 1.5x the limit: Pillow would only warn
    env = {"HALLWAY_MEDIA_MAX_IMAGE_PIXELS": "1000000"}
    assert_rejected(path, tmp_path / "out", "this image is too large (2 megapixels)", env=env)


@pytest.mark.parametrize("clip", ["fast_clip", "plain_clip", "webm_clip"])
def test_truncated_video(request, tmp_path, clip):
    source = request.getfixturevalue(clip)  # index in front, index at the end, no index (WebM)
    data = source.read_bytes()
    path = tmp_path / f"cut{source.suffix}"
    path.write_bytes(data[: len(data) * 6 // 10])
    # Without an index only decoding finds the missing end, which probing does not do.
    assert_rejected(path, tmp_path / "out", "the file is damaged or incomplete", probe=clip != "webm_clip")


def test_too_long_video(fast_clip, tmp_path):
    done = run_cli("process", str(fast_clip), str(tmp_path / "out"), env={"HALLWAY_MEDIA_MAX_DURATION": "1"})
    assert (done.returncode, done.stderr) == (2, "error: videos can be at most 1 second long\n")
    assert not (tmp_path / "out").exists()


def test_no_video_track(audio_only, tmp_path):
    assert_rejected(audio_only, tmp_path / "out", "this file has no video track")


class _Tripwire:
    """A local HTTP server and a named pipe that record whether anything touched them."""

    def __init__(self, tmp_path: Path) -> None:
        self.requests: list[str] = []
        tripwire = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the stdlib's name)
                tripwire.requests.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.fifo = tmp_path / "secret"
        os.mkfifo(self.fifo)
        self.fifo_opened = threading.Event()
        threading.Thread(target=self._wait_for_reader, daemon=True).start()

    def _wait_for_reader(self) -> None:
        """Opening a FIFO for writing blocks until someone opens it to read."""
        os.close(os.open(self.fifo, os.O_WRONLY))
        self.fifo_opened.set()

    def playlist(self) -> bytes:
        port = self.server.server_address[1]
        return (f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:{port}/seg.ts\n"
                f"#EXTINF:10,\nfile:///etc/passwd\n#EXTINF:10,\nfile://{self.fifo}\n#EXT-X-ENDLIST\n").encode()

    def touched(self) -> bool:
        """Whether anything fetched the URL or opened the pipe; then release the waiting thread."""
        opened = self.fifo_opened.wait(0.5)
        self.server.shutdown()
        if not opened:
            os.close(os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK))
        return opened or bool(self.requests)


def test_hls_playlist_fetches_and_reads_nothing(tmp_path):
    wire = _Tripwire(tmp_path)
    path = tmp_path / "clip.mp4"
    path.write_bytes(wire.playlist())
    assert_rejected(path, tmp_path / "out", "this file type is not supported")
    assert not wire.touched()


def test_hls_stopped_by_ffmpeg_whitelist_even_without_sniffing(tmp_path):
    wire = _Tripwire(tmp_path)
    path = tmp_path / "clip.mp4"
    path.write_bytes(wire.playlist())
    with pytest.raises(Exception):
        open_av(path, None)  # FFmpeg probes it as HLS; the allow-list refuses before any segment opens
    assert not wire.touched()
