"""Describe a file (kind, codecs, displayed size, rotation, duration) without decoding it all."""

import os

import av

from .errors import DAMAGED, NO_VIDEO, MediaError
from .formats import gif_is_animated, open_av, sniff
from .image import open_image
from .profiles import Limits

__all__ = ["hdr_transfer", "probe", "probe_av", "video_stream"]

# AVColorTransferCharacteristic values of HDR video: SMPTE 2084 (PQ) and ARIB STD-B67 (HLG).
_HDR = {16: "pq", 18: "hlg"}


def video_stream(container: av.container.InputContainer) -> av.video.stream.VideoStream:
    """The picture track, ignoring cover art; no track is the uploader's problem."""
    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    raise MediaError(NO_VIDEO)


def hdr_transfer(stream: av.video.stream.VideoStream) -> str | None:
    """"pq" or "hlg" for HDR video, else None."""
    return _HDR.get(stream.codec_context.color_trc)


def _first_frame(container: av.container.InputContainer, stream) -> av.VideoFrame:
    """Decode one frame: the reliable way to read the display rotation."""
    for frame in container.decode(stream):
        return frame
    raise MediaError(DAMAGED)


def _duration(container, stream) -> float | None:
    """The video track's declared duration, else the container's."""
    if stream.duration is not None and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _index_past_end(container: av.container.InputContainer) -> bool:
    """Whether the index (MP4's is at the front) points at bytes the file does not have."""
    size = os.path.getsize(container.name)
    for stream in container.streams:
        if any(entry.pos + entry.size > size for entry in stream.index_entries):
            return True
    return False


def probe_av(container: av.container.InputContainer) -> dict:
    """Probe an opened container; rotation comes from one decoded frame."""
    stream = video_stream(container)
    # A truncated upload with its index up front would otherwise decode silently short.
    if _index_past_end(container):
        raise MediaError(DAMAGED)
    audio = container.streams.audio[0] if container.streams.audio else None
    ctx = stream.codec_context
    try:
        rotation = _first_frame(container, stream).rotation % 360
    except av.error.FFmpegError:
        raise MediaError(DAMAGED) from None
    width, height = (ctx.height, ctx.width) if rotation in (90, 270) else (ctx.width, ctx.height)
    if not width or not height:
        raise MediaError(DAMAGED)
    rate = stream.average_rate or stream.guessed_rate
    fmt = ctx.format
    return {
        "kind": "video",
        "container": container.format.name.split(",")[0],
        "video_codec": ctx.name,
        "audio_codec": audio.codec_context.name if audio else None,
        "width": width,
        "height": height,
        "rotation": rotation,
        "duration": _duration(container, stream),
        "fps": round(float(rate), 3) if rate else None,
        "has_audio": audio is not None,
        "bit_depth": fmt.components[0].bits if fmt else None,
        "hdr": hdr_transfer(stream),
    }


def _probe_image(path, limits: Limits) -> dict:
    """Probe a still or animated image through Pillow."""
    with open_image(path, limits) as im:
        try:
            orientation = im.getexif().get(0x0112)
        except (OSError, SyntaxError, ValueError, EOFError):
            # A PNG's EXIF may follow its pixels, so reading it decodes them: a broken file fails here.
            raise MediaError(DAMAGED) from None
        # Counter-clockwise degrees, as FFmpeg states a video's display rotation.
        rotation = {3: 180, 6: 270, 8: 90}.get(orientation, 0)
        width, height = im.size if rotation in (0, 180) else im.size[::-1]
        return {
            "kind": "image",
            "container": im.format.lower(),
            "video_codec": None,
            "audio_codec": None,
            "width": width,
            "height": height,
            "rotation": rotation,
            "duration": None,
            "fps": None,
            "has_audio": False,
            "bit_depth": 16 if im.mode.startswith("I;16") or im.mode == "I" else 8,
            "hdr": None,
        }


def probe(path: str | os.PathLike, limits: Limits | None = None) -> dict:
    """Describe a file; raises MediaError for anything unusable."""
    limits = limits or Limits()
    sniffed = sniff(path)
    # A GIF with a second frame becomes a looping video; the same walk as the web process's kind_of.
    if sniffed.kind == "image" or (sniffed.kind == "gif" and not gif_is_animated(path)):
        return _probe_image(path, limits)
    try:
        container = open_av(path, sniffed.demuxer)
    except av.error.FFmpegError:
        raise MediaError(DAMAGED) from None
    with container:
        return probe_av(container)
