import dataclasses
import io

import pytest

from qr.letter import SCAN_HINT, render_letter_pdf, render_letter_png, write_letters_pdf
from qr.template import MAX_TEMPLATE_CHARS

from .scan import pdf_fonts, pdf_info, pdf_page_png, pdf_text, qr_texts


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_letter_png_qr_scans_to_the_house_url(letter, size):
    assert qr_texts(render_letter_png(letter, size)) == [letter.qr_url]


@pytest.mark.parametrize("size, points", [("A4", "595.28 x 841.89"), ("A5", "419.53 x 595.28")])
def test_letter_pdf_printed_at_150_dpi_scans_to_the_house_url(letter, size, points, tmp_path):
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_letter_pdf(letter, size))
    assert pdf_info(pdf)["Page size"].startswith(points)
    assert qr_texts(pdf_page_png(pdf, 1)) == [letter.qr_url]


def test_letter_pdf_shows_the_house_and_whom_to_call(letter, tmp_path):
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_letter_pdf(letter))
    text = "".join(pdf_text(pdf).split())  # line breaks and letter spacing aside
    for expected in ("致居民的一封家书", SCAN_HINT, "房屋编号", letter.house_code, letter.address,
                     "网格长", letter.grid_head, letter.grid_head_phone,
                     "社区民警", letter.police, letter.police_phone, "尊敬的居民朋友"):
        assert "".join(expected.split()) in text, expected


def test_letter_pdf_embeds_its_chinese_font(letter, tmp_path):
    # A font that is not embedded is replaced by whatever the printer has.
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_letter_pdf(letter))
    font_line = pdf_fonts(pdf).splitlines()[2].split()
    assert "CID" in font_line and font_line[-5:-2] == ["yes", "yes", "yes"]  # emb, sub, uni
    assert len(pdf.read_bytes()) < 100_000


def test_admin_template_text_is_printed(letter, tmp_path):
    template = "各位邻居：\n\n　　{grid}本周六上午在小区广场开展义诊，{house_code}住户欢迎参加。\n\n联系人：{grid_head}"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_letter_pdf(dataclasses.replace(letter, template=template)))
    text = "".join(pdf_text(pdf).split())
    assert "第三网格本周六上午在小区广场开展义诊，SQ-01-03-0402住户欢迎参加。" in text
    assert "联系人：王丽" in text


def test_longest_allowed_template_fits_on_the_page_whole(letter, tmp_path):
    body = ("社区是我们共同的家，" * 60)[: MAX_TEMPLATE_CHARS - 20]
    template = body[:200] + "\n\n" + body[200:400] + "\n\n" + body[400:] + "{police}"
    for size in ("A4", "A5"):
        pdf = tmp_path / f"long-{size}.pdf"
        pdf.write_bytes(render_letter_pdf(dataclasses.replace(letter, template=template), size))
        text = "".join(pdf_text(pdf).split())
        assert body.replace(" ", "") + "李强" in text
        assert qr_texts(pdf_page_png(pdf, 1)) == [letter.qr_url]


def _letters(letter, count, pulled):
    for i in range(count):
        pulled.append(i)
        yield dataclasses.replace(letter, house_code=f"SQ-01-03-{i:04d}", qr_url=f"{letter.qr_url[:-4]}{i:04d}")


def test_batch_has_one_page_per_letter_each_with_its_own_code(letter, tmp_path):
    pdf = tmp_path / "batch.pdf"
    with pdf.open("wb") as out:
        pages = write_letters_pdf(_letters(letter, 25, []), out)
    assert pages == 25
    assert pdf_info(pdf)["Pages"] == "25"
    for page in (1, 13, 25):
        assert qr_texts(pdf_page_png(pdf, page)) == [f"{letter.qr_url[:-4]}{page - 1:04d}"]
    text = pdf_text(pdf)
    assert all(f"SQ-01-03-{i:04d}" in text for i in range(25))


class _Recorder(io.RawIOBase):
    """An output that notes how many letters had been taken when each write happened."""

    def __init__(self, pulled):
        self.pulled, self.writes = pulled, []

    def writable(self):
        return True

    def write(self, data):
        self.writes.append((len(self.pulled), len(data)))
        return len(data)


def test_batch_streams_pages_out_while_letters_are_still_coming(letter):
    pulled = []
    out = _Recorder(pulled)
    write_letters_pdf(_letters(letter, 50, pulled), out, "A5")
    written_before_last = sum(size for taken, size in out.writes if taken < 50)
    assert written_before_last > 40 * 1000  # earlier pages were already on their way out
    assert max(size for _, size in out.writes) < 100_000  # no write carries the whole document


def test_unknown_paper_size_is_refused_before_anything_is_written(letter):
    out = io.BytesIO()
    with pytest.raises(ValueError, match="A4"):
        write_letters_pdf([letter], out, "Letter")
    assert out.getvalue() == b""
