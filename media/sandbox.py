"""Run one processing in a child process with a wall-clock timeout and an address-space limit."""

import importlib
import json
import os
import resource
import signal
import subprocess
import sys
import traceback
from pathlib import Path

from .errors import OUT_OF_SPACE, TOO_MUCH_MEMORY, TOO_SLOW, MediaCrash, MediaError, NotEligible, OutOfSpace, out_of_space
from .pipeline import discard, publish, stage
from .profiles import Limits

__all__ = ["RESULT", "process_isolated", "run_isolated"]

# The child's verdict, written into the staging directory (never published).
RESULT = ".result.json"
# The directory that holds the media package, so the child imports this very copy.
_ROOT = str(Path(__file__).resolve().parent.parent)


def run_isolated(target: str, kwargs: dict, staging: Path, timeout: float, memory_mb: int):
    """Call "module:function"(**kwargs) in a child; return its JSON result or raise MediaError/MediaCrash."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [_ROOT, os.environ.get("PYTHONPATH")])))
    job = json.dumps({"target": target, "kwargs": kwargs, "staging": str(staging), "memory_mb": memory_mb,
                      "parent": os.getpid()})
    # A session of its own, so a timeout kills the child and anything it started.
    child = subprocess.Popen([sys.executable, "-m", "media.sandbox", job], env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise MediaError(TOO_SLOW) from None
    result_file = staging / RESULT
    if not result_file.exists():
        tail = stderr.decode(errors="replace")[-2000:]
        if "No space left on device" in tail or "Disk quota exceeded" in tail:
            raise OutOfSpace()  # not even the verdict could be written
        raise MediaCrash(f"media child exited with {child.returncode}: {tail}")
    result = json.loads(result_file.read_text())
    result_file.unlink()
    if "error" in result:
        raise MediaError(result["error"])
    if "not_eligible" in result:
        raise NotEligible(result["not_eligible"])
    if "crash" in result:
        raise MediaCrash(result["crash"])
    return result["value"]


def process_isolated(path: str | os.PathLike, outdir: str | os.PathLike, limits: Limits | None = None,
                     fast_start: bool = False) -> dict:
    """Like media.process, in a child: a hostile file can cost time and memory but not the worker."""
    limits = limits or Limits()
    outdir, staging, created = stage(outdir)
    kwargs = {"path": os.fspath(path), "staging": str(staging), "limits": limits.__dict__, "fast_start": fast_start}
    try:
        manifest = run_isolated("media.sandbox:_build", kwargs, staging, limits.timeout, limits.memory_mb)
        publish(staging, outdir, manifest)
    except BaseException:
        discard(staging, outdir, created)
        raise
    return manifest


def _build(path: str, staging: str, limits: dict, fast_start: bool) -> dict:
    """The child's side of process_isolated."""
    from .pipeline import build

    return build(path, Path(staging), Limits(**limits), fast_start)


def _die_with_parent(parent: int) -> None:
    """A worker killed with SIGKILL cannot kill its child: have the kernel do it (Linux only).

    Otherwise the orphan keeps a core busy until its own timeout while the job's next run redoes the work.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the prctl took effect
        os._exit(1)


def _child(job: dict) -> None:
    """Import the target, limit the address space, run it, and write the verdict."""
    if "parent" in job:
        _die_with_parent(job["parent"])
    module, _, name = job["target"].partition(":")
    function = getattr(importlib.import_module(module), name)
    # Limited only after the imports: the libraries' own mappings are not the file's cost.
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(resource.RLIMIT_AS, (job["memory_mb"] * 1024 * 1024, hard))
    try:
        verdict = {"value": function(**job["kwargs"])}
    except MediaError as e:
        verdict = {"error": e.reason}
    except NotEligible as e:
        verdict = {"not_eligible": str(e)}
    except MemoryError:
        verdict = {"error": TOO_MUCH_MEMORY}
    except OSError as e:
        verdict = {"error": OUT_OF_SPACE} if out_of_space(e) else {"crash": traceback.format_exc()[-2000:]}
    except Exception:
        verdict = {"crash": traceback.format_exc()[-2000:]}
    # Lift the limit again so that writing the verdict cannot fail for lack of memory.
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    result = Path(job["staging"]) / RESULT
    result.with_suffix(".tmp").write_text(json.dumps(verdict))
    os.replace(result.with_suffix(".tmp"), result)


if __name__ == "__main__":
    _child(json.loads(sys.argv[1]))
