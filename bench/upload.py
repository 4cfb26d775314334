"""Upload benchmark: a large tus upload to a real `hallway serve`, against a bare ASGI baseline.

Run from the repository root: `.venv/bin/python bench/upload.py [--mb 300] [--chunk-mb 8] [--rounds 2]`.

Hallway: a fresh HALLWAY_DATA on SQLite, one member signed in over HTTP, then tus creation and
PATCHes of `--chunk-mb` over a real loopback socket (httpx). Baseline: uvicorn (same defaults as
`hallway serve`) running a bare ASGI callable that appends each request's body chunks to a file with
aiofiles and fsyncs once per request, as Hallway does per PATCH; no framework, no auth, no database.
Server CPU time is printed too: on loopback the one client process can be the bottleneck, and
then the CPU each server spent is the clearer measure of its overhead. Both receive the same bytes from the same client code; rounds alternate between them. Reported:
MB/s, the server process's peak RSS during the upload (VmHWM from /proc, reset just before it) and
its growth over the idle RSS, and whether the bytes on disk match (sha256).

Then the time from upload complete to playable post (`--playable-only` runs just this part):
`hallway serve` and `hallway worker` on a fresh SQLite HALLWAY_DATA; a clip uploaded over tus; the
clock starts when the last PATCH is answered; then POST /api/posts, GET /api/posts/{id} every
50 ms until it is published with a rendition, and a `Range: bytes=0-1` GET of that rendition
answered 206 stops it. Two clips: a 30 s 1080x1920 H.264+AAC phone clip (bench/transcode.py's,
the fast start path; target <= 3 s) and an iPhone-style HEVC Main 10 HLG clip, coded 1920x1080 with
a 90-degree display rotation, in a .mov (no remux possible: a quick 360p rendition first; target <= 20 s).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EMAIL, PASSWORD = "bench@example.com", "benchmark password 1"
MB = 1 << 20


# --- the baseline server -------------------------------------------------------------------------

def baseline_app(target_dir: Path):
    """A bare ASGI app: append the request body to one file per path, fsync, answer 204."""
    import aiofiles

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        name = scope["path"].strip("/").replace("/", "_") or "root"
        async with aiofiles.open(target_dir / name, "ab") as out:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                if message.get("body"):
                    await out.write(message["body"])
                if not message.get("more_body"):
                    break
            await out.flush()
            await asyncio.to_thread(os.fsync, out.fileno())
        offset = os.path.getsize(target_dir / name)
        await send({"type": "http.response.start", "status": 204, "headers": [(b"upload-offset", str(offset).encode())]})
        await send({"type": "http.response.body", "body": b""})

    return app


def run_baseline(port: int, target_dir: str) -> None:
    import uvicorn

    uvicorn.run(baseline_app(Path(target_dir)), host="127.0.0.1", port=port, log_config=None, access_log=False)


# --- helpers -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def reset_peak(pid: int) -> int:
    """Reset the process's VmHWM to its current RSS (Linux clear_refs "5"), so the peak read after
    the upload is the upload's, not start-up's (imports peak higher than idle); returns the idle RSS in kB."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return memory(pid)["VmRSS"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_up(client, url: str, proc: subprocess.Popen) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            await client.get(url)
            return
        except Exception:
            await asyncio.sleep(0.1)
    raise SystemExit(f"server at {url} did not come up")


def make_source(path: Path, size: int) -> str:
    """`size` random bytes on disk (random, so nothing along the way can compress them); their sha256."""
    digest = hashlib.sha256()
    with path.open("wb") as out:
        left = size
        while left:
            block = os.urandom(min(8 * MB, left))
            digest.update(block)
            out.write(block)
            left -= len(block)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(8 * MB):
            digest.update(block)
    return digest.hexdigest()


async def send_chunks(client, url: str, source: Path, chunk: int, headers: dict[str, str]) -> float:
    """PATCH the file in `chunk`-sized requests at increasing offsets; seconds taken."""
    size = source.stat().st_size
    start = time.perf_counter()
    with source.open("rb") as f:
        offset = 0
        while offset < size:
            data = f.read(chunk)
            response = await client.patch(url, content=data, headers={
                **headers, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream",
            })
            if response.status_code != 204:
                raise SystemExit(f"PATCH at {offset}: {response.status_code} {response.text[:200]}")
            offset += len(data)
            if int(response.headers["upload-offset"]) != offset:
                raise SystemExit(f"server says offset {response.headers['upload-offset']}, expected {offset}")
    return time.perf_counter() - start


