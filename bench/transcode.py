"""Benchmark: a 30 s 1080x1920 phone clip and a 12 MP HEIC through `media` and Debian's ffmpeg.

Run from the project root: `.venv/bin/python bench/transcode.py [ROUNDS]`. Runs alternate
(media, ffmpeg, media, ffmpeg, ...) so that both see the same machine load.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
FFMPEG = "/usr/bin/ffmpeg"

# The same settings media uses (media/profiles.py, media/video.py): 720p + 360p, veryfast,
# CRF 23/26 with VBV caps, AAC 128k/64k, +faststart, BT.709 limited range; plus a WebP poster.
_X264 = ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-g", "60", "-pix_fmt", "yuv420p",
         "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709", "-movflags", "+faststart"]
_GRAPH = ("[0:v]scale=720:1280:out_color_matrix=bt709:out_range=tv,format=yuv420p,split=3[a][b][c];"
          "[b]scale=360:640:flags=bicubic[s];[c]trim=start=9,setpts=PTS-STARTPTS[p]")


def ffmpeg_args(clip: Path, out: Path) -> list[str]:
    """Debian's ffmpeg doing what media does for one clip."""
    return [FFMPEG, "-v", "error", "-y", "-i", str(clip), "-filter_complex", _GRAPH,
            "-map", "[a]", "-map", "0:a", *_X264, "-crf", "23", "-maxrate", "3000000", "-bufsize", "6000000",
            "-c:a", "aac", "-b:a", "128k", str(out / "720p.mp4"),
            "-map", "[s]", "-map", "0:a", *_X264, "-crf", "26", "-maxrate", "800000", "-bufsize", "1600000",
            "-c:a", "aac", "-b:a", "64k", str(out / "360p.mp4"),
            "-map", "[p]", "-frames:v", "1", "-quality", "80", str(out / "poster.webp")]


def make_clip(path: Path) -> None:
    """A 30 s 1080x1920 30 fps H.264 + AAC clip with detail and motion, as a phone would record."""
    subprocess.run([FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1080x1920:rate=30:duration=30",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=30",
                    # About 12 Mbit/s, what phones record at 1080p30.
                    "-vf", "noise=alls=4:allf=t", "-c:v", "libx264", "-preset", "veryfast", "-b:v", "12M",
                    "-maxrate", "15M", "-bufsize", "30M",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", "-ac", "2", str(path)], check=True)


def make_heic(path: Path) -> None:
    """A 12 MP (4032x3024) HEIC photo with gradients and shapes."""
    from PIL import Image, ImageDraw
    from pillow_heif import register_heif_opener

    register_heif_opener()
    im = Image.merge("RGB", [Image.linear_gradient("L").resize((4032, 3024)),
                             Image.radial_gradient("L").resize((4032, 3024)),
                             Image.effect_noise((4032, 3024), 40)])
    draw = ImageDraw.Draw(im)
    for i in range(40):
        draw.ellipse((i * 97, i * 61, i * 97 + 400, i * 61 + 300), outline=(255, 255 - i * 5, i * 5), width=9)
    im.save(path, quality=80)


def timed(args: list[str]) -> tuple[float, float]:
    """Run a command; return its wall time (s) and peak RSS (MB) of the process."""
    began = time.perf_counter()
    child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(args)}")
    return wall, usage.ru_maxrss / 1024


def sizes(out: Path) -> str:
    """Output file sizes, in kB."""
    return ", ".join(f"{p.name} {p.stat().st_size // 1024} kB" for p in sorted(out.iterdir()) if p.name != "manifest.json")


def main() -> None:
    """Generate the inputs, run both tools alternately, print the figures."""
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    work = Path(tempfile.mkdtemp(prefix="hallway-bench-"))
    try:
        clip, photo = work / "clip.mp4", work / "photo.heic"
        make_clip(clip)
        # In a child: a forked child's peak RSS counts the parent's, so the parent stays small.
        subprocess.run([sys.executable, __file__, "--make-heic", str(photo)], check=True)
        media = [sys.executable, "-m", "media", "process"]
        results: dict[str, list[tuple[float, float]]] = {"media": [], "ffmpeg": [], "heic": []}
        for n in range(rounds):
            for name, args in (("media", [*media, str(clip), str(work / f"m{n}")]),
                               ("ffmpeg", ffmpeg_args(clip, (work / f"f{n}")))):
                (work / f"f{n}").mkdir(exist_ok=True)
                results[name].append(timed(args))
                print(f"round {n + 1} {name:6}: {results[name][-1][0]:6.2f} s, peak RSS {results[name][-1][1]:5.0f} MB")
            results["heic"].append(timed([*media, str(photo), str(work / f"h{n}")]))
            print(f"round {n + 1} heic  : {results['heic'][-1][0]:6.2f} s, peak RSS {results['heic'][-1][1]:5.0f} MB")
        best = {name: min(w for w, _ in runs) for name, runs in results.items()}
        peak = {name: max(r for _, r in runs) for name, runs in results.items()}
        print(f"\nclip 30 s 1080x1920 H.264+AAC ({clip.stat().st_size // 1024} kB), best of {rounds}:")
        print(f"  media  {best['media']:6.2f} s  peak RSS {peak['media']:5.0f} MB  {sizes(work / 'm0')}")
        print(f"  ffmpeg {best['ffmpeg']:6.2f} s  peak RSS {peak['ffmpeg']:5.0f} MB  {sizes(work / 'f0')}")
        print(f"  ratio media/ffmpeg {best['media'] / best['ffmpeg']:.3f}")
        print(f"photo 12 MP HEIC ({photo.stat().st_size // 1024} kB): media {best['heic']:.2f} s, "
              f"peak RSS {peak['heic']:.0f} MB, {sizes(work / 'h0')}  (Debian's ffmpeg 5.1 cannot read HEIC)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--make-heic"]:
        make_heic(Path(sys.argv[2]))
    else:
        main()
