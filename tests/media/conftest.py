"""Session-wide test media: made once, tiny, read-only for the tests."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from pillow_heif import register_heif_opener

from .makers import RED, make_audio_only, make_clip, make_gif

register_heif_opener()

# EXIF tags a phone writes: camera make and the GPS position that must never leak.
MARKER = "HallwayTestCam"


def _exif(orientation: int = 1) -> Image.Exif:
    """EXIF with a recognisable make, an orientation and a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = MARKER
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    return exif


def _sideways(width: int, height: int) -> Image.Image:
    """A picture stored rotated: its red bar is on the left, which orientation 6 turns to the top."""
    im = Image.new("RGB", (width, height), (40, 140, 60))
    im.paste(RED, (0, 0, width // 5, height))
    return im


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    """Where the generated inputs live."""
    return tmp_path_factory.mktemp("inputs")


@pytest.fixture(scope="session")
def rotated_clip(media_dir) -> Path:
    """An Android-style H.264 clip stored landscape with a -90 rotation: portrait when shown."""
    return make_clip(media_dir / "rotated.mp4", width=854, height=480, seconds=1.5, rotation=-90, bar="left")


@pytest.fixture(scope="session")
def hlg_clip(media_dir) -> Path:
    """An iPhone-style 10-bit HEVC HLG .mov, sideways, at 60 fps."""
    return make_clip(media_dir / "iphone.mov", codec="libx265", pix_fmt="yuv420p10le", hlg=True, rate=60,
                     width=320, height=180, seconds=1.0, rotation=-90, bar="left")


@pytest.fixture(scope="session")
def vfr_clip(media_dir) -> Path:
    """Variable frame rate: 60 fps bursts and 15 fps stretches (intervals in 1/600 s)."""
    return make_clip(media_dir / "vfr.mp4", seconds=2.0, rate=30, intervals=[10, 10, 10, 40, 40])


@pytest.fixture(scope="session")
def webm_clip(media_dir) -> Path:
    """Chrome's MediaRecorder: VP8 + Opus in WebM, at an odd size."""
    return make_clip(media_dir / "recorder.webm", codec="libvpx", fmt="webm", width=331, height=189,
                     audio="libopus", seconds=1.0)


@pytest.fixture(scope="session")
def ts_clip(media_dir) -> Path:
    """An action-camera MPEG-TS screen-recording-like clip with no audio."""
    return make_clip(media_dir / "camera.ts", fmt="mpegts", audio=None, seconds=1.0)


@pytest.fixture(scope="session")
def plain_clip(media_dir) -> Path:
    """Feed-ready H.264 + AAC, moov at the end (no faststart), rotated: the fast-start case."""
    return make_clip(media_dir / "plain.mp4", width=320, height=180, seconds=2.0, rotation=-90, bar="left")


@pytest.fixture(scope="session")
def animated_gif(media_dir) -> Path:
    """A six-frame animated GIF."""
    return make_gif(media_dir / "loop.gif")


@pytest.fixture(scope="session")
def audio_only(media_dir) -> Path:
    """A voice memo: MP4 with sound and no picture."""
    return make_audio_only(media_dir / "memo.mp4")


@pytest.fixture(scope="session")
def heic_photo(media_dir) -> Path:
    """An iPhone HEIC with GPS in its EXIF, 1600x1200."""
    path = media_dir / "photo.heic"
    im = Image.new("RGB", (1600, 1200), (40, 140, 60))
    im.paste(RED, (0, 0, 1600, 240))
    im.save(path, quality=60, exif=_exif().tobytes())
    return path


@pytest.fixture(scope="session")
def jpeg_sideways(media_dir) -> Path:
    """A JPEG stored sideways with EXIF orientation 6 and GPS."""
    path = media_dir / "sideways.jpg"
    _sideways(1200, 900).save(path, quality=85, exif=_exif(orientation=6).tobytes())
    return path


@pytest.fixture(scope="session")
def cmyk_jpeg(media_dir) -> Path:
    """A print-shop CMYK JPEG."""
    path = media_dir / "cmyk.jpg"
    Image.new("CMYK", (400, 300), (0, 255, 255, 0)).save(path, quality=90)
    return path


@pytest.fixture(scope="session")
def png16(media_dir) -> Path:
    """A 16-bit greyscale PNG."""
    path = media_dir / "deep.png"
    Image.linear_gradient("L").resize((300, 200)).convert("I").point(lambda v: v * 256).convert("I;16").save(path)
    return path


@pytest.fixture(scope="session")
def animated_webp(media_dir) -> Path:
    """A three-frame animated WebP."""
    path = media_dir / "anim.webp"
    frames = [Image.new("RGB", (200, 100), (i * 80, 40, 40)) for i in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=120, loop=0)
    return path


@pytest.fixture(scope="session")
def panorama(media_dir) -> Path:
    """A wide panorama, 4000x1000."""
    path = media_dir / "pano.jpg"
    Image.new("RGB", (4000, 1000), (90, 120, 200)).save(path, quality=80, exif=_exif().tobytes())
    return path


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size it never delivers: the decompression-bomb shape."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def small_png() -> bytes:
    """A real 16x16 PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), RED).save(buffer, "PNG")
    return buffer.getvalue()
