"""The Videos pager on a phone-sized Chromium with touch: swiping plays the visible clip and
pauses the one left behind, only a few <video> elements ever exist, reduced motion means no
autoplay, the position survives leaving the tab, sound stays on, a double tap likes."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import _DATA, ADMIN
from tests.e2e.test_pwa import sign_in
from tests.support import need

pytestmark = pytest.mark.browser

ACTIVE = ".clip[data-active]"
PLAYING = "v => !!v && !v.paused && v.currentTime > 0"


def tag() -> str:
    return uuid.uuid4().hex[:6]


def open_videos(page: Page) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Videos").click()
    expect(page.get_by_role("heading", name="Videos", level=1)).to_be_visible()


def active_caption(page: Page) -> str:
    return page.locator(ACTIVE).locator(".clip-caption").inner_text()


def swipe_up(page: Page) -> None:
    """A finger dragged up over the lower half of the pager (CDP touch events, as a phone sends)."""
    box = page.locator(".pager").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.9
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - step * box["height"] * 0.07}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def video_of(page: Page, caption: str):
    return page.locator(".clip").filter(has=page.get_by_text(caption, exact=True)).locator("video")


def played_a_loop(video) -> None:
    """Wait until the (2-second) clip looped back to its start and played half a second more."""
    video.evaluate("""v => new Promise((resolve) => {
        let looped = false, last = v.currentTime;
        const check = () => {
            if (v.currentTime < last - 0.5) looped = true;
            last = v.currentTime;
            if (looped && v.currentTime >= 0.5) resolve(); else requestAnimationFrame(check);
        };
        check();
    })""")


def views_report_of(post_id: int):
    """A predicate for page.expect_request: a views batch that says how long this post's clip played."""

    def matches(request) -> bool:
        if "/api/views" not in request.url or request.method != "POST":
            return False
        items = json.loads(request.post_data or "{}").get("items", [])
        return any(i["post_id"] == post_id and i.get("watched_seconds") for i in items)

    return matches


@contextmanager
def must_read(server, post_id: int, newest: bool = False) -> Iterator[None]:
    """The post as a must-read announcement for everyone (the feeds put it first), made the newest
    post with `newest`; a plain post again afterwards, so no must-read heads the tests after it."""
    db = _DATA[server] / "hallway.sqlite3"
    newest_sql = ", published_at = (SELECT MAX(published_at) FROM posts)" if newest else ""
    con = sqlite3.connect(db, timeout=30)
    with con:
        con.execute(f"UPDATE posts SET must_read = 1{newest_sql} WHERE id = ?", (post_id,))
        con.execute("INSERT INTO announcements (post, reminders) VALUES (?, 0)", (post_id,))
    con.close()
    try:
        yield
    finally:
        con = sqlite3.connect(db, timeout=30)
        with con:
            con.execute("DELETE FROM announcements WHERE post = ?", (post_id,))
            con.execute("UPDATE posts SET must_read = 0 WHERE id = ?", (post_id,))
        con.close()


