"""Photos come out upright, sRGB, as WebP variants that carry no metadata at all."""

from PIL import Image

import media

from .conftest import MARKER
from .makers import top_is_red


def _no_metadata(outdir) -> None:
    """No output byte carries EXIF, GPS or the camera's name."""
    for path in outdir.iterdir():
        data = path.read_bytes()
        assert MARKER.encode() not in data and b"Exif" not in data and b"GPS" not in data, path.name
        if path.suffix == ".webp":
            with Image.open(path) as im:
                assert not im.getexif() and "icc_profile" not in im.info and "xmp" not in im.info


def test_heic_variants_drop_gps(heic_photo, tmp_path):
    manifest = media.process(heic_photo, tmp_path)
    assert (manifest["kind"], manifest["width"], manifest["height"]) == ("image", 1600, 1200)
    assert manifest["renditions"] == [] and manifest["poster"] is None and manifest["duration"] is None
    sizes = [(v["name"], v["width"], v["height"], v["mime"]) for v in manifest["variants"]]
    assert sizes == [("1080", 1080, 810, "image/webp"), ("320", 320, 240, "image/webp")]
    for variant in manifest["variants"]:
        with Image.open(tmp_path / variant["file"]) as im:
            assert im.format == "WEBP" and im.size == (variant["width"], variant["height"]) and top_is_red(im)
        assert variant["size"] == (tmp_path / variant["file"]).stat().st_size
    assert len(manifest["blurhash"]) >= 20
    _no_metadata(tmp_path)


def test_exif_orientation_applied_once(jpeg_sideways, tmp_path):
    info = media.probe(jpeg_sideways)
    assert (info["kind"], info["width"], info["height"], info["rotation"]) == ("image", 900, 1200, 270)
    manifest = media.process(jpeg_sideways, tmp_path)
    with Image.open(tmp_path / "1080.webp") as im:
        assert im.size == (810, 1080) and top_is_red(im)
    assert (manifest["width"], manifest["height"]) == (900, 1200)
    _no_metadata(tmp_path)


def test_cmyk_becomes_rgb_with_the_same_colour(cmyk_jpeg, tmp_path):
    media.process(cmyk_jpeg, tmp_path)
    with Image.open(tmp_path / "1080.webp") as im:
        assert im.mode == "RGB" and im.size == (400, 300)  # never upscaled
        r, g, b = im.getpixel((200, 150))
        assert r > 200 and g < 60 and b < 60  # full magenta + yellow ink is red


def test_16_bit_png_keeps_its_gradient(png16, tmp_path):
    media.process(png16, tmp_path)
    with Image.open(tmp_path / "1080.webp") as im:
        grey = im.convert("L")
        assert grey.getpixel((150, 5)) < 40 and grey.getpixel((150, 195)) > 215


def test_animated_webp_keeps_its_frames(animated_webp, tmp_path):
    manifest = media.process(animated_webp, tmp_path)
    assert manifest["kind"] == "image"
    for variant in manifest["variants"]:
        with Image.open(tmp_path / variant["file"]) as im:
            assert im.n_frames == 3 and im.info["loop"] == 0


def test_panorama_fits_the_long_side(panorama, tmp_path):
    manifest = media.process(panorama, tmp_path)
    assert [(v["width"], v["height"]) for v in manifest["variants"]] == [(1080, 270), (320, 80)]
    _no_metadata(tmp_path)
