"""Tiny test media made with PyAV, Pillow and pillow-heif."""

import io
import math
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw

__all__ = ["RED", "make_audio_only", "make_clip", "make_gif", "make_frame_flood_gif", "top_is_red", "box_order"]

RED = (230, 20, 20)


def _picture(width: int, height: int, bar: str, i: int) -> Image.Image:
    """A green frame with a red bar on one edge and a moving white stripe."""
    im = Image.new("RGB", (width, height), (40, 140, 60))
    draw = ImageDraw.Draw(im)
    edge = {"top": (0, 0, width, height // 5), "left": (0, 0, width // 5, height),
            "right": (width - width // 5, 0, width, height), "bottom": (0, height - height // 5, width, height)}
    draw.rectangle(edge[bar], fill=RED)
    x = (i * 7) % width
    draw.rectangle((x, height // 3, x + 6, height // 2), fill=(255, 255, 255))
    return im


def make_clip(path: Path, *, codec="libx264", fmt=None, width=320, height=180, seconds=1.0, rate=30,
              pix_fmt="yuv420p", rotation=None, bar="top", audio="aac", hlg=False, intervals=None,
              faststart=False) -> Path:
    """Write a test clip; intervals (in 1/600 s) makes variable frame timing."""
    out = av.open(str(path), "w", format=fmt, options={"movflags": "+faststart"} if faststart else {})
    video = out.add_stream(codec, rate=rate)
    video.width, video.height, video.pix_fmt = width, height, pix_fmt
    video.time_base = video.codec_context.time_base = Fraction(1, 600)
    if codec == "libx265":
        video.options = {"x265-params": "log-level=error"}
    if hlg:
        ctx = video.codec_context
        ctx.color_trc, ctx.color_primaries, ctx.colorspace = 18, 9, 9
    if rotation is not None:
        video.set_display_rotation(rotation)
    sound = out.add_stream(audio, rate=48000) if audio else None
    if sound is not None:
        sound.layout = "stereo"
    pts, frames = 0, int(seconds * rate)
    for i in range(frames):
        frame = av.VideoFrame.from_image(_picture(width, height, bar, i)).reformat(format=pix_fmt)
        frame.pts, frame.time_base = pts, Fraction(1, 600)
        pts += intervals[i % len(intervals)] if intervals else 600 // rate
        out.mux(video.encode(frame))
    out.mux(video.encode(None))
    if sound is not None:
        _tone(out, sound, pts / 600)
    out.close()
    return path


def _tone(out, sound, seconds: float) -> None:
    """A 440 Hz tone, so "audio present" means audible samples."""
    total, step = int(48000 * seconds), 960
    for start in range(0, total, step):
        frame = av.AudioFrame(format="s16", layout="stereo", samples=step)
        values = bytearray()
        for n in range(start, start + step):
            sample = int(8000 * math.sin(2 * math.pi * 440 * n / 48000)).to_bytes(2, "little", signed=True)
            values += sample * 2
        frame.planes[0].update(bytes(values))
        frame.sample_rate, frame.pts = 48000, start
        out.mux(sound.encode(frame))
    out.mux(sound.encode(None))


def make_audio_only(path: Path) -> Path:
    """An MP4 with an AAC track and no picture."""
    out = av.open(str(path), "w", format="mp4")
    sound = out.add_stream("aac", rate=48000)
    sound.layout = "stereo"
    _tone(out, sound, 1.0)
    out.close()
    return path


def make_gif(path: Path, frames=6) -> Path:
    """An animated GIF with the red bar on top."""
    images = [_picture(120, 90, "top", i).quantize(32) for i in range(frames)]
    images[0].save(path, save_all=True, append_images=images[1:], duration=100, loop=0)
    return path


def make_frame_flood_gif(path: Path, frames: int) -> Path:
    """An animated GIF of `frames` tiny frames: cheap to send, slow to probe (every frame is parsed).

    Pillow writes two 8x8 frames; the second one's blocks are repeated, as a crafted upload would.
    """
    out = io.BytesIO()
    first, second = Image.new("P", (8, 8), 1), Image.new("P", (8, 8), 2)
    first.save(out, "GIF", save_all=True, append_images=[second], duration=20, loop=0, optimize=False)
    data = out.getvalue()
    start = data.index(b"\x21\xf9")  # the first frame's graphic control extension
    second_start = data.index(b"\x21\xf9", start + 1)
    frame = data[second_start:-1]  # the second frame, up to the trailer
    with path.open("wb") as f:
        f.write(data[:second_start])
        for _ in range(frames // 10_000):
            f.write(frame * 10_000)
        f.write(frame * (frames % 10_000) + b"\x3b")
    return path


def top_is_red(image: Image.Image) -> bool:
    """Whether the picture's top strip is the red bar and its bottom is not."""
    rgb = image.convert("RGB")
    top = rgb.getpixel((rgb.width // 2, rgb.height // 20))
    bottom = rgb.getpixel((rgb.width // 2, rgb.height - 1 - rgb.height // 20))
    redness = lambda p: p[0] > 150 and p[1] < 90 and p[2] < 90  # noqa: E731
    return redness(top) and not redness(bottom)


def box_order(path: Path) -> list[str]:
    """The top-level MP4 box types in file order."""
    data, names, offset = path.read_bytes(), [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        names.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        if size < 8:
            break
        offset += size
    return names
