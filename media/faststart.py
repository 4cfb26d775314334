"""Publish-first path: remux an already feed-ready H.264 file with +faststart, no re-encode."""

from pathlib import Path

import av
from PIL import Image

from .errors import DAMAGED, MediaError, NotEligible, OutOfSpace, out_of_space
from .formats import open_av
from .probe import video_stream
from .profiles import Limits, ladder
from .thumbs import blurhash_of, interest
from .video import POSTER_AT, check_limits, decoded_short, frame_image, poster_entry

__all__ = ["remux"]

# PIL's transposes that show a frame the way FFmpeg's counter-clockwise display rotation says.
_SHOW = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}


def _eligible(demuxer: str, stream, audio, info: dict) -> bool:
    """H.264 8-bit 4:2:0 SDR in mp4/mov, with AAC or no audio: phones can play it as it is."""
    fmt = stream.codec_context.format
    return (
        demuxer == "mov"
        and stream.codec_context.name == "h264"
        and fmt is not None
        and fmt.name == "yuv420p"
        and info["hdr"] is None
        and (audio is None or audio.codec_context.name == "aac")
    )


def _poster(source, stream, info: dict) -> Image.Image:
    """The most interesting of a few keyframes, turned the right way up."""
    candidates = []
    for share in POSTER_AT:
        source.seek(int((info["duration"] or 0) * share / stream.time_base), stream=stream)
        for frame in source.decode(stream):
            candidates.append(frame_image(frame))
            break
    if not candidates:
        raise MediaError(DAMAGED)
    best = max(candidates, key=interest)
    rotation = info["rotation"]
    return best.transpose(_SHOW[rotation]) if rotation in _SHOW else best


def remux(path, demuxer: str, info: dict, outdir: Path, limits: Limits) -> dict:
    """Write fast.mp4, the poster and the manifest; NotEligible when a re-encode is needed."""
    try:
        source = open_av(path, demuxer)
    except av.error.FFmpegError:
        raise MediaError(DAMAGED) from None
    with source:
        stream = video_stream(source)
        audio = source.streams.audio[0] if source.streams.audio else None
        if not _eligible(demuxer, stream, audio, info):
            raise NotEligible(f"{info['video_codec']} in {info['container']} needs a re-encode")
        check_limits(info, limits)
        target = outdir / "fast.mp4"
        end = 0.0
        try:
            with av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out:
                copies = {stream: out.add_stream_from_template(stream)}
                if audio is not None:
                    copies[audio] = out.add_stream_from_template(audio)
                for packet in source.demux(*copies):
                    if packet.dts is None:
                        continue  # the demuxer's empty end-of-stream packet
                    if packet.stream is stream and packet.pts is not None:
                        end = max(end, float((packet.pts + packet.duration) * packet.time_base))
                    packet.stream = copies[packet.stream]
                    out.mux(packet)
            start = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
            if decoded_short(end - start, info["duration"]):
                raise MediaError(DAMAGED)
            poster = _poster(source, stream, info)
        except av.error.FFmpegError as e:
            if out_of_space(e):
                raise OutOfSpace() from None  # a full disk says nothing about the file
            raise MediaError(DAMAGED) from None
    feed = ladder(info["width"], info["height"])[0]
    poster.thumbnail((max(feed.width, feed.height),) * 2, Image.Resampling.LANCZOS)
    size = target.stat().st_size
    duration = info["duration"] or (end - start)
    return {
        "kind": "video", "width": info["width"], "height": info["height"], "duration": round(duration, 3),
        "has_audio": audio is not None, "loop": False, "blurhash": blurhash_of(poster),
        "poster": poster_entry(poster, outdir),
        "renditions": [{
            "name": "fast", "file": target.name, "width": info["width"], "height": info["height"],
            "size": size, "bitrate": round(size * 8 / duration) if duration else 0, "mime": "video/mp4",
        }],
        "variants": [], "fast_start": True,
    }
