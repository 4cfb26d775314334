"""Videos come out right-side up, SDR, even-sized, with their sound and length, playable at once."""

from pathlib import Path

import av
import pytest

import media

from .makers import box_order, make_clip, top_is_red


def _first_image(path: Path):
    """The first picture of a video as a viewer would see it."""
    with av.open(str(path)) as c:
        frame = next(c.decode(video=0))
        return frame.to_image(), frame


def _streams(path: Path) -> dict:
    """Codec facts of an output file."""
    with av.open(str(path)) as c:
        a = c.streams.audio[0] if c.streams.audio else None
        audio_frames = sum(1 for _ in c.decode(a)) if a else 0
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        times = [float(f.pts * f.time_base) for f in c.decode(v)]
        return {
            "codec": v.codec_context.name, "pix_fmt": v.codec_context.format.name,
            "width": v.codec_context.width, "height": v.codec_context.height,
            "times": times, "audio": a.codec_context.name if a else None,
            "audio_frames": audio_frames,
            "duration": c.duration / av.time_base,
        }


@pytest.fixture(scope="module")
def rotated_out(rotated_clip, tmp_path_factory):
    """The rotated Android clip, processed."""
    out = tmp_path_factory.mktemp("rotated")
    return media.process(rotated_clip, out), out


def test_probe_reports_the_displayed_shape(rotated_clip):
    info = media.probe(rotated_clip)
    assert (info["kind"], info["container"], info["video_codec"], info["audio_codec"]) == ("video", "mov", "h264", "aac")
    assert (info["width"], info["height"], info["rotation"]) == (480, 854, 270)
    assert info["duration"] == pytest.approx(1.5, abs=0.05)
    assert info["has_audio"] is True and info["bit_depth"] == 8 and info["hdr"] is None


def test_rotated_clip_is_portrait_and_right_side_up(rotated_out):
    manifest, out = rotated_out
    assert [r["name"] for r in manifest["renditions"]] == ["480p", "360p"]
    for rendition in manifest["renditions"]:
        image, frame = _first_image(out / rendition["file"])
        assert (image.width, image.height) == (rendition["width"], rendition["height"])
        assert image.height > image.width and frame.rotation == 0  # pixels turned, no matrix left
        assert top_is_red(image)
    poster = av.open(str(out / "poster.webp"))  # the poster, too, is upright
    assert top_is_red(next(poster.decode(video=0)).to_image())


def test_rendition_keeps_duration_and_audio_and_starts_fast(rotated_out):
    manifest, out = rotated_out
    facts = _streams(out / "480p.mp4")
    assert (facts["codec"], facts["pix_fmt"], facts["audio"]) == ("h264", "yuv420p", "aac")
    assert facts["audio_frames"] > 40  # 1.5 s of AAC, not a stub track
    assert facts["duration"] == pytest.approx(1.5, abs=0.1)
    assert manifest["duration"] == pytest.approx(1.5, abs=0.1) and manifest["has_audio"] is True
    order = box_order(out / "480p.mp4")
    assert order.index("moov") < order.index("mdat")
    entry = manifest["renditions"][0]
    assert entry["size"] == (out / "480p.mp4").stat().st_size and entry["bitrate"] > 0
    assert len(manifest["blurhash"]) >= 20 and manifest["poster"]["file"] == "poster.webp"
    assert sorted(p.name for p in out.iterdir()) == ["360p.mp4", "480p.mp4", "manifest.json", "poster.webp"]


def test_hdr_hevc_becomes_sdr_8bit_bt709_upright(hlg_clip, tmp_path):
    info = media.probe(hlg_clip)
    assert (info["video_codec"], info["bit_depth"], info["hdr"], info["fps"]) == ("hevc", 10, "hlg", 60.0)
    manifest = media.process(hlg_clip, tmp_path)
    path = tmp_path / manifest["renditions"][0]["file"]
    with av.open(str(path)) as c:
        ctx = c.streams.video[0].codec_context
        assert (ctx.name, ctx.format.name) == ("h264", "yuv420p")
        assert (ctx.color_primaries, ctx.color_trc, ctx.colorspace) == (1, 1, 1)  # BT.709
    image, _ = _first_image(path)
    assert (image.width, image.height) == (180, 320) and top_is_red(image)
    times = _streams(path)["times"]
    assert min(b - a for a, b in zip(times, times[1:])) >= 1 / 30 - 0.002  # 60 fps capped at 30


def test_variable_frame_rate_timing_is_kept(vfr_clip, tmp_path):
    with av.open(str(vfr_clip)) as c:
        source = [float(f.pts * f.time_base) for f in c.decode(video=0)]
    manifest = media.process(vfr_clip, tmp_path)
    out = _streams(tmp_path / manifest["renditions"][0]["file"])
    assert out["times"][-1] == pytest.approx(source[-1], abs=0.04)
    gaps = {round(b - a, 3) for a, b in zip(out["times"], out["times"][1:])}
    assert {0.067} <= gaps and min(gaps) >= 0.033  # 15 fps stretches kept, 60 fps bursts capped


