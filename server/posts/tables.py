"""Posts: text, video or gallery, with the fields announcements add, and their media."""

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Real, Text, Timestamptz, Varchar
from piccolo.columns import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

from server.accounts.tables import User

__all__ = ["Post", "PostMedia"]


class Post(Table, tablename="posts"):
    author = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    body = Text(default="")
    kind = Varchar(length=16, default="text")  # text | video | gallery
    # processing | published | failed | scheduled; only posts/states.py changes it.
    status = Varchar(length=16, default="processing", index=True)
    error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    # The feed's order; set once, when the post becomes visible.
    published_at = Timestamptz(null=True, default=None, index=True, index_method=IndexMethod.btree)
    pinned_at = Timestamptz(null=True, default=None)
    pinned_until = Timestamptz(null=True, default=None)
    must_read = Boolean(default=False)
    publish_at = Timestamptz(null=True, default=None)
    audience = JSON(default="{}")


class PostMedia(Table, tablename="post_media"):
    """One video or photo of a post, with every output made from it (MediaCMS: one row per item)."""

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    kind = Varchar(length=8)  # video | image
    status = Varchar(length=16, default="processing")  # processing | ready | failed
    # Relative to HALLWAY_DATA, under originals/ (never served); "" once the outputs are final.
    original = Varchar(length=300, default="")
    alt = Varchar(length=1000, default="")
    width = Integer(null=True, default=None)
    height = Integer(null=True, default=None)
    duration = Real(null=True, default=None)
    blurhash = Varchar(length=100, default="")
    poster = Varchar(length=300, default="")  # storage key
    # [{name, key, width, height, size, bitrate, mime}]: videos' MP4s, images' WebP variants.
    renditions = JSON(default="[]")
    variants = JSON(default="[]")
    loop = Boolean(default=False)
    # True while the renditions are the remuxed upload, before the proper transcode replaces them.
    fast_start = Boolean(default=False)
    error = Text(default="")
