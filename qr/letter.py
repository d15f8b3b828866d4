"""The family letter (家书) posted by each house door: layout, single PDF/PNG, streamed batch PDF."""

import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from reportlab.pdfbase.ttfonts import TTFont

from .drawing import GRAY, Op, Rect, Text, printed_code
from .fonts import pdf_font, text_width
from .pdf import PdfWriter
from .raster import render_png
from .template import PLACEHOLDERS, fill_template
from .wrap import wrap_text


@dataclass(frozen=True)
class LetterData:
    community: str
    grid: str
    house_code: str
    address: str
    grid_head: str
    grid_head_phone: str
    police: str
    police_phone: str
    qr_url: str
    template: str
    # A mini-program code (PNG from WeChat) printed instead of the link QR of qr_url.
    code_png: bytes | None = field(default=None, repr=False)


PAGE_SIZES = {"A4": (595.28, 841.89), "A5": (419.53, 595.28)}
# Everything is laid out in A4 points; A5 is the same page scaled down.
LAYOUT = PAGE_SIZES["A4"]
ACCENT = (0.66, 0.11, 0.11)
_LEFT, _RIGHT = 64.0, LAYOUT[0] - 64.0
_CENTER = LAYOUT[0] / 2
_BODY_TOP, _BODY_BOTTOM = 172.0, 560.0  # first and lowest allowed baseline
_BODY_SIZES = (15.0, 14.0, 13.0, 12.0, 11.0, 10.0, 9.0)  # tried in turn until the text fits
_BOX = Rect(_LEFT, 585.0, 300.0, 170.0, stroke=0.8)
_VALUE_X = _LEFT + 82
_VALUE_WIDTH = _BOX.x + _BOX.w - 10 - _VALUE_X
_QR = (389.0, 585.0, 132.0)  # x, y, size: 4-module quiet zone kept clear around it
_QR_CENTER = _QR[0] + _QR[2] / 2
SCAN_HINT = "微信扫一扫，登记您的家庭成员"

# Identical on every page, so a batch PDF stores them once as a form.
_STATIC = (
    Rect(28, 28, LAYOUT[0] - 56, LAYOUT[1] - 56, stroke=1.6, color=ACCENT),
    Rect(33, 33, LAYOUT[0] - 66, LAYOUT[1] - 66, stroke=0.5, color=ACCENT),
    Text(_CENTER, 92, 26, "致居民的一封家书", "center", ACCENT),
    Rect(_LEFT, 136, _RIGHT - _LEFT, 0.8, color=ACCENT),
    _BOX,
    Text(_LEFT + 14, 615, 12, "房屋编号", color=GRAY),
    Text(_LEFT + 14, 645, 12, "地　　址", color=GRAY),
    Text(_LEFT + 14, 695, 12, "网 格 长", color=GRAY),
    Text(_LEFT + 14, 727, 12, "社区民警", color=GRAY),
    Text(_QR_CENTER, 742, 10.5, SCAN_HINT, "center"),
    Text(_CENTER, 795, 9, "请妥善保管本家书，二维码仅用于本户家庭成员登记", "center", GRAY),
)


def render_letter_pdf(data: LetterData, size: str = "A4") -> bytes:
    out = io.BytesIO()
    write_letters_pdf([data], out, size)
    return out.getvalue()


def render_letter_png(data: LetterData, size: str = "A4", dpi: int = 150) -> bytes:
    return render_png(_page_size(size), LAYOUT, _STATIC + _variable_ops(data), dpi)


def write_letters_pdf(letters: Iterable[LetterData], out: IO[bytes], size: str = "A4") -> int:
    """Writes one page per letter to `out` as the iterable yields them; returns the page count."""
    page = _page_size(size)
    pdf = PdfWriter(out, pdf_font())
    static = pdf.form("letter", LAYOUT, _STATIC)
    for data in letters:
        pdf.page(page, LAYOUT, _variable_ops(data), forms=(static,))
    return pdf.close()


def _page_size(size: str) -> tuple[float, float]:
    if size not in PAGE_SIZES:
        raise ValueError(f"letter size must be one of {', '.join(PAGE_SIZES)}, not {size!r}")
    return PAGE_SIZES[size]


def _variable_ops(data: LetterData) -> tuple[Op, ...]:
    font = pdf_font()
    body = fill_template(data.template, {name: getattr(data, name) for name in PLACEHOLDERS})
    return (
        Text(_CENTER, 120, 12, f"{data.community}　{data.grid}", "center", GRAY),
        *_body_ops(body),
        Text(_VALUE_X, 615, 13, data.house_code),
        *_address_ops(data.address, font),
        Text(_VALUE_X, 695, 12, f"{data.grid_head}　{data.grid_head_phone}"),
        Text(_VALUE_X, 727, 12, f"{data.police}　{data.police_phone}"),
        printed_code(_QR, data.qr_url, data.code_png),
        Text(_QR_CENTER, 761, 12, data.house_code, "center"),
    )


@functools.lru_cache(maxsize=1024)  # letters of one grid share their text
def _body_ops(body: str) -> tuple[Text, ...]:
    font = pdf_font()
    paragraphs = [p.strip("\n") for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    for size in _BODY_SIZES:
        leading, gap = size * 1.7, size * 0.6
        y, ops = _BODY_TOP, []
        for paragraph in paragraphs:
            for line in wrap_text(paragraph, _RIGHT - _LEFT, lambda s: text_width(font, s, size)):
                ops.append(Text(_LEFT, y, size, line))
                y += leading
            y += gap
        last_baseline = y - gap - leading
        if last_baseline <= _BODY_BOTTOM:
            break
    # At the smallest size the template length limit keeps the text on the page;
    # only absurdly long field values could still push lines out, and those are dropped.
    return tuple(op for op in ops if op.y <= _BODY_BOTTOM)


def _address_ops(address: str, font: TTFont) -> list[Text]:
    for size in (12.0, 10.5, 9.0):
        lines = wrap_text(address, _VALUE_WIDTH, lambda s: text_width(font, s, size))
        if len(lines) <= 2:
            break
    else:
        lines = lines[:1] + [lines[1][:-1] + "…"]
    return [Text(_VALUE_X, 645 + i * size * 1.4, size, line) for i, line in enumerate(lines)]
