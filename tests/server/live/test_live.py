"""GET /api/live: a colleague's published post reaches an open stream as a server-sent event."""

from __future__ import annotations

import asyncio
import json

import pytest

from server.lib import events
from server.live import channels as live_channels

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TIMEOUT = 5.0


class SSEStream:
    """Drives the ASGI app by hand: httpx's ASGI transport buffers a whole response, SSE never ends."""

    def __init__(self, app, cookies: dict[str, str]) -> None:
        self.app = app
        self.cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.chunks: asyncio.Queue[bytes] = asyncio.Queue()
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self._disconnect = asyncio.Event()
        self.ended = asyncio.Event()
        self._buffer = ""
        self.task: asyncio.Task | None = None

    async def open(self) -> None:
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": "/api/live", "raw_path": b"/api/live", "query_string": b"", "root_path": "",
            "headers": [(b"host", b"hallway.test"), (b"accept", b"text/event-stream"), (b"cookie", self.cookie.encode())],
            "client": ("127.0.0.1", 1234), "server": ("hallway.test", 80),
        }
        sent_request = False

        async def receive():
            nonlocal sent_request
            if not sent_request:
                sent_request = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await self._disconnect.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.start":
                self.status = message["status"]
                self.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                await self.chunks.put(message.get("body", b""))
                if not message.get("more_body", False):
                    self.ended.set()  # the server finished the response (a real server then drops the connection)

        self.task = asyncio.create_task(self.app(scope, receive, send))

    async def next_message(self) -> str:
        """The next complete SSE message (lines up to a blank line)."""
        while "\n\n" not in self._buffer and "\r\n\r\n" not in self._buffer:
            chunk = await asyncio.wait_for(self.chunks.get(), TIMEOUT)
            self._buffer += chunk.decode()
        self._buffer = self._buffer.replace("\r\n", "\n")
        message, self._buffer = self._buffer.split("\n\n", 1)
        return message

    async def next_event(self) -> tuple[str, dict]:
        while True:
            message = await self.next_message()
            fields = dict(line.split(": ", 1) for line in message.splitlines() if not line.startswith(":"))
            if "data" in fields:
                return fields.get("event", "message"), json.loads(fields["data"])

    async def close(self) -> None:
        self._disconnect.set()
        if self.task:
            await asyncio.wait_for(self.task, TIMEOUT)


async def test_published_text_post_reaches_an_open_stream(app, clients, users):
    author = await users.create("member", "Ana Author")
    reader = await users.create("member", "Rui Reader")
    author_client = await clients.signed_in(author)
    reader_client = await clients.signed_in(reader)

    async with app.lifespan():
        stream = SSEStream(app, dict(reader_client.cookies))
        await stream.open()
        first = await stream.next_message()
        assert stream.status == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert ": connected" in first and "retry: 5000" in first

        # The reader's own post is on their screen already: it is not sent back to them.
        own = await reader_client.post("/api/posts", json={"body": "my own news"})
        assert own.status_code == 201, own.text
        response = await author_client.post("/api/posts", json={"body": "Fresh news from the bakery"})
        assert response.status_code == 201, response.text
        post = response.json()
        assert post["status"] == "published"

        kind, event = await stream.next_event()
        assert kind == "post"
        assert event == {"type": "post", "id": post["id"], "author_id": author["id"]}
        await stream.close()
    assert not live_channels.running()


async def test_live_needs_a_signed_in_member(app, clients):
    anonymous = await clients.anonymous()
    response = await anonymous.get("/api/live")
    assert response.status_code == 401


async def test_publishing_returns_without_waiting_for_listeners(app, clients, users, monkeypatch):
    """A stuck backend must not hold up the author's request: the listener only schedules work."""
    author = await users.create("member", "Ana Author")
    author_client = await clients.signed_in(author)
    gate = asyncio.Event()

    async def stuck(post_id: int) -> None:
        await gate.wait()

    monkeypatch.setitem(events._after_commit, events.POST_PUBLISHED, [stuck])
    async with app.lifespan():
        response = await asyncio.wait_for(author_client.post("/api/posts", json={"body": "quick"}), TIMEOUT)
        assert response.status_code == 201
        gate.set()


