"""Probes for the load balancer: /healthz (the process answers, no I/O) and /readyz (database and Redis answer; and,
for the people reading it, WeChat's refusal of the app's credentials, if it refused them)."""
import logging

from flask import Blueprint
from flask_smorest import abort
from sqlalchemy import text

from app.notifications.wechat_gateway import wechat_client, wechat_configured
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
    refusal = _wechat_refusal()
    if refusal:
        # Said, not failed: every server has the same settings, and taking them all out of rotation would stop
        # what works without WeChat too.
        checks["wechat"] = refusal
    return {"status": "ready", "checks": checks}


def _wechat_refusal():
    return wechat_client().credentials_refusal() if wechat_configured() else None


def _probes():
    def database():
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    yield "database", database
    redis = get_redis()
    if redis is not None:
        yield "redis", redis.ping
