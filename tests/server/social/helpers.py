"""Small helpers shared by the social, search and views API tests."""


async def post(client, body: str) -> dict:
    response = await client.post("/api/posts", json={"body": body})
    assert response.status_code == 201, response.text
    return response.json()


async def comment(client, post_id: int, body: str, parent_id: int | None = None) -> dict:
    payload = {"body": body} if parent_id is None else {"body": body, "parent_id": parent_id}
    response = await client.post(f"/api/posts/{post_id}/comments", json=payload)
    assert response.status_code == 201, response.text
    return response.json()


class Notified:
    """Records what social code hands to server.notifications instead of sending it."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[int], str, int]] = []
        self.titles: list[str] = []
        self.options: list[dict] = []

    async def __call__(self, user_ids, kind, post_id, title, body, urgent=False, url=None, image=None, **options):
        self.calls.append((sorted(user_ids), kind, post_id))
        # A Message is written per recipient's language; English stands for it here.
        self.titles.append(title.render("en") if hasattr(title, "render") else title)
        self.options.append(options)

    def of(self, kind: str) -> list[tuple[list[int], int]]:
        return [(ids, post_id) for ids, k, post_id in self.calls if k == kind]


class AnyKind:
    """Stands for notifications' KINDS where social's own kind names should pass unchanged."""

    def __contains__(self, kind: object) -> bool:
        return True


def stand_in(notify, kinds=None):
    """What server.social.notify reaches as `notifications`: this notify and these kinds."""
    from types import SimpleNamespace

    return SimpleNamespace(notify=notify, KINDS=AnyKind() if kinds is None else kinds)
