"""Posting a video from a phone: the composer uploads with tus, the worker publishes, the feed
shows the video card; an upload cut off when the app closes resumes where it stopped."""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path

import av
import pytest
from PIL import Image
from playwright.sync_api import Page, Request, Route, expect

from tests.e2e.conftest import MEMBER
from tests.e2e.test_pwa import article, sign_in
from tests.media.makers import make_clip
from tests.support import need

pytestmark = pytest.mark.browser

CHUNK = 5 * 1024 * 1024  # the PWA's tus chunk size (pwa/js/lib/upload-queue.js)
TUS = {"Tus-Resumable": "1.0.0"}


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def make_noise_clip(path: Path, frames: int = 48) -> Path:
    """A valid H.264 MP4 larger than one tus chunk: lossless random pixels do not compress."""
    out = av.open(str(path), "w", options={"movflags": "+faststart"})
    stream = out.add_stream("libx264", rate=10)
    stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
    stream.options = {"qp": "0", "preset": "ultrafast"}
    for i in range(frames):
        frame = av.VideoFrame.from_image(Image.frombytes("RGB", (320, 240), os.urandom(320 * 240 * 3)))
        frame = frame.reformat(format="yuv420p")
        frame.pts = i
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))
    out.close()
    assert path.stat().st_size > CHUNK + 500_000, "the clip must span more than one chunk"
    return path


def wait_until(page: Page, condition, timeout: float = 20.0, what: str = "") -> None:
    """Poll a Python-side condition while Playwright keeps delivering events."""
    for _ in range(int(timeout * 10)):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what or condition}")


def open_composer(page: Page) -> None:
    page.get_by_role("navigation").get_by_role("link", name="New post").click()
    expect(page.get_by_role("heading", name="New post", level=1)).to_be_visible()


def test_video_post_uploads_processes_and_shows_as_a_video_card(page: Page, tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "commute.mp4", width=320, height=568, seconds=1.0)
    sign_in(page, MEMBER)
    open_composer(page)
    text = unique("Clip from the train")
    page.get_by_label("Message").fill(text)
    page.get_by_label("Add photos or video").set_input_files(str(clip))

    attachment = page.get_by_role("listitem").filter(has_text="commute.mp4")
    expect(attachment.locator("video.preview")).to_have_attribute("src", re.compile(r"^blob:"))
    progress = page.get_by_role("progressbar", name="Upload of commute.mp4")
    expect(progress).to_be_visible()
    expect(attachment.get_by_text("Uploaded")).to_be_visible(timeout=20_000)
    expect(progress).to_have_attribute("value", "100")
    post_button = page.get_by_role("button", name="Post", exact=True)
    expect(post_button).to_be_enabled()
    post_button.click()

    expect(page.get_by_role("heading", name="Feed", level=1)).to_be_visible()
    card = article(page, text)
    expect(card).to_be_visible()
    # Processing first (unless the worker was quicker than the page), then the card itself.
    video = card.locator("video.feed-video")
    expect(video).to_have_count(1, timeout=60_000)
    expect(card.get_by_text("Processing your video")).to_have_count(0)
    expect(video).to_have_attribute("poster", re.compile(r"^/media/.+"))
    expect(video).to_have_attribute("src", re.compile(r"^/media/.+"))
    expect(video).to_have_attribute("preload", "none")
    expect(video).to_have_attribute("playsinline", "")
    assert video.evaluate("v => v.muted && v.loop") is True
    # The blurhash placeholder is painted before the poster arrives.
    expect(card.locator("canvas.blurhash")).to_have_count(1)
    painted = card.locator("canvas.blurhash").evaluate(
        "c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).some((v, i) => i % 4 !== 3 && v > 0)"
    )
    assert painted, "the blurhash canvas has colour"


