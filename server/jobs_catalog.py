"""Every module that registers job kinds, imported by the worker so it knows them all."""

from server.announcements import jobs as announcements_jobs
from server.posts import jobs as posts_jobs
from server.push import jobs as push_jobs
from server.social import listeners as social_listeners  # noqa: F401  (publishing in the worker records tags and mentions)

__all__ = ["posts_jobs", "push_jobs"]
