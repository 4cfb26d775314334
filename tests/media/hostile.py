"""Child-process targets that misbehave on purpose, for the sandbox tests."""

import os
import signal
import time
from pathlib import Path

__all__ = ["crash", "hog_memory", "hang", "hang_telling_pid"]


def _leave_partial(staging: str) -> None:
    """Write half an output, as a real run would before it fails."""
    (Path(staging) / "720p.mp4").write_bytes(b"\0" * 4096)


def hog_memory(staging: str) -> dict:
    """Ask for 8 GiB at once."""
    _leave_partial(staging)
    return {"size": len(bytearray(8 << 30))}


def hang(staging: str) -> dict:
    """Never finish."""
    _leave_partial(staging)
    time.sleep(60)
    return {}


def crash(staging: str) -> dict:
    """Die the way a segfaulting decoder does."""
    _leave_partial(staging)
    os.kill(os.getpid(), signal.SIGSEGV)
    return {}


def hang_telling_pid(staging: str, pid_file: str) -> dict:
    """Never finish, after saying which process this is."""
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(60)
    return {}
