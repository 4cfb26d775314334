"""media.kind_of: photo or video from the first bytes and the container's structure, without decoding."""

import time

import pytest
from PIL import Image

import media
from media.formats import gif_is_animated

from .makers import make_frame_flood_gif


def _refuse_decoders(monkeypatch) -> None:
    """kind_of runs in the web process: neither FFmpeg nor Pillow may be reached."""
    import av
    import PIL.Image

    def refuse(*args, **kwargs):
        raise AssertionError("kind_of decoded the file")

    monkeypatch.setattr(av, "open", refuse)
    monkeypatch.setattr(PIL.Image, "open", refuse)


@pytest.fixture
def no_decoders(monkeypatch):
    _refuse_decoders(monkeypatch)


@pytest.mark.parametrize("fixture, kind", [
    ("rotated_clip", "video"), ("hlg_clip", "video"), ("webm_clip", "video"), ("ts_clip", "video"),
    ("animated_gif", "video"), ("heic_photo", "image"), ("jpeg_sideways", "image"), ("png16", "image"),
    ("animated_webp", "image"),
])
def test_phone_files_by_kind(request, monkeypatch, fixture, kind):
    path = request.getfixturevalue(fixture)  # made with PyAV and Pillow before they are refused
    _refuse_decoders(monkeypatch)
    assert media.kind_of(path) == kind


def test_a_still_gif_is_a_photo_and_agrees_with_pillow(tmp_path, animated_gif):
    still = tmp_path / "still.gif"
    Image.new("P", (40, 30), 3).save(still)
    assert (media.kind_of(still), gif_is_animated(still)) == ("image", False)
    for path in (still, animated_gif):
        with Image.open(path) as im:
            assert gif_is_animated(path) == (im.n_frames > 1)


def test_a_gif_cut_short_before_its_second_frame_is_a_photo(tmp_path, animated_gif):
    data = animated_gif.read_bytes()
    cut = tmp_path / "cut.gif"
    cut.write_bytes(data[: data.index(b"\x2c") + 20])  # inside the first frame's data
    assert media.kind_of(cut) == "image"


def test_a_huge_frame_flood_is_judged_at_its_second_frame(tmp_path, no_decoders):
    path = make_frame_flood_gif(tmp_path / "flood.gif", 300_000)
    started = time.monotonic()
    assert media.kind_of(path) == "video"
    assert time.monotonic() - started < 0.05


def test_a_gif_of_millions_of_one_byte_blocks_is_refused_quickly(tmp_path, no_decoders):
    """Encoders write 255-byte blocks; a flood of 1-byte ones would make even the walk slow."""
    head = bytearray(b"GIF89a" + (8).to_bytes(2, "little") * 2 + b"\x00\x00\x00")
    frame = b"\x2c" + bytes(4) + (8).to_bytes(2, "little") * 2 + b"\x00" + b"\x08"
    path = tmp_path / "blocks.gif"
    path.write_bytes(bytes(head) + frame + b"\x01\x00" * 3_000_000 + b"\x00\x3b")
    started = time.monotonic()
    with pytest.raises(media.MediaError) as refused:
        media.kind_of(path)
    assert refused.value.reason == "this file type is not supported"
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\nnope",  # a PNG signature without the header chunk every PNG begins with
    b"RIFF\x10\x00\x00\x00WEBPnope",
    b"Meeting notes\nbring snacks\n",
])
def test_signatures_without_their_structure_are_refused(tmp_path, content):
    path = tmp_path / "upload"
    path.write_bytes(content)
    with pytest.raises(media.MediaError) as refused:
        media.kind_of(path)
    assert refused.value.reason == "this file type is not supported"
