"""Media posts: generated phone files, uploads through the tus endpoint, jobs run in the test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image
from pillow_heif import register_heif_opener

from tests.media.makers import RED, make_clip

register_heif_opener()


@pytest.fixture(scope="session")
def files(tmp_path_factory) -> dict[str, Path]:
    """Small phone-like inputs, made once per run."""
    d = tmp_path_factory.mktemp("post-inputs")
    sideways = Image.new("RGB", (600, 450), (40, 140, 60))
    sideways.paste(RED, (0, 0, 120, 450))  # red on the left: EXIF orientation 6 turns it to the top
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 31.0, 12.0)})
    sideways.save(d / "sideways.jpg", quality=85, exif=exif.tobytes())
    Image.new("RGB", (400, 300), (20, 20, 200)).save(d / "blue.png")
    heic = Image.new("RGB", (640, 480), (40, 140, 60))
    heic.paste(RED, (0, 0, 640, 96))
    heic.save(d / "iphone.heic", quality=60)
    webm = make_clip(d / "recorder.webm", codec="libvpx-vp9", fmt="webm", audio="libopus", seconds=1.0)
    cut = d / "cut.webm"
    cut.write_bytes(webm.read_bytes()[: webm.stat().st_size * 6 // 10])
    (d / "notes.mp4").write_bytes(b"Meeting notes\nbring snacks\n")
    return {
        "h264": make_clip(d / "phone.mp4", width=320, height=180, seconds=1.0),
        "hevc": make_clip(d / "iphone.mov", codec="libx265", width=320, height=180, seconds=1.0),
        # Large enough for a two-rung ladder, so its fast start is a quick rendition (media/profiles.py quick).
        "hevc_480": make_clip(d / "iphone-480.mov", codec="libx265", pix_fmt="yuv420p10le", hlg=True,
                              width=854, height=480, seconds=1.0, rotation=-90),
        "webm": webm, "cut": cut, "jpeg": d / "sideways.jpg", "png": d / "blue.png", "heic": d / "iphone.heic",
        "notes": d / "notes.mp4",
    }


@pytest.fixture(autouse=True)
def clean_data_dirs():
    """Post ids restart on PostgreSQL between tests: start each with no files of earlier posts."""
    from server.settings import get_settings

    settings = get_settings()
    for path in (settings.media_dir, settings.originals_dir, settings.data_dir / "work"):
        shutil.rmtree(path, ignore_errors=True)
    yield
