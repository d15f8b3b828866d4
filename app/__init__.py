"""The Flask app factory: configuration, extensions, blueprints and CLI commands."""
import inspect
import ipaddress
import os
from importlib import import_module
from urllib.parse import urlsplit

import flask_smorest as smorest
import swagger_ui_bundle
from flask import Flask, request, send_from_directory
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface

from config import DEFAULT_SECRET, Config

# Every blueprint of the app, by module and name, in the order they are registered.
BLUEPRINTS = (
    ("app.auth.routes", "blp"), ("app.auth.wechat_routes", "blp"), ("app.auth.wechat_routes", "invite_blp"),
    ("app.places.routes", "blp"), ("app.admin.routes", "blp"), ("app.notifications.routes", "blp"),
    ("app.letters.routes", "blp"), ("app.codes.pages", "bp"), ("app.requests.routes", "blp"),
    ("app.requests.category_routes", "blp"), ("app.police.routes", "cards"), ("app.police.routes", "blp"),
    ("app.figures.routes", "blp"), ("app.open311.keys_routes", "blp"), ("app.open311.routes", "bp"),
    ("app.residents.routes", "blp"), ("app.residents.grid_routes", "blp"), ("app.points.routes", "blp"),
    ("app.wishes.routes", "blp"), ("app.wishes.pages", "bp"), ("app.activities.routes", "blp"),
    ("app.party.routes", "blp"), ("app.notifications.wechat_push", "bp"),
    ("app.console.scan_api", "blp"), ("app.console.routes", "bp"), ("app.console.routes", "root"),
    ("app.client", "bp"),
)
# Callers of these sign in with a bearer token (or an Open311 key), which a forged cross-site form cannot carry:
# no CSRF token there. Every other state-changing route (the console's) needs one.
TOKEN_AUTHENTICATED = ("/api", "/open311")
WECHAT_SIGNED = ("/wechat",)   # WeChat's pushes: its signature, no cookie


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions (the console's sign-in), not opened when the request has no cookie at all,
    as no API caller sends one: opening builds the signing serializer and parses the cookies every request."""

    def open_session(self, app, request):
        if "HTTP_COOKIE" not in request.environ and app.secret_key:
            return self.session_class()   # what Flask's own opening gives a request without the cookie
        return super().open_session(app, request)


class App(Flask):
    session_interface = CookieSessions()

    def ensure_sync(self, func):
        """Flask asks this of every hook and view it calls (16 times a request), inspecting each: a function's
        code says at once that it is no coroutine (the app has none; Flask's own check handles anything else)."""
        code = getattr(func, "__code__", None)
        if code is not None and not code.co_flags & inspect.CO_COROUTINE:
            return func
        return super().ensure_sync(func)


def _real_wechat(base: str | None) -> bool:
    """WeChat itself (no base set), or an HTTPS relay to it elsewhere; never a loopback fake (the demo's)."""
    if not base:
        return True
    url = urlsplit(base)
    host = url.hostname or ""
    if url.scheme != "https" or host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True   # a host name other than localhost


def create_app(config_class=Config, **overrides) -> Flask:
    app = App(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    app.config.update(overrides)
    assert isinstance(app.json, DefaultJSONProvider), "Flask's own JSON provider, the one with ensure_ascii"
    app.json.ensure_ascii = False  # Chinese stays readable in every JSON body
    if app.config["ENV_NAME"] == "production" and app.config["SECRET_KEY"] == DEFAULT_SECRET:
        raise RuntimeError("Refusing to start in production with the default SECRET_KEY; set SECRET_KEY.")
    if app.config["ENV_NAME"] == "production" and not (app.config.get("ID_ENCRYPTION_KEYS")
                                                       and app.config.get("ID_BLIND_INDEX_KEY")):
        raise RuntimeError("Refusing to start in production without ID_ENCRYPTION_KEYS and ID_BLIND_INDEX_KEY.")
    if (app.config["ENV_NAME"] == "production" and not _real_wechat(app.config["WECHAT_API_BASE"])
            and not app.config["WECHAT_FAKE_IN_PRODUCTION"]):
        raise RuntimeError("Refusing to start in production with WECHAT_API_BASE on this machine or over plain HTTP: "
                           "a fake WeChat would sign anyone in with a made-up code.")
    from app.privacy import sealed_fields
    sealed_fields.init_app(app)
    from app.notifications import templates
    templates.init_app(app)
    os.makedirs(app.instance_path, exist_ok=True)

    from app.web import ids, input_guard, security_headers
    from app.web.method_override import PatchOverride
    app.wsgi_app = PatchOverride(app.wsgi_app)  # type: ignore[method-assign]  # Flask's documented way to wrap it
    ids.init_app(app)   # before any route is added
    input_guard.init_app(app)
    security_headers.init_app(app)
    from app.web.extensions import JsonErrorApi, csrf, db, migrate
    db.init_app(app)
    csrf.init_app(app)   # its own check is off (WTF_CSRF_CHECK_DEFAULT): this one asks the method first

    @app.before_request
    def check_csrf():
        """Flask-WTF's check, cheaper for the reads it never checks (it would look up their views first)."""
        config = app.config
        if request.method in config["WTF_CSRF_METHODS"] and config["WTF_CSRF_ENABLED"]:
            csrf.protect(apply_exemptions=True)

    from app.web import transactions, write_locks
    transactions.init_app(app)
    write_locks.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"), render_as_batch=True)
    api = JsonErrorApi(app)
    from app import ops
    from app.web import limits
    ops.init_app(app)
    limits.init_app(app)

    from app.web import refusals
    refusals.init_app(app)
    for module, name in BLUEPRINTS:
        blueprint = getattr(import_module(module), name)
        if (blueprint.url_prefix or "").startswith(TOKEN_AUTHENTICATED + WECHAT_SIGNED):
            csrf.exempt(blueprint)
        # flask-smorest's blueprints are documented in the OpenAPI spec; the pages and Open311 are not.
        (api if isinstance(blueprint, smorest.Blueprint) else app).register_blueprint(blueprint)

    @app.get("/api/docs-static/<path:filename>")
    def docs_static(filename):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)

    from app.cli import register_commands
    register_commands(app)
    return app
