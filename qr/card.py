"""The police contact card (警民联系卡): a 90×54 mm business card with a contact QR code."""

import io
from dataclasses import dataclass, field

from .drawing import GRAY, WHITE, Op, QRCode, Rect, Text, printed_code
from .fonts import pdf_font, text_width
from .matrix import qr_matrix, vcard_text
from .pdf import PdfWriter
from .raster import render_png
from .wrap import wrap_text


@dataclass(frozen=True)
class CardData:
    name: str
    title: str
    station: str
    phone: str
    jurisdiction: str
    qr_url: str
    # A mini-program code (PNG from WeChat) printed instead of the link QR of qr_url; a vCard QR stays a QR.
    code_png: bytes | None = field(default=None, repr=False)


CARD_SIZE = (255.12, 153.07)  # 90 × 54 mm in points
POLICE_BLUE = (0.09, 0.2, 0.45)
_BAND = 30.0
_LEFT, _LABEL_WIDTH, _COLUMN_RIGHT = 12.0, 24.0, 138.0
# Clear of the blue band and the caption by more than 4 modules of a URL code.
_QR = (152.0, 42.0, 88.0)


def render_card_png(card: CardData, vcard: bool = False) -> bytes:
    return render_png(CARD_SIZE, CARD_SIZE, _card_ops(card, vcard), dpi=300)


def render_card_pdf(card: CardData, vcard: bool = False) -> bytes:
    out = io.BytesIO()
    pdf = PdfWriter(out, pdf_font())
    pdf.page(CARD_SIZE, CARD_SIZE, _card_ops(card, vcard))
    pdf.close()
    return out.getvalue()


def card_qr_payload(card: CardData, vcard: bool = False) -> str:
    """What the card's QR code holds: the contact URL, or a vCard a phone camera saves as a contact."""
    if vcard:
        return vcard_text(card.name, card.phone, card.station, card.title, card.qr_url)
    return card.qr_url


def _card_ops(card: CardData, vcard: bool) -> list[Op]:
    font = pdf_font()
    x, y, size = _QR
    ops: list[Op] = [
        Rect(0, 0, CARD_SIZE[0], _BAND, color=POLICE_BLUE),
        Text(_LEFT, 20, 14, "警民联系卡", color=WHITE),
        Text(CARD_SIZE[0] - _LEFT, 19, 7, "有事找民警 · 服务到您家", "right", WHITE),
        Text(_LEFT, 52, 14, card.name),
        Text(_LEFT, 65, 7.5, card.title, color=GRAY),
        QRCode(x, y, size, qr_matrix(card_qr_payload(card, vcard))) if vcard
        else printed_code(_QR, card.qr_url, card.code_png),
        Text(x + size / 2, 145, 6.5, "扫码保存联系人" if vcard else "扫码联系民警", "center", GRAY),
    ]
    row_y = 80.0
    for label, value, value_size in (("单位", card.station, 7.5), ("电话", card.phone, 9.0),
                                     ("辖区", card.jurisdiction, 7.5)):
        width = _COLUMN_RIGHT - _LEFT - _LABEL_WIDTH
        lines = wrap_text(value, width, lambda s: text_width(font, s, value_size))
        ops.append(Text(_LEFT, row_y, 7, label, color=GRAY))
        for line in lines:
            if row_y > CARD_SIZE[1] - 8:  # an overlong jurisdiction is cut at the card edge
                break
            ops.append(Text(_LEFT + _LABEL_WIDTH, row_y, value_size, line))
            row_y += value_size * 1.45
        row_y += 4
    return ops