def test_the_video_card_plays_while_in_view(page: Page, tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "loop.mp4", width=320, height=568, seconds=1.0)
    sign_in(page, MEMBER)
    open_composer(page)
    text = unique("Playing in the feed")
    page.get_by_label("Message").fill(text)
    page.get_by_label("Add photos or video").set_input_files(str(clip))
    expect(page.get_by_role("button", name="Post", exact=True)).to_be_enabled(timeout=20_000)
    page.get_by_role("button", name="Post", exact=True).click()
    video = article(page, text).locator("video.feed-video")
    expect(video).to_have_count(1, timeout=60_000)
    served = page.request.get(video.get_attribute("src"), headers={"Range": "bytes=0-99"}).status
    need(served == 206, f"media served with Range at /media/ (got HTTP {served}; the media route is another change)")
    # Mostly in view, it plays by itself (muted) and loops; scrolled away, it pauses.
    video.scroll_into_view_if_needed()
    page.wait_for_function("v => v.currentTime > 0.1 && !v.paused", arg=video.element_handle(), timeout=20_000)
    page.evaluate("document.querySelector('main').append(Object.assign(document.createElement('div'), {style: 'height: 300vh'}))")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("v => v.paused", arg=video.element_handle(), timeout=10_000)


def test_an_unusable_file_is_refused_in_words(page: Page) -> None:
    sign_in(page, MEMBER)
    open_composer(page)
    page.get_by_label("Add photos or video").set_input_files(
        {"name": "broken.mp4", "mimeType": "video/mp4", "buffer": b"this is not a video " * 200}
    )
    expect(page.get_by_role("listitem").filter(has_text="broken.mp4").get_by_text("Uploaded")).to_be_visible()
    page.get_by_role("button", name="Post", exact=True).click()
    # The server's sentence, naming the file; the composer keeps everything for another try.
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"^broken\.mp4: \w+"))
    expect(page.get_by_role("heading", name="New post", level=1)).to_be_visible()
    page.get_by_role("listitem").filter(has_text="broken.mp4").get_by_role("button", name=re.compile("^Remove")).click()
    expect(page.get_by_role("listitem")).to_have_count(0)


def _upload_offset(page_or_context, url: str) -> int:
    response = page_or_context.request.head(url, headers=TUS)
    assert response.status == 200, response.status
    return int(response.headers["upload-offset"])


def test_upload_resumes_after_the_app_is_closed(page: Page, new_context, tmp_path: Path) -> None:
    clip = make_noise_clip(tmp_path / "tunnel.mp4")
    size = clip.stat().st_size
    sign_in(page, MEMBER)
    open_composer(page)
    text = unique("Through the tunnel")
    page.get_by_label("Message").fill(text)

    created: list[str] = []
    cut_at: list[int] = []

    def on_response(response) -> None:
        if response.request.method == "POST" and response.url.endswith("/api/uploads") and response.status == 201:
            created.append(response.headers["location"])

    # The first chunk gets through; every later PATCH dies as if the train entered a tunnel.
    def tunnel(route: Route, request: Request) -> None:
        offset = int(request.headers.get("upload-offset", "0"))
        if request.method == "PATCH" and offset > 0:
            cut_at.append(offset)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.on("response", on_response)
    page.route(re.compile(r"/api/uploads(/.*)?$"), tunnel)
    page.get_by_label("Add photos or video").set_input_files(str(clip))
    wait_until(page, lambda: cut_at, what="the second chunk to be cut off")
    assert len(created) == 1
    upload_url = created[0]  # /api/uploads/<id>; page.request resolves it against the server
    assert _upload_offset(page, upload_url) == CHUNK, "the first chunk is on the server"

    # Still in the tunnel, the person closes the app; later they open it again, back online.
    context = page.context
    context.set_offline(True)  # no retried request can slip through while the page closes
    page.close()
    context.set_offline(False)
    # Closing may cut a retried PATCH mid-stream: the server keeps what arrived. Resume from there.
    stopped, previous = _upload_offset(context, upload_url), -1
    while stopped != previous:
        time.sleep(0.3)
        stopped, previous = _upload_offset(context, upload_url), stopped
    assert CHUNK <= stopped < size
    again = context.new_page()
    patches: list[int] = []
    creations: list[str] = []

    # Seen through interception: every upload request of the reopened app passes here.
    def watch(route: Route, request: Request) -> None:
        if request.method == "POST":
            creations.append(request.url)
        if request.method == "PATCH":
            patches.append(int(request.headers["upload-offset"]))
        route.continue_()

    again.route(re.compile(r"/api/uploads(/.*)?$"), watch)
    again.goto("/#/new")
    attachment = again.get_by_role("listitem").filter(has_text="tunnel.mp4")
    expect(attachment.get_by_text("Uploaded")).to_be_visible(timeout=30_000)
    expect(again.get_by_label("Message")).to_have_value(text)

    assert _upload_offset(again, upload_url) == size
    assert creations == [], "no new upload was created: the old one was resumed"
    # One PATCH from the server's offset to the end: only the missing bytes travelled again.
    assert patches == [stopped], f"resumed at the server's offset {stopped}, not from zero: {patches}"

    again.get_by_role("button", name="Post", exact=True).click()
    expect(again.get_by_role("heading", name="Feed", level=1)).to_be_visible()
    expect(article(again, text)).to_be_visible()