# --- upload complete to playable post ------------------------------------------------------------

def make_hevc_clip(h264: Path, path: Path) -> None:
    """The H.264 phone clip re-encoded as an iPhone records: HEVC Main 10 (yuv420p10le), HLG/BT.2020,
    landscape-coded with a display rotation, in a .mov tagged hvc1 (as tests/media/makers.py does it,
    with x265's ultrafast preset so that making it takes a minute, not ten)."""
    from fractions import Fraction

    import av
    from PIL import Image

    src = av.open(str(h264))
    out = av.open(str(path), "w", format="mov")
    video = out.add_stream("libx265", rate=30)
    video.width, video.height, video.pix_fmt = 1920, 1080, "yuv420p10le"
    video.time_base = video.codec_context.time_base = Fraction(1, 600)
    video.codec_tag = "hvc1"
    video.bit_rate = 10_000_000  # about what an iPhone records at 1080p30 HEVC
    video.options = {"preset": "ultrafast", "x265-params": "log-level=error"}
    ctx = video.codec_context
    ctx.color_trc, ctx.color_primaries, ctx.colorspace = 18, 9, 9  # HLG, BT.2020
    video.set_display_rotation(-90)  # coded landscape, shown portrait
    sound = out.add_stream("aac", rate=48000)
    sound.layout = "stereo"
    for frame in src.decode(video=0, audio=0):
        if isinstance(frame, av.VideoFrame):
            # Portrait picture turned a quarter anticlockwise; the display rotation turns it back.
            turned = av.VideoFrame.from_image(frame.to_image().transpose(Image.Transpose.ROTATE_90))
            turned = turned.reformat(format="yuv420p10le")
            turned.pts, turned.time_base = round(frame.time * 600), Fraction(1, 600)
            out.mux(video.encode(turned))
        else:
            frame.pts = None
            out.mux(sound.encode(frame))
    out.mux(video.encode(None))
    out.mux(sound.encode(None))
    out.close()
    src.close()


async def until_playable(client, headers: dict[str, str], upload_id: str, began: float) -> dict:
    """Post the upload, poll it every 50 ms, and fetch two bytes of its first rendition; timings from `began`."""
    made = await client.post("/api/posts", json={"body": "on the train", "upload_ids": [upload_id]}, headers=headers)
    if made.status_code != 201:
        raise SystemExit(f"POST /api/posts: {made.status_code} {made.text[:300]}")
    post_id, posted = made.json()["id"], time.perf_counter() - began
    deadline = began + 300
    while time.perf_counter() < deadline:
        post = (await client.get(f"/api/posts/{post_id}")).json()
        if post["status"] == "failed":
            raise SystemExit(f"post {post_id} failed: {post['error']}")
        if post["status"] == "published" and post["media"] and post["media"][0]["renditions"]:
            break
        await asyncio.sleep(0.05)
    else:
        raise SystemExit(f"post {post_id} not playable after 300 s: {post['status']}")
    item = post["media"][0]
    first = await client.get(item["renditions"][0]["url"], headers={"Range": "bytes=0-1"})
    if first.status_code != 206:
        raise SystemExit(f"Range GET of {item['renditions'][0]['url']}: {first.status_code}, expected 206")
    result = {"posted": posted, "playable": time.perf_counter() - began, "fast_start": item.get("fast_start", False),
              "renditions": [r["name"] for r in item["renditions"]]}
    # Not the figure measured, but worth knowing: when the proper renditions replace a fast-start (or quick) copy.
    while item.get("fast_start") and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
        item = (await client.get(f"/api/posts/{post_id}")).json()["media"][0]
    result["final"] = time.perf_counter() - began
    result["final_renditions"] = [r["name"] for r in item["renditions"]]
    return result