def test_webm_with_odd_size_becomes_even_mp4_with_sound(webm_clip, tmp_path):
    manifest = media.process(webm_clip, tmp_path)
    facts = _streams(tmp_path / manifest["renditions"][0]["file"])
    assert facts["width"] % 2 == 0 and facts["height"] % 2 == 0
    assert (facts["width"], facts["height"]) == (330, 188)
    assert facts["audio"] == "aac" and facts["audio_frames"] > 20


def test_mpegts_without_audio(ts_clip, tmp_path):
    manifest = media.process(ts_clip, tmp_path)
    assert manifest["has_audio"] is False
    facts = _streams(tmp_path / manifest["renditions"][0]["file"])
    assert facts["audio"] is None and facts["duration"] == pytest.approx(1.0, abs=0.1)


def test_animated_gif_becomes_looping_mp4(animated_gif, tmp_path):
    manifest = media.process(animated_gif, tmp_path)
    assert (manifest["kind"], manifest["loop"], manifest["has_audio"]) == ("video", True, False)
    assert manifest["duration"] == pytest.approx(0.6, abs=0.05)
    image, _ = _first_image(tmp_path / manifest["renditions"][0]["file"])
    assert top_is_red(image)


def test_fast_start_remuxes_without_reencoding(plain_clip, tmp_path):
    assert box_order(plain_clip).index("mdat") < box_order(plain_clip).index("moov")
    manifest = media.process(plain_clip, tmp_path, fast_start=True)
    assert manifest["fast_start"] is True and [r["file"] for r in manifest["renditions"]] == ["fast.mp4"]
    fast = tmp_path / "fast.mp4"
    order = box_order(fast)
    assert order.index("moov") < order.index("mdat")
    with av.open(str(plain_clip)) as a, av.open(str(fast)) as b:
        assert [bytes(p) for p in a.demux(video=0)] == [bytes(p) for p in b.demux(video=0)]  # same bits
    assert (manifest["width"], manifest["height"]) == (180, 320)
    assert top_is_red(_first_image(tmp_path / "poster.webp")[0])
    _, frame = _first_image(fast)
    assert frame.rotation == -90  # the display matrix travels with the copy


def test_fast_start_refuses_what_needs_a_reencode(hlg_clip, heic_photo, tmp_path):
    for path in (hlg_clip, heic_photo):
        with pytest.raises(media.NotEligible):
            media.process(path, tmp_path / path.stem, fast_start=True)
        assert not (tmp_path / path.stem).exists()


@pytest.fixture(scope="module")
def big_hevc_clip(media_dir) -> Path:
    """An iPhone-style 10-bit HLG HEVC clip large enough for a two-rung ladder, sideways."""
    return make_clip(media_dir / "iphone-480.mov", codec="libx265", pix_fmt="yuv420p10le", hlg=True,
                     width=854, height=480, seconds=1.0, rotation=-90, bar="left")


def test_fast_start_of_hevc_is_one_quick_light_rendition(big_hevc_clip, tmp_path):
    quick = media.process(big_hevc_clip, tmp_path / "quick", fast_start=True)
    assert quick["fast_start"] is True
    assert [(r["name"], r["width"], r["height"]) for r in quick["renditions"]] == [("quick", 360, 640)]
    full = media.process(big_hevc_clip, tmp_path / "full")
    assert full["fast_start"] is False and [r["name"] for r in full["renditions"]] == ["480p", "360p"]
    # The item keeps the full ladder's size, so nothing jumps when the ladder replaces the quick copy.
    assert (quick["width"], quick["height"]) == (full["width"], full["height"]) == (480, 854)
    assert quick["duration"] == pytest.approx(full["duration"], abs=0.05)
    out = tmp_path / "quick" / quick["renditions"][0]["file"]
    facts = _streams(out)
    assert (facts["codec"], facts["pix_fmt"], facts["audio"]) == ("h264", "yuv420p", "aac")
    assert box_order(out)[:2] == ["ftyp", "moov"]
    image, frame = _first_image(out)
    assert top_is_red(image) and frame.rotation == 0
    assert top_is_red(_first_image(tmp_path / "quick" / "poster.webp")[0])
    # Frames nothing refers to may be skipped (a lower frame rate), but the clip still runs to its end.
    whole = _streams(tmp_path / "full" / "360p.mp4")
    assert len(facts["times"]) <= len(whole["times"]) and facts["times"][-1] > whole["times"][-1] - 0.2
    # x264 records its settings in the stream: the quick copy used the faster preset.
    assert b"subme=1 " in out.read_bytes() and b"subme=1 " not in (tmp_path / "full" / "360p.mp4").read_bytes()


def test_fast_start_of_a_small_or_looping_source_is_the_full_transcode(hlg_clip, animated_gif, tmp_path):
    for path in (hlg_clip, animated_gif):
        with pytest.raises(media.NotEligible):
            media.process(path, tmp_path / path.stem, fast_start=True)
        assert not (tmp_path / path.stem).exists()
