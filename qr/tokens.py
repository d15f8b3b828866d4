"""Random tokens printed in QR codes, and the URLs built from them."""

import re
import secrets
import string

_ALPHABET = string.digits + string.ascii_letters
# 22 base-62 characters carry 131 bits: unguessable, and short enough for a
# WeChat mini-program code `scene` (at most 32 characters, alphanumerics allowed).
TOKEN_LENGTH = 22
_TOKEN_SHAPE = re.compile(r"[0-9A-Za-z]{22,24}")


def new_token() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(TOKEN_LENGTH))


def is_valid_token(s: object) -> bool:
    """Shape check only: rejects junk before it reaches a database lookup."""
    return isinstance(s, str) and _TOKEN_SHAPE.fullmatch(s) is not None


def scan_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/s/{token}"


def card_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/c/{token}"
