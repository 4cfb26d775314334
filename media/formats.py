"""Recognise a file by its first bytes and open it with only the demuxers phones produce."""

import mmap
import os
from dataclasses import dataclass
from pathlib import Path

import av

from .errors import EMPTY, UNSUPPORTED, MediaError

__all__ = ["IMAGE_FORMATS", "VIDEO_DEMUXERS", "Sniffed", "gif_is_animated", "kind_of", "open_av", "sniff"]

# Demuxers FFmpeg may use. HLS, concat, image2 and png_pipe are absent on purpose:
# they open other files or URLs, or turn a renamed image into a "video".
VIDEO_DEMUXERS = ("mov", "matroska", "mpegts", "gif")
# Pillow plugins an upload may reach (the JPEG one also opens the MPO files of some phones).
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF", "AVIF", "GIF")

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
_MOV_ATOMS = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov", ".qt", ".3gp", ".mkv", ".webm", ".ts", ".mts", ".m2ts"}
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif"}
_WEBP_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X"}
# Sub-blocks walked before a GIF's second frame: encoders write 255-byte ones, so a real first
# frame of 255 MB fits; more is a file crafted to make the walk itself slow.
_GIF_MAX_BLOCKS = 1_000_000


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes say: "video" with a demuxer, or "image" (GIF may be either)."""

    kind: str
    demuxer: str | None


def _classify(head: bytes) -> Sniffed | None:
    """The kind of file these first bytes begin, or None."""
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("gif", "gif")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", None)
    # A PNG's first chunk is its 13-byte header, a WebP's first chunk one of three kinds.
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[8:16] == b"\x00\x00\x00\rIHDR":
        return Sniffed("image", None)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and head[12:16] in _WEBP_CHUNKS:
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


def _skip_sub_blocks(data, pos: int, budget: list[int]) -> int:
    """The position after a chain of GIF data sub-blocks (each a length byte, then that many bytes)."""
    while True:
        budget[0] -= 1
        if budget[0] < 0:
            raise MediaError(UNSUPPORTED)
        size = data[pos]
        pos += 1
        if size == 0:
            return pos
        pos += size


def gif_is_animated(path: str | os.PathLike) -> bool:
    """Whether a GIF has a second frame, found by walking its blocks without decompressing any.

    Cheap whatever the file's size: the walk stops at the second frame, skips a frame's data
    255 bytes at a time, and gives up on a file crafted with millions of tiny blocks.
    """
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        budget, frames = [_GIF_MAX_BLOCKS], 0
        try:
            flags, pos = data[10], 13  # after the header and the logical screen descriptor
            if flags & 0x80:
                pos += 3 << ((flags & 7) + 1)  # the global colour table
            while True:
                block = data[pos]
                if block == 0x2C:  # an image: descriptor, optional local colour table, LZW data
                    frames += 1
                    if frames == 2:
                        return True
                    flags = data[pos + 9]
                    pos += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
                    pos = _skip_sub_blocks(data, pos + 1, budget)  # + the LZW code size byte
                elif block == 0x21:  # an extension: label, then sub-blocks
                    pos = _skip_sub_blocks(data, pos + 2, budget)
                else:  # the trailer, or bytes that are no block: no further frame
                    return False
        except IndexError:  # cut short: what it holds is all there is
            return False


def kind_of(path: str | os.PathLike) -> str:
    """"video" or "image" from the first bytes and the container's structure alone.

    Never decodes nor hands the file to FFmpeg or Pillow: cheap and safe enough for the web
    process. Whether the content is usable is for `probe`, in the worker's sandboxed child.
    """
    found = sniff(path)
    if found.kind == "gif":
        return "video" if gif_is_animated(path) else "image"
    return found.kind


def open_av(path: str | os.PathLike, demuxer: str | None) -> av.container.InputContainer:
    """Open with a fixed demuxer, the allow-list and local files only, before any header is read."""
    options = {"format_whitelist": ",".join(VIDEO_DEMUXERS), "protocol_whitelist": "file"}
    # A path (not a Python file object) so FFmpeg's protocol whitelist applies to every open.
    return av.open(os.fspath(path), format=demuxer, options=options)
