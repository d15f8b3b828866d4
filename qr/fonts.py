"""Finds the CJK font and loads it for reportlab (PDF) and Pillow (PNG)."""

import functools
import os

from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

ENV_VAR = "JIASHU_CJK_FONT"
REPORTLAB_NAME = "JiashuCJK"
# Only fonts with TrueType outlines: the PDF embeds a glyf-table subset, so the
# CFF-based Noto CJK (.ttc from fonts-noto-cjk) cannot be used here.
KNOWN_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
_HOW_TO_FIX = f"run `apt-get install fonts-wqy-microhei`, or set {ENV_VAR} to a TrueType CJK font file"


class FontMissing(RuntimeError):
    pass


def cjk_font_path() -> str:
    configured = os.environ.get(ENV_VAR)
    if configured:
        if not os.path.isfile(configured):
            raise FontMissing(f"{ENV_VAR}={configured} is not a file: {_HOW_TO_FIX}")
        return configured
    for path in KNOWN_PATHS:
        if os.path.isfile(path):
            return path
    raise FontMissing(f"no Chinese font found in {', '.join(KNOWN_PATHS)}: {_HOW_TO_FIX}")


def pdf_font() -> TTFont:
    """The CJK font parsed by reportlab, registered as REPORTLAB_NAME."""
    return _load_pdf_font(cjk_font_path())


def pil_font(size: float) -> ImageFont.FreeTypeFont:
    return _load_pil_font(cjk_font_path(), size)


def text_width(font: TTFont, text: str, size: float) -> float:
    """Advance width in points; both the PDF and the PNG lay text out with it."""
    widths, default = font.face.charWidths, font.face.defaultWidth
    return float(sum(widths.get(ord(ch), default) for ch in text)) * size / 1000


@functools.cache
def _load_pdf_font(path: str) -> TTFont:
    try:
        font = TTFont(REPORTLAB_NAME, path, subfontIndex=0)
    except (TTFError, OSError) as exc:
        raise FontMissing(f"cannot use {path} ({exc}): {_HOW_TO_FIX}") from exc
    pdfmetrics.registerFont(font)
    return font


@functools.lru_cache(maxsize=64)
def _load_pil_font(path: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=0)
