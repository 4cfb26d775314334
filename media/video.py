"""Videos: decode once, rotate, tone-map, scale, encode the rendition ladder as H.264/AAC MP4."""

from fractions import Fraction
from pathlib import Path

import av
from av.video.frame import PictureType
from PIL import Image

from .errors import DAMAGED, MediaError, NotEligible, OutOfSpace, frame_too_large, out_of_space, too_long
from .formats import open_av
from .probe import video_stream
from .profiles import FPS_CAP, Limits, Rendition, ladder, quick
from .thumbs import blurhash_of, interest

__all__ = ["POSTER_AT", "check_limits", "decoded_short", "frame_image", "poster_entry", "transcode"]

# Where in the clip poster candidates are taken; the most interesting one wins.
POSTER_AT = (0.1, 0.3, 0.5)
# Colour tags of every output: SDR, BT.709, limited range.
_BT709 = 1
_MPEG_RANGE = 1


def check_limits(info: dict, limits: Limits) -> None:
    """Reject a video over the duration or frame-size limit before decoding it."""
    if info["duration"] is not None and info["duration"] > limits.max_duration:
        raise too_long(limits.max_duration)
    if not limits.frame_fits(info["width"], info["height"]):
        raise frame_too_large(info["width"], info["height"])


def decoded_short(decoded: float, declared: float | None) -> bool:
    """Whether decoding stopped well before the declared end: a truncated file that said nothing."""
    return bool(declared) and decoded < declared * 0.9 - 0.25


def frame_image(frame: av.VideoFrame) -> Image.Image:
    """An RGB image of an 8-bit frame, read with its own colour matrix."""
    space = "ITU709" if frame.colorspace == _BT709 else "ITU601"
    return frame.reformat(format="rgb24", src_colorspace=space).to_image()


def poster_entry(image: Image.Image, outdir: Path) -> dict:
    """Write poster.webp (pixels only) and describe it."""
    path = outdir / "poster.webp"
    image.save(path, "WEBP", quality=80, method=4)
    return {"file": path.name, "width": image.width, "height": image.height}


def _graph(stream, feed: Rendition, rotation: int, hdr: str | None) -> av.filter.Graph:
    """Scale (tone-mapping HDR to SDR BT.709), then rotate the pixels, then 8-bit 4:2:0."""
    graph = av.filter.Graph()
    # Scale in the stored orientation first: rotating 720p is far cheaper than rotating 4K.
    width, height = (feed.height, feed.width) if rotation in (90, 270) else (feed.width, feed.height)
    args = "out_color_matrix=bt709:out_range=tv"
    chain = [graph.add_buffer(template=stream)]
    if hdr:
        # FFmpeg 8's scale converts transfer and primaries itself (zscale is not in the wheel), but
        # slowly: 47 of 60 CPU seconds for a 30 s 1080p clip done in one step. Downscaled first (still
        # 10-bit HDR) it converts a fraction of the pixels: a quarter of the time at 720p, an eighth at 360p.
        transfer = "smpte2084" if hdr == "pq" else "arib-std-b67"
        chain += [graph.add("scale", f"w={width}:h={height}"), graph.add("format", "yuv420p10le")]
        args += f":in_transfer={transfer}:in_primaries=bt2020:out_transfer=bt709:out_primaries=bt709"
    else:
        args = f"w={width}:h={height}:{args}"
    chain.append(graph.add("scale", args))
    # FFmpeg states display rotation counter-clockwise; undo it in the pixels.
    if rotation == 270:
        chain.append(graph.add("transpose", "clock"))
    elif rotation == 90:
        chain.append(graph.add("transpose", "cclock"))
    elif rotation == 180:
        chain += [graph.add("hflip"), graph.add("vflip")]
    chain += [graph.add("format", "yuv420p"), graph.add("buffersink")]
    graph.link_nodes(*chain).configure()
    return graph


class _Output:
    """One rendition being written: its container, video and audio encoders."""

    def __init__(self, path: Path, rendition: Rendition, time_base: Fraction, rate: Fraction, audio) -> None:
        self.path, self.rendition = path, rendition
        self.container = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
        video = self.container.add_stream("libx264", rate=rate)
        # Size, format and tags set before the first mux, or the muxer writes a wrong header.
        video.width, video.height, video.pix_fmt = rendition.width, rendition.height, "yuv420p"
        # The source's time base: a coarser 1/fps one would flatten variable frame timing.
        video.time_base = video.codec_context.time_base = time_base
        video.thread_type = "AUTO"  # frame threading: the default slice threading is 55% slower
        ctx = video.codec_context
        ctx.color_primaries = ctx.color_trc = ctx.colorspace = _BT709
        ctx.color_range = _MPEG_RANGE
        video.options = {
            "preset": rendition.preset, "crf": str(rendition.crf), "maxrate": str(rendition.maxrate),
            "bufsize": str(rendition.maxrate * 2), "profile": "high", "g": str(int(rate * 2)),
        }
        self.video = video
        self.audio = None
        if audio is not None:
            sample_rate = audio.sample_rate if audio.sample_rate in (44100, 48000) else 48000
            self.audio = self.container.add_stream("aac", rate=sample_rate)
            self.audio.layout = "stereo" if audio.channels >= 2 else "mono"
            self.audio.bit_rate = rendition.audio_bitrate

    def encode_video(self, frame: av.VideoFrame | None) -> None:
        """Encode one frame (None flushes)."""
        self.container.mux(self.video.encode(frame))

    def encode_audio(self, frame: av.AudioFrame | None) -> None:
        """Encode one audio frame (None flushes)."""
        if self.audio is not None:
            self.container.mux(self.audio.encode(frame))

    def close(self, duration: float) -> dict:
        """Flush, close, and describe the file for the manifest."""
        self.encode_video(None)
        self.encode_audio(None)
        self.container.close()
        size = self.path.stat().st_size
        r = self.rendition
        return {
            "name": r.name, "file": self.path.name, "width": r.width, "height": r.height, "size": size,
            "bitrate": round(size * 8 / duration) if duration > 0 else 0, "mime": "video/mp4",
        }