def test_upload_pauses_offline_and_carries_on_online(new_context, tmp_path: Path) -> None:
    clip = make_noise_clip(tmp_path / "dead-zone.mp4")
    context = new_context()
    page = context.new_page()
    sign_in(page, MEMBER)
    open_composer(page)
    page.get_by_label("Message").fill(unique("Dead zone"))

    # The connection drops just as the second chunk leaves.
    dropped: list[int] = []
    creations: list[str] = []

    def hold(route: Route, request: Request) -> None:
        offset = int(request.headers.get("upload-offset", "0"))
        if request.method == "POST":
            creations.append(request.url)
        if request.method == "PATCH" and offset > 0 and not dropped:
            dropped.append(offset)
            context.set_offline(True)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(re.compile(r"/api/uploads(/.*)?$"), hold)
    page.get_by_label("Add photos or video").set_input_files(str(clip))
    attachment = page.get_by_role("listitem").filter(has_text="dead-zone.mp4")
    expect(attachment.get_by_text(re.compile("Paused: no connection"))).to_be_visible(timeout=20_000)
    expect(page.get_by_role("button", name="Post", exact=True)).to_be_disabled()

    context.set_offline(False)
    expect(attachment.get_by_text("Uploaded")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Post", exact=True)).to_be_enabled()
    assert dropped == [CHUNK]
    assert len(creations) == 1, "carried on with the same upload, did not start over"


def test_photos_with_alt_text_in_the_chosen_order_become_a_gallery(page: Page, tmp_path: Path) -> None:
    photos = []
    for name, colour in (("red.png", (220, 30, 30)), ("blue.png", (30, 30, 220))):
        Image.new("RGB", (400, 300), colour).save(tmp_path / name)
        photos.append(str(tmp_path / name))
    sign_in(page, MEMBER)
    open_composer(page)
    text = unique("Two photos")
    page.get_by_label("Message").fill(text)
    page.get_by_label("Add photos or video").set_input_files(photos)
    expect(page.get_by_text("Uploaded")).to_have_count(2, timeout=20_000)
    expect(page.get_by_role("button", name="Move photo 2 right")).to_be_disabled()
    page.get_by_role("button", name="Move photo 2 left").click()  # blue first
    items = page.get_by_role("listitem")
    expect(items.first).to_contain_text("blue.png")
    items.first.get_by_label("Describe this photo (alt text)").fill("A blue wall")
    items.nth(1).get_by_label("Describe this photo (alt text)").fill("A red door")
    page.get_by_role("button", name="Post", exact=True).click()

    card = article(page, text)
    images = card.locator(".slides img")
    expect(images).to_have_count(2, timeout=60_000)
    expect(images.first).to_have_attribute("alt", "A blue wall")
    expect(images.nth(1)).to_have_attribute("alt", "A red door")
    expect(images.first).to_have_attribute("srcset", re.compile(r"^/media/\S+ \d+w"))
    expect(card.get_by_role("button", name="Photo 2 of 2")).to_be_visible()


def test_a_failed_post_says_why_and_offers_retry_and_delete(new_context, tmp_path: Path) -> None:
    """A cut-off clip: the author reads the reason on the post at the top of the feed; Retry puts
    it back to processing (the worker fails it again, in the same words); Delete removes it."""
    clip = make_clip(tmp_path / "tunnel.webm", codec="libvpx-vp9", fmt="webm", audio="libopus", seconds=1.0)
    cut = tmp_path / "cut-off.webm"
    cut.write_bytes(clip.read_bytes()[: clip.stat().st_size * 6 // 10])
    context = new_context()
    # Page timers under the test's control: paused, the feed's 3 s poll of processing posts waits.
    context.clock.install()
    page = context.new_page()
    sign_in(page, MEMBER)
    open_composer(page)
    text = unique("Cut off in the tunnel")
    page.get_by_label("Message").fill(text)
    page.get_by_label("Add photos or video").set_input_files(str(cut))
    expect(page.get_by_role("button", name="Post", exact=True)).to_be_enabled(timeout=20_000)
    with page.expect_response(lambda r: r.url.endswith("/api/posts") and r.request.method == "POST") as made:
        page.get_by_role("button", name="Post", exact=True).click()
    post_id = made.value.json()["id"]

    card = article(page, text)
    reason = "This post could not be published: The file is damaged or incomplete."
    expect(card.get_by_text(reason)).to_be_visible(timeout=60_000)
    assert page.get_by_role("article").first.text_content() == card.text_content()  # at the top of the feed
    note = card.locator(".note.error")
    expect(note).to_contain_text(reason)
    retry, delete = note.get_by_role("button", name="Retry"), note.get_by_role("button", name="Delete")
    expect(retry).to_be_visible()
    expect(delete).to_be_visible()
    # One Delete on the card: the one beside Retry, not a second in the header's tools.
    expect(card.get_by_role("button", name="Delete")).to_have_count(1)

    page.clock.pause_at(int(time.time() * 1000) + 1000)
    with page.expect_response(lambda r: r.url.endswith(f"/api/posts/{post_id}/retry")) as answer:
        retry.click()
    assert answer.value.status == 200 and answer.value.json()["status"] == "processing"
    # Back to processing, without the buttons, until the worker has been at it again.
    expect(card.get_by_text("Processing your video")).to_be_visible()
    expect(retry).to_have_count(0)
    expect(card.get_by_text(reason)).to_have_count(0)
    page.clock.resume()
    expect(card.get_by_text(reason)).to_be_visible(timeout=60_000)

    expect(card.get_by_role("button", name="Delete")).to_have_count(1)
    delete.click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(card).to_have_count(0)
    expect(page.get_by_text("Post deleted.")).to_be_visible()
    assert page.request.get(f"/api/posts/{post_id}").status == 404
    page.reload()
    expect(page.get_by_role("heading", name="Feed", level=1)).to_be_visible()
    expect(page.locator(".post-list")).to_have_attribute("aria-busy", "false")
    expect(page.locator(".list-status")).not_to_have_text("")  # loaded: the end of the feed, or "No posts yet"
    expect(article(page, text)).to_have_count(0)


def test_a_post_whose_answer_was_lost_is_posted_once_when_sent_again(page: Page) -> None:
    """The server made the post but the phone never heard back; Post again gives that post, not a second."""
    sign_in(page, MEMBER)
    open_composer(page)
    text = unique("Lunch at noon")
    page.get_by_label("Message").fill(text)
    keys: list[str] = []

    def lose_the_first_answer(route: Route, request: Request) -> None:
        if request.method != "POST":
            route.continue_()
            return
        keys.append(request.headers.get("idempotency-key", ""))
        if len(keys) == 1:
            route.fetch()  # it reaches the server and is made...
            route.abort("connectionreset")  # ...and the answer is lost on the way back
        else:
            route.continue_()

    page.route("**/api/posts", lose_the_first_answer)
    post_button = page.get_by_role("button", name="Post", exact=True)
    post_button.click()
    expect(page.get_by_text("No connection to Hallway")).to_be_visible()
    post_button.click()
    expect(page.get_by_role("article").filter(has_text=text)).to_be_visible()
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1], keys
    page.unroute("**/api/posts")
    page.reload()
    expect(page.get_by_role("article").filter(has_text=text)).to_have_count(1)
