"""The activity poster (活动签到海报): an A4 page with the activity's title, time, place and its check-in QR code."""

import io
from dataclasses import dataclass

from .drawing import GRAY, WHITE, Op, QRCode, Rect, Text
from .fonts import pdf_font, text_width
from .matrix import qr_matrix
from .pdf import PdfWriter
from .raster import render_png
from .wrap import wrap_text


@dataclass(frozen=True)
class PosterData:
    community: str
    title: str
    when: str     # as people read it: "2026年12月6日 09:00–11:30"
    place: str
    points: int   # earned by checking in; 0: none
    qr_url: str


A4 = (595.28, 841.89)
RED = (0.71, 0.14, 0.09)
_MARGIN, _BAND, _LABEL = 56.0, 110.0, 64.0
# The code is the poster's point: large, centred, where the eye lands, readable from a few steps away.
_QR_TOP, _QR_SIZE = 430.0, 260.0


def render_poster_pdf(poster: PosterData) -> bytes:
    out = io.BytesIO()
    pdf = PdfWriter(out, pdf_font())
    pdf.page(A4, A4, _poster_ops(poster))
    pdf.close()
    return out.getvalue()


def render_poster_png(poster: PosterData, dpi: int = 150) -> bytes:
    return render_png(A4, A4, _poster_ops(poster), dpi=dpi)


def _lines(text: str, width: float, size: float, most: int) -> list[str]:
    """At most `most` lines; an overlong text ends in an ellipsis rather than running into the code."""
    font = pdf_font()
    lines = wrap_text(text, width, lambda s: text_width(font, s, size))
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def _poster_ops(poster: PosterData) -> list[Op]:
    width, height = A4
    ops: list[Op] = [
        Rect(0, 0, width, _BAND, color=RED),
        Text(_MARGIN, 66, 30, "社区活动", color=WHITE),
        Text(width - _MARGIN, 64, 14, poster.community, "right", WHITE),
    ]
    y = 180.0
    for line in _lines(poster.title, width - 2 * _MARGIN, 30, 3):
        ops.append(Text(width / 2, y, 30, line, "center"))
        y += 42
    y += 18
    for label, value in (("时间", poster.when), ("地点", poster.place)):
        ops.append(Text(_MARGIN, y, 16, label, color=GRAY))
        for line in _lines(value, width - 2 * _MARGIN - _LABEL, 16, 2):
            ops.append(Text(_MARGIN + _LABEL, y, 16, line))
            y += 24
        y += 8
    x = (width - _QR_SIZE) / 2
    ops.append(QRCode(x, _QR_TOP, _QR_SIZE, qr_matrix(poster.qr_url)))
    ops.append(Text(width / 2, _QR_TOP + _QR_SIZE + 44, 20, "微信扫一扫，现场签到", "center"))
    if poster.points > 0:
        ops.append(Text(width / 2, _QR_TOP + _QR_SIZE + 74, 15, f"签到可得 {poster.points} 积分", "center", GRAY))
    ops.append(Text(width / 2, height - 36, 10, "活动开始后可签到，每人一次；海报重印后旧二维码失效。", "center", GRAY))
    return ops
