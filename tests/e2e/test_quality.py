"""The PWA's quality bar in Chromium: axe-core finds no violation on any screen, every screen
fits a 320 px phone and a landscape phone without sideways scrolling, and Lighthouse gives the
signed-in feed an accessibility score of 100 (performance is measured by bench/pwa.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN
from tests.e2e.quality import AXE, LIGHTHOUSE, axe_violations, browser_cookies, describe, lighthouse
from tests.e2e.test_pwa import sign_in
from tests.support import need

pytestmark = pytest.mark.browser

SCREENS = ["sign-in", "feed", "composer", "videos", "people", "profile", "post", "accounts"]
NARROW = {"width": 320, "height": 640}
LANDSCAPE = {"width": 844, "height": 390}


@pytest.fixture(autouse=True)
def _tools():
    need(AXE.exists() and LIGHTHOUSE.exists(), "axe-core and lighthouse in node_modules (npm ci)")


def open_screen(page: Page, screen: str, clip: dict) -> None:
    """Open a screen as a signed-in admin (the sign-in screen signed out) and wait until it settles."""
    if screen == "sign-in":
        page.goto("/")
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        return
    sign_in(page, ADMIN)
    hashes = {
        "feed": ("#/feed", "Feed"), "composer": ("#/new", "New post"), "videos": ("#/videos", "Videos"),
        "people": (f"#/people/{clip['author']['id']}", clip["author"]["name"]), "profile": ("#/profile", "Profile"),
        "post": (f"#/post/{clip['id']}", None), "accounts": ("#/accounts", "People"),
    }
    target, heading = hashes[screen]
    page.evaluate("hash => { location.hash = hash; }", target)
    if heading:
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    if screen == "videos":
        expect(page.locator(".clip[data-active]")).to_be_visible()
    if screen == "post":
        expect(page.get_by_role("article").first).to_be_visible()
    if screen == "accounts":
        expect(page.get_by_role("button", name="Reset password").first).to_be_visible()
        # With one person's job, department, location and manager form open, checked too.
        page.get_by_text("Job, department, location, manager").first.click()
        expect(page.get_by_role("button", name="Save details")).to_be_visible()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("screen", SCREENS)
def test_axe_finds_no_violations(page: Page, seeded_clip, screen: str) -> None:
    open_screen(page, screen, seeded_clip)
    violations = axe_violations(page)
    assert not violations, f"axe on {screen}:\n{describe(violations)}"


@pytest.mark.parametrize("viewport", [NARROW, LANDSCAPE], ids=["320px", "landscape"])
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_fits_without_sideways_scrolling(new_context, seeded_clip, screen: str, viewport: dict) -> None:
    page = new_context(viewport=viewport).new_page()
    open_screen(page, screen, seeded_clip)
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width <= inner, f"{screen} at {viewport}: {width}px wide in a {inner}px window"
    # The screen's heading (or the sign-in button) is on screen, not pushed out of it.
    target = page.get_by_role("button", name="Sign in") if screen == "sign-in" else page.locator("#title")
    box = target.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= inner + 0.5, box


def test_lighthouse_feed_accessibility_is_100(page: Page) -> None:
    sign_in(page, ADMIN)
    report = lighthouse(page.url.split("#")[0] + "#/feed", cookies=browser_cookies(page.context))
    assert report["requestedUrl"].endswith("#/feed")
    # Signed in (the cookie reached the server): the page loaded the feed, not the sign-in form.
    requests = report["audits"]["network-requests"]["details"]["items"]
    assert any("/api/feed" in r["url"] and r.get("statusCode") == 200 for r in requests), [
        (r["url"], r.get("statusCode")) for r in requests if "/api/" in r["url"] and "/js/" not in r["url"]]
    failing = [
        (a["id"], [item.get("node", {}).get("snippet") for item in (a.get("details") or {}).get("items", [])][:3])
        for a in report["audits"].values() if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0
    ]
    assert report["categories"]["accessibility"]["score"] == 1, failing
    # Performance varies with this machine's load (Lighthouse gives no score at all when a metric could
    # not be measured beside the API suite); bench/pwa.py records it against the 95 target.
    performance = report["categories"]["performance"]["score"]
    print("lighthouse performance", "not measured" if performance is None else f"{performance:.2f}")


def test_axe_finds_no_violations_in_the_kudos_sheet(page: Page) -> None:
    """The sheet a post's author opens to thank colleagues after posting."""
    from tests.e2e.test_pwa import article, unique, write_post

    sign_in(page, ADMIN)
    text = unique("Kudos sheet check")
    write_post(page, text)
    article(page, text).get_by_role("button", name="Thank colleagues").click()
    expect(page.get_by_role("dialog", name="Kudos")).to_be_visible()
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert not violations, f"axe on the kudos sheet:\n{describe(violations)}"
