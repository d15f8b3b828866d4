"""Random tokens printed in QR codes, the URLs built from them, and the way back from a scanned URL."""

import re
import secrets
import string
from urllib.parse import unquote, urlsplit

_ALPHABET = string.digits + string.ascii_letters
# 22 base-62 characters carry 131 bits: unguessable, and short enough for a
# WeChat mini-program code `scene` (at most 32 characters, alphanumerics allowed).
TOKEN_LENGTH = 22
TOKEN_PATTERN = r"^[0-9A-Za-z]{22,24}$"
_TOKEN_SHAPE = re.compile(TOKEN_PATTERN)
# The path segment before the token says what was printed: a family letter (/s/), a police card (/c/) or an
# activity's check-in poster (/a/). Every link the app prints starts with one of these: each needs its QR rule in
# WeChat (docs/deployment.md) and its rule's check file served (app/codes/pages.py).
LETTER, CARD, ACTIVITY = "letter", "card", "activity"
PRINTED_SEGMENTS = {LETTER: "s", CARD: "c", ACTIVITY: "a"}
_KIND_OF_SEGMENT = {segment: kind for kind, segment in PRINTED_SEGMENTS.items()}


def new_token() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(TOKEN_LENGTH))


def is_valid_token(s: object) -> bool:
    """Shape check only: rejects junk before it reaches a database lookup."""
    return isinstance(s, str) and _TOKEN_SHAPE.fullmatch(s) is not None


def _printed_url(kind: str, base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/{PRINTED_SEGMENTS[kind]}/{token}"


def scan_url(base_url: str, token: str) -> str:
    return _printed_url(LETTER, base_url, token)


def card_url(base_url: str, token: str) -> str:
    return _printed_url(CARD, base_url, token)


def activity_url(base_url: str, token: str) -> str:
    """An activity's check-in poster: the mini-program's check-in page takes the token."""
    return _printed_url(ACTIVITY, base_url, token)


def code_of_url(scanned: str, base_url: str) -> tuple[str, str]:
    """(LETTER, CARD or ACTIVITY, token) of a URL printed under `base_url`, given as scanned or URL-encoded once (WeChat
    hands a page the link it opened on, encoded so, in `q`). The token is returned as found, unchecked: what
    follows /s/ is the letter page's business, as it is in a browser. ValueError for any other URL."""
    if "://" not in scanned:
        scanned = unquote(scanned)
    url, base = urlsplit(scanned.strip()), urlsplit(base_url)
    # The scheme may differ: letters printed before a move to https still carry http links.
    if url.scheme not in ("http", "https") or url.netloc.lower() != base.netloc.lower():
        raise ValueError(f"not a link of {base.netloc}")
    prefix = base.path.rstrip("/") + "/"
    segment, _, token = url.path.removeprefix(prefix).partition("/")
    if not url.path.startswith(prefix) or segment not in _KIND_OF_SEGMENT or not token or "/" in token:
        raise ValueError("not the link of a family letter (/s/<code>), a police card (/c/<code>) or an activity "
                         "(/a/<code>)")
    return _KIND_OF_SEGMENT[segment], token
