"""CPU and peak memory of cleaning one uploaded photo (app/storage/photos.py): the worst photos the pixel bound
accepts, in each format and for each box, and the bombs it refuses; each in a fresh process, so its peak RSS is
its own. `--unbounded` also decodes the bomb as the app did before the bound (seconds of CPU, ~1 GB).

    .venv/bin/python -m bench.photos [--unbounded]
"""
import argparse
import io
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "photos"
SIDE = 4096   # app.storage.photos.MOST_PIXELS is SIDE * SIDE


def _flat(mode: str, size: tuple[int, int], kind: str) -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert(mode).save(out, kind)
    return out.getvalue()


CASES = {   # name: (what it is, how it is made, the box it is cleaned into)
    "png-rgba-at-bound": ("PNG RGBA 4096 x 4096 (16.8 MP, the bound)",
                          lambda: _flat("RGBA", (SIDE, SIDE), "PNG"), (2048, 2048)),
    "webp-at-bound": ("WebP 4096 x 4096", lambda: _flat("RGB", (SIDE, SIDE), "WEBP"), (2048, 2048)),
    "jpeg-panorama-at-bound": ("JPEG 65500 x 256 (no reduced draft)",
                               lambda: _flat("RGB", (65500, 256), "JPEG"), (2048, 2048)),
    "jpeg-48mp-wish": ("JPEG 8000 x 6000 as a wish photo (draft 1/4)",
                       lambda: _flat("RGB", (8000, 6000), "JPEG"), (750, 1334)),
    "png-bomb-7000": ("PNG RGBA 7000 x 7000 (refused)", lambda: _flat("RGBA", (7000, 7000), "PNG"), (2048, 2048)),
}


def _file(name: str) -> Path:
    path = OUT / f"{name}.img"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_bytes(CASES[name][1]())
    return path


def measure(name: str, unbounded: bool) -> None:
    """In the child: clean the case's file once, print CPU s, peak RSS MB and the outcome as one line."""
    from PIL import Image, ImageOps

    from app.storage.photos import cleaned
    from app.web.refusals import Refusal
    data = _file(name).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    try:
        if unbounded:   # the app before the bound (Pillow's own check, 89 MP, only), metadata and all
            with Image.open(io.BytesIO(data)) as image:
                ImageOps.exif_transpose(image).convert("RGB").thumbnail(CASES[name][2])
            outcome = "decoded"
        else:
            outcome = f"kept, {len(cleaned(data, CASES[name][2], 'photo', 'photo')) // 1024} KB"
    except Refusal as refusal:
        outcome = f"refused: {refusal.text}"
    cpu = time.process_time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{cpu:.3f}\t{peak / 1024:.0f}\t{(peak - before) / 1024:.0f}\t{len(data) // 1024}\t{outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unbounded", action="store_true", help="also decode the bomb without the bound")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--make", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child.removesuffix(":unbounded"), args.child.endswith(":unbounded"))
        return
    if args.make:
        for name in CASES:
            _file(name)
        return
    # Made in a process of their own: Linux carries a process's peak RSS across exec, so a child of a parent
    # that had made the images would report the parent's peak.
    here = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "bench.photos", "--make"], check=True, cwd=here)
    runs = [*CASES] + (["png-bomb-7000:unbounded"] if args.unbounded else [])
    print("| photo | file KB | box | CPU s | peak RSS MB (+ over the process before) | outcome |")
    print("| --- | --- | --- | --- | --- | --- |")
    for run in runs:
        name = run.removesuffix(":unbounded")
        line = subprocess.run([sys.executable, "-m", "bench.photos", "--child", run], check=True, text=True,
                              capture_output=True, cwd=here).stdout.split("\t")
        cpu, peak, grew, size, outcome = line
        box = "x".join(map(str, CASES[name][2]))
        label = CASES[name][0] + (" unbounded (as before)" if run.endswith(":unbounded") else "")
        print(f"| {label} | {size} | {box} | {cpu} | {peak} (+{grew}) | {outcome.strip()} |")


if __name__ == "__main__":
    main()
