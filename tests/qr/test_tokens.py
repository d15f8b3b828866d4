import re

from qr.tokens import card_url, is_valid_token, new_token, scan_url


def test_tokens_do_not_repeat_and_are_not_sequential():
    tokens = [new_token() for _ in range(20000)]
    assert len(set(tokens)) == len(tokens)
    assert len({t[:6] for t in tokens[:1000]}) > 990  # no shared prefix/counter


def test_token_fits_a_wechat_mini_program_scene():
    for _ in range(1000):
        token = new_token()
        assert 22 <= len(token) <= 24
        assert re.fullmatch(r"[0-9A-Za-z]+", token)
        assert len(token) <= 32


def test_is_valid_token_accepts_issued_tokens_and_rejects_junk():
    assert all(is_valid_token(new_token()) for _ in range(100))
    for junk in ["", "abc", "A" * 25, "Ab3dEf7hIj9kLm1nOp2qR/", "Ab3dEf7hIj9kLm1nOp2q%20",
                 "' OR 1=1 --AAAAAAAAAAAA", "Ab3dEf7hIj9kLm1nOp2qRs\n", None, 1234]:
        assert not is_valid_token(junk), junk


def test_urls_join_base_and_token_whatever_the_trailing_slash():
    assert scan_url("https://jiashu.example.cn/", "T0k") == "https://jiashu.example.cn/s/T0k"
    assert scan_url("https://jiashu.example.cn", "T0k") == "https://jiashu.example.cn/s/T0k"
    assert card_url("https://jiashu.example.cn/app/", "T0k") == "https://jiashu.example.cn/app/c/T0k"
