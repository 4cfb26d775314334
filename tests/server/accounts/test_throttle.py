"""Sign-in throttling: guessers wait longer and longer, their victims and their office do not."""

from __future__ import annotations

import uuid

import httpx
import pytest

from server.accounts.throttle import DEVICE_COOKIE, address_bucket
from server.lib import ratelimit
from server.lib.net import forwarded_client, trusted_networks
from server.settings import reset_settings

WRONG = "not the password at all"


@pytest.fixture
async def from_address(app):
    """from_address(ip, forwarded_for=None): a browser whose requests reach the app from `ip`."""
    made: list[httpx.AsyncClient] = []

    async def make(address: str, forwarded_for: str | None = None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://hallway.test")
        made.append(client)
        await client.get("/api/health")
        client.headers["x-csrftoken"] = client.cookies.get("csrftoken")
        if forwarded_for:
            client.headers["x-forwarded-for"] = forwarded_for
        return client

    yield make
    for client in made:
        await client.aclose()


@pytest.fixture
def now(monkeypatch):
    """A clock the test moves: now.advance(seconds)."""

    class Clock:
        t = 1_900_000_000.0

        def __call__(self) -> float:
            return self.t

        def advance(self, seconds: float) -> None:
            self.t += seconds

    clock = Clock()
    monkeypatch.setattr(ratelimit, "clock", clock)
    return clock


@pytest.fixture
def environment(monkeypatch):
    """environment(NAME=value, …): settings read from these variables for the rest of the test."""

    def set_env(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        reset_settings()

    yield set_env
    reset_settings()


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/session", json={"email": email, "password": password})


async def test_guessing_a_colleagues_password_does_not_lock_them_out(from_address, member, now):
    attacker = await from_address("203.0.113.9")
    statuses = [(await sign_in(attacker, member["email"], WRONG)).status_code for _ in range(10)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}, statuses
    # The colleague, at their own desk, signs in at once.
    victim = await from_address("198.51.100.20")
    response = await sign_in(victim, member["email"], member["password"])
    assert response.status_code == 200, response.text


async def test_the_guesser_waits_twice_as_long_after_each_further_failure(from_address, member, now):
    attacker = await from_address("203.0.113.9")
    for _ in range(5):
        assert (await sign_in(attacker, member["email"], WRONG)).status_code == 401
    waits = []
    for _ in range(4):
        blocked = await sign_in(attacker, member["email"], WRONG)
        assert blocked.status_code == 429
        assert "Too many sign-in attempts" in blocked.json()["detail"]
        waits.append(int(blocked.headers["retry-after"]))
        now.advance(waits[-1])
        assert (await sign_in(attacker, member["email"], WRONG)).status_code == 401
    assert waits == [1, 2, 4, 8]
    # An hour without failures and the slate is clean, right password or not.
    now.advance(3600)
    assert (await sign_in(attacker, member["email"], member["password"])).status_code == 200


async def test_the_wait_stops_growing_at_the_ceiling(from_address, member, now, environment):
    environment(HALLWAY_SIGNIN_MAX_WAIT="30")
    attacker = await from_address("203.0.113.9")
    failures = 0
    while failures < 12:  # 1, 2, 4, 8, 16 s, then 30 s and no more
        response = await sign_in(attacker, member["email"], WRONG)
        if response.status_code == 429:
            assert int(response.headers["retry-after"]) <= 30
            now.advance(int(response.headers["retry-after"]))
        else:
            failures += 1
    blocked = await sign_in(attacker, member["email"], WRONG)
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) == 30


async def test_a_right_password_from_the_guessers_address_starts_the_account_again(from_address, member, now):
    """Someone who mistyped four times and then got it right is not one failure away from a wait."""
    me = await from_address("198.51.100.20")
    for _ in range(4):
        assert (await sign_in(me, member["email"], WRONG)).status_code == 401
    assert (await sign_in(me, member["email"], member["password"])).status_code == 200
    for _ in range(4):
        assert (await sign_in(me, member["email"], WRONG)).status_code == 401


async def test_a_client_made_up_x_forwarded_for_is_not_believed(from_address, environment, now):
    """Behind the proxy, the attacker writes a new address at the left of X-Forwarded-For on every
    try; the proxy appends the real one, and that is the one counted."""
    environment(HALLWAY_TRUST_PROXY="1")
    statuses = []
    for i in range(21):
        through_proxy = await from_address("127.0.0.1", forwarded_for=f"10.0.{i}.1, 203.0.113.9")
        statuses.append((await sign_in(through_proxy, f"nobody{i}@example.com", WRONG)).status_code)
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429


async def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(from_address, member, environment, now):
    environment(HALLWAY_TRUSTED_PROXIES="10.0.0.0/8")
    for i in range(5):
        direct = await from_address("203.0.113.9", forwarded_for=f"198.51.100.{i}")
        assert (await sign_in(direct, member["email"], WRONG)).status_code == 401
    direct = await from_address("203.0.113.9", forwarded_for="198.51.100.77")
    assert (await sign_in(direct, member["email"], member["password"])).status_code == 429


async def test_guesses_spread_over_one_ipv6_network_count_together(from_address, member, now):
    for i in range(5):
        roaming = await from_address(f"2001:db8:1:2::{i + 1:x}")
        assert (await sign_in(roaming, member["email"], WRONG)).status_code == 401
    roaming = await from_address("2001:db8:1:2:ffff::1")
    assert (await sign_in(roaming, member["email"], member["password"])).status_code == 429


async def test_an_office_behind_one_address_keeps_signing_in_on_its_own_devices(from_address, users, now):
    """Twenty-five wrong passwords from the office's one public address (a script, a confused
    colleague): the colleague who signed in on this phone before still signs in."""
    colleague = await users.create()
    phone = await from_address("192.0.2.1")
    assert (await sign_in(phone, colleague["email"], colleague["password"])).status_code == 200
    assert phone.cookies.get(DEVICE_COOKIE)
    assert (await phone.delete("/api/session")).status_code == 204

    script = await from_address("192.0.2.1")
    for i in range(25):
        await sign_in(script, f"guess{i}@example.com", WRONG)
    assert (await sign_in(script, "guess99@example.com", WRONG)).status_code == 429

    response = await sign_in(phone, colleague["email"], colleague["password"])
    assert response.status_code == 200, response.text


async def test_a_known_device_gets_a_few_tries_of_its_own_then_counts_like_any_other(from_address, member, now):
    laptop = await from_address("198.51.100.20")
    assert (await sign_in(laptop, member["email"], member["password"])).status_code == 200
    # Someone else at that laptop, the cookie still there: five free guesses on the device, then
    # the usual five for the account at this address, then waiting.
    statuses = [(await sign_in(laptop, member["email"], WRONG)).status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]


async def test_a_device_cookie_of_one_account_does_not_help_with_another(from_address, users, now):
    mine, theirs = await users.create(), await users.create()
    laptop = await from_address("198.51.100.20")
    assert (await sign_in(laptop, mine["email"], mine["password"])).status_code == 200
    statuses = [(await sign_in(laptop, theirs["email"], WRONG)).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


async def test_a_forged_device_cookie_is_not_trusted(from_address, member, now):
    laptop = await from_address("198.51.100.20")
    laptop.cookies.set(DEVICE_COOKIE, f"{uuid.uuid4().hex}.{'0' * 32}", domain="hallway.test")
    statuses = [(await sign_in(laptop, member["email"], WRONG)).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_the_right_most_untrusted_hop_is_the_client():
    proxies = trusted_networks(("10.0.0.0/8", "::1"))
    # nginx at 10.0.0.2 appended what it saw (192.0.2.50); the client wrote "6.6.6.6" itself.
    assert forwarded_client("10.0.0.2", ["6.6.6.6, 192.0.2.50"], proxies) == "192.0.2.50"
    # Two proxies of ours in a row (a load balancer, then nginx) are walked over.
    assert forwarded_client("10.0.0.2", ["6.6.6.6, 192.0.2.50, 10.1.1.1"], proxies) == "192.0.2.50"
    # Repeated headers count as one list, ports and brackets are dropped.
    assert forwarded_client("::1", ["6.6.6.6", "[2001:db8::5]:4711"], proxies) == "2001:db8::5"
    # A peer that is not a proxy of ours is the client, whatever it says.
    assert forwarded_client("192.0.2.9", ["10.0.0.7"], proxies) == "192.0.2.9"
    # Garbage where an address belongs: the last address a proxy of ours vouched for.
    assert forwarded_client("10.0.0.2", ["6.6.6.6, nonsense"], proxies) == "10.0.0.2"
    # Only proxies of ours: the request started inside.
    assert forwarded_client("10.0.0.2", ["10.3.3.3"], proxies) == "10.3.3.3"
    assert forwarded_client("10.0.0.2", [], proxies) == "10.0.0.2"


def test_addresses_are_counted_by_ipv4_address_and_ipv6_network():
    assert address_bucket("192.0.2.1") == "192.0.2.1"
    assert address_bucket("2001:db8:1:2:3:4:5:6") == address_bucket("2001:db8:1:2::9") == "2001:db8:1:2::/64"
    assert address_bucket("unknown") == "unknown"


def test_a_trusted_proxies_setting_that_is_not_an_address_is_refused(environment):
    from server.settings import get_settings

    environment(HALLWAY_TRUSTED_PROXIES="10.0.0.0/8, proxy.internal")
    with pytest.raises(ValueError, match="proxy.internal"):
        get_settings()
