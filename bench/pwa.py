"""Benchmark: the PWA on a phone — Lighthouse scores and first-load transfer sizes of the signed-in
feed, and how fast the Videos pager starts a clip, on loopback with Chromium's 4x CPU throttle.

A fresh instance (`hallway serve` + `hallway worker`, SQLite in a temp dir) gets one generated
clip through the real pipeline, copied into 20 video posts, and 10 text posts. Then:
  lighthouse  Lighthouse 12 (npm), mobile form factor, default simulated slow 4G + 4x CPU; the
              median of --runs runs. Targets (issue 5): performance >= 95, accessibility = 100.
  transfer    JS + CSS bytes on the wire for the first load (gzip), from Lighthouse's network
              records. Target: <= 60 KB.
  videos      Playwright + Debian's Chromium at 390x844 with touch, CPU throttled 4x (CDP):
              from tapping "Videos" to the first clip playing (currentTime > 0), and from a
              one-slide scroll to the next clip playing. Targets: <= 1.0 s and <= 0.3 s.

The PWA is served as built by `node pwa/build.mjs` (esbuild: first load bundled, screens split);
--source serves the plain modules of pwa/ instead, for comparison.

    .venv/bin/python bench/pwa.py [--runs 3] [--swipes 5] [--source]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, _copy_posts, _free_port, _hallway, _post_clip, build_pwa  # noqa: E402
from tests.e2e.quality import browser_cookies, lighthouse  # noqa: E402
from tests.media.makers import make_clip  # noqa: E402

USER = {"email": "bench@example.com", "name": "Bea Bench", "password": "bench-correct-horse"}

# Milliseconds since window.__t0 once a clip other than `previous` is active and playing.
PLAYING = """(previous) => {
    const clip = document.querySelector('.clip[data-active]');
    const v = clip && clip.querySelector('video');
    return clip && clip.dataset.postId !== previous && v && !v.paused && v.currentTime > 0
        ? performance.now() - window.__t0 : false;
}"""


def start_instance(data: Path, source: bool = False) -> tuple[str, list[subprocess.Popen]]:
    env = {**os.environ, "HALLWAY_DATA": str(data), "HALLWAY_PWA_DIR": str(ROOT / "pwa" if source else build_pwa(data / "pwa"))}
    env.pop("DATABASE_URL", None)
    hallway = _hallway()
    subprocess.run([hallway, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([hallway, "user", "add", USER["email"], "--name", USER["name"], "--role", "admin"],
                   input=USER["password"] + "\n", text=True, env=env, check=True, capture_output=True, timeout=60)
    port = _free_port()
    log = (data / "serve.log").open("w")
    procs = [
        subprocess.Popen([hallway, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=log, cwd=ROOT),
        subprocess.Popen([hallway, "worker"], env=env, stdout=log, stderr=log, cwd=ROOT),
    ]
    url = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(150):
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2):
                return url, procs
        except OSError:
            time.sleep(0.2)
    raise SystemExit("hallway serve did not start")


def seed(url: str, data: Path) -> None:
    import httpx

    clip = make_clip(data / "bench.mp4", width=720, height=1280, seconds=3.0)
    post = _post_clip(url, USER, clip, "Bench clip")
    _copy_posts(data / "hallway.sqlite3", post["id"], [f"Bench clip {i}" for i in range(20, 0, -1)])
    with httpx.Client(base_url=url) as http:
        http.get("/api/health")
        csrf = {"x-csrftoken": http.cookies.get("csrftoken", "")}
        http.post("/api/session", json={"email": USER["email"], "password": USER["password"]}, headers=csrf)
        csrf = {"x-csrftoken": http.cookies.get("csrftoken", "")}
        for i in range(10):
            http.post("/api/posts", json={"body": f"Text post {i} about #onboarding: https://example.com/{i}"}, headers=csrf)


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/#/feed")
    page.get_by_label("Email").fill(USER["email"])
    page.get_by_label("Password").fill(USER["password"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Feed", level=1).wait_for()


def measure_videos(browser, url: str, swipes: int) -> tuple[list[float], list[float]]:
    opens, nexts = [], []
    for _ in range(3):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        sign_in(page, url)
        page.wait_for_load_state("networkidle")
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.evaluate("window.__t0 = performance.now()")
        page.get_by_role("navigation").get_by_role("link", name="Videos").click()
        opens.append(page.wait_for_function(PLAYING, arg="", polling="raf", timeout=30_000).json_value())
        for _ in range(swipes):
            page.wait_for_timeout(700)  # the next clip preloads while this one plays, as when watching
            previous = page.evaluate("() => { window.__t0 = performance.now(); const p = document.querySelector('.pager');"
                                     " p.scrollTop += p.clientHeight;"
                                     " return document.querySelector('.clip[data-active]').dataset.postId; }")
            nexts.append(page.wait_for_function(PLAYING, arg=previous, polling="raf", timeout=30_000).json_value())
        context.close()
    return opens, nexts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--swipes", type=int, default=5)
    parser.add_argument("--source", action="store_true", help="serve pwa/ unbuilt (one request per module) for comparison")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="hallway-bench-pwa-") as tmp:
        data = Path(tmp)
        url, procs = start_instance(data, source=args.source)
        try:
            seed(url, data)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                context = browser.new_context(**PHONE)
                page = context.new_page()
                sign_in(page, url)
                cookies = browser_cookies(context)
                context.close()
                reports = [lighthouse(f"{url}/#/feed", cookies=cookies) for _ in range(args.runs)]
                opens, nexts = measure_videos(browser, url, args.swipes)
                browser.close()
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=10)

    perf = statistics.median(r["categories"]["performance"]["score"] * 100 for r in reports)
    a11y = min(r["categories"]["accessibility"]["score"] * 100 for r in reports)
    # The page's own requests: the service worker's precache of the whole shell comes after the load.
    items = [i for i in reports[0]["audits"]["network-requests"]["details"]["items"]
             if i.get("sessionTargetType", "page") == "page"]
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "pwa-lighthouse.json").write_text(__import__("json").dumps(reports[0]))
    js = sum(i.get("transferSize", 0) for i in items if i.get("resourceType") == "Script")
    css = sum(i.get("transferSize", 0) for i in items if i.get("resourceType") == "Stylesheet")
    requests = sum(1 for i in items if i.get("resourceType") in ("Script", "Stylesheet"))
    metrics = {k: reports[0]["audits"][k]["displayValue"] for k in (
        "first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")}
    runs = ", ".join(f"{r['categories']['performance']['score'] * 100:.0f}" for r in reports)
    print(f"lighthouse (median of {len(reports)}): performance {perf:.0f} (runs: {runs}; target >= 95), "
          f"accessibility {a11y:.0f} (target 100)")
    print("  first run: " + ", ".join(f"{k} {v}" for k, v in metrics.items()))
    print(f"first load: JS {js / 1024:.1f} KB + CSS {css / 1024:.1f} KB = {(js + css) / 1024:.1f} KB on the wire "
          f"in {requests} requests, headers included (target <= 60 KB)")
    print(f"videos, 4x CPU throttle: open -> first clip playing median {statistics.median(opens):.0f} ms "
          f"(max {max(opens):.0f}, n={len(opens)}; target <= 1000)")
    print(f"                         swipe -> next clip playing median {statistics.median(nexts):.0f} ms "
          f"(max {max(nexts):.0f}, n={len(nexts)}; target <= 300)")


if __name__ == "__main__":
    main()
