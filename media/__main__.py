"""Command line: `python -m media probe FILE` and `python -m media process FILE OUTDIR [--fast-start]`."""

import argparse
import json
import sys

from .errors import MediaError, NotEligible
from .pipeline import process
from .probe import probe
from .profiles import Limits

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run one command; an unusable file gives `error: <reason>` and exit status 2."""
    parser = argparse.ArgumentParser(prog="python -m media", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    probe_cmd = commands.add_parser("probe", help="describe a file as one JSON object")
    probe_cmd.add_argument("file")
    process_cmd = commands.add_parser("process", help="write the outputs and OUTDIR/manifest.json")
    process_cmd.add_argument("file")
    process_cmd.add_argument("outdir")
    process_cmd.add_argument("--fast-start", action="store_true", help="the quick first output: a remux of feed-ready H.264, else one light rendition")
    args = parser.parse_args(argv)
    limits = Limits.from_env()
    try:
        if args.command == "probe":
            result = probe(args.file, limits)
        else:
            result = process(args.file, args.outdir, limits, fast_start=args.fast_start)
    except MediaError as e:
        print(f"error: {e.reason}", file=sys.stderr)
        return 2
    except NotEligible as e:
        # Not the uploader's problem: the caller runs the full processing instead.
        print(f"not eligible for fast start: {e}", file=sys.stderr)
        return 3
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
