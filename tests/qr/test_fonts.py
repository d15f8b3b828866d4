import pytest

from qr import fonts
from qr.card import render_card_png
from qr.fonts import FontMissing, cjk_font_path
from qr.letter import render_letter_pdf


def test_missing_configured_font_says_how_to_fix_it(monkeypatch, tmp_path, letter, card):
    missing = tmp_path / "no-such-font.ttc"
    monkeypatch.setenv(fonts.ENV_VAR, str(missing))
    for attempt in (cjk_font_path, lambda: render_letter_pdf(letter), lambda: render_card_png(card)):
        with pytest.raises(FontMissing) as err:
            attempt()
        message = str(err.value)
        assert str(missing) in message
        assert "apt-get install fonts-wqy-microhei" in message and "JIASHU_CJK_FONT" in message


def test_a_file_that_is_not_a_font_is_refused_clearly(monkeypatch, tmp_path, letter):
    junk = tmp_path / "font.ttf"
    junk.write_bytes(b"not a font at all" * 10)
    monkeypatch.setenv(fonts.ENV_VAR, str(junk))
    with pytest.raises(FontMissing, match="apt-get install fonts-wqy-microhei"):
        render_letter_pdf(letter)


def test_no_font_anywhere_is_reported(monkeypatch, tmp_path):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "KNOWN_PATHS", (str(tmp_path / "a.ttc"),))
    with pytest.raises(FontMissing, match="no Chinese font found"):
        cjk_font_path()


def test_configured_font_is_used(monkeypatch):
    path = fonts.KNOWN_PATHS[0]
    monkeypatch.setenv(fonts.ENV_VAR, path)
    assert cjk_font_path() == path
