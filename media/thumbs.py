"""Posters and blurhashes: picking a representative frame and summarising it."""

import blurhash
from PIL import Image, ImageStat

__all__ = ["blurhash_of", "interest"]

# Encoding cost grows with pixel count: a 32 px thumbnail keeps it to milliseconds.
_HASH_SIZE = 32


def blurhash_of(image: Image.Image) -> str:
    """The blurhash of an image, from a tiny thumbnail, with more components along the long side."""
    thumb = image.convert("RGB")
    thumb.thumbnail((_HASH_SIZE, _HASH_SIZE), Image.Resampling.BILINEAR)
    pixels = list(thumb.get_flattened_data())
    rows = [pixels[y * thumb.width : (y + 1) * thumb.width] for y in range(thumb.height)]
    x, y = (4, 3) if thumb.width >= thumb.height else (3, 4)
    return blurhash.encode(rows, components_x=x, components_y=y)


def interest(image: Image.Image) -> float:
    """How good a poster this frame makes: contrast, with dark or blank frames scored low."""
    stat = ImageStat.Stat(image.convert("L").resize((64, 64)))
    mean, spread = stat.mean[0], stat.stddev[0]
    return spread * min(1.0, mean / 48)
