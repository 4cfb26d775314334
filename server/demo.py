"""`hallway demo`: sample colleagues and text posts, so a new instance can be looked around.

Idempotent by email: running it twice adds nothing. Every demo account gets the same
password, printed once, so the instance must not be a production one.
"""

from __future__ import annotations

import secrets

from server.accounts import organisation
from server.accounts.schemas import ProfilePatch
from server.accounts.services import create_user, update_profile
from server.accounts.tables import User
from server.lib.guards import Viewer
from server.posts.schemas import NewPost
from server.posts.services import create_post

__all__ = ["fill", "PEOPLE"]

PEOPLE = [
    ("lena.vogt@example.com", "Lena Vogt", "moderator", "Head of Internal Comms", "Communications", "Berlin",
     ["internal comms", "video"], "Town hall is on Thursday at 10:00 in the atrium, and on the stream. "
     "Send your questions to #townhall before Wednesday."),
    ("jonas.berg@example.com", "Jonas Berg", "member", "Warehouse Lead", "Logistics", "Hamburg",
     ["forklifts", "safety"], "Our new loading dock is open. Thanks @Mia Schulz for the plans! #logistics"),
    ("mia.schulz@example.com", "Mia Schulz", "member", "Facility Planner", "Operations", "Hamburg",
     ["floor plans", "CAD"], "Does anyone have experience with solar panels on flat roofs? Ask me about CAD."),
    ("omar.haddad@example.com", "Omar Haddad", "member", "Service Technician", "Field Service", "Munich",
     ["heat pumps"], "Tip for the field team: the new diagnostics guide is at https://example.com/guide #fieldservice"),
]


async def fill(engine) -> None:
    password = secrets.token_urlsafe(9)
    made = 0
    for email, name, role, title, department, location, expertise, post in PEOPLE:
        if await User.exists().where(User.email == email):
            continue
        user = await create_user(email, name, password, role)
        # Where they sit is an admin's to set (as `hallway people import` does); the tags are their own.
        await organisation.apply(user["id"], {"title": title, "department": department, "location": location})
        await update_profile(user["id"], ProfilePatch(expertise=expertise))
        await create_post(Viewer(id=user["id"], role=role, name=name, email=email, department=department, location=location), NewPost(body=post))
        made += 1
    if made:
        print(f"added {made} demo colleagues; each signs in with the password {password}")
    else:
        print("the demo colleagues are already there")
