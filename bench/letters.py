"""Benchmark: printing a community's family letters: naive Pillow pages, reportlab's canvas, qr.letter's streamed PDF.

    .venv/bin/python -m bench.letters [--count N] [--size A4|A5] [--naive-count M] [--reportlab-count K]

Each variant runs in its own child process, so the peak RSS it reports is that
variant's alone.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from qr.template import DEFAULT_LETTER_TEMPLATE
from qr.tokens import new_token, scan_url

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://jiashu.shengquan.gov.cn/"  # scan URLs come out at 59 characters
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅"


def synthetic_letters(count: int):
    """Letters of one community: 8 grids, 6 buildings each, 6 floors of 4 flats; yielded lazily."""
    from qr.letter import LetterData

    rng = random.Random(7)

    def person():
        return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))

    def phone():
        return f"1{rng.choice('3589')}{rng.randrange(10)} {rng.randrange(10000):04d} {rng.randrange(10000):04d}"

    heads = [(person(), phone()) for _ in range(8)]
    police = [(person(), phone()) for _ in range(2)]
    for i in range(count):
        grid, building, floor, flat = i // 144 % 8 + 1, i // 24 % 6 + 1, i // 4 % 6 + 1, i % 4 + 1
        head, officer = heads[grid - 1], police[grid % 2]
        yield LetterData(
            community="胜泉社区", grid=f"第{grid}网格", house_code=f"SQ-{grid:02d}-{building:02d}-{floor:02d}{flat:02d}",
            address=f"胜泉路{100 + grid * 2}号胜泉家园{grid * 10 + building}栋{flat}单元{floor}0{flat}室",
            grid_head=head[0], grid_head_phone=head[1], police=officer[0], police_phone=officer[1],
            qr_url=scan_url(BASE_URL, new_token()), template=DEFAULT_LETTER_TEMPLATE,
        )


def ours(count: int, size: str, out_path: Path) -> None:
    from qr.letter import write_letters_pdf

    with out_path.open("wb") as out:
        pages = write_letters_pdf(synthetic_letters(count), out, size)
    assert pages == count


def naive(count: int, size: str, out_path: Path) -> None:
    """What one writes first: qrcode.make per letter, each page drawn in Pillow, save_all at the end."""
    import qrcode
    from PIL import Image, ImageDraw, ImageFont

    from qr.fonts import cjk_font_path
    from qr.template import fill_template

    width, height = (1240, 1754) if size == "A4" else (874, 1240)  # 150 dpi
    k = width / 1240
    pages = []
    for data in synthetic_letters(count):
        page = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(page)
        title = ImageFont.truetype(cjk_font_path(), int(54 * k))
        body = ImageFont.truetype(cjk_font_path(), int(28 * k))
        draw.text((width // 2, int(190 * k)), "致居民的一封家书", font=title, fill=(168, 28, 28), anchor="ms")
        y = int(330 * k)
        text = fill_template(data.template, {f: getattr(data, f) for f in (
            "community", "grid", "house_code", "address", "grid_head", "grid_head_phone", "police", "police_phone")})
        for paragraph in text.split("\n\n"):
            line = ""
            for ch in paragraph:
                if draw.textlength(line + ch, font=body) > width - 260 * k:
                    draw.text((int(130 * k), y), line, font=body, fill="black")
                    line, y = "", y + int(48 * k)
                line += ch
            draw.text((int(130 * k), y), line, font=body, fill="black")
            y += int(64 * k)
        for row, (label, value) in enumerate((("房屋编号", data.house_code), ("地址", data.address),
                                              ("网格长", f"{data.grid_head} {data.grid_head_phone}"),
                                              ("社区民警", f"{data.police} {data.police_phone}"))):
            draw.text((int(150 * k), int((1280 + row * 62) * k)), f"{label}：{value}", font=body, fill="black")
        code = qrcode.make(data.qr_url).get_image().resize((int(300 * k),) * 2)
        page.paste(code, (int(880 * k), int(1200 * k)))
        draw.text((int(1030 * k), int(1540 * k)), "微信扫一扫，登记您的家庭成员", font=body, fill="black", anchor="ms")
        pages.append(page)
    pages[0].save(out_path, "PDF", save_all=True, append_images=pages[1:], resolution=150)


def reportlab_canvas(count: int, size: str, out_path: Path) -> None:
    """The same pages through reportlab's own canvas, which keeps every page until save(): the same text in the
    same embedded TTF, each QR run a rectangle, the parts every letter shares drawn once as a form (as ours)."""
    from reportlab.pdfgen.canvas import Canvas

    from qr.drawing import QRCode, Rect, Text, dark_runs
    from qr.fonts import REPORTLAB_NAME, pdf_font
    from qr.letter import _STATIC, LAYOUT, PAGE_SIZES, _variable_ops
    from qr.pdf import fit

    pdf_font()  # registers the TTF with reportlab
    page, height = PAGE_SIZES[size], LAYOUT[1]
    scale, dx, dy = fit(LAYOUT, page)
    canvas = Canvas(str(out_path), pagesize=page)
    text_at = {"left": canvas.drawString, "center": canvas.drawCentredString, "right": canvas.drawRightString}

    def draw(ops):
        for op in ops:
            if isinstance(op, Text):
                canvas.setFont(REPORTLAB_NAME, op.size)
                canvas.setFillColorRGB(*op.color)
                text_at[op.align](op.x, height - op.y, op.text)
            elif isinstance(op, Rect):
                if op.stroke:
                    canvas.setStrokeColorRGB(*op.color)
                    canvas.setLineWidth(op.stroke)
                else:
                    canvas.setFillColorRGB(*op.color)
                canvas.rect(op.x, height - op.y - op.h, op.w, op.h, stroke=bool(op.stroke), fill=not op.stroke)
            elif isinstance(op, QRCode):
                module, path = op.size / len(op.matrix), canvas.beginPath()
                for r, c, length in dark_runs(op.matrix):  # rows overlap by 4 %, as in qr.pdf
                    path.rect(op.x + c * module, height - op.y - (r + 1.04) * module, length * module, 1.04 * module)
                canvas.setFillColorRGB(0, 0, 0)
                canvas.drawPath(path, stroke=0, fill=1)

    canvas.beginForm("letter", upperx=LAYOUT[0], uppery=LAYOUT[1])
    draw(_STATIC)
    canvas.endForm()
    for data in synthetic_letters(count):
        canvas.saveState()
        canvas.translate(dx, dy)
        canvas.scale(scale, scale)
        canvas.doForm("letter")
        draw(_variable_ops(data))
        canvas.restoreState()
        canvas.showPage()
    canvas.save()


def single_renders(size: str) -> dict:
    """Warm per-request latency of one letter, as the web app would serve it."""
    from qr.letter import render_letter_pdf, render_letter_png

    letter = next(synthetic_letters(1))
    render_letter_pdf(letter, size), render_letter_png(letter, size)
    result = {}
    for name, render, repeat in (("pdf_ms", render_letter_pdf, 50), ("png_ms", render_letter_png, 20)):
        started = time.perf_counter()
        for _ in range(repeat):
            render(letter, size)
        result[name] = (time.perf_counter() - started) / repeat * 1000
    return result


VARIANTS = {"naive": naive, "reportlab": reportlab_canvas, "ours": ours}


def child(variant: str, count: int, size: str, out_path: Path) -> None:
    started, cpu_started = time.perf_counter(), time.process_time()
    VARIANTS[variant](count, size, out_path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    figures = {"count": count, "seconds": seconds, "cpu": cpu, "bytes": out_path.stat().st_size,
               "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if variant == "ours":
        figures.update(single_renders(size))
    print(json.dumps(figures))


def run_child(variant: str, count: int, size: str, workdir: Path) -> dict:
    out_path = workdir / f"{variant}.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "bench.letters", "--child", variant, "--count", str(count), "--size", size,
         "--out", str(out_path)], cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=512, help="letters for the streamed PDF (default 512)")
    parser.add_argument("--size", choices=("A4", "A5"), default="A4")
    parser.add_argument("--naive-count", type=int, default=100,
                        help="letters for the naive baseline, which holds every page image in memory (default 100)")
    parser.add_argument("--reportlab-count", type=int,
                        help="letters for reportlab's canvas, which holds every page until save() (default --count)")
    parser.add_argument("--child", choices=tuple(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.count, args.size, args.out)
        return

    print(f"{args.size} family letters, one process each variant, on {len(os.sched_getaffinity(0))} CPU(s)")
    counts = {"naive": args.naive_count, "reportlab": args.reportlab_count or args.count, "ours": args.count}
    with tempfile.TemporaryDirectory() as tmp:
        results = {variant: run_child(variant, count, args.size, Path(tmp)) for variant, count in counts.items()}
    labels = {"naive": "naive: qrcode.make + Pillow pages + save_all",
              "reportlab": "reportlab canvas: showPage + save",
              "ours": "qr.letter.write_letters_pdf (streamed)"}
    # CPU seconds beside wall seconds: other work on the machine inflates both, the latter far more.
    print(f"{'variant':46} {'letters':>7} {'seconds':>8} {'CPU s':>7} {'letters/s':>10} {'per CPU s':>10}"
          f" {'file MB':>8} {'KB/page':>8} {'peak RSS MB':>12}")
    for variant, r in results.items():
        print(f"{labels[variant]:46} {r['count']:>7} {r['seconds']:>8.2f} {r['cpu']:>7.2f}"
              f" {r['count'] / r['seconds']:>10.1f} {r['count'] / r['cpu']:>10.1f}"
              f" {r['bytes'] / 1e6:>8.2f} {r['bytes'] / r['count'] / 1e3:>8.1f} {r['peak_rss_mb']:>12.0f}")
    rate = {variant: r["count"] / r["cpu"] for variant, r in results.items()}
    for variant in ("naive", "reportlab"):
        print(f"ours against {variant}: {rate['ours'] / rate[variant]:.1f}x letters per CPU second"
              f" ({variant} measured on {results[variant]['count']} letters, ours on {results['ours']['count']})")
    print(f"one letter on request: PDF {results['ours']['pdf_ms']:.1f} ms, PNG (150 dpi) {results['ours']['png_ms']:.1f} ms")
    if args.count >= 10000:
        per_10k = results["ours"]["seconds"] * 10000 / args.count
        verdict = "meets" if per_10k < 60 else "MISSES"
        print(f"{args.count} letters in {results['ours']['seconds']:.1f} s: {verdict} the target of 10,000 in 60 s")


if __name__ == "__main__":
    main()
