"""Probes for the load balancer: /healthz (the process answers, no I/O) and /readyz (database and Redis answer)."""
import logging

from flask import Blueprint
from flask_smorest import abort
from sqlalchemy import text

from app.web.extensions import db
from app.web.redis_client import get_redis

# A plain Flask blueprint: outside /api/ and out of the OpenAPI spec, for machines; see docs/deployment.md.
bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    checks, failed = {}, {}
    for name, probe in _probes():
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:  # any failure means "send no traffic here"; the log keeps the detail
            log.warning("readiness: %s failed", name, exc_info=True)
            failed[name] = type(exc).__name__   # the class only: messages may carry host names
    if failed:
        abort(503, message=f"Not ready: {', '.join(failed)} not answering.", errors=failed,
              headers={"Retry-After": "5"})
    return {"status": "ready", "checks": checks}


def _probes():
    def database():
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    yield "database", database
    redis = get_redis()
    if redis is not None:
        yield "redis", redis.ping
