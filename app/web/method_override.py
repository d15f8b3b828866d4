"""WeChat's wx.request has no PATCH: the mini-program sends its PATCHes as POST with `X-HTTP-Method-Override:
PATCH`, taken here as the PATCH it stands for, before routing (so the route, its checks and Idempotency-Key see a
PATCH). Only PATCH, only under /api/: every other method the mini-program sends as itself."""
from collections.abc import Callable, Iterable
from typing import Any

HEADER = "HTTP_X_HTTP_METHOD_OVERRIDE"


class PatchOverride:
    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if (environ.get("REQUEST_METHOD") == "POST" and environ.get(HEADER, "").strip().upper() == "PATCH"
                and environ.get("PATH_INFO", "").startswith("/api/")):
            environ["REQUEST_METHOD"] = "PATCH"
        return self.wsgi_app(environ, start_response)