def test_swiping_plays_the_visible_clip_and_pauses_the_previous(page: Page, seed_videos) -> None:
    prefix = f"Swipe {tag()}"
    seed_videos(4, prefix)
    sign_in(page, ADMIN)
    open_videos(page)
    first = page.locator(".clip").first
    expect(first).to_contain_text(f"{prefix} 1")
    expect(first).to_have_attribute("aria-label", "Video by Max Member")
    expect(first.get_by_role("link", name="Max Member")).to_have_attribute("href", re.compile(r"^#/people/\d+$"))
    page.wait_for_function(PLAYING, arg=video_of(page, f"{prefix} 1").element_handle(), timeout=20_000)
    video = video_of(page, f"{prefix} 1")
    assert video.evaluate("v => v.muted && v.hasAttribute('playsinline') && v.loop") is True
    # The next clip is already loading; the pager holds players for the window only.
    assert video_of(page, f"{prefix} 2").get_attribute("preload") == "auto"

    for n in (2, 3):
        swipe_up(page)
        expect(page.locator(ACTIVE)).to_contain_text(f"{prefix} {n}", timeout=10_000)
        page.wait_for_function(PLAYING, arg=video_of(page, f"{prefix} {n}").element_handle(), timeout=20_000)
        assert video_of(page, f"{prefix} {n - 1}").evaluate("v => v.paused") is True, "the clip left behind is paused"
        # The visible clip comes to rest filling the pager: scroll snap stops on it.
        page.wait_for_function(
            "() => Math.abs(document.querySelector('.clip[data-active]').getBoundingClientRect().top"
            " - document.querySelector('.pager').getBoundingClientRect().top) < 2", timeout=5_000)
    # Two clips behind the visible one, its player was released (no decoder kept).
    expect(video_of(page, f"{prefix} 1")).to_have_count(0)
    assert page.locator("video").count() <= 3

    # Tap pauses, tap again plays.
    page.locator(ACTIVE).locator(".clip-stage").tap()
    page.wait_for_function("v => v.paused", arg=video_of(page, f"{prefix} 3").element_handle())
    expect(page.locator(ACTIVE).get_by_role("button", name="Play")).to_be_visible()
    page.locator(ACTIVE).get_by_role("button", name="Play").tap()
    page.wait_for_function("v => !v.paused", arg=video_of(page, f"{prefix} 3").element_handle())

    # Sound on stays on for the next clip and the next visit.
    sound = page.get_by_role("button", name="Sound")
    expect(sound).to_have_attribute("aria-pressed", "false")
    sound.tap()
    expect(sound).to_have_attribute("aria-pressed", "true")
    assert video_of(page, f"{prefix} 3").evaluate("v => v.muted") is False
    swipe_up(page)
    expect(page.locator(ACTIVE)).to_contain_text(f"{prefix} 4", timeout=10_000)
    page.wait_for_function("v => !v.paused && !v.muted", arg=video_of(page, f"{prefix} 4").element_handle(), timeout=20_000)
    assert page.evaluate("localStorage.getItem('hallway.videos.sound')") == "on"


def test_two_hundred_videos_never_keep_more_than_a_handful_of_players(page: Page, seed_videos) -> None:
    prefix = f"Long {tag()}"
    seed_videos(200, prefix)
    sign_in(page, ADMIN)
    open_videos(page)
    expect(page.locator(ACTIVE)).to_contain_text(f"{prefix} 1")
    # From here on, count <video> elements after every DOM change (the Feed's cards are gone).
    page.evaluate("""() => {
        window.__maxVideos = document.querySelectorAll('video').length;
        new MutationObserver(() => {
            window.__maxVideos = Math.max(window.__maxVideos, document.querySelectorAll('video').length);
        }).observe(document.body, { childList: true, subtree: true });
    }""")
    samples = []
    for n in range(2, 201):
        # At a page boundary the next page may still be on its way (a scroll past the end is lost).
        page.wait_for_function("n => document.querySelectorAll('.clip').length >= n", arg=n, timeout=20_000)
        # A real scroll of the pager by one slide; the pager follows its scroll events.
        page.evaluate("() => { const p = document.querySelector('.pager'); p.scrollTop += p.clientHeight; }")
        expect(page.locator(ACTIVE).locator(".clip-caption")).to_have_text(f"{prefix} {n}", timeout=10_000)
        samples.append(page.locator("video").count())
    assert page.locator(".clip").count() >= 200, "the cursor brought in every page"
    most = max(max(samples), page.evaluate("window.__maxVideos"))
    assert most <= 5, f"{most} <video> elements at once"
    assert samples[-1] >= 1, "the visible clip has its player"


