"""Web push fan-out benchmark: N subscriptions through a decrypting local push service in another process.

Run from the repository root: `.venv/bin/python bench/push.py [--count 10000] [--concurrency 100]`.
Two parts: the sender alone (PushSender.send_many), then the whole pipeline: notify() records the
in-app notifications and queues delivery jobs, a `hallway worker` process sends them, and the
publish request's latency is measured before and while that fan-out runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

# `make bench` runs this file as a script: the repository root must win over any installed `tests` package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.push.sender import PushSender, Subscription, encode_payload, encrypt  # noqa: E402
from server.push.vapid import load_or_create_vapid  # noqa: E402
from tests.support_push import LocalPushService, make_subscription  # noqa: E402

__all__ = ["main"]

CONTACT = "mailto:bench@hallway.invalid"
# The shape of a real "new post" notification, about 300 bytes of JSON.
PAYLOAD = {
    "title": "Ana Lopez posted a video",
    "body": "Our new lab in Leipzig: a two-minute tour with the team that built it, and what it means for the spring release.",
    "url": "/posts/8412",
    "tag": "post-8412",
    "icon": "/media/avatars/ana-lopez-96.webp",
    "image": "/media/posts/8412/poster-480.webp",
}


def serve(conn: Connection, count: int, nice: int = 0) -> None:
    """The push service process: make `count` devices, accept pushes, report what decrypted."""
    if nice:
        os.nice(nice)

    async def run() -> None:
        async with LocalPushService() as service:
            conn.send([make_subscription(service, str(i)) for i in range(count)])
            cpu_before = time.process_time()
            expected = await asyncio.get_running_loop().run_in_executor(None, conn.recv)
            cpu = time.process_time() - cpu_before
            decrypted = sum(json.loads(m.plaintext) == expected for m in service.messages)
            report = {"received": len(service.messages), "decrypted_ok": decrypted, "cpu": cpu}
            conn.send({**report, "errors": service.errors[:5]})

    asyncio.run(run())


def per_message_costs(subscription: Subscription, rounds: int = 2000) -> dict[str, float]:
    """Microseconds per message for each CPU step the sender takes, measured in this process."""
    vapid = load_or_create_vapid(Path(tempfile.mkdtemp()))
    plaintext = encode_payload(PAYLOAD)

    def each(step) -> float:
        started = time.perf_counter()
        for _ in range(rounds):
            step()
        return (time.perf_counter() - started) / rounds * 1e6

    return {
        "encode JSON": each(lambda: encode_payload(PAYLOAD)),
        "encrypt (RFC 8291)": each(lambda: encrypt(plaintext, subscription)),
        "sign a VAPID JWT": each(lambda: vapid.sign("https://push.example", CONTACT, 2_000_000_000)),
        "cached VAPID header": each(lambda: vapid.authorization(subscription.endpoint, CONTACT)),
    }


async def fan_out(subscriptions: list[Subscription], concurrency: int) -> tuple[float, float, dict[str, int]]:
    """Send PAYLOAD to every subscription once; return wall and CPU seconds taken and the outcomes."""
    vapid = load_or_create_vapid(Path(tempfile.mkdtemp()))
    async with PushSender(vapid, CONTACT, allow_loopback=True, concurrency=concurrency) as sender:
        started, cpu_started = time.perf_counter(), time.process_time()
        results = await sender.send_many(subscriptions, PAYLOAD, ttl=3600, urgency="normal", topic="post-8412")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    outcomes: dict[str, int] = {}
    for result in results:
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    return elapsed, cpu, outcomes


async def pipeline(devices: list[dict], concurrency: int) -> dict:
    """notify() → push-deliver jobs run by a separate `hallway worker` → the push service; publish latency meanwhile."""
    data = Path(tempfile.mkdtemp(prefix="hallway-bench-push-"))
    os.environ.update({
        "HALLWAY_DATA": str(data), "HALLWAY_PUSH_ALLOW_LOOPBACK": "1", "HALLWAY_LOG_LEVEL": "WARNING",
        "PICCOLO_CONF": "server.piccolo_conf",
        "HALLWAY_POSTS_PER_HOUR": "100000",  # the bench author posts far more than a person may
    })
    os.environ.pop("DATABASE_URL", None)
    import httpx

    from server import db
    from server.accounts.services import create_user
    from server.accounts.tables import User
    from server.app import create_app
    from server.jobs.tables import Job
    from server.migrations import migrate
    from server.notifications.services import notify
    from server.notifications.tables import NotificationPreference
    from server.push.tables import PushSubscription
    from server.settings import get_settings

    settings = get_settings()
    engine = db.make_engine("", settings.data_dir)
    await db.start_engine(engine)
    await migrate(engine)
    author = await create_user("author@bench.invalid", "Ana Lopez", "correct horse battery", "member")
    for start in range(0, len(devices), 500):
        chunk = devices[start:start + 500]
        rows = await User.insert(*(
            User(email=f"reader{start + i}@bench.invalid", name=f"Reader {start + i}", password_hash="!")
            for i in range(len(chunk))
        )).returning(User.id)
        await PushSubscription.insert(*(
            PushSubscription(user=row["id"], endpoint=d["endpoint"], p256dh=d["keys"]["p256dh"], auth=d["keys"]["auth"])
            for row, d in zip(rows, chunk)
        ))
        # Quiet hours off: by default they hold a post's push back at night, and the bench runs at any hour.
        await NotificationPreference.insert(*(NotificationPreference(user=row["id"], quiet_hours=False) for row in rows))
    readers = [r["id"] for r in await User.select(User.id).where(User.id != author["id"])]
    app = create_app(engine=engine)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench.invalid")
    await client.get("/api/health")
    client.headers["x-csrftoken"] = client.cookies.get("csrftoken")
    await client.post("/api/session", json={"email": "author@bench.invalid", "password": "correct horse battery"})

    async def publish_latencies(rounds: int) -> list[float]:
        times = []
        for n in range(rounds):
            started = time.perf_counter()
            response = await client.post("/api/posts", json={"body": f"Bench post {n}"})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 201, response.text
            await asyncio.sleep(0.02)
        return times

    worker = subprocess.Popen([sys.executable, "-m", "server.cli", "worker"], env={**os.environ})
    # The worker is up once it has run the fan-out jobs of these posts (nobody follows the author).
    idle = await publish_latencies(30)
    while await Job.count().where(Job.status != "done"):
        await asyncio.sleep(0.1)
    idle = await publish_latencies(30)
    post = (await client.post("/api/posts", json={"body": "The fan-out post"})).json()
    started = time.perf_counter()
    await notify(readers, "post", post["id"], "Ana Lopez posted a video", PAYLOAD["body"], image=PAYLOAD["image"])
    recorded = time.perf_counter() - started
    busy: list[float] = []
    while True:
        busy += await publish_latencies(5)
        # Deliveries and the retries push queues for a busy push service (push-resend).
        pending = await Job.count().where(Job.kind.is_in(["push-deliver", "push-resend"]) & (Job.status != "done"))
        if not pending:
            break
    elapsed = time.perf_counter() - started
    deliver_jobs = await Job.count().where(Job.kind == "push-deliver")
    worker.terminate()
    worker.wait(10)
    await client.aclose()
    await db.stop_engine(engine)
    return {
        "post_id": post["id"], "recipients": len(readers), "notify_seconds": recorded, "elapsed": elapsed,
        "deliver_jobs": deliver_jobs,
        "idle_p50": statistics.median(idle), "idle_p95": statistics.quantiles(idle, n=20)[18],
        "busy_p50": statistics.median(busy), "busy_p95": statistics.quantiles(busy, n=20)[18], "busy_n": len(busy),
    }


def _check_done(run: str, expected: int, report: dict) -> None:
    """A run whose pushes did not all arrive and decrypt measured nothing: fail instead of printing figures."""
    if report["received"] != expected or report["decrypted_ok"] != expected:
        sys.exit(f"{run}: the push service received {report['received']} and decrypted {report['decrypted_ok']} "
                 f"of {expected} pushes; no figures for an incomplete run")


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--skip-pipeline", action="store_true", help="measure the sender alone")
    parser.add_argument(
        "--service-nice", type=int, default=10,
        help="CPU priority offset of the local push service in the pipeline run: it stands in for push "
        "services on other machines, so by default it runs as low as `hallway worker` (HALLWAY_WORKER_NICE, "
        "10) and, like the worker, yields to the publish requests; 0 lets it compete with them",
    )
    args = parser.parse_args()

    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    service = multiprocessing.get_context("spawn").Process(target=serve, args=(theirs, args.count), daemon=True)
    service.start()
    subscriptions = [Subscription.from_json(i, data) for i, data in enumerate(ours.recv())]

    elapsed, cpu, outcomes = asyncio.run(fan_out(subscriptions, args.concurrency))
    ours.send(json.loads(encode_payload(PAYLOAD)))
    report = ours.recv()
    service.join(30)
    _check_done("sender", args.count, report)

    print(f"subscriptions:       {args.count}")
    print(f"payload:             {len(encode_payload(PAYLOAD))} bytes of JSON")
    print(f"concurrency:         {args.concurrency}")
    print(f"fan-out time:        {elapsed:.2f} s")
    print(f"pushes/s:            {args.count / elapsed:,.0f}")
    print(f"outcomes:            {outcomes}")
    # Which side is the bottleneck: each process has one core at most.
    print(f"sender CPU:          {cpu:.2f} s ({cpu / elapsed:.0%} of one core)")
    print(f"push service CPU:    {report['cpu']:.2f} s (decrypting, from first push to report)")
    print(f"received by service: {report['received']}")
    print(f"decrypted OK:        {report['decrypted_ok']}")
    if report["errors"]:
        print(f"service errors:      {report['errors']}")
    print("sender CPU per message (µs):")
    for step, micros in per_message_costs(subscriptions[0]).items():
        print(f"  {step:<20} {micros:7.1f}")

    if args.skip_pipeline:
        return
    # The whole path, with the database and the worker: a fresh service process and devices.
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    service = multiprocessing.get_context("spawn").Process(
        target=serve, args=(theirs, args.count, args.service_nice), daemon=True
    )
    service.start()
    figures = asyncio.run(pipeline(ours.recv(), args.concurrency))
    post_id = figures["post_id"]
    ours.send({
        "title": "Ana Lopez posted a video", "body": PAYLOAD["body"], "url": f"/#/post/{post_id}",
        "icon": "/icons/icon-192.png", "tag": f"post-{post_id}", "image": PAYLOAD["image"],
    })
    report = ours.recv()
    service.join(30)
    _check_done("pipeline", figures["recipients"], report)
    print()
    niced = f", push service at nice {args.service_nice}" if args.service_nice else ""
    print(f"pipeline (notify → push-deliver jobs in a `hallway worker` → push service), SQLite{niced}:")
    print(f"recipients:          {figures['recipients']}")
    print(f"notify() recorded:   {figures['notify_seconds']:.2f} s (in-app rows + {figures['deliver_jobs']} push-deliver jobs, sending meanwhile)")
    print(f"whole fan-out:       {figures['elapsed']:.2f} s ({figures['recipients'] / figures['elapsed']:,.0f} pushes/s)")
    print(f"received by service: {report['received']}, decrypted as sent: {report['decrypted_ok']}")
    print(f"publish, worker idle:   p50 {figures['idle_p50']:.1f} ms, p95 {figures['idle_p95']:.1f} ms")
    print(f"publish during fan-out: p50 {figures['busy_p50']:.1f} ms, p95 {figures['busy_p95']:.1f} ms ({figures['busy_n']} requests)")


if __name__ == "__main__":
    main()
