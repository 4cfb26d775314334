"""One file in, outputs plus manifest.json out: routing, staging and atomic publishing."""

import json
import os
import shutil
import tempfile
from pathlib import Path

from .errors import NotEligible
from .faststart import remux
from .formats import sniff
from .image import process_image
from .probe import probe
from .profiles import Limits
from .video import transcode

__all__ = ["MANIFEST", "build", "discard", "process", "publish", "stage"]

MANIFEST = "manifest.json"


def build(path: str | os.PathLike, staging: Path, limits: Limits, fast_start: bool = False) -> dict:
    """Write all outputs of one file into staging and return its manifest."""
    sniffed = sniff(path)
    info = probe(path, limits)
    if info["kind"] == "image":
        if fast_start:
            raise NotEligible("images are processed directly")
        return process_image(path, staging, limits)
    # An animated GIF arrives here as a video: it becomes a looping MP4.
    loop = sniffed.kind == "gif"
    if fast_start:
        try:
            return remux(path, sniffed.demuxer, info, staging, limits)
        except NotEligible:
            # HEVC, VP9, 10-bit...: a quick light rendition first (NotEligible if it would not be quicker).
            return transcode(path, sniffed.demuxer, info, staging, limits, loop=loop, fast=True)
    return transcode(path, sniffed.demuxer, info, staging, limits, loop=loop)


def stage(outdir: str | os.PathLike) -> tuple[Path, Path, bool]:
    """Create outdir if needed and a hidden staging directory inside it."""
    outdir = Path(outdir)
    created = not outdir.exists()
    outdir.mkdir(parents=True, exist_ok=True)
    return outdir, Path(tempfile.mkdtemp(prefix=".partial-", dir=outdir)), created


def publish(staging: Path, outdir: Path, manifest: dict) -> None:
    """Move finished files into outdir, manifest.json last, so readers never see half a result."""
    for item in staging.iterdir():
        os.replace(item, outdir / item.name)
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))
    os.replace(staging / MANIFEST, outdir / MANIFEST)
    staging.rmdir()


def discard(staging: Path, outdir: Path, created: bool) -> None:
    """Remove a failed run's files, and outdir itself if this run created it."""
    shutil.rmtree(staging, ignore_errors=True)
    if created:
        try:
            outdir.rmdir()
        except OSError:
            pass  # something else was put there meanwhile: not ours to remove


def process(path: str | os.PathLike, outdir: str | os.PathLike, limits: Limits | None = None,
            fast_start: bool = False) -> dict:
    """Process one file in this process; on any failure nothing is left in outdir."""
    outdir, staging, created = stage(outdir)
    try:
        manifest = build(path, staging, limits or Limits(), fast_start)
        publish(staging, outdir, manifest)
    except BaseException:
        discard(staging, outdir, created)
        raise
    return manifest
