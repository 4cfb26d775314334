"""Benchmark: GET /api/feed on SQLite with 100,000 posts, 32 connections, against plain JSON.

Three servers run side by side on this machine, each a single uvicorn process:
  hallway  `hallway serve` on a fresh SQLite database with 100k posts (2 pinned), with its
           per-process caches (sessions and pages, valid until the next commit anywhere);
  nocache  `hallway serve` on the same database with HALLWAY_CACHE=0: every request reads
           the session and the page from SQLite, as after each commit (cache misses);
  bare     a bare Litestar app answering the same JSON bytes from memory (no database,
           no session, no guards) — the ceiling of Litestar + uvicorn here.
Every Hallway request is signed in, round-robin over --users distinct sessions (people in 10
departments and 5 locations), so a cache that served one person's page to another would show.
wrk (Debian's package) drives each in turn, alternating, so all see the same machine load;
the figures are the best of the rounds. Before the measured rounds each person asks for
each page once, so the cached figures are hits only; the "with views" row measures the first
page again while --view-rate view batches a second are recorded. Targets (issue 2): at least
50 % of the bare requests per second, p99 under 50 ms.

    .venv/bin/python bench/feed.py [--posts 100000] [--users 500] [--seconds 10] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PASSWORD = "bench-correct-horse"

BARE_APP = '''
import os
from litestar import Litestar, get
from litestar.response import Response

BODY = open(os.environ["BENCH_BODY"], "rb").read()

@get("/api/feed")
async def feed() -> Response[bytes]:
    return Response(BODY, media_type="application/json")

app = Litestar([feed])
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not come up")


async def fill(posts: int, users: int = 0) -> list[str]:
    """100k published posts by 50 authors over a year, two of them pinned; the session tokens
    of `users` readers."""
    from server import db
    from server.accounts.passwords import hash_password
    from server.accounts.services import create_user
    from server.accounts.sessions import start_session
    from server.accounts.tables import User
    from server.posts.tables import Post
    from server.settings import get_settings

    engine = db.make_engine("", get_settings().data_dir)
    from server import piccolo_conf

    piccolo_conf.use_engine(engine)
    await db.start_engine(engine)
    try:
        await create_user("bench@example.com", "Bench Reader", PASSWORD, "member")
        authors = [(await create_user(f"a{n}@example.com", f"Author {n}", PASSWORD))["id"] for n in range(50)]
        start = datetime.now(timezone.utc) - timedelta(days=365)
        batch = []
        for n in range(posts):
            moment = start + timedelta(seconds=n * 300)
            pinned = n in (posts // 3, posts // 2)
            batch.append(Post(
                author=authors[n % 50], kind="text", status="published", created_at=moment, published_at=moment,
                body=f"Post {n}: the loading dock opens at 7, see https://example.com/{n} #logistics @Author{n % 50}",
                pinned_at=moment if pinned else None,
            ))
            if len(batch) == 2000:
                await Post.insert(*batch)
                batch = []
        if batch:
            await Post.insert(*batch)
        # Readers share one password hash (argon2 on purpose takes time); sessions are the rows
        # a sign-in makes.
        digest = await hash_password(PASSWORD)
        readers = await User.insert(*[
            User(email=f"r{n}@example.com", name=f"Reader {n}", password_hash=digest, role="member",
                 department=f"Department {n % 10}", location=f"Site {n % 5}")
            for n in range(users)
        ]).returning(User.id)
        return [await start_session(row["id"]) for row in readers]
    finally:
        await db.stop_engine(engine)


def csrf_cookie(base: str) -> str:
    """A csrftoken cookie as a browser would send it (else every answer sets a new one)."""
    jar = http.cookiejar.CookieJar()
    urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(f"{base}/api/health")
    return next(f"{c.name}={c.value}" for c in jar if c.name == "csrftoken")


def get(url: str, cookie: str) -> bytes:
    return urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie})).read()


def _ms(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


ROTATE = """
-- Each request signs in as the next of many people (each wrk thread starts elsewhere).
local cookies = {%s}
local threads = 0
function setup(thread)
  thread:set("offset", threads * 97)
  threads = threads + 1
end
function init(args)
  n = offset or 0
