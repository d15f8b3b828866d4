"""One JSON log line per request (logger `jiashu.request`), and the request id echoed in X-Request-Id."""
import json
import logging
import re
import secrets
import time

from flask import Flask, g, request

log = logging.getLogger("jiashu.request")
_SANE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_PROBES = ("/healthz", "/readyz")    # polled every few seconds by the balancer: they would drown the log
_SECRET_ARGS = ("token",)            # QR tokens in paths (/s/<token>) open a house: never written to logs


def init_app(app: Flask) -> None:
    log.setLevel(logging.INFO)
    app.before_request(_start)
    app.after_request(_finish)


def _start():
    g.pop("principal", None)  # g outlives a request when an app context was pushed already (tests)
    supplied = request.environ.get("HTTP_X_REQUEST_ID", "")
    g.request_id = supplied if _SANE_ID.fullmatch(supplied) else secrets.token_hex(16)
    g.request_started = time.perf_counter()


def _finish(response):
    request_id = g.get("request_id") or secrets.token_hex(16)
    response.headers["X-Request-Id"] = request_id
    path = request.path
    if path in _PROBES:
        return response
    principal = g.get("principal")
    started = g.get("request_started", time.perf_counter())
    rule = request.url_rule
    log.info(json.dumps({
        "event": "request",
        "method": request.method,
        "path": _path(path),             # request.path never holds the query string, which may hold codes
        "route": rule.rule if rule else None,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "request_id": request_id,
        "role": principal.role.value if principal is not None and principal.role else None,
    }, ensure_ascii=False))
    return response


def _path(path: str) -> str:
    args = request.view_args or {}
    for name in _SECRET_ARGS:
        value = args.get(name)
        if value:
            path = path.replace(str(value), f"<{name}>")
    return path
