"""Draw Hallway's app icons once (run: python pwa/icons/make-icons.py); the PNGs are committed.

A white "H" on the brand blue with a darker lower band. The maskable icon keeps
the mark inside the 80 % safe zone, so launchers can crop it to any shape.
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
BLUE = (43, 89, 195, 255)
BLUE_DARK = (30, 64, 150, 255)
WHITE = (255, 255, 255, 255)
SCALE = 4  # draw large, then downsample for smooth edges


def mark(draw: ImageDraw.ImageDraw, cx: float, cy: float, size: float) -> None:
    """The "H": two rounded posts and a crossbar."""
    w = size * 0.16
    h = size
    gap = size * 0.42
    left = cx - gap / 2 - w
    right = cx + gap / 2
    top = cy - h / 2
    r = w * 0.45
    draw.rounded_rectangle([left, top, left + w, top + h], r, fill=WHITE)
    draw.rounded_rectangle([right, top, right + w, top + h], r, fill=WHITE)
    bar = w * 0.8
    draw.rectangle([left + w - 1, cy - bar / 2, right + 1, cy + bar / 2], fill=WHITE)


def icon(px: int, *, maskable: bool) -> Image.Image:
    big = px * SCALE
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if maskable:
        draw.rectangle([0, 0, big, big], fill=BLUE)
        mark_size = big * 0.42
    else:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], big * 0.22, fill=BLUE)
        mark_size = big * 0.54
    # A soft lower band gives depth without a gradient library.
    band = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    ImageDraw.Draw(band).rectangle([0, big * 0.62, big, big], fill=BLUE_DARK)
    mask = img.split()[3]
    img = Image.alpha_composite(img, Image.composite(band, Image.new("RGBA", (big, big)), mask))
    mark(ImageDraw.Draw(img), big / 2, big / 2, mark_size)
    return img.resize((px, px), Image.LANCZOS)


def main() -> None:
    icon(192, maskable=False).save(HERE / "icon-192.png", optimize=True)
    icon(512, maskable=False).save(HERE / "icon-512.png", optimize=True)
    icon(512, maskable=True).save(HERE / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
