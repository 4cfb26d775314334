"""Exceptions of the media pipeline and the reasons shown to the person who uploaded."""

import errno

__all__ = [
    "OUT_OF_SPACE",
    "OutOfSpace",
    "out_of_space",
    "DAMAGED",
    "EMPTY",
    "NO_VIDEO",
    "TOO_MUCH_MEMORY",
    "TOO_SLOW",
    "UNSUPPORTED",
    "MediaCrash",
    "MediaError",
    "NotEligible",
    "frame_too_large",
    "image_too_large",
    "too_long",
]

DAMAGED = "the file is damaged or incomplete"
EMPTY = "the file is empty"
NO_VIDEO = "this file has no video track"
TOO_MUCH_MEMORY = "this file needs too much memory to process"
TOO_SLOW = "processing this file took too long"
UNSUPPORTED = "this file type is not supported"
OUT_OF_SPACE = "the server's storage is full, so this could not be processed; your file is kept, try again once there is room"


class MediaError(Exception):
    """An unusable file: retrying will not help, the reason goes to the uploader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OutOfSpace(MediaError):
    """The disk filled up while writing outputs: not the file's fault, and retrying at once will not help."""

    def __init__(self) -> None:
        super().__init__(OUT_OF_SPACE)


def out_of_space(exc: BaseException) -> bool:
    """Did this write fail because the disk (or the quota) is full?"""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


class MediaCrash(Exception):
    """The processing died for a reason that is not the file's fault; worth a retry."""


class NotEligible(Exception):
    """The file cannot be published by remuxing alone; it needs the full processing."""


def too_long(max_seconds: float) -> MediaError:
    """The error for a video longer than the limit, in the largest whole unit."""
    if max_seconds >= 60 and max_seconds % 60 == 0:
        minutes = int(max_seconds // 60)
        return MediaError(f"videos can be at most {minutes} minute{'s' * (minutes != 1)} long")
    seconds = f"{max_seconds:g}"
    return MediaError(f"videos can be at most {seconds} second{'s' * (seconds != '1')} long")


def image_too_large(pixels: int) -> MediaError:
    """The error for an image above the pixel limit, in megapixels as phones state them."""
    return MediaError(f"this image is too large ({round(pixels / 1_000_000)} megapixels)")


def frame_too_large(width: int, height: int) -> MediaError:
    """The error for a video frame larger than 8K."""
    return MediaError(f"this video's picture is too large ({width}x{height})")
