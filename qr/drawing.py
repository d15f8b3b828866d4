"""Device-independent page content (text, rectangles, QR codes, pictures) shared by the PDF and PNG back ends.

Coordinates are points with the origin at the top-left corner and y growing
downwards; text is positioned by its baseline.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from PIL import Image

from .matrix import qr_matrix

Color = tuple[float, float, float]
INK: Color = (0.1, 0.1, 0.1)
GRAY: Color = (0.4, 0.4, 0.4)
WHITE: Color = (1.0, 1.0, 1.0)


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    size: float
    text: str
    align: str = "left"  # "left", "center" or "right" of x
    color: Color = INK


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    stroke: float = 0.0  # line width; 0 means filled instead
    color: Color = INK


@dataclass(frozen=True)
class QRCode:
    """The code without its quiet zone; the layout keeps 4 modules around it blank."""
    x: float
    y: float
    size: float
    matrix: tuple[tuple[bool, ...], ...]


@dataclass(frozen=True)
class Picture:
    """A PNG (a WeChat mini-program code) drawn into a size × size square; its own margin is its quiet zone."""
    x: float
    y: float
    size: float
    png: bytes = field(repr=False)


def flattened(png: bytes) -> Image.Image:
    """A picture as printed on white paper: transparency (WeChat draws codes on a transparent background on
    request) laid on white; grayscale ("L") unless it has colour, else RGB."""
    picture = Image.open(io.BytesIO(png))
    if picture.mode in ("1", "L"):
        return picture.convert("L")
    paper = Image.new("RGBA", picture.size, "white")
    paper.alpha_composite(picture.convert("RGBA"))
    rgb = paper.convert("RGB")
    red, green, blue = (band.tobytes() for band in rgb.split())
    return rgb.convert("L") if red == green == blue else rgb


def dark_runs(matrix: tuple[tuple[bool, ...], ...]) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules.

    Drawing a run as one rectangle instead of one per module cuts the number
    of shapes about threefold and avoids hairline seams between neighbours.
    """
    for r, row in enumerate(matrix):
        start = None
        for c, dark in enumerate(row):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                yield r, start, c - start
                start = None
        if start is not None:
            yield r, start, len(row) - start


Op = Text | Rect | QRCode | Picture   # what a page is drawn from


def printed_code(box: tuple[float, float, float], url: str, png: bytes | None) -> QRCode | Picture:
    """The code printed in `box` (x, y, size): the mini-program code when there is one, else the link's QR."""
    return Picture(*box, png) if png is not None else QRCode(*box, qr_matrix(url))