def test_reduced_motion_turns_autoplay_off(new_context, seed_videos) -> None:
    prefix = f"Calm {tag()}"
    seed_videos(2, prefix)
    page = new_context(reduced_motion="reduce").new_page()
    sign_in(page, ADMIN)
    open_videos(page)
    expect(page.locator(ACTIVE)).to_contain_text(f"{prefix} 1")
    video = video_of(page, f"{prefix} 1")
    page.wait_for_function("v => v.readyState >= 2", arg=video.element_handle(), timeout=20_000)
    page.wait_for_timeout(500)
    assert video.evaluate("v => v.paused && v.currentTime === 0") is True, "nothing plays by itself"
    play = page.locator(ACTIVE).get_by_role("button", name="Play")
    expect(play).to_be_visible()
    play.tap()
    page.wait_for_function(PLAYING, arg=video.element_handle(), timeout=20_000)
    expect(page.locator(ACTIVE).get_by_role("button", name="Pause")).to_have_count(1)


def test_position_is_restored_when_coming_back_and_keys_move(page: Page, seed_videos) -> None:
    prefix = f"Back {tag()}"
    seed_videos(6, prefix)
    page.set_viewport_size({"width": 1024, "height": 768})  # a desktop with a keyboard
    sign_in(page, ADMIN)
    open_videos(page)
    expect(page.locator(ACTIVE)).to_contain_text(f"{prefix} 1")
    for n in (2, 3, 4):
        page.keyboard.press("ArrowDown")
        expect(page.locator(ACTIVE)).to_contain_text(f"{prefix} {n}")
    page.keyboard.press("ArrowUp")
    expect(page.locator(ACTIVE)).to_contain_text(f"{prefix} 3")
    page.get_by_role("navigation").get_by_role("link", name="Feed").click()
    expect(page.locator("video.clip-video")).to_have_count(0)
    open_videos(page)
    expect(page.locator(ACTIVE)).to_contain_text(f"{prefix} 3")
    page.wait_for_function(PLAYING, arg=video_of(page, f"{prefix} 3").element_handle(), timeout=20_000)


def test_double_tap_likes(page: Page, seed_videos) -> None:
    prefix = f"Like {tag()}"
    seed_videos(1, prefix)
    sign_in(page, ADMIN)
    open_videos(page)
    expect(page.locator(ACTIVE)).to_contain_text(f"{prefix} 1")
    post = page.request.get("/api/feed?kind=video&limit=1").json()["items"][0]
    stage = page.locator(ACTIVE).locator(".clip-stage")
    stage.dblclick()
    expect(page.locator(ACTIVE).locator(".clip-heart")).to_have_count(1)
    need("reactions" in post, "reactions in the post JSON (server/social); without them a double tap shows the heart only")
    like = page.locator(ACTIVE).get_by_role("button", name="Like")
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_contain_text("1")
    again = page.request.get(f"/api/posts/{post['id']}").json()
    assert again["reactions"]["like"] == 1 and "like" in again["my_reactions"]
    # A second double tap keeps the like (it never takes it back); the button does.
    stage.dblclick()
    page.wait_for_timeout(400)
    expect(like).to_have_attribute("aria-pressed", "true")
    like.tap()
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(like).to_contain_text("0")


def test_no_videos_says_so(new_context) -> None:
    # Service workers blocked: a request the worker makes itself escapes page.route.
    page = new_context(service_workers="block").new_page()
    sign_in(page, ADMIN)
    page.route("**/api/feed?*kind=video*", lambda route: route.fulfill(json={"items": [], "next_cursor": None}))
    open_videos(page)
    expect(page.get_by_text("No videos yet.")).to_be_visible()
    expect(page.get_by_role("link", name="Post a video")).to_have_attribute("href", "#/new")


