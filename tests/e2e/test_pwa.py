"""The PWA shell in Chromium at a phone viewport against a real server."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN, MEMBER

pytestmark = pytest.mark.browser

NAV = ["Feed", "Videos", "New post", "Notifications", "Profile"]


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def sign_in(page: Page, person: dict) -> None:
    page.goto("/#/feed")
    page.get_by_label("Email").fill(person["email"])
    page.get_by_label("Password").fill(person["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Feed", level=1)).to_be_visible()


def write_post(page: Page, text: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name="New post").click()
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", name="Feed", level=1)).to_be_visible()
    expect(article(page, text)).to_be_visible()


def article(page: Page, text: str):
    return page.get_by_role("article").filter(has_text=text)


def test_sign_in_shows_errors_then_the_feed(page: Page) -> None:
    page.goto("/")
    page.get_by_label("Email").fill(ADMIN["email"])
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"\w+ \w+"))
    expect(page.get_by_role("navigation")).to_be_hidden()

    page.get_by_label("Password").fill(ADMIN["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Feed", level=1)).to_be_visible()
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link")).to_have_text(NAV)
    for name in NAV:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_post_shows_as_article_with_its_actions(page: Page) -> None:
    sign_in(page, ADMIN)
    text = unique("Hello from the e2e suite")
    write_post(page, text)
    post = article(page, text)
    # Shown at once without a reload (other tests share this server, so it need not be first).
    expect(post).to_be_visible()
    for name in ("Like", "Comment"):  # working now: tests/e2e/test_social.py drives them
        expect(post.get_by_role("button", name=name, exact=True)).to_be_enabled()
    expect(post.get_by_role("button", name="Like", exact=True)).to_have_attribute("aria-pressed", "false")
    expect(post.get_by_role("button", name="Share")).to_be_enabled()
    expect(post.get_by_role("button", name="Pin", exact=True)).to_be_visible()
    expect(post.get_by_text("just now")).to_be_visible()


def test_composer_offers_camera_and_library(page: Page) -> None:
    sign_in(page, MEMBER)
    page.get_by_role("link", name="New post").click()
    library = page.get_by_label("Add photos or video")
    expect(library).to_be_enabled()
    expect(library).to_have_attribute("multiple", "")
    expect(page.get_by_label("Take photo or video")).to_have_attribute("capture", "environment")
    expect(page.get_by_role("button", name="Post", exact=True)).to_be_disabled()
    page.get_by_label("Message").fill("x")
    expect(page.get_by_text("1 / 5,000")).to_be_visible()


def test_videos_tab_is_the_pager_not_a_placeholder(page: Page) -> None:
    sign_in(page, MEMBER)
    page.get_by_role("link", name="Videos").click()
    expect(page.get_by_role("heading", name="Videos", level=1)).to_be_visible()
    expect(page.locator(".videos")).to_be_attached()  # the pager; tests/e2e/test_videos.py drives it
    expect(page.get_by_text(re.compile("coming soon"))).to_have_count(0)


def test_invited_colleague_sees_the_admins_post(new_context) -> None:
    admin = new_context().new_page()
    sign_in(admin, ADMIN)
    text = unique("Welcome aboard, colleagues")
    write_post(admin, text)

    admin.get_by_role("link", name="Profile").click()
    admin.get_by_label("Role").select_option("member")
    admin.get_by_label("Email (optional)").fill("lena@example.com")
    admin.get_by_role("button", name="Create invite link").click()
    link = admin.get_by_label("Invite link")
    expect(link).to_have_value(re.compile(r"#/join/\S+"))
    expect(admin.get_by_role("button", name="Copy")).to_be_visible()
    invite_url = link.input_value()

    guest = new_context().new_page()
    guest.goto(invite_url)
    expect(guest.get_by_text("You are invited as Member.")).to_be_visible()
    expect(guest.get_by_label("Email")).to_have_value("lena@example.com")
    guest.get_by_label("Name").fill("Lena Newcomer")
    guest.get_by_label("Password").fill("short")
    guest.get_by_role("button", name="Create account").click()
    expect(guest.get_by_role("alert")).to_contain_text("at least 10 characters")
    guest.get_by_label("Password").fill("lena-correct-horse")
    guest.get_by_role("button", name="Create account").click()
    expect(guest.get_by_role("heading", name="Feed", level=1)).to_be_visible()
    post = article(guest, text)
    expect(post).to_contain_text("Ada Admin")
    # A member cannot pin or delete someone else's post.
    expect(post.get_by_role("button", name="Pin", exact=True)).to_have_count(0)
    expect(post.get_by_role("button", name="Delete")).to_have_count(0)

    # The colleague's profile lists their posts.
    post.get_by_role("link", name="Ada Admin").click()
    expect(guest.get_by_role("heading", name="Ada Admin", level=1)).to_be_visible()
    expect(article(guest, text)).to_be_visible()


def test_pinned_post_comes_first(page: Page) -> None:
    sign_in(page, ADMIN)
    older = unique("Management message")
    write_post(page, older)
    write_post(page, unique("Newer chatter"))
    expect(page.get_by_role("article").first).not_to_contain_text(older)

    article(page, older).get_by_role("button", name="Pin", exact=True).click()
    first = page.get_by_role("article").first
    expect(first).to_contain_text(older)
    expect(first).to_contain_text("Pinned")
    expect(first.get_by_role("button", name="Unpin")).to_be_visible()

    page.reload()
    expect(page.get_by_role("article").first).to_contain_text(older)
    page.get_by_role("article").first.get_by_role("button", name="Unpin").click()
    expect(page.get_by_role("article").first).not_to_contain_text("Pinned")


def test_delete_own_post_after_confirm(page: Page) -> None:
    sign_in(page, MEMBER)
    text = unique("A post I regret")
    write_post(page, text)
    article(page, text).get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Cancel").click()
    expect(article(page, text)).to_be_visible()
    article(page, text).get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(article(page, text)).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", name="Feed", level=1)).to_be_visible()
    expect(article(page, text)).to_have_count(0)


def test_hostile_post_body_renders_as_text(page: Page) -> None:
    sign_in(page, MEMBER)
    body = (
        '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> '
        "javascript:window.__pwned=3 see https://example.com/ok. #safety @ada"
    )
    write_post(page, body)
    post = article(page, "window.__pwned=3")
    expect(post).to_contain_text('<img src=x onerror="window.__pwned=1">')
    expect(post.locator("img, script")).to_have_count(0)
    hrefs = post.locator(".post-body a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs == ["https://example.com/ok", "#/tag/safety", "#/mention/ada"]
    assert page.evaluate("window.__pwned") is None


def test_language_switch_shows_german(page: Page) -> None:
    sign_in(page, MEMBER)
    page.get_by_role("link", name="Profile").click()
    page.get_by_label("Language").select_option("de")
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Neuer Beitrag")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    page.reload()  # remembered on this device
    expect(page.get_by_role("link", name="Neuer Beitrag")).to_be_visible()
    page.get_by_label("Sprache").select_option("en")
    expect(nav.get_by_role("link", name="New post")).to_be_visible()


def test_offline_reload_shows_shell_banner_and_cached_feed(new_context) -> None:
    context = new_context()
    page = context.new_page()
    sign_in(page, ADMIN)
    text = unique("Readable in the tunnel")
    write_post(page, text)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10_000)
    page.reload()  # this load's first feed page goes through the service worker and is kept
    expect(article(page, text)).to_be_visible()

    context.set_offline(True)
    try:
        page.reload()
        expect(page.get_by_role("navigation").get_by_role("link", name="Feed")).to_be_visible()
        expect(page.get_by_text("You are offline — showing what was loaded last")).to_be_visible()
        expect(article(page, text)).to_be_visible()
    finally:
        context.set_offline(False)


def test_sign_out_clears_the_cached_feed(new_context) -> None:
    context = new_context()
    page = context.new_page()
    sign_in(page, ADMIN)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10_000)
    page.reload()
    expect(page.get_by_role("article").first).to_be_visible()
    assert page.evaluate("caches.open('hallway-api').then(c => c.keys()).then(k => k.length)") == 1
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate("caches.has('hallway-api')") is False
    assert page.evaluate("localStorage.getItem('hallway.me')") is None


def test_share_copies_the_post_link(new_context) -> None:
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in(page, MEMBER)
    text = unique("Worth sharing")
    write_post(page, text)
    page.evaluate("delete Navigator.prototype.share")  # no share sheet: the copy fallback
    article(page, text).get_by_role("button", name="Share").click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert re.search(r"/#/post/\d+$", link), link
    page.goto(link)
    expect(page.get_by_role("heading", name="Post", level=1)).to_be_visible()
    expect(page.get_by_role("article")).to_contain_text(text)


def test_infinite_scroll_loads_older_pages(page: Page) -> None:
    sign_in(page, MEMBER)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    batch = unique("Scroll batch")
    for i in range(25):
        response = page.request.post("/api/posts", data={"body": f"{batch} #{i:02d}"}, headers={"x-csrftoken": token})
        assert response.status == 201, response.text()
    page.get_by_role("button", name="Refresh").click()
    expect(article(page, f"{batch} #24")).to_be_visible()
    oldest = article(page, f"{batch} #00")
    expect(oldest).to_have_count(0)  # beyond the first page of 20
    for _ in range(10):
        if oldest.count():
            break
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(300)
    expect(oldest).to_be_visible()
