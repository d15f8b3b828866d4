"""Idempotency-Key: a retried POST/PUT/PATCH under /api/ answers what the first one did, and does nothing twice."""
import base64
import hashlib
import hmac
import json
import logging
import os
import secrets

import redis
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, Response, current_app, g, request
from flask_smorest import abort

from app.auth.principal import principal_from_request
from app.ops.idempotency_store import PREFIX, DatabaseRecords, RedisRecords
from app.web.extensions import db
from app.web.redis_client import get_redis
from app.web.transactions import committed_a_change

HEADER = "Idempotency-Key"
METHODS = ("POST", "PUT", "PATCH")
_TRY_AGAIN = {408, 409, 425, 429}
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Location", "ETag", "Last-Modified")
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Cover every signed-in POST, PUT and PATCH under /api/ that carries the header, present and future.

    A record is scoped to the caller (staff account, else WeChat identity), the method, the path and the key.
    The first request claims it; a retry while that one runs gets 409; one with another body or query gets
    422; a later one gets the first answer back, marked `Idempotent-Replayed: true`. 2xx and 4xx answers are
    kept for IDEMPOTENCY_TTL_SECONDS; 5xx and "try again" answers (408, 409, 425, 429) free the key instead,
    unless the request had committed a change before failing (the database went away after the commit): then
    a retry answers 409 saying it was done, rather than doing it again.
    """
    app.before_request(_before)
    app.after_request(_after)
    app.teardown_request(_teardown)


def _records():
    extensions = current_app.extensions
    if "jiashu.idempotency" not in extensions:
        client = get_redis()
        extensions["jiashu.idempotency"] = RedisRecords(client) if client is not None else DatabaseRecords(db.engine)
    return extensions["jiashu.idempotency"]


def _refuse(status: int, problem: str, **extra):
    abort(status, message=f"{HEADER}: {problem}", errors={"headers": {HEADER: [problem]}}, **extra)


def _scope(principal, key: str):
    """The record's storage key, and the cipher key its answer is sealed with.

    Cached answers may hold personal data or invite codes: they are sealed with a key derived from the
    client's own Idempotency-Key, which is never stored, so reading the store alone reveals nothing."""
    caller = f"staff:{principal.staff_id}" if principal.staff_id is not None else f"wechat:{principal.wechat_id}"
    material = f"{caller}\n{request.method}\n{request.path}\n{key}".encode()
    secret = current_app.config["SECRET_KEY"].encode()
    storage_key = PREFIX + hmac.new(secret, b"record\n" + material, hashlib.sha256).hexdigest()
    return storage_key, hmac.new(secret, b"seal\n" + material, hashlib.sha256).digest()


def _before():
    key = request.headers.get(HEADER)
    if key is None or request.method not in METHODS or not request.path.startswith("/api/"):
        return None
    if not 0 < len(key) <= 100 or not key.isascii() or not key.isprintable():
        _refuse(422, "must be 1 to 100 printable ASCII characters.")
    principal = principal_from_request()
    if principal is None:
        return None  # not signed in: the view answers 401, or signs in, which may simply be done again
    storage_key, seal = _scope(principal, key)
    body = request.query_string + b"\n" + request.get_data(cache=True)
    fingerprint = hmac.new(seal, body, hashlib.sha256).hexdigest()
    pending = json.dumps({"fingerprint": fingerprint, "owner": secrets.token_hex(8)})
    try:
        return _claim_or_replay(principal, storage_key, seal, fingerprint, pending)
    except redis.RedisError:
        log.exception("idempotency store unreachable")
        _refuse(503, "retries cannot be checked right now; send the same request again shortly.",
                headers={"Retry-After": "5"})


def _claim_or_replay(principal, storage_key, seal, fingerprint, pending):
    records = _records()
    for _ in range(3):  # a record may expire between our claim and our read: then claim again
        if records.claim(storage_key, pending, current_app.config["IDEMPOTENCY_LOCK_SECONDS"]):
            g.idempotency_claim = (storage_key, seal, pending)
            return None
        stored = records.get(storage_key)
        if stored is None:
            continue
        record = json.loads(stored)
        if not hmac.compare_digest(record["fingerprint"], fingerprint):
            _refuse(422, "this key was already used for a different request; use a new key for a new request.")
        if "answer" not in record:
            _refuse(409, "the first request with this key is still running; retry in a moment.",
                    headers={"Retry-After": "1"})
        g.principal = principal  # for the request log: the view, and its login_required, do not run
        return _unseal(seal, record["answer"])
    _refuse(409, "this key is changing hands right now; retry in a moment.", headers={"Retry-After": "1"})


def _after(response):
    claim = g.pop("idempotency_claim", None)
    if claim is None:
        return response
    storage_key, seal, pending = claim
    code = response.status_code
    keep = (200 <= code < 300 or 400 <= code < 500) and code not in _TRY_AGAIN and not response.is_streamed
    kept = response if keep else _done_but_unanswered(code) if committed_a_change() else None
    try:
        if kept is not None:
            record = dict(json.loads(pending), answer=_seal(seal, kept))
            _records().replace(storage_key, pending, json.dumps(record),
                               current_app.config["IDEMPOTENCY_TTL_SECONDS"])
        else:
            _records().delete(storage_key, pending)
    except redis.RedisError:
        # The answer stands; the claim frees itself after IDEMPOTENCY_LOCK_SECONDS.
        log.exception("idempotency store unreachable; answer not kept")
    return response


def _done_but_unanswered(code: int) -> Response:
    message = (f"{HEADER}: this request was carried out, but its answer was lost ({code}); it is not done again. "
               "Reload to see the result.")
    body = {"code": 409, "status": "Conflict", "message": message}
    return Response(json.dumps(body, ensure_ascii=False), status=409, content_type="application/json")


def _teardown(_error=None):
    claim = g.pop("idempotency_claim", None)
    if claim is not None:  # the request died before an answer: let a retry run again
        try:
            _records().delete(claim[0], claim[2])
        except redis.RedisError:
            log.exception("idempotency store unreachable; claim left to expire")


def _seal(seal: bytes, response: Response) -> str:
    answer = {"status": response.status_code,
              "headers": [[name, response.headers[name]] for name in _KEPT_HEADERS if name in response.headers],
              "body": base64.b64encode(response.get_data()).decode()}
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(seal).encrypt(nonce, json.dumps(answer).encode(), None)).decode()


def _unseal(seal: bytes, sealed: str) -> Response:
    raw = base64.b64decode(sealed)
    answer = json.loads(AESGCM(seal).decrypt(raw[:12], raw[12:], None))
    response = Response(base64.b64decode(answer["body"]), status=answer["status"], headers=answer["headers"])
    response.headers["Idempotent-Replayed"] = "true"
    return response
