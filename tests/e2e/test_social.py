"""Browser tests of the social side at a phone viewport: reactions, comments with replies and
@mentions, search, follows and the Following feed, #tag pages and the live "New posts" pill."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN, MEMBER
from tests.e2e.test_pwa import article, sign_in, unique, write_post


def _signed_in(new_context, person: dict) -> Page:
    page = new_context().new_page()
    sign_in(page, person)
    return page


def test_like_and_react_on_a_card_then_see_who_reacted(new_context) -> None:
    author = _signed_in(new_context, MEMBER)
    text = unique("Our stand at the fair is ready")
    write_post(author, text)

    page = _signed_in(new_context, ADMIN)
    post = article(page, text)
    like = post.get_by_role("button", name="Like", exact=False).first
    expect(like).to_have_attribute("aria-pressed", "false")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_contain_text("1")

    post.get_by_role("button", name="React", exact=True).click()
    page.get_by_role("button", name="Applause").click()
    chip = post.get_by_role("button", name="Applause 1")
    expect(chip).to_have_attribute("aria-pressed", "true")

    # The server kept both: they are there after a reload.
    page.reload()
    post = article(page, text)
    expect(post.get_by_role("button", name="Like", exact=False).first).to_have_attribute("aria-pressed", "true")
    expect(post.get_by_role("button", name="Applause 1")).to_be_visible()

    post.get_by_role("button", name="2 reacted").click()
    sheet = page.get_by_role("dialog", name="Reactions")
    expect(sheet).to_be_visible()
    expect(sheet.get_by_role("link", name="Ada Admin")).to_have_count(2)  # a like and an applause
    page.keyboard.press("Escape")
    expect(sheet).to_have_count(0)

    # Tapping Like again takes it back.
    post.get_by_role("button", name="Like", exact=False).first.click()
    expect(post.get_by_role("button", name="Like", exact=False).first).to_have_attribute("aria-pressed", "false")


def test_comment_with_a_mention_then_reply_in_the_sheet(new_context) -> None:
    page = _signed_in(new_context, ADMIN)
    text = unique("Who knows the new coffee machine?")
    write_post(page, text)
    post = article(page, text)
    post.get_by_role("button", name="Comment").click()

    sheet = page.get_by_role("dialog", name="Comments")
    expect(sheet).to_be_visible()
    expect(sheet.get_by_text("No comments yet")).to_be_visible()
    box = sheet.get_by_label("Write a comment")
    expect(box).to_be_focused()
    box.press_sequentially("Ask @Max")
    option = sheet.get_by_role("option", name=re.compile("Max Member"))
    expect(option).to_be_visible()
    box.press("Enter")  # picks the highlighted colleague
    expect(box).to_have_value(re.compile(r"^Ask @\[Max Member\]\(user:\d+\) $"))
    box.press_sequentially("about it")
    sheet.get_by_role("button", name="Send").click()

    comment = sheet.locator(".comment").filter(has_text="about it").first
    mention = comment.get_by_role("link", name="@Max Member")
    expect(mention).to_have_attribute("href", re.compile(r"^#/people/\d+$"))

    comment.get_by_role("button", name="Reply").click()
    expect(sheet.get_by_text("Replying to Ada Admin.")).to_be_visible()
    box.fill("I will show you tomorrow")
    sheet.get_by_role("button", name="Send").click()
    replies = comment.get_by_role("list", name="Replies")
    expect(replies.get_by_text("I will show you tomorrow")).to_be_visible()

    # Edit the reply (own), then close the sheet with Escape: the card counts both comments.
    reply = replies.locator(".comment").first
    reply.get_by_role("button", name="Edit").click()
    reply.get_by_label("Edit your comment").fill("I will show you on Monday")
    reply.get_by_role("button", name="Save").click()
    expect(sheet.get_by_text("I will show you on Monday")).to_be_visible()
    expect(sheet.get_by_text("edited")).to_be_visible()

    page.keyboard.press("Escape")
    expect(sheet).to_have_count(0)
    expect(post.get_by_role("button", name="Comment")).to_contain_text("2")
    expect(post.get_by_role("button", name="Comment")).to_be_focused()  # focus back where it was


def test_search_finds_a_word_from_an_old_post(new_context) -> None:
    page = _signed_in(new_context, MEMBER)
    word = unique("Sauerteig").split()[1]  # a word nobody else wrote
    old = f"The secret of our canteen bread is the starter {word}, fed every morning"
    write_post(page, old)
    for n in range(3):
        write_post(page, unique(f"Newer news number {n}"))

    page.get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    page.get_by_label("Search posts, comments and people").fill(word)
    page.get_by_role("button", name="Search", exact=True).click()
    hit = page.locator(".search-hit").first
    expect(hit.locator("mark")).to_have_text(word)
    expect(hit).to_contain_text("Post by Max Member")
    hit.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Post", level=1)).to_be_visible()
    expect(article(page, "secret of our canteen bread")).to_be_visible()
    page.go_back()
    expect(page.locator(".search-hit mark").first).to_have_text(word)  # the words stayed in the address


def test_follow_a_colleague_and_see_the_following_feed(new_context) -> None:
    author = _signed_in(new_context, ADMIN)
    text = unique("Board meeting summary")
    write_post(author, text)

    page = _signed_in(new_context, MEMBER)
    # Another test of this session may have followed Ada already: start from not following.
    ada = author.request.get("/api/me").json()["id"]
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    assert page.request.delete(f"/api/people/{ada}/follow", headers={"x-csrftoken": csrf}).ok
    page.get_by_role("button", name="Following").click()
    expect(page.get_by_role("button", name="Following")).to_have_attribute("aria-pressed", "true")
    expect(article(page, text)).to_have_count(0)

    page.get_by_role("button", name="Company").click()
    article(page, text).get_by_role("link", name="Ada Admin").click()
    expect(page.get_by_role("heading", name="Ada Admin", level=1)).to_be_visible()
    follow = page.get_by_role("button", name="Follow", exact=True)
    followers = page.get_by_text(re.compile(r"^\d+ followers?$"))  # "1 follower" (Intl.PluralRules)
    before = int(followers.inner_text().split()[0])
    follow.click()
    expect(page.get_by_role("button", name="Following", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(followers).to_have_text(f"{before + 1} follower" if before == 0 else f"{before + 1} followers")
    expect(article(page, text)).to_be_visible()  # their posts on their profile

    page.get_by_role("navigation").get_by_role("link", name="Feed").click()
    expect(page.get_by_role("button", name="Company")).to_have_attribute("aria-pressed", "true")  # last choice
    page.get_by_role("button", name="Following").click()
    expect(article(page, text)).to_be_visible()
    # The choice is remembered across a reload.
    page.reload()
    expect(page.get_by_role("button", name="Following")).to_have_attribute("aria-pressed", "true")
    expect(article(page, text)).to_be_visible()


def test_hashtag_opens_the_tag_page(new_context) -> None:
    page = _signed_in(new_context, MEMBER)
    tag = "safety" + unique("x").split()[1]
    text = f"Helmets on in hall 3 #{tag}"
    write_post(page, text)
    article(page, text).get_by_role("link", name=f"#{tag}").click()
    expect(page.get_by_role("heading", name=f"#{tag}", level=1)).to_be_visible()
    expect(page.get_by_role("feed", name=f"Posts tagged #{tag}").get_by_role("article")).to_have_count(1)
    expect(article(page, "Helmets on in hall 3")).to_be_visible()


def test_new_posts_pill_when_a_colleague_publishes(new_context) -> None:
    reader = _signed_in(new_context, MEMBER)
    reader.get_by_role("button", name="Company").click()
    # The stream opens once the feed is on screen: wait until its response has started.
    with reader.expect_response(lambda r: r.url.endswith("/api/live")) as live:
        reader.reload()
    assert live.value.status == 200
    assert live.value.headers["content-type"].startswith("text/event-stream")
    pill = reader.get_by_role("button", name="New posts")
    expect(reader.locator(".new-posts-pill")).to_be_hidden()

    author = _signed_in(new_context, ADMIN)
    text = unique("Fresh from the press")
    write_post(author, text)

    expect(pill).to_be_visible(timeout=10_000)
    expect(article(reader, text)).to_have_count(0)
    pill.click()
    expect(article(reader, text)).to_be_visible()
    expect(pill).to_be_hidden()


def test_kudos_chosen_in_the_composer_show_on_the_card_and_the_profile(new_context) -> None:
    page = _signed_in(new_context, ADMIN)
    text = unique("Thanks for rescuing the launch event")
    page.get_by_role("navigation").get_by_role("link", name="New post").click()
    page.get_by_label("Message").fill(text)
    picker = page.get_by_role("combobox", name="Thank colleagues (kudos)")
    picker.fill("Max")
    page.get_by_role("option", name=re.compile("Max Member")).click()
    expect(page.get_by_role("button", name="Remove Max Member")).to_be_visible()
    # Oneself is never offered.
    picker.fill("Ada")
    expect(page.get_by_role("option", name=re.compile("Ada Admin"))).to_have_count(0)
    picker.fill("")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", name="Feed", level=1)).to_be_visible()

    post = article(page, text)
    expect(post.locator(".kudos-line")).to_have_text("Kudos to Max Member")
    post.locator(".kudos-line").get_by_role("link", name="Max Member").click()
    expect(page.get_by_role("heading", name="Max Member", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^[1-9]\d* kudos received$"))).to_be_visible()
    expect(page.get_by_role("heading", name="Kudos received")).to_be_visible()
    expect(article(page, text).first).to_be_visible()

    # The thanked colleague sees it too, after a reload: the server kept it.
    other = _signed_in(new_context, MEMBER)
    expect(article(other, text).locator(".kudos-line")).to_have_text("Kudos to Max Member")


def test_the_author_changes_kudos_from_the_post_menu_and_they_show_on_the_own_profile(new_context) -> None:
    author = _signed_in(new_context, ADMIN)
    text = unique("Thanks for the late-night release")
    write_post(author, text)
    menu_button = article(author, text).get_by_role("button", name="Thank colleagues")
    menu_button.click()
    sheet = author.get_by_role("dialog", name="Kudos")
    expect(sheet).to_be_visible()
    sheet.get_by_role("combobox", name="Thank colleagues (kudos)").fill("Max")
    author.get_by_role("option", name=re.compile("Max Member")).click()
    sheet.get_by_role("button", name="Save kudos").click()
    expect(sheet).to_be_hidden()
    expect(article(author, text).locator(".kudos-line")).to_have_text("Kudos to Max Member")

    # Only the author gets the menu entry; the thanked colleague finds the post on their own Profile tab.
    thanked = _signed_in(new_context, MEMBER)
    expect(article(thanked, text).locator(".kudos-line")).to_have_text("Kudos to Max Member")
    expect(article(thanked, text).get_by_role("button", name="Thank colleagues")).to_have_count(0)
    thanked.get_by_role("navigation").get_by_role("link", name="Profile").click()
    expect(thanked.get_by_role("heading", name="Kudos received")).to_be_visible()
    expect(article(thanked, text)).to_be_visible()

    # Changed again: the chosen colleague is there to remove, and the server keeps the empty list.
    article(author, text).get_by_role("button", name="Thank colleagues").click()
    sheet.get_by_role("button", name="Remove Max Member").click()
    sheet.get_by_role("button", name="Save kudos").click()
    expect(sheet).to_be_hidden()
    expect(article(author, text).locator(".kudos-line")).to_have_count(0)
    author.reload()
    expect(article(author, text)).to_be_visible()
    expect(article(author, text).locator(".kudos-line")).to_have_count(0)
