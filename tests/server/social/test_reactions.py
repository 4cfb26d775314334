"""Reactions: the fixed set, once per kind and person, counts and who reacted."""

import pytest

from tests.server.social.helpers import post


async def test_react_is_idempotent_and_counted_per_kind(clients, users):
    ann, bob = await users.create(name="Ann"), await users.create(name="Bob")
    a, b = await clients.signed_in(ann), await clients.signed_in(bob)
    p = await post(a, "We shipped it")
    for _ in range(2):  # reacting twice is one reaction
        response = await b.put(f"/api/posts/{p['id']}/reactions/clap")
        assert response.status_code == 200, response.text
    await b.put(f"/api/posts/{p['id']}/reactions/like")
    summary = (await a.put(f"/api/posts/{p['id']}/reactions/like")).json()
    assert summary["reactions"] == {"like": 2, "clap": 1, "party": 0, "idea": 0}
    assert summary["my_reactions"] == ["like"]

    seen_by_bob = (await b.get(f"/api/posts/{p['id']}")).json()
    assert seen_by_bob["reactions"]["clap"] == 1 and sorted(seen_by_bob["my_reactions"]) == ["clap", "like"]
    feed_item = (await b.get("/api/feed")).json()["items"][0]
    assert feed_item["reactions"]["like"] == 2 and sorted(feed_item["my_reactions"]) == ["clap", "like"]

    undone = (await b.delete(f"/api/posts/{p['id']}/reactions/clap")).json()
    assert undone["reactions"]["clap"] == 0 and undone["my_reactions"] == ["like"]
    again = await b.delete(f"/api/posts/{p['id']}/reactions/clap")
    assert again.status_code == 200 and again.json()["reactions"]["clap"] == 0


async def test_who_reacted_is_paginated_and_filtered_by_kind(clients, users):
    author = await users.create(name="Author")
    a = await clients.signed_in(author)
    p = await post(a, "Lunch?")
    names = []
    for i in range(5):
        person = await users.create(name=f"Fan {i}")
        client = await clients.signed_in(person)
        await client.put(f"/api/posts/{p['id']}/reactions/{'idea' if i == 0 else 'like'}")
        names.append(person["name"])
    seen, cursor = [], None
    while True:
        page = (await a.get(f"/api/posts/{p['id']}/reactions", params={"limit": 2, **({"cursor": cursor} if cursor else {})})).json()
        assert page["reactions"]["like"] == 4 and page["reactions"]["idea"] == 1
        seen += [item["person"]["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(names))  # newest first
    ideas = (await a.get(f"/api/posts/{p['id']}/reactions", params={"kind": "idea"})).json()["items"]
    assert [(i["person"]["name"], i["kind"]) for i in ideas] == [("Fan 0", "idea")]


@pytest.mark.parametrize("kind", ["love", "LIKE", "x" * 300])
async def test_unknown_kind_is_a_400_that_names_the_choices(member_client, kind):
    p = await post(member_client, "hello")
    response = await member_client.put(f"/api/posts/{p['id']}/reactions/{kind}")
    assert response.status_code == 400
    assert "like, clap, party, idea" in response.json()["detail"]


async def test_reacting_to_a_deleted_or_missing_post_is_a_404(member_client):
    p = await post(member_client, "soon gone")
    assert (await member_client.delete(f"/api/posts/{p['id']}")).status_code == 204
    response = await member_client.put(f"/api/posts/{p['id']}/reactions/like")
    assert response.status_code == 404 and "does not exist" in response.json()["detail"]
    assert (await member_client.get("/api/posts/999999/reactions")).status_code == 404


async def test_signed_out_people_cannot_react(clients, member_client):
    p = await post(member_client, "members only")
    anonymous = await clients.anonymous()
    assert (await anonymous.put(f"/api/posts/{p['id']}/reactions/like")).status_code == 401
    assert (await anonymous.get(f"/api/posts/{p['id']}/reactions")).status_code == 401