def test_a_feed_card_video_reports_how_much_was_watched(page: Page, server, seed_videos) -> None:
    """The inline video of a feed card plays when in view and loops; leaving the feed sends its watch
    time, every loop counted (as the Videos pager counts them)."""
    caption = f"Watched {tag()}"
    (post_id,) = seed_videos(1, caption)
    # The copy keeps the seed clip's publishing time: made the newest, it is on the feed's first page.
    con = sqlite3.connect(_DATA[server] / "hallway.sqlite3", timeout=30)
    with con:
        con.execute("UPDATE posts SET published_at = (SELECT MAX(published_at) FROM posts) WHERE id = ?", (post_id,))
    con.close()
    sign_in(page, ADMIN)
    card = page.get_by_role("article").filter(has_text=f"{caption} 1")
    card.scroll_into_view_if_needed()
    video = card.locator("video")
    played_a_loop(video)  # muted autoplay while in view

    with page.expect_request(views_report_of(post_id)) as sent:
        page.get_by_role("navigation").get_by_role("link", name="Profile").click()
    item = next(i for i in json.loads(sent.value.post_data)["items"] if i["post_id"] == post_id)
    # More than the clip's length: the loop added up (its `played` ranges alone would say 2 s at most).
    assert 2.0 < item["watched_seconds"] < 60 and item["duration"] == pytest.approx(2.0, abs=0.2), item
    assert sent.value.response().status == 204

    con = sqlite3.connect(_DATA[server] / "hallway.sqlite3", timeout=30)
    try:
        row = con.execute("SELECT watched_seconds, duration, share FROM post_views WHERE post = ?", (post_id,)).fetchone()
    finally:
        con.close()
    assert row is not None and row[0] > 2.0 and row[2] > 0.9, row


def test_the_pager_reports_the_seconds_a_clip_played_when_it_is_left(page: Page, server, seed_videos) -> None:
    """Clip 1 loops for more than its length, a swipe leaves it: the server records its view with the
    time really played (loops add up), and clip 2 counts as seen."""
    prefix = f"Pager views {tag()}"
    first_id, second_id = seed_videos(2, prefix)
    # The copies keep the seed clip's publishing time: made the newest (ties go by id), they come first.
    con = sqlite3.connect(_DATA[server] / "hallway.sqlite3", timeout=30)
    with con:
        con.execute("UPDATE posts SET published_at = (SELECT MAX(published_at) FROM posts) WHERE id IN (?, ?)",
                    (first_id, second_id))
    con.close()
    sign_in(page, ADMIN)
    open_videos(page)
    video = video_of(page, f"{prefix} 1")
    page.wait_for_function(PLAYING, arg=video.element_handle(), timeout=20_000)
    played_a_loop(video)

    with page.expect_request(views_report_of(first_id), timeout=20_000) as sent:
        swipe_up(page)
        expect(page.locator(ACTIVE)).to_contain_text(f"{prefix} 2", timeout=10_000)
    items = {i["post_id"]: i for i in json.loads(sent.value.post_data)["items"]}
    assert 2.0 < items[first_id]["watched_seconds"] < 60 and items[first_id]["duration"] == pytest.approx(2.0, abs=0.2)
    assert second_id in items, "the clip swiped to counts as seen"
    assert sent.value.response().status == 204

    con = sqlite3.connect(_DATA[server] / "hallway.sqlite3", timeout=30)
    try:
        row = con.execute("SELECT watched_seconds, share FROM post_views WHERE post = ?", (first_id,)).fetchone()
        seen = con.execute("SELECT COUNT(*) FROM post_views WHERE post = ?", (second_id,)).fetchone()[0]
    finally:
        con.close()
    assert row is not None and row[0] > 2.0 and row[1] > 0.9, row
    assert seen == 1


def test_a_must_read_clip_watched_in_the_pager_unlocks_got_it(page: Page, server, seed_videos) -> None:
    """The 80% rule of must-read videos counts what the pager played: leaving the screen sends the share."""
    caption = f"Must-read clip {tag()}"
    (post_id,) = seed_videos(1, caption)
    with must_read(server, post_id):
        sign_in(page, ADMIN)
        open_videos(page)
        expect(page.locator(ACTIVE)).to_contain_text(f"{caption} 1")
        video = video_of(page, f"{caption} 1")
        page.wait_for_function(PLAYING, arg=video.element_handle(), timeout=20_000)
        video.evaluate("""v => new Promise((resolve) => {
            const played = () => { let s = 0; for (let i = 0; i < v.played.length; i++) s += v.played.end(i) - v.played.start(i); return s; };
            const check = () => (played() >= 0.9 * v.duration ? resolve() : requestAnimationFrame(check));
            check();
        })""")
        with page.expect_response(lambda r: r.url.endswith(f"/api/announcements/{post_id}/progress"), timeout=20_000) as sent:
            page.get_by_role("navigation").get_by_role("link", name="Feed").click()
        assert sent.value.status == 200, sent.value.text()
        answer = sent.value.json()
        assert answer["can_acknowledge"] is True and answer["watched"] >= 0.8, answer


