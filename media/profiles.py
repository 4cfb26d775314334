"""Limits and the rendition ladder: pure data, no I/O."""

import os
from dataclasses import dataclass, replace
from fractions import Fraction

__all__ = ["FPS_CAP", "QUICK_PRESET", "Limits", "Rendition", "ladder", "quick"]

# Feed playback never needs more; 60 fps phone clips halve their size.
FPS_CAP = Fraction(30)
# x264 speed of the quick first rendition: it plays for a minute, then the ladder replaces it.
QUICK_PRESET = "superfast"


@dataclass(frozen=True)
class Limits:
    """What one file may cost; the defaults suit a 2-core worker."""

    max_duration: float = 600.0
    max_frame_long: int = 7680
    max_frame_short: int = 4320
    max_image_pixels: int = 100_000_000
    timeout: float = 300.0
    memory_mb: int = 3072

    @classmethod
    def from_env(cls) -> "Limits":
        """Limits overridden by HALLWAY_MEDIA_* variables (used by the CLI)."""
        env = os.environ
        base = cls()
        return cls(
            max_duration=float(env.get("HALLWAY_MEDIA_MAX_DURATION", base.max_duration)),
            max_image_pixels=int(env.get("HALLWAY_MEDIA_MAX_IMAGE_PIXELS", base.max_image_pixels)),
            timeout=float(env.get("HALLWAY_MEDIA_TIMEOUT", base.timeout)),
            memory_mb=int(env.get("HALLWAY_MEDIA_MEMORY_MB", base.memory_mb)),
        )

    def frame_fits(self, width: int, height: int) -> bool:
        """Whether a frame is at most 8K in either orientation."""
        return max(width, height) <= self.max_frame_long and min(width, height) <= self.max_frame_short


@dataclass(frozen=True)
class Rendition:
    """One output video: size and encoder settings."""

    name: str
    width: int
    height: int
    crf: int
    maxrate: int
    audio_bitrate: int
    preset: str = "veryfast"


# (short side, crf, maxrate, audio bitrate): the feed rendition, then the Save-Data one.
_RUNGS = ((720, 23, 3_000_000, 128_000), (360, 26, 800_000, 64_000))


def _even(value: float) -> int:
    """Round down to an even number, at least 2: yuv420p needs even sizes, and never upscale."""
    return max(2, int(value + 1e-6) // 2 * 2)


def ladder(width: int, height: int) -> list[Rendition]:
    """Renditions for a displayed size: short side 720 and 360, never upscaled."""
    short = min(width, height)
    out = []
    for target, crf, maxrate, audio in _RUNGS:
        scale = min(1.0, target / short)
        w, h = _even(width * scale), _even(height * scale)
        if out and min(w, h) >= min(out[-1].width, out[-1].height):
            continue  # a small source: the lighter rung would be the same size
        out.append(Rendition(f"{min(w, h)}p", w, h, crf, maxrate, audio))
    return out


def quick(width: int, height: int) -> Rendition | None:
    """The ladder's light rung encoded fast, published before the full ladder; None when the
    ladder is that one rung already (a small source: the full transcode is as quick)."""
    rungs = ladder(width, height)
    if len(rungs) < 2:
        return None
    return replace(rungs[-1], name="quick", preset=QUICK_PRESET)