async def test_posts_published_by_another_process_are_noticed(app, clients, users, monkeypatch, database_url):
    """Without Redis the worker cannot reach the web process: the watcher finds its posts in the database.

    On SQLite it reads them as soon as the change counter moves (the 60 s read interval set here
    is never reached); PostgreSQL has no counter, so its interval is shortened for the test.
    """
    author = await users.create("member", "Ana Author")
    author_client = await clients.signed_in(author)
    monkeypatch.setattr("server.live.watch.INTERVAL", 60.0 if database_url.startswith("sqlite") else 0.05)

    async def elsewhere(post_id: int) -> None:
        return None  # as if another process had published it: nothing announced here

    monkeypatch.setitem(events._after_commit, events.POST_PUBLISHED, [elsewhere])
    monkeypatch.setattr(live_channels, "_recent", {})  # ids restart after each test's emptied tables
    async with app.lifespan():
        (plugin,) = live_channels.running()
        subscriber = await plugin.subscribe(live_channels.CHANNEL)
        response = await author_client.post("/api/posts", json={"body": "from the worker"})
        post = response.json()
        data = await asyncio.wait_for(anext(subscriber.iter_events()), TIMEOUT)
        # Between processes the event carries the audience, so each stream can filter it.
        assert json.loads(data) == {"type": "post", "id": post["id"], "author_id": author["id"], "audience": {}}
        await plugin.unsubscribe(subscriber)


async def test_an_announcement_for_one_department_reaches_only_its_streams(app, clients, users):
    """Others learn nothing of it: not its id, not its author."""
    comms = await clients.signed_in(await users.create("moderator", "Comms Team"))
    sales = await clients.signed_in(await users.create("member", "Sam Sales", department="Sales"))
    support = await clients.signed_in(await users.create("member", "Sue Support", department="Support"))
    async with app.lifespan():
        streams = {name: SSEStream(app, dict(client.cookies)) for name, client in (("sales", sales), ("support", support))}
        for stream in streams.values():
            await stream.open()
            await stream.next_message()  # connected
        targeted = await comms.post("/api/announcements", json={"body": "Sales kick-off", "audience": {"everyone": False, "departments": ["sales"]}})
        assert targeted.status_code == 201, targeted.text
        everyone = await comms.post("/api/posts", json={"body": "Canteen opens at 11"})
        assert (await streams["sales"].next_event())[1]["id"] == targeted.json()["id"]
        assert (await streams["sales"].next_event())[1]["id"] == everyone.json()["id"]
        # Support's first event is the post for everyone: the announcement never reached it.
        assert (await streams["support"].next_event())[1]["id"] == everyone.json()["id"]
        for stream in streams.values():
            await stream.close()


async def test_one_person_may_hold_only_a_few_streams(app, clients, users):
    """The 9th stream of one person is refused with a sentence; closing one lets a new one in."""
    from server.live.controllers import MAX_STREAMS

    reader = await clients.signed_in(await users.create("member", "Rui Reader"))
    async with app.lifespan():
        streams = []
        for _ in range(MAX_STREAMS):
            stream = SSEStream(app, dict(reader.cookies))
            await stream.open()
            await stream.next_message()
            assert stream.status == 200
            streams.append(stream)
        refused = SSEStream(app, dict(reader.cookies))
        await refused.open()
        body = json.loads(await asyncio.wait_for(refused.chunks.get(), TIMEOUT))
        assert refused.status == 429 and "too many windows" in body["detail"]
        await streams.pop().close()
        again = SSEStream(app, dict(reader.cookies))
        await again.open()
        await again.next_message()
        assert again.status == 200
        for stream in [*streams, again]:
            await stream.close()


async def test_a_disabled_persons_stream_ends_at_the_next_keep_alive(app, clients, users, admin_client, monkeypatch):
    monkeypatch.setattr("server.live.controllers.KEEPALIVE", 0.2)
    reader = await users.create("member", "Rui Reader")
    reader_client = await clients.signed_in(reader)
    async with app.lifespan():
        stream = SSEStream(app, dict(reader_client.cookies))
        await stream.open()
        await stream.next_message()
        assert ": keep-alive" in await stream.next_message()
        response = await admin_client.patch(f"/api/admin/people/{reader['id']}", json={"disabled": True})
        assert response.status_code == 200, response.text
        await asyncio.wait_for(stream.ended.wait(), TIMEOUT)  # the response ended: no more posts reach them
        await stream.close()
