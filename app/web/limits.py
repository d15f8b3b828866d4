"""Rate limits: the app's flask-limiter, the named limits in config (RATELIMIT_*) and decorators applying them."""
import time
from functools import partial

from flask import Flask, current_app, g, request
from flask.globals import request_ctx
from flask_limiter import Limiter

from app.auth.principal import principal_from_request


def client_address() -> str:
    """The client's address (the load balancer's forwarded one when TRUSTED_PROXIES says so)."""
    return "ip:" + (request.remote_addr or "unknown")


def caller_key() -> str:
    """Who is calling: the WeChat identity or staff account behind the token, else the address."""
    principal = g.get("principal") or principal_from_request()
    if principal is not None and principal.wechat_id is not None:
        return f"wechat:{principal.wechat_id}"
    if principal is not None and principal.staff_id is not None:
        return f"staff:{principal.staff_id}"
    return client_address()


# With Redis gone, each process goes on counting in its own memory rather than failing sign-ins.
limiter = Limiter(key_func=caller_key, key_prefix="jiashu", in_memory_fallback_enabled=True)


def rate_limited(name: str, key_func=caller_key, shared: str | None = None, **options):
    """Decorate a view with the limit named `name` in config, read per request (so tests can change it).

    Callers are counted by WeChat identity (or staff account) when the request carries a valid token, else by
    address; `key_func=client_address` counts by address always. A breach answers 429 in the usual JSON error
    shape, with Retry-After. Place it below `login_required`, so a refused caller is not counted and the
    principal is known already. Each view counts apart, unless views name one `shared` scope. It works on
    flask-smorest views and MethodView methods alike::

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

    if shared is not None:
        return limiter.shared_limit(lambda: current_app.config[name], shared, key_func=key_func,
                                    error_message=message, **options)
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


def photo_upload_limits(view):
    """Photo uploads cost a decode and a re-encode each: counted per person and per address over every photo
    route, refused ones too."""
    view = rate_limited("RATELIMIT_PHOTOS", shared="photos")(view)
    return rate_limited("RATELIMIT_PHOTOS_IP", key_func=client_address, shared="photos-ip")(view)


def _seconds_left(current) -> int:
    return max(1, int(current.reset_at - time.time()))


def _retry_after(response):
    if response.status_code == 429 and limiter.enabled and limiter.initialized and _limits_checked():
        current = limiter.current_limit
        if current is not None and current.breached:
            response.headers.setdefault("Retry-After", str(_seconds_left(current)))
    return response


def init_app(app: Flask) -> None:
    config = app.config
    redis_url = config.get("REDIS_URL")
    config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    if redis_url:
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 2, "socket_connect_timeout": 2})
    start_limiter(app)
    app.after_request(_retry_after)


def start_limiter(app: Flask) -> None:
    """flask-limiter on `app` (when RATELIMIT_ENABLED says so), its hooks, which every request runs, made to do
    only the work the app's limits need (that took 72 Python calls off each /healthz)."""
    limiter.init_app(app)
    _replace(app.before_request_funcs, lambda _hook: _check_shared_limits)
    _replace(app.after_request_funcs, _only_if_checked)
    _replace(app.teardown_request_funcs, _only_if_checked)


def _replace(hooks: dict, instead) -> None:
    """Put instead(hook) in place of flask-limiter's hook among the app's own `hooks` (a method of the limiter,
    or a partial handed it); there is none when limits are off, or replaced already."""
    own = hooks.get(None, [])
    hook = next((hook for hook in own if getattr(hook, "__self__", None) is limiter or
                 isinstance(hook, partial) and hook.args == (limiter,)), None)
    if hook is not None:
        own[own.index(hook)] = instead(hook)


def _check_shared_limits() -> None:
    """flask-limiter's own before-request check, run only when some limit needs it.

    It checks the default, application-wide, blueprint and meta limits, which this app declares none of: every
    limit is a view's decorator (rate_limited), which checks itself. Unneeded, the check still cost about a
    tenth of a signed-in request's CPU (bench.endpoints --profile me)."""
    manager = limiter.limit_manager
    if manager.default_limits or manager.application_limits or manager._blueprint_limits or limiter._meta_limits:
        limiter._check_request_limit()


def _limits_checked() -> bool:
    """Whether a limit was checked in this request: flask-limiter keeps what it found on the request context,
    made by the first check (its after-request hook and teardown would make it only to find it empty)."""
    return hasattr(request_ctx, "_limiter_request_context")


def _only_if_checked(hook):
    """flask-limiter's after-request hook (the deductions of `deduct_when`, its headers) or teardown, run only
    when a limit was checked; either way it hands on what it is given (the response)."""
    return lambda given: hook(given) if _limits_checked() else given
