""""Share → Hallway" from a phone's gallery: the share sheet POSTs the files to the manifest's
share_target; the service worker keeps them and the composer opens with them attached. Without
a service worker the server sends the person to the composer with a message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import MEMBER, ROOT
from tests.e2e.test_pwa import sign_in

pytestmark = pytest.mark.browser

SHARE = json.loads((ROOT / "pwa" / "manifest.webmanifest").read_text())["share_target"]


def share_from_gallery(page: Page, files: list[str], title: str = "", text: str = "") -> None:
    """What Android's share sheet does with the manifest: a multipart POST navigation to the action."""
    page.evaluate(
        """([action, field, title, text]) => {
            const form = Object.assign(document.createElement('form'),
              { method: 'post', enctype: 'multipart/form-data', action });
            form.id = 'share-sheet';
            const input = Object.assign(document.createElement('input'), { type: 'file', name: field, multiple: true });
            form.append(input,
              Object.assign(document.createElement('input'), { type: 'hidden', name: 'title', value: title }),
              Object.assign(document.createElement('input'), { type: 'hidden', name: 'text', value: text }));
            document.body.append(form);
        }""",
        [SHARE["action"], SHARE["params"]["files"][0]["name"], title, text],
    )
    page.locator("#share-sheet input[type=file]").set_input_files(files)
    page.evaluate("document.getElementById('share-sheet').submit()")


def photos(tmp_path: Path) -> list[str]:
    paths = []
    for name, colour in (("IMG_0001.jpg", (220, 30, 30)), ("IMG_0002.jpg", (30, 30, 220))):
        Image.new("RGB", (400, 300), colour).save(tmp_path / name, quality=80)
        paths.append(str(tmp_path / name))
    return paths


def test_shared_photos_open_the_composer_attached_and_uploading(page: Page, tmp_path: Path) -> None:
    sign_in(page, MEMBER)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10_000)
    share_from_gallery(page, photos(tmp_path), title="Team lunch", text="Our new canteen")

    expect(page.get_by_role("heading", name="New post", level=1)).to_be_visible()
    items = page.get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("IMG_0001.jpg")  # in the order shared
    expect(items.nth(1)).to_contain_text("IMG_0002.jpg")
    expect(items.first.locator("img.preview")).to_have_attribute("src", re.compile(r"^blob:"))
    expect(page.get_by_label("Message")).to_have_value("Team lunch\nOur new canteen")
    expect(page.get_by_text("Uploaded")).to_have_count(2, timeout=20_000)
    expect(page.get_by_role("button", name="Post", exact=True)).to_be_enabled()
    assert page.evaluate("location.hash") == "#/new"  # a reload does not read "share" again
    expect(page.locator("form .form-error")).to_have_text("")  # nothing went wrong

    # Taken once: reopening the app shows the same two files from the draft, not four.
    page.reload()
    expect(page.get_by_role("heading", name="New post", level=1)).to_be_visible()
    expect(page.get_by_text("Uploaded")).to_have_count(2, timeout=20_000)
    expect(page.get_by_role("listitem")).to_have_count(2)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", name="Feed", level=1)).to_be_visible()
    expect(page.get_by_role("article").filter(has_text="Our new canteen")).to_be_visible()


def test_without_the_service_worker_the_composer_says_to_add_the_files(new_context, tmp_path: Path) -> None:
    page = new_context(service_workers="block").new_page()
    sign_in(page, MEMBER)
    share_from_gallery(page, photos(tmp_path)[:1])
    expect(page.get_by_role("heading", name="New post", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "Sharing reached Hallway before the app was ready on this phone. Please add the files here."
    )
    expect(page.get_by_role("listitem")).to_have_count(0)
