"""Photos: open safely, orient once, convert to sRGB, re-encode WebP variants from pixels."""

import io
import os
import re
import warnings
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, ImageSequence
from pillow_heif import register_heif_opener

from .errors import DAMAGED, UNSUPPORTED, MediaError, image_too_large
from .formats import IMAGE_FORMATS
from .profiles import Limits
from .thumbs import blurhash_of

__all__ = ["VARIANTS", "open_image", "process_image"]

register_heif_opener()

# Long-side sizes of the WebP variants: full-screen on a phone, and the grid thumbnail.
VARIANTS = (1080, 320)
_QUALITY = 80
_SRGB = ImageCms.createProfile("sRGB")


@contextmanager
def _pixel_limit(limits: Limits):
    """Apply our pixel limit to Pillow and make its bomb warning (1x to 2x the limit) an error."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _bomb_pixels(error: Exception) -> int:
    """The pixel count Pillow states in its bomb message."""
    return int(re.search(r"\((\d+) pixels\)", str(error)).group(1))


@contextmanager
def open_image(path: str | os.PathLike, limits: Limits):
    """Open an image (header only) within the pixel limit; file problems become MediaError."""
    with _pixel_limit(limits):
        try:
            im = Image.open(path, formats=IMAGE_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
            raise image_too_large(_bomb_pixels(e)) from None
        except Image.UnidentifiedImageError:
            raise MediaError(UNSUPPORTED) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise MediaError(DAMAGED) from None
        with im:
            width, height = im.size
            if width * height > limits.max_image_pixels:
                raise image_too_large(width * height)
            yield im


def _to_srgb(im: Image.Image) -> Image.Image:
    """8-bit RGB(A) in sRGB: embedded ICC profiles honoured, 16-bit and CMYK reduced."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    has_alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
    mode = "RGBA" if has_alpha else "RGB"
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            out_mode = "RGBA" if im.mode == "RGBA" else "RGB"
            return ImageCms.profileToProfile(im, source, _SRGB, outputMode=out_mode)
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: the plain conversion below is the best guess
    return im.convert(mode)


def _fit(im: Image.Image, long_side: int) -> Image.Image:
    """Scale down so the long side is at most long_side; never up."""
    scale = long_side / max(im.size)
    if scale >= 1:
        return im.copy()
    size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _save_webp(frames: list[Image.Image], durations: list[int], path: Path) -> None:
    """Write pixels only: no EXIF, XMP or ICC is ever passed to the encoder."""
    first = frames[0]
    first.info = {}
    if len(frames) == 1:
        first.save(path, "WEBP", quality=_QUALITY, method=4, exif=b"", icc_profile=None)
        return
    first.save(path, "WEBP", quality=_QUALITY, method=4, save_all=True, append_images=frames[1:],
               duration=durations, loop=0, exif=b"", icc_profile=None)


def _decode(im: Image.Image, limits: Limits) -> tuple[list[Image.Image], list[int]]:
    """All frames as oriented sRGB images, with their durations in ms."""
    frames, durations = [], []
    budget = limits.max_image_pixels * 10  # an animation may not decode to more than 10 full photos
    for frame in ImageSequence.Iterator(im):
        budget -= frame.width * frame.height
        if budget < 0:
            raise image_too_large(im.width * im.height * getattr(im, "n_frames", 1))
        frames.append(_to_srgb(ImageOps.exif_transpose(frame)))
        durations.append(int(frame.info.get("duration", 100)) or 100)
    return frames, durations


def process_image(path: str | os.PathLike, outdir: Path, limits: Limits) -> dict:
    """Write the WebP variants into outdir and return the manifest."""
    with open_image(path, limits) as im:
        try:
            frames, durations = _decode(im, limits)
        except (OSError, SyntaxError, ValueError, EOFError):
            raise MediaError(DAMAGED) from None
    width, height = frames[0].size
    variants = []
    for long_side in VARIANTS:
        scaled = [_fit(frame, long_side) for frame in frames]
        # The next, smaller variant scales from this one: much cheaper than from the original.
        frames = scaled
        target = outdir / f"{long_side}.webp"
        _save_webp(scaled, durations, target)
        variants.append({
            "name": str(long_side), "file": target.name, "width": scaled[0].width,
            "height": scaled[0].height, "size": target.stat().st_size, "mime": "image/webp",
        })
    return {
        "kind": "image", "width": width, "height": height,
        "duration": None, "has_audio": False, "loop": False, "blurhash": blurhash_of(frames[0]),
        "poster": None, "renditions": [], "variants": variants, "fast_start": False,
    }
