"""Running in production: health probes, request ids and logs, idempotent retries, the proxy in front."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    from app.ops import database_errors, health, idempotency, request_log
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        # Only then is X-Forwarded-For believed: per-address rate limits must see the phone, not the balancer.
        # Flask's documented way to add WSGI middleware, though typed as a method
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    request_log.init_app(app)   # first, so every answer below it is timed and logged
    idempotency.init_app(app)
    database_errors.init_app(app)
    app.register_blueprint(health.bp)
