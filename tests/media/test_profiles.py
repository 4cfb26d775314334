"""The rendition ladder and the limits: pure functions."""

from media.errors import too_long
from media.profiles import Limits, ladder


def test_phone_portrait_gets_feed_and_light_renditions():
    sizes = [(r.name, r.width, r.height) for r in ladder(1080, 1920)]
    assert sizes == [("720p", 720, 1280), ("360p", 360, 640)]


def test_never_upscaled_and_always_even():
    assert [(r.name, r.width, r.height) for r in ladder(333, 591)] == [("332p", 332, 590)]
    assert [(r.width, r.height) for r in ladder(3840, 2160)] == [(1280, 720), (640, 360)]
    assert all(r.width % 2 == 0 and r.height % 2 == 0 for r in ladder(641, 1139))


def test_light_rendition_is_lighter():
    feed, light = ladder(1080, 1920)
    assert light.maxrate < feed.maxrate and light.audio_bitrate < feed.audio_bitrate


def test_limits_and_reasons():
    limits = Limits()
    assert limits.frame_fits(4320, 7680) and not limits.frame_fits(8192, 8192)
    assert too_long(limits.max_duration).reason == "videos can be at most 10 minutes long"
    assert too_long(90).reason == "videos can be at most 90 seconds long"