def _filtered(graph: av.filter.Graph, frame: av.VideoFrame):
    """Push one frame through the graph and yield what comes out."""
    graph.push(frame)
    while True:
        try:
            yield graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            return


def _run(source, stream, audio, outputs: list[_Output], info: dict, limits: Limits, start: float):
    """Decode everything once, feed every encoder; return the decoded end time and poster candidates."""
    feed = outputs[0]
    graph = _graph(stream, feed.rendition, info["rotation"], info["hdr"])
    targets = [(info["duration"] or 0) * k for k in POSTER_AT]
    candidates: list[Image.Image] = []
    offset = round(start / stream.time_base)
    # Frames closer than this are dropped: caps 60 fps at 30 yet keeps variable frame timing.
    min_gap = float(1 / FPS_CAP) * 0.8
    last_kept, last_pts, end = None, None, 0.0
    for packet in source.demux(*([stream, audio] if audio else [stream])):
        for frame in packet.decode():
            if packet.stream is audio:
                if frame.pts is not None:
                    frame.pts -= round(start / frame.time_base)
                for out in outputs:
                    out.encode_audio(frame)
                continue
            if frame.pts is None:
                continue
            t = float(frame.pts * frame.time_base) - start
            if t > limits.max_duration + 1:  # the header understated the length
                raise too_long(limits.max_duration)
            step = float(frame.duration * frame.time_base) if frame.duration else min_gap
            end = max(end, t + step)
            if last_kept is not None and t - last_kept < min_gap:
                continue
            last_kept = t
            pts = frame.pts - offset
            pts = last_pts + 1 if last_pts is not None and pts <= last_pts else pts
            last_pts = pts
            for shown in _filtered(graph, frame):
                shown.pts = pts
                # Decoded frames keep the source's picture type and x264 obeys it: +40% size.
                shown.pict_type = PictureType.NONE
                feed.encode_video(shown)
                for out in outputs[1:]:
                    small = shown.reformat(out.rendition.width, out.rendition.height, interpolation="BICUBIC")
                    small.pts, small.pict_type = pts, PictureType.NONE
                    out.encode_video(small)
                if not candidates or (targets and t >= targets[0]):
                    candidates.append(frame_image(shown))
                    targets = [x for x in targets if x > t]
    return end, candidates


def _discard(outputs: list[_Output]) -> None:
    """Close outputs of a failed run; their files go with the staging directory."""
    for out in outputs:
        try:
            out.container.close()
        except (av.error.FFmpegError, OSError):
            pass  # half-written files are deleted anyway


def transcode(path, demuxer: str, info: dict, outdir: Path, limits: Limits, loop: bool = False,
              fast: bool = False) -> dict:
    """Write every rendition and the poster into outdir; return the manifest.

    fast: only the quick rendition (the light rung at x264's superfast, non-reference frames
    skipped), a fast-start manifest for sources that cannot be remuxed; NotEligible when the
    ladder is a single rung anyway.
    """
    check_limits(info, limits)
    renditions = ladder(info["width"], info["height"])
    if fast:
        first = quick(info["width"], info["height"])
        if first is None or loop:
            raise NotEligible("the full ladder is as quick to make")
        renditions = [first]
    try:
        source = open_av(path, demuxer)
    except av.error.FFmpegError:
        raise MediaError(DAMAGED) from None
    with source:
        stream = video_stream(source)
        audio = source.streams.audio[0] if source.streams.audio else None
        stream.thread_type = "AUTO"
        if fast:
            # The quick copy skips the frames no other frame refers to: often every other one (15 fps
            # from 30), which halves decoding and everything after it. The full ladder has them all.
            stream.codec_context.skip_frame = "NONREF"
        start = (source.start_time or 0) / av.time_base
        rate = min(stream.average_rate or stream.guessed_rate or FPS_CAP, FPS_CAP)
        codec = audio.codec_context if audio else None
        outputs = [_Output(outdir / f"{r.name}.mp4", r, stream.time_base, rate, codec) for r in renditions]
        try:
            end, candidates = _run(source, stream, audio, outputs, info, limits, start)
            entries = [out.close(end) for out in outputs]
        except av.error.FFmpegError as e:
            _discard(outputs)
            if isinstance(e, MemoryError):
                raise  # out of memory says nothing about the file being damaged
            if out_of_space(e):
                raise OutOfSpace() from None  # nor does a full disk
            raise MediaError(DAMAGED) from None
        except BaseException:
            _discard(outputs)
            raise
    # A truncated file with its index at the front decodes "successfully" but short.
    if not candidates or decoded_short(end, info["duration"]):
        raise MediaError(DAMAGED)
    poster = max(candidates, key=interest)
    # The item's size is the full ladder's, so the layout does not jump when the ladder swaps in.
    feed = ladder(info["width"], info["height"])[0]
    return {
        "kind": "video", "width": feed.width, "height": feed.height,
        "duration": round(end, 3), "has_audio": audio is not None, "loop": loop,
        "blurhash": blurhash_of(poster), "poster": poster_entry(poster, outdir),
        "renditions": entries, "variants": [], "fast_start": fast,
    }
