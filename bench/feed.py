"""Benchmark: GET /api/feed on SQLite with 100,000 posts, 32 connections, against plain JSON.

Two servers run side by side on this machine, each a single uvicorn process:
  hallway  `hallway serve` on a fresh SQLite database with 100k posts (2 pinned), signed in;
  bare     a bare Litestar app answering the same JSON bytes from memory (no database,
           no session, no guards) — the ceiling of Litestar + uvicorn here.
wrk (Debian's package) drives each in turn, alternating, so both see the same machine load;
the figures are the best of the rounds. Targets (issue 2): at least 50 % of the bare
requests per second, p99 under 50 ms.

    .venv/bin/python bench/feed.py [--posts 100000] [--seconds 10] [--rounds 2]
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
import time
import urllib.request
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


async def fill(posts: int) -> None:
    """100k published posts by 50 authors over a year, two of them pinned."""
    from server import db
    from server.accounts.services import create_user
    from server.posts.tables import Post
    from server.settings import get_settings

    engine = db.make_engine("", get_settings().data_dir)
    db.use_engine(engine)
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
    finally:
        await db.stop_engine(engine)


def sign_in(base: str) -> str:
    """The Cookie header of a signed-in session (CSRF: a GET first for the token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/api/health")
    token = next(c.value for c in jar if c.name == "csrftoken")
    opener.open(urllib.request.Request(
        f"{base}/api/session", method="POST",
        data=json.dumps({"email": "bench@example.com", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json", "x-csrftoken": token},
    ))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _ms(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url: str, seconds: int, cookie: str | None) -> tuple[float, float, float]:
    """Requests per second, p50 and p99 latency in ms."""
    args = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"{url}: {errors.group(1)} error responses\n{out}")
    return rps, _ms(out, "50"), _ms(out, "99")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/feed.py needs wrk: apt-get install wrk")

    work = Path(tempfile.mkdtemp(prefix="hallway-bench-feed-"))
    env = {**os.environ, "HALLWAY_DATA": str(work), "HALLWAY_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    procs = []
    try:
        subprocess.run([BIN / "hallway", "migrate"], env=env, check=True, capture_output=True)
        began = time.monotonic()
        os.environ["HALLWAY_DATA"] = str(work)
        sys.path.insert(0, str(ROOT))
        asyncio.run(fill(args.posts))
        print(f"filled {args.posts} posts in {time.monotonic() - began:.0f} s")

        port = free_port()
        hallway = subprocess.Popen([BIN / "hallway", "serve", "--port", str(port)], env=env)
        procs.append(hallway)
        base = f"http://127.0.0.1:{port}"
        wait_up(f"{base}/api/health", hallway)
        cookie = sign_in(base)
        request = urllib.request.Request(f"{base}/api/feed", headers={"Cookie": cookie})
        body = urllib.request.urlopen(request).read()
        page = json.loads(body)
        cursor = page["next_cursor"]
        print(f"first page: {len(page['items'])} posts, {len(body)} bytes")

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
            "hallway first page": (f"{base}/api/feed", cookie),
            "hallway next page": (f"{base}/api/feed?cursor={cursor}", cookie),
            "bare JSON": (f"http://127.0.0.1:{bare_port}/api/feed", None),
        }
        best: dict[str, tuple[float, float, float]] = {}
        for _ in range(args.rounds):
            for name, (url, with_cookie) in targets.items():
                run = wrk(url, args.seconds, with_cookie)
                # The round with the most requests per second, with its own latencies.
                if name not in best or run[0] > best[name][0]:
                    best[name] = run
        bare_rps = best["bare JSON"][0]
        print(f"{'':20} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8}")
        for name, (rps, p50, p99) in best.items():
            print(f"{name:20} {rps:9.0f} {p50:8.1f} {p99:8.1f} {rps / bare_rps:8.2f}")
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
