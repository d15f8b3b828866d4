from qr.matrix import qr_matrix, qr_png, vcard_text

from .scan import qr_texts

URL = "https://jiashu.example.cn/s/Ab3dEf7hIj9kLm1nOp2qRs"


def test_qr_png_decodes_to_the_exact_data():
    assert qr_texts(qr_png(URL)) == [URL]
    assert qr_texts(qr_png(URL, box=3, border=4)) == [URL]


def test_matrix_has_finder_patterns_in_three_corners_and_no_border():
    m = qr_matrix(URL)
    n = len(m)
    assert n >= 21 and (n - 21) % 4 == 0 and all(len(row) == n for row in m)
    for top, left in ((0, 0), (0, n - 7), (n - 7, 0)):
        ring = [m[top][left + i] for i in range(7)] + [m[top + 6][left + i] for i in range(7)]
        assert all(ring)
        assert not m[top + 1][left + 1] and m[top + 3][left + 3]


def test_many_matrices_decode(tmp_path):
    # The fixed mask must never produce an unreadable code.
    for i in range(40):
        data = f"https://jiashu.example.cn/s/{i:022d}"[: 40 + i]
        assert qr_texts(qr_png(data, box=4)) == [data]


def test_vcard_is_read_back_whole_with_chinese_and_special_characters():
    card = vcard_text("欧阳娜娜", "139 0013 9000", "东城分局, 幸福路派出所; 警务室", "社区民警", "https://x.cn/c/T0k")
    assert qr_texts(qr_png(card)) == [card]
    lines = card.split("\r\n")
    assert lines[:2] == ["BEGIN:VCARD", "VERSION:3.0"] and lines[-2:] == ["END:VCARD", ""]
    assert "FN:欧阳娜娜" in lines
    assert "ORG:东城分局\\, 幸福路派出所\\; 警务室" in lines
    assert "TEL;TYPE=WORK,VOICE:139 0013 9000" in lines
    assert "URL:https://x.cn/c/T0k" in lines


def test_vcard_values_cannot_inject_properties():
    card = vcard_text("李强\nTEL:110", "139\r\nURL:http://evil", "派出所", "民警")
    lines = card.split("\r\n")
    assert not any(line.startswith(("TEL:", "URL:")) for line in lines)
    assert "FN:李强\\nTEL:110" in lines