end
function request()
  n = n + 1
  return wrk.format("GET", nil, {["Cookie"] = cookies[(n %% #cookies) + 1]})
end
"""


def rotation_script(work: Path, cookies: list[str]) -> Path:
    path = work / "rotate.lua"
    path.write_text(ROTATE % ", ".join(json.dumps(c) for c in cookies))
    return path


def wrk(url: str, seconds: int, script: Path | None) -> tuple[float, float, float]:
    """Requests per second, p50 and p99 latency in ms."""
    args = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency"]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"{url}: {errors.group(1)} error responses\n{out}")
    return rps, _ms(out, "50"), _ms(out, "99")


class ViewTraffic(threading.Thread):
    """Colleagues scrolling meanwhile: `rate` view batches a second through POST /api/views.

    A reader's PWA sends a batch every ten seconds or so, so 20 a second is about 200 people
    scrolling. Each is a commit; a cache emptied by every commit would show it in the hit rows.
    """

    def __init__(self, base: str, cookies: list[str], post_ids: list[int], rate: float) -> None:
        super().__init__(daemon=True)
        self.base, self.cookies, self.post_ids, self.rate = base, cookies, post_ids, rate
        self.stopping = threading.Event()
        self.sent = 0

    def run(self) -> None:
        body = json.dumps({"items": [{"post_id": pid} for pid in self.post_ids[:5]]}).encode()
        while not self.stopping.wait(1 / self.rate):
            cookie = self.cookies[self.sent % len(self.cookies)]
            token = re.search(r"csrftoken=([^;]+)", cookie).group(1)
            request = urllib.request.Request(
                f"{self.base}/api/views", data=body, method="POST",
                headers={"Cookie": cookie, "x-csrftoken": token, "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request) as response:
                assert response.status == 204, response.status
            self.sent += 1


def change_content(base: str, cookie: str, post_id: int) -> None:
    """A like given and taken back: two commits to a table the caches follow, so every cache empties."""
    token = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    for method in ("PUT", "DELETE"):
        request = urllib.request.Request(
            f"{base}/api/posts/{post_id}/reactions/like", method=method, headers={"Cookie": cookie, "x-csrftoken": token},
        )
        urllib.request.urlopen(request).read()


def serve(env: dict, **extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([BIN / "hallway", "serve", "--port", str(port)], env={**env, **extra})
    wait_up(f"http://127.0.0.1:{port}/api/health", proc)
    return proc, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=500, help="distinct signed-in people, round-robin")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--data", type=Path, help="keep the filled instance here and reuse it next time")
    parser.add_argument("--view-rate", type=float, default=20.0, help="view batches a second in the 'with views' row")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/feed.py needs wrk: apt-get install wrk")

    work = args.data.resolve() if args.data else Path(tempfile.mkdtemp(prefix="hallway-bench-feed-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HALLWAY_DATA": str(work), "HALLWAY_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    procs = []
    try:
        tokens_file = work / "tokens.json"
        if not tokens_file.exists():
            subprocess.run([BIN / "hallway", "migrate"], env=env, check=True, capture_output=True)
            began = time.monotonic()
            os.environ["HALLWAY_DATA"] = str(work)
            sys.path.insert(0, str(ROOT))
            tokens_file.write_text(json.dumps(asyncio.run(fill(args.posts, args.users))))
            print(f"filled {args.posts} posts and {args.users} sessions in {time.monotonic() - began:.0f} s")
        tokens = json.loads(tokens_file.read_text())

        hallway, base = serve(env)
        nocache, nocache_base = serve(env, HALLWAY_CACHE="0")
        procs += [hallway, nocache]
        csrf = csrf_cookie(base)
        cookies = [f"hallway_session={token}; {csrf}" for token in tokens]
        script = rotation_script(work, cookies)
        body = get(f"{base}/api/feed", cookies[0])
        page = json.loads(body)
        cursor = page["next_cursor"]
        print(f"first page: {len(page['items'])} posts, {len(body)} bytes; {len(cookies)} signed-in people")
        # Every person gets their own page, and the cached one is the same as the uncached one.
        for cookie in (cookies[1], cookies[-1]):
            assert get(f"{base}/api/feed", cookie) == get(f"{nocache_base}/api/feed", cookie)

        (work / "body.json").write_bytes(body)
        (work / "bare_app.py").write_text(BARE_APP)
        bare_port = free_port()
        bare = subprocess.Popen(
            [BIN / "uvicorn", "bare_app:app", "--port", str(bare_port), "--no-access-log", "--log-level", "warning"],
            cwd=work, env={**env, "BENCH_BODY": str(work / "body.json")},
        )
        procs.append(bare)
        wait_up(f"http://127.0.0.1:{bare_port}/api/feed", bare)

        targets = {
            "first page, cached": (f"{base}/api/feed", script),
            "next page, cached": (f"{base}/api/feed?cursor={cursor}", script),
            "first page, no cache": (f"{nocache_base}/api/feed", script),
            "next page, no cache": (f"{nocache_base}/api/feed?cursor={cursor}", script),
            "bare JSON": (f"http://127.0.0.1:{bare_port}/api/feed", None),
            # Last in a round: it is the one row that writes.
            "first page, with views": (f"{base}/api/feed", script),
        }
        post_ids = [item["id"] for item in page["items"]]
        best: dict[str, tuple[float, float, float]] = {}
        for _ in range(args.rounds):
            for name, (url, rotate) in targets.items():
                if rotate and "no cache" not in name:
                    # Empty the caches, then one miss per person right before the clock runs: every
                    # measured request of a cached row is a hit (a page made earlier could reach its
                    # 60 s age limit during the row).
                    change_content(base, cookies[0], post_ids[0])
                    with ThreadPoolExecutor(4) as pool:
                        list(pool.map(get, [url] * len(cookies), cookies))
                traffic = ViewTraffic(base, cookies, post_ids, args.view_rate) if "views" in name else None
                if traffic:
                    traffic.start()
                run = wrk(url, args.seconds, rotate)
                if traffic:
                    traffic.stopping.set()
                    traffic.join()
                    print(f"  ({name}: {traffic.sent} view batches recorded meanwhile)")
                # The round with the most requests per second, with its own latencies.
                if name not in best or run[0] > best[name][0]:
                    best[name] = run
        bare_rps = best["bare JSON"][0]
        print(f"{'':22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8}")
        for name, (rps, p50, p99) in best.items():
            print(f"{name:22} {rps:9.0f} {p50:8.1f} {p99:8.1f} {rps / bare_rps:8.2f}")
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
        if not args.data:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
