import pytest

from qr.card import render_card_pdf, render_card_png
from qr.matrix import vcard_text

from .scan import pdf_info, pdf_page_png, pdf_text, qr_texts


def test_card_png_is_a_90_by_54_mm_card_at_300_dpi_whose_code_opens_the_contact_url(card):
    import io

    from PIL import Image

    png = render_card_png(card)
    assert Image.open(io.BytesIO(png)).size == (1063, 638)
    assert qr_texts(png) == [card.qr_url]


def test_vcard_card_code_is_saved_as_a_contact(card):
    expected = vcard_text(card.name, card.phone, card.station, card.title, card.qr_url)
    assert qr_texts(render_card_png(card, vcard=True)) == [expected]


@pytest.mark.parametrize("vcard", [False, True])
def test_card_pdf_prints_the_officer_and_a_readable_code(card, vcard, tmp_path):
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(render_card_pdf(card, vcard=vcard))
    assert pdf_info(pdf)["Page size"].startswith("255.12 x 153.07")
    text = pdf_text(pdf)
    for expected in ("警民联系卡", card.name, card.title, card.station, card.phone, card.jurisdiction):
        assert expected in text, expected
    (decoded,) = qr_texts(pdf_page_png(pdf, 1, dpi=300))
    assert decoded.startswith("BEGIN:VCARD") if vcard else decoded == card.qr_url
    assert card.qr_url in decoded