async def playable_round(clips: list[tuple[str, Path]], chunk: int, work: Path) -> dict[str, dict]:
    import httpx

    data = work / "playable-data"
    subprocess.run(["rm", "-rf", str(data)], check=True)
    env = {**os.environ, "HALLWAY_DATA": str(data), "HALLWAY_LOG_LEVEL": "WARNING", "PICCOLO_CONF": "server.piccolo_conf"}
    env.pop("DATABASE_URL", None)
    subprocess.run([BIN / "hallway", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    subprocess.run([BIN / "hallway", "user", "add", EMAIL, "--name", "Bench Mark", "--role", "member"],
                   env=env, input=PASSWORD + "\n", text=True, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    serve = subprocess.Popen([BIN / "hallway", "serve", "--port", str(port)], env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL)
    worker = subprocess.Popen([BIN / "hallway", "worker"], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    results = {}
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            await wait_up(client, "/api/health", serve)
            headers = {"x-csrftoken": client.cookies.get("csrftoken")}
            (await client.post("/api/session", json={"email": EMAIL, "password": PASSWORD}, headers=headers)).raise_for_status()
            tus = {**headers, "Tus-Resumable": "1.0.0"}
            for name, clip in clips:
                if worker.poll() is not None:
                    raise SystemExit(f"worker exited with {worker.returncode}")
                created = await client.post("/api/uploads", headers={
                    **tus, "Upload-Length": str(clip.stat().st_size),
                    "Upload-Metadata": "filename " + base64.b64encode(clip.name.encode()).decode()})
                created.raise_for_status()
                location = created.headers["location"]
                await send_chunks(client, location, clip, chunk, tus)
                began = time.perf_counter()  # the last PATCH has just been answered
                results[name] = await until_playable(client, headers, location.rsplit("/", 1)[1], began)
                results[name]["mb"] = clip.stat().st_size / MB
    finally:
        for proc in (worker, serve):
            proc.send_signal(signal.SIGINT)
        for proc in (worker, serve):
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
    return results


def playable_line(name: str, target: float, r: dict) -> str:
    verdict = "ok" if r["playable"] <= target else "OVER TARGET"
    extra = f"; proper renditions at {r['final']:.2f} s ({', '.join(r['final_renditions'])})" if r["fast_start"] else ""
    return (f"{name:34s} {r['mb']:5.1f} MB  playable {r['playable']:6.2f} s (target <= {target:.0f} s, {verdict})  "
            f"post created at {r['posted']:.2f} s, first rendition {r['renditions'][0]}"
            f"{' (fast start)' if r['fast_start'] else ''}{extra}")


async def playable_async(args) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from transcode import make_clip

    with tempfile.TemporaryDirectory(prefix="hallway-bench-playable-") as tmp:
        work = Path(tmp)
        # --clip-dir keeps the two clips for the next run: making them takes minutes on a busy machine.
        clip_dir = Path(args.clip_dir) if args.clip_dir else work
        clip_dir.mkdir(parents=True, exist_ok=True)
        h264, hevc = clip_dir / "phone.mp4", clip_dir / "iphone.mov"
        started = time.perf_counter()
        if not (h264.exists() and hevc.exists()):
            make_clip(h264)
            make_hevc_clip(h264, hevc)
        print(f"\nupload complete -> playable post ({args.rounds} round(s); clips made in {time.perf_counter() - started:.0f} s)")
        clips = [("30 s 1080x1920 H.264+AAC", h264), ("30 s iPhone-style HEVC 10-bit HLG", hevc)]
        targets = {clips[0][0]: 3.0, clips[1][0]: 20.0}
        rounds = []
        for round_no in range(1, args.rounds + 1):
            rounds.append(await playable_round(clips, args.chunk_mb * MB, work))
            for name, _ in clips:
                print(f"round {round_no} " + playable_line(name, targets[name], rounds[-1][name]), flush=True)
        if args.rounds > 1:
            print("best of each:")
            for name, _ in clips:
                print("  " + playable_line(name, targets[name], min((r[name] for r in rounds), key=lambda r: r["playable"])))


# --- the two runs --------------------------------------------------------------------------------

async def hallway_round(source: Path, chunk: int, work: Path) -> dict:
    import httpx

    data = work / "hallway-data"
    env = {**os.environ, "HALLWAY_DATA": str(data), "HALLWAY_LOG_LEVEL": "WARNING", "PICCOLO_CONF": "server.piccolo_conf"}
    env.pop("DATABASE_URL", None)
    env["HALLWAY_UPLOAD_MAX"] = str(max(source.stat().st_size, 1 << 30))
    subprocess.run([BIN / "hallway", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    subprocess.run([BIN / "hallway", "user", "add", EMAIL, "--name", "Bench Mark", "--role", "member"],
                   env=env, input=PASSWORD + "\n", text=True, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen([BIN / "hallway", "serve", "--port", str(port)], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            await wait_up(client, "/api/health", proc)
            csrf = client.cookies.get("csrftoken")
            headers = {"x-csrftoken": csrf}
            signed = await client.post("/api/session", json={"email": EMAIL, "password": PASSWORD}, headers=headers)
            signed.raise_for_status()
            tus = {**headers, "Tus-Resumable": "1.0.0"}
            # Warm up (first request paths, imports), then take the idle figure.
            warm = await client.post("/api/uploads", headers={**tus, "Upload-Length": "1"})
            await client.delete(warm.headers["location"], headers=tus)
            idle, cpu = reset_peak(proc.pid), cpu_seconds(proc.pid)
            created = await client.post("/api/uploads", headers={**tus, "Upload-Length": str(source.stat().st_size)})
            created.raise_for_status()
            location = created.headers["location"]
            seconds = await send_chunks(client, location, source, chunk, tus)
            mem, cpu = memory(proc.pid), cpu_seconds(proc.pid) - cpu
        stored = data / "uploads" / (location.rsplit("/", 1)[1] + ".part")
        return {"seconds": seconds, "cpu": cpu, "idle_kb": idle, "peak_kb": mem["VmHWM"], "sha256": sha256_of(stored)}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)


async def baseline_round(source: Path, chunk: int, work: Path) -> dict:
    import httpx

    target = work / "baseline-data"
    target.mkdir(exist_ok=True)
    for old in target.iterdir():
        old.unlink()
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--baseline-server", str(port), str(target)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            await wait_up(client, "/warmup", proc)
            idle, cpu = reset_peak(proc.pid), cpu_seconds(proc.pid)
            seconds = await send_chunks(client, "/upload", source, chunk, {"Tus-Resumable": "1.0.0"})
            mem, cpu = memory(proc.pid), cpu_seconds(proc.pid) - cpu
        return {"seconds": seconds, "cpu": cpu, "idle_kb": idle, "peak_kb": mem["VmHWM"], "sha256": sha256_of(target / "upload")}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)


def line(name: str, size: int, r: dict, expected: str) -> str:
    rate = size / MB / r["seconds"]
    ok = "sha256 ok" if r["sha256"] == expected else "SHA256 MISMATCH"
    return (f"{name:9s} {r['seconds']:6.2f} s  {rate:6.1f} MB/s  server CPU {r['cpu']:5.2f} s  idle RSS {r['idle_kb'] / 1024:6.1f} MB  "
            f"peak RSS {r['peak_kb'] / 1024:6.1f} MB  growth {(r['peak_kb'] - r['idle_kb']) / 1024:6.1f} MB  {ok}")


async def main_async(args) -> None:
    size, chunk = args.mb * MB, args.chunk_mb * MB
    with tempfile.TemporaryDirectory(prefix="hallway-bench-upload-") as tmp:
        work = Path(tmp)
        source = work / "source.bin"
        expected = make_source(source, size)
        print(f"upload of {args.mb} MB in {args.chunk_mb} MB PATCH requests over loopback, {args.rounds} round(s)")
        results: dict[str, list[dict]] = {"hallway": [], "baseline": []}
        for round_no in range(1, args.rounds + 1):
            for name, run in (("hallway", hallway_round), ("baseline", baseline_round)):
                if name == "hallway":
                    # A fresh instance each round, so the idle and peak figures start from the same place.
                    subprocess.run(["rm", "-rf", str(work / "hallway-data")], check=True)
                result = await run(source, chunk, work)
                results[name].append(result)
                print(f"round {round_no} " + line(name, size, result, expected), flush=True)
        best = {name: min(rs, key=lambda r: r["seconds"]) for name, rs in results.items()}
        print("\nbest of each:")
        for name in ("hallway", "baseline"):
            print("  " + line(name, size, best[name], expected))
        ratio = best["hallway"]["seconds"] / best["baseline"]["seconds"]
        print(f"  time ratio hallway/baseline {ratio:.2f}; "
              f"hallway peak RSS growth {(best['hallway']['peak_kb'] - best['hallway']['idle_kb']) / 1024:.1f} MB "
              f"(target <= 30 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=300)
    parser.add_argument("--chunk-mb", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--playable-only", action="store_true", help="only the upload-complete-to-playable part")
    parser.add_argument("--clip-dir", help="make the playable part's clips here once and reuse them")
    parser.add_argument("--no-playable", action="store_true", help="only the upload throughput part")
    parser.add_argument("--baseline-server", nargs=2, metavar=("PORT", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_server:
        run_baseline(int(args.baseline_server[0]), args.baseline_server[1])
        return
    os.chdir(ROOT)
    if not args.playable_only:
        asyncio.run(main_async(args))
    if not args.no_playable:
        asyncio.run(playable_async(args))


if __name__ == "__main__":
    main()
