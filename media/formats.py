"""Recognise a file by its first bytes and open it with only the demuxers phones produce."""

import os
from dataclasses import dataclass
from pathlib import Path

import av

from .errors import EMPTY, UNSUPPORTED, MediaError

__all__ = ["IMAGE_FORMATS", "VIDEO_DEMUXERS", "Sniffed", "open_av", "sniff"]

# Demuxers FFmpeg may use. HLS, concat, image2 and png_pipe are absent on purpose:
# they open other files or URLs, or turn a renamed image into a "video".
VIDEO_DEMUXERS = ("mov", "matroska", "mpegts", "gif")
# Pillow plugins an upload may reach (the JPEG one also opens the MPO files of some phones).
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF", "AVIF", "GIF")

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
_MOV_ATOMS = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov", ".qt", ".3gp", ".mkv", ".webm", ".ts", ".mts", ".m2ts"}
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif"}


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes say: "video" with a demuxer, or "image" (GIF may be either)."""

    kind: str
    demuxer: str | None


def _classify(head: bytes) -> Sniffed | None:
    """The kind of file these first bytes begin, or None."""
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("gif", "gif")
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return Sniffed("image", None)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image", None)
    if head[4:8] == b"ftyp":
        size = int.from_bytes(head[:4], "big")
        brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(size, len(head)), 4)}
        # A HEIF's major brand says image; iPhone videos list no image brand first.
        if head[8:12] in _HEIF_BRANDS or (brands & _HEIF_BRANDS and not brands & {b"qt  ", b"isom", b"mp41", b"mp42"}):
            return Sniffed("image", None)
        return Sniffed("video", "mov")
    if head[4:8] in _MOV_ATOMS:
        return Sniffed("video", "mov")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed("video", "matroska")
    for packet in (188, 192):  # plain TS, and the timestamped M2TS of camcorders
        offset = 0 if packet == 188 else 4
        if all(len(head) > offset + k * packet and head[offset + k * packet] == 0x47 for k in range(3)):
            return Sniffed("video", "mpegts")
    return None


def sniff(path: str | os.PathLike) -> Sniffed:
    """Classify a file by content; reject what no phone produces, or a video name on an image."""
    with open(path, "rb") as f:
        head = f.read(1024)
    if not head:
        raise MediaError(EMPTY)
    found = _classify(head)
    if found is None:
        raise MediaError(UNSUPPORTED)
    suffix = Path(path).suffix.lower()
    # A name that promises the other kind is a disguise (e.g. a PNG renamed .mp4): refuse it.
    if (found.kind == "image" and suffix in _VIDEO_SUFFIXES) or (found.kind == "video" and suffix in _IMAGE_SUFFIXES):
        raise MediaError(UNSUPPORTED)
    return found


def open_av(path: str | os.PathLike, demuxer: str | None) -> av.container.InputContainer:
    """Open with a fixed demuxer, the allow-list and local files only, before any header is read."""
    options = {"format_whitelist": ",".join(VIDEO_DEMUXERS), "protocol_whitelist": "file"}
    # A path (not a Python file object) so FFmpeg's protocol whitelist applies to every open.
    return av.open(os.fspath(path), format=demuxer, options=options)
