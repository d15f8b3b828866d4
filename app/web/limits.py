"""Rate limits: the app's flask-limiter, the named limits in config (RATELIMIT_*) and decorators applying them."""
import time

from flask import Flask, current_app, g, request
from flask_limiter import Limiter

from app.auth.principal import principal_from_request


def client_address() -> str:
    """The client's address (the load balancer's forwarded one when TRUSTED_PROXIES says so)."""
    return "ip:" + (request.remote_addr or "unknown")


def caller_key() -> str:
    """Who is calling: the WeChat identity or staff account behind the token, else the address."""
    principal = g.get("principal") or principal_from_request()
    if principal is not None and principal.wechat is not None:
        return f"wechat:{principal.wechat.id}"
    if principal is not None and principal.staff is not None:
        return f"staff:{principal.staff.id}"
    return client_address()


# With Redis gone, each process goes on counting in its own memory rather than failing sign-ins.
limiter = Limiter(key_func=caller_key, key_prefix="jiashu", in_memory_fallback_enabled=True)


def rate_limited(name: str, key_func=caller_key, **options):
    """Decorate a view with the limit named `name` in config, read per request (so tests can change it).

    Callers are counted by WeChat identity (or staff account) when the request carries a valid token, else by
    address; `key_func=client_address` counts by address always. A breach answers 429 in the usual JSON error
    shape, with Retry-After. Place it below `login_required`, so a refused caller is not counted and the
    principal is known already; it works on flask-smorest views and MethodView methods alike::

        @blp.route("/scan/<token>")
        class Scan(MethodView):
            @login_required(allow_unlinked=True)
            @rate_limited("RATELIMIT_SCAN")
            @blp.response(200, ScanSchema)
            def get(self, token): ...
    """

    def message():
        current = limiter.current_limit
        wait = f" Try again in {_seconds_left(current)} s." if current is not None else ""
        return f"Too many requests: at most {current_app.config[name]}.{wait}"

    return limiter.limit(lambda: current_app.config[name], key_func=key_func, error_message=message, **options)


def _username_key() -> str:
    body = request.get_json(silent=True) if request.is_json else request.form   # the API's JSON, the console's form
    name = body.get("username") if isinstance(body, dict) else None
    return "user:" + (name[:64] if isinstance(name, str) else "")


def staff_login_limits(view):
    """Brute-force brakes on password sign-in: every attempt counts per address, wrong ones per username."""
    view = rate_limited("RATELIMIT_LOGIN_USER", key_func=_username_key,
                        deduct_when=lambda response: response.status_code == 401)(view)
    return rate_limited("RATELIMIT_LOGIN_IP", key_func=client_address)(view)


def _seconds_left(current) -> int:
    return max(1, int(current.reset_at - time.time()))


def _retry_after(response):
    current = limiter.current_limit if limiter.enabled and limiter.initialized else None
    if response.status_code == 429 and current is not None and current.breached:
        response.headers.setdefault("Retry-After", str(_seconds_left(current)))
    return response


def init_app(app: Flask) -> None:
    config = app.config
    redis_url = config.get("REDIS_URL")
    config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    if redis_url:
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 2, "socket_connect_timeout": 2})
    limiter.init_app(app)
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:     # not there when RATELIMIT_ENABLED is off
        hooks[hooks.index(limiter._check_request_limit)] = _check_shared_limits
    app.after_request(_retry_after)


def _check_shared_limits() -> None:
    """flask-limiter's own before-request check, run only when some limit needs it.

    It checks the default, application-wide, blueprint and meta limits, which this app declares none of: every
    limit is a view's decorator (rate_limited), which checks itself. Unneeded, the check still cost about a
    tenth of a signed-in request's CPU (bench.endpoints --profile me)."""
    manager = limiter.limit_manager
    if manager.default_limits or manager.application_limits or manager._blueprint_limits or limiter._meta_limits:
        limiter._check_request_limit()
