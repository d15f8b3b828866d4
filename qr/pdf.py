"""A PDF writer that streams: each page goes to the output as soon as it is drawn.

reportlab's canvas keeps every page in memory until save(); this writer keeps
only object offsets, so a batch of 10,000 letters runs in constant memory.
reportlab still supplies the font parsing and the TrueType subset.
"""

import zlib
from collections.abc import Hashable, Iterable
from typing import IO

from reportlab.pdfbase.ttfonts import TTFont

from .drawing import Color, Op, Picture, QRCode, Rect, Text, dark_runs, flattened
from .pdf_font import EmbeddedFont

Size = tuple[float, float]


def fit(layout: Size, page: Size) -> tuple[float, float, float]:
    """Scale and margins (x, y) that centre a layout on a page: A5 is A4 scaled down."""
    scale = min(page[0] / layout[0], page[1] / layout[1])
    return scale, (page[0] - layout[0] * scale) / 2, (page[1] - layout[1] * scale) / 2


class PdfWriter:
    def __init__(self, out: IO[bytes], font: TTFont):
        self._out = out
        self._pos = 0
        self._offsets: dict[int, int] = {}
        self._next_id = 1
        self._page_ids: list[int] = []
        self._forms: dict[object, tuple[str, int]] = {}
        self._font = EmbeddedFont(font)
        # Written at close(), when the font subset and the set of forms are known.
        self._pages_id, self._font_id, self._resources_id = self.new_id(), self.new_id(), self.new_id()
        self._emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def write_object(self, obj_id: int, body: str) -> None:
        self._start(obj_id)
        self._emit(body.encode("latin-1") + b"\nendobj\n")

    def write_stream(self, obj_id: int, data: bytes, entries: str = "") -> None:
        packed = zlib.compress(data)
        self._start(obj_id)
        self._emit(f"<< /Length {len(packed)} /Filter /FlateDecode {entries}>>\nstream\n".encode("latin-1"))
        self._emit(packed + b"\nendstream\nendobj\n")

    def form(self, key: Hashable, layout: Size, ops: Iterable[Op]) -> str:
        """Name of a Form XObject holding `ops`, written the first time `key` is seen.

        Parts repeated on every page are stored once and each page refers to them.
        """
        if key not in self._forms:
            form_id = self.new_id()
            name = f"Fm{len(self._forms)}"
            self.write_stream(form_id, self._content(ops, layout[1], pictures=None), (
                f"/Type /XObject /Subtype /Form /BBox [0 0 {_n(layout[0])} {_n(layout[1])}]"
                f" /Resources {self._resources_id} 0 R "))
            self._forms[key] = (name, form_id)
        return self._forms[key][0]

    def page(self, page: Size, layout: Size, ops: Iterable[Op], forms: Iterable[str] = ()) -> None:
        scale, dx, dy = fit(layout, page)
        head = f"q {_n(scale)} 0 0 {_n(scale)} {_n(dx)} {_n(dy)} cm\n"
        forms = tuple(forms)
        pictures: dict[str, int] = {}
        body = "".join(f"/{name} Do\n" for name in forms).encode("ascii") + self._content(ops, layout[1], pictures)
        content_id, page_id = self.new_id(), self.new_id()
        self.write_stream(content_id, head.encode("ascii") + body + b"Q\n")
        self.write_object(page_id, (
            f"<< /Type /Page /Parent {self._pages_id} 0 R /MediaBox [0 0 {_n(page[0])} {_n(page[1])}]"
            f" /Resources {self._page_resources(forms, pictures)} /Contents {content_id} 0 R >>"))
        self._page_ids.append(page_id)

    def _page_resources(self, forms: tuple[str, ...], pictures: dict[str, int]) -> str:
        """The shared resources, or for a page with pictures of its own (each page's differ, and a batch's
        thousands of them should not all sit in one dictionary) its own: the font, its forms and pictures."""
        if not pictures:
            return f"{self._resources_id} 0 R"
        form_ids = {name: form_id for name, form_id in self._forms.values()}
        objects = {**{name: form_ids[name] for name in forms}, **pictures}
        xobjects = " ".join(f"/{name} {obj_id} 0 R" for name, obj_id in objects.items())
        return f"<< /Font << /F1 {self._font_id} 0 R >> /XObject << {xobjects} >> >>"

    def _picture(self, png: bytes, pictures: dict[str, int]) -> str:
        """Writes the picture as an image XObject now (the page streams on) and names it for the page."""
        image = flattened(png)
        image_id = self.new_id()
        colours = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
        self.write_stream(image_id, image.tobytes(), (
            f"/Type /XObject /Subtype /Image /Width {image.width} /Height {image.height}"
            f" /ColorSpace {colours} /BitsPerComponent 8 "))
        name = f"Im{image_id}"
        pictures[name] = image_id
        return name

    def close(self) -> int:
        """Finishes the file (font, page tree, cross-reference table); returns the page count."""
        self._font.write(self, self._font_id)
        forms = " ".join(f"/{name} {form_id} 0 R" for name, form_id in self._forms.values())
        self.write_object(self._resources_id, (
            f"<< /ProcSet [/PDF /Text] /Font << /F1 {self._font_id} 0 R >> /XObject << {forms} >> >>"))
        kids = " ".join(f"{page_id} 0 R" for page_id in self._page_ids)
        self.write_object(self._pages_id, f"<< /Type /Pages /Kids [{kids}] /Count {len(self._page_ids)} >>")
        catalog_id = self.new_id()
        self.write_object(catalog_id, f"<< /Type /Catalog /Pages {self._pages_id} 0 R >>")
        xref_at = self._pos
        count = self._next_id
        rows = "".join(f"{self._offsets[i]:010d} 00000 n \n" for i in range(1, count))
        self._emit((
            f"xref\n0 {count}\n0000000000 65535 f \n{rows}"
            f"trailer\n<< /Size {count} /Root {catalog_id} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
        ).encode("ascii"))
        return len(self._page_ids)

    def _start(self, obj_id: int) -> None:
        self._offsets[obj_id] = self._pos
        self._emit(f"{obj_id} 0 obj\n".encode("ascii"))

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._pos += len(data)

    def _content(self, ops: Iterable[Op], height: float, pictures: dict[str, int] | None) -> bytes:
        """Content-stream operators for `ops`, flipping y to PDF's bottom-up axis; the pictures drawn are added
        to `pictures` (None for a form, which holds none)."""
        parts = []
        for op in ops:
            if isinstance(op, Text):
                x = op.x
                if op.align != "left":
                    width = self._font.width(op.text, op.size)
                    x -= width / 2 if op.align == "center" else width
                parts.append(
                    f"BT /F1 {_n(op.size)} Tf {_rgb(op.color)} rg {_n(x)} {_n(height - op.y)} Td"
                    f" <{self._font.encode(op.text)}> Tj ET")
            elif isinstance(op, Rect):
                box = f"{_n(op.x)} {_n(height - op.y - op.h)} {_n(op.w)} {_n(op.h)} re"
                if op.stroke:
                    parts.append(f"{_rgb(op.color)} RG {_n(op.stroke)} w {box} S")
                else:
                    parts.append(f"{_rgb(op.color)} rg {box} f")
            elif isinstance(op, QRCode):
                # In module units, rows counted downwards: each run is "col row len h re".
                # Runs overlap the next row by 4% so anti-aliasing viewers show no
                # hairline seams between rows.
                module = op.size / len(op.matrix)
                runs = " ".join(f"{c} {r} {length} 1.04 re" for r, c, length in dark_runs(op.matrix))
                parts.append(f"q 0 g {_n(module)} 0 0 {_n(-module)} {_n(op.x)} {_n(height - op.y)} cm {runs} f Q")
            elif isinstance(op, Picture) and pictures is not None:
                # An image fills the unit square: scale it to the picture's size, its bottom-left corner first.
                corner = f"{_n(op.x)} {_n(height - op.y - op.size)}"
                parts.append(f"q {_n(op.size)} 0 0 {_n(op.size)} {corner} cm /{self._picture(op.png, pictures)} Do Q")
            else:
                raise TypeError(f"cannot draw {op!r}")
        return ("\n".join(parts) + "\n").encode("ascii")


def _n(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _rgb(color: Color) -> str:
    return " ".join(_n(c) for c in color)
