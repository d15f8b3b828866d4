"""The CJK font inside a PDF: CIDs handed out as text is drawn, then embedded as a TrueType subset."""

import hashlib
import re
import threading
from typing import TYPE_CHECKING

from reportlab.pdfbase.ttfonts import TTFont

from .fonts import text_width

if TYPE_CHECKING:
    from .pdf import PdfWriter

# Each CID is the glyph's index in the subset that reportlab's makeSubset
# builds: both number distinct glyphs in first-use order after .notdef, so the
# descendant font can use /CIDToGIDMap /Identity.

# makeSubset reads the font file through a cursor shared by every user of the
# cached font, so threads serving requests must take turns.
_SUBSET_LOCK = threading.Lock()


class EmbeddedFont:
    def __init__(self, font: TTFont):
        self._font = font
        self._face = font.face
        self._hex_of_char: dict[str, str] = {}
        self._cid_of_glyph = {0: 0}
        self._chars: list[str] = []  # one character per CID, CID = index + 1

    def encode(self, text: str) -> str:
        """Hex string of 2-byte CIDs for a Tj operator (Identity-H encoding)."""
        hex_of = self._hex_of_char
        try:
            return "".join([hex_of[ch] for ch in text])
        except KeyError:
            for ch in text:
                if ch not in hex_of:
                    hex_of[ch] = f"{self._assign_cid(ch):04X}"
            return "".join([hex_of[ch] for ch in text])

    def width(self, text: str, size: float) -> float:
        return text_width(self._font, text, size)

    def _assign_cid(self, ch: str) -> int:
        glyph = self._face.charToGlyph.get(ord(ch), 0)
        cid = self._cid_of_glyph.get(glyph)
        if cid is None:
            self._chars.append(ch)
            cid = self._cid_of_glyph[glyph] = len(self._chars)
        return cid

    def write(self, pdf: "PdfWriter", type0_id: int) -> None:
        """Writes the font objects through `pdf` (a PdfWriter); call once, after the last page."""
        face = self._face
        subset = [ord(ch) for ch in self._chars]
        name = "/" + _subset_tag(subset) + "+" + re.sub(r"[^A-Za-z0-9-]", "", face.name.decode("latin-1"))
        cid_font, descriptor, font_file, to_unicode = (pdf.new_id() for _ in range(4))
        pdf.write_object(type0_id, (
            f"<< /Type /Font /Subtype /Type0 /BaseFont {name} /Encoding /Identity-H"
            f" /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"))
        widths = " ".join(str(round(face.charWidths.get(code, face.defaultWidth))) for code in subset)
        pdf.write_object(cid_font, (
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont {name}"
            " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            f" /FontDescriptor {descriptor} 0 R /DW {round(face.defaultWidth)} /W [1 [{widths}]]"
            " /CIDToGIDMap /Identity >>"))
        bbox = " ".join(str(round(v)) for v in face.bbox)
        pdf.write_object(descriptor, (
            f"<< /Type /FontDescriptor /FontName {name} /Flags {face.flags} /FontBBox [{bbox}]"
            f" /ItalicAngle {face.italicAngle:g} /Ascent {round(face.ascent)} /Descent {round(face.descent)}"
            f" /CapHeight {round(face.capHeight)} /StemV {face.stemV} /FontFile2 {font_file} 0 R >>"))
        with _SUBSET_LOCK:
            program = face.makeSubset(subset)
        pdf.write_stream(font_file, program, f"/Length1 {len(program)}")
        pdf.write_stream(to_unicode, _to_unicode_cmap(self._chars))


def _subset_tag(subset: list[int]) -> str:
    # Six capital letters that differ between subsets, as PDF requires.
    digest = hashlib.sha1(repr(subset).encode()).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def _to_unicode_cmap(chars: list[str]) -> bytes:
    # Lets viewers copy and search the text (and pdftotext extract it).
    entries = [f"<{cid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for cid, ch in enumerate(chars, 1)]
    blocks = []
    for i in range(0, len(entries), 100):  # bfchar blocks hold at most 100 entries
        chunk = entries[i:i + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        *blocks,
        "endcmap CMapName currentdict /CMap defineresource pop end end",
    ]).encode("ascii")
