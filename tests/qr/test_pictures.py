"""Mini-program codes (PNG from WeChat) drawn into letters and cards instead of the link's QR code."""
import dataclasses
import io
import subprocess

import pytest
import qrcode

from qr.card import render_card_pdf, render_card_png
from qr.drawing import Picture
from qr.fonts import pdf_font
from qr.letter import LAYOUT, render_letter_png, write_letters_pdf
from qr.pdf import PdfWriter

from .scan import pdf_page_png, qr_texts


def code_png(scene: str, colour=(0, 0, 0), transparent=False) -> bytes:
    """A stand-in for WeChat's round code: a QR of the scene, in WeChat's line colour on its transparent
    background when asked (is_hyaline), as WeChat's own may come."""
    image = qrcode.make(scene, border=2, box_size=14).convert("RGBA")
    pixels = [(*colour, 255) if p[0] < 128 else (255, 255, 255, 0 if transparent else 255)
              for p in image.getdata()]
    image.putdata(pixels)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf_images(pdf) -> list[list[str]]:
    lines = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in lines.splitlines()[2:]]


@pytest.mark.parametrize("png, colours", [
    (code_png("Ab3dEf7hIj9kLm1nOp2qRs"), "gray"),
    (code_png("Ab3dEf7hIj9kLm1nOp2qRs", colour=(20, 90, 40), transparent=True), "rgb"),
], ids=["black", "green-on-transparent"])
def test_a_batch_pdf_embeds_each_letters_code_once_and_each_scans_to_its_scene(letter, png, colours, tmp_path):
    scenes = ["Ab3dEf7hIj9kLm1nOp2qRs", "Zz9yXx8wVv7uTt6sRr5qPp", "0a1b2c3d4e5f6g7h8i9j0k"]
    letters = [dataclasses.replace(letter, code_png=png if i == 0 else code_png(scene))
               for i, scene in enumerate(scenes)]
    pdf = tmp_path / "letters.pdf"
    with pdf.open("wb") as out:
        assert write_letters_pdf(letters, out) == 3
    images = pdf_images(pdf)
    assert [row[0] for row in images] == ["1", "2", "3"]   # one image on each page
    assert [row[5] for row in images] == [colours, "gray", "gray"]   # gray unless it has colour
    for page, scene in enumerate(scenes, start=1):
        assert qr_texts(pdf_page_png(pdf, page, dpi=100)) == [scene]   # not the link of qr_url


def test_a_letter_png_draws_the_code(letter):
    assert qr_texts(render_letter_png(dataclasses.replace(letter, code_png=code_png("Ab3dEf7hIj9kLm1nOp2qRs")))) \
        == ["Ab3dEf7hIj9kLm1nOp2qRs"]


def test_a_card_draws_the_code_but_a_vcard_stays_a_qr(card, tmp_path):
    with_code = dataclasses.replace(card, code_png=code_png("Zy9xWv8uTs7rQp6oNm5lKj"))
    assert qr_texts(render_card_png(with_code)) == ["Zy9xWv8uTs7rQp6oNm5lKj"]
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(render_card_pdf(with_code))
    assert qr_texts(pdf_page_png(pdf, 1, dpi=600)) == ["Zy9xWv8uTs7rQp6oNm5lKj"]
    vcard, = qr_texts(render_card_png(with_code, vcard=True))
    assert vcard.startswith("BEGIN:VCARD")


def test_a_form_holds_no_picture():
    pdf = PdfWriter(io.BytesIO(), pdf_font())
    with pytest.raises(TypeError, match="cannot draw Picture"):
        pdf.form("static", LAYOUT, [Picture(0, 0, 10, code_png("x"))])
    assert "png" not in repr(Picture(0, 0, 10, b"\x89PNG"))   # bytes stay out of error messages and logs