def test_got_it_in_the_pager_confirms_a_must_read_once_it_was_watched(new_context, server, seed_videos) -> None:
    """On a phone, a must-read clip in the pager carries its own "Got it": disabled, with a hint, until
    80% of the clip was watched (here: the viewer drags to near the end), then a tap confirms it on
    the server and the strip says so, with the focus on that line."""
    caption = f"Must-read in the pager {tag()}"
    (post_id,) = seed_videos(1, caption)
    with must_read(server, post_id):
        # Reduced motion: nothing plays by itself, so only the seek below counts as watching.
        page = new_context(reduced_motion="reduce").new_page()
        sign_in(page, ADMIN)
        open_videos(page)
        slide = page.locator(ACTIVE)
        expect(slide).to_contain_text(f"{caption} 1")
        got_it = slide.get_by_role("button", name="Got it")
        expect(got_it).to_be_visible()
        expect(got_it).to_be_disabled()
        expect(got_it).to_have_accessible_description("Watch to the end to confirm")
        expect(slide.get_by_text("Watch to the end to confirm")).to_be_visible()
        assert page.request.get(f"/api/posts/{post_id}").json()["acknowledged"] is False

        video = video_of(page, f"{caption} 1")
        page.wait_for_function("v => v.duration > 0", arg=video.element_handle(), timeout=20_000)
        with page.expect_response(lambda r: r.url.endswith(f"/api/announcements/{post_id}/progress")) as sent:
            video.evaluate("v => { v.currentTime = v.duration * 0.9; }")
        assert sent.value.json()["can_acknowledge"] is True, sent.value.json()
        expect(got_it).to_be_enabled()
        expect(slide.get_by_text("Watch to the end to confirm")).to_have_count(0)

        with page.expect_response(lambda r: r.url.endswith(f"/api/announcements/{post_id}/ack")) as acked:
            got_it.tap()
        assert acked.value.status == 200, acked.value.text()
        done = slide.get_by_role("status").filter(has_text="Confirmed — thank you")
        expect(done).to_be_visible()
        expect(done).to_be_focused()
        expect(got_it).to_have_count(0)
        assert page.request.get(f"/api/posts/{post_id}").json()["acknowledged"] is True


def test_a_must_read_clip_in_the_feed_unlocks_got_it_while_it_loops(page: Page, server, seed_videos) -> None:
    """A 2-second must-read clip playing (and looping) in its feed card: "Got it" unlocks as soon as
    80% of it was watched, not only at an "ended" a looping video never fires; a tap confirms it."""
    caption = f"Must-read in the feed {tag()}"
    (post_id,) = seed_videos(1, caption)
    with must_read(server, post_id, newest=True):
        sign_in(page, ADMIN)
        card = page.get_by_role("article").filter(has_text=f"{caption} 1")
        card.scroll_into_view_if_needed()
        got_it = card.get_by_role("button", name="Got it")
        expect(got_it).to_be_visible()
        expect(got_it).to_be_enabled(timeout=10_000)  # unlocked while the clip keeps looping
        assert card.locator("video").evaluate("v => v.loop") is True
        # From the keyboard: cards above may still grow (their own strips load late) under a tapping finger.
        got_it.focus()
        with page.expect_response(lambda r: r.url.endswith(f"/api/announcements/{post_id}/ack")) as acked:
            page.keyboard.press("Enter")
        assert acked.value.status == 200, acked.value.text()
        expect(card.get_by_text("Confirmed — thank you")).to_be_visible()
        assert page.request.get(f"/api/posts/{post_id}").json()["acknowledged"] is True
