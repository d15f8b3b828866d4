"""The Flask app factory: configuration, extensions, blueprints and CLI commands."""
import os

import swagger_ui_bundle
from flask import Flask, send_from_directory

from config import DEFAULT_SECRET, Config


def create_app(config_class=Config, **overrides) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    app.config.update(overrides)
    app.json.ensure_ascii = False  # Chinese stays readable in every JSON body
    if app.config["ENV_NAME"] == "production" and app.config["SECRET_KEY"] == DEFAULT_SECRET:
        raise RuntimeError("Refusing to start in production with the default SECRET_KEY; set SECRET_KEY.")
    if app.config["ENV_NAME"] == "production" and not (app.config.get("ID_ENCRYPTION_KEYS")
                                                       and app.config.get("ID_BLIND_INDEX_KEY")):
        raise RuntimeError("Refusing to start in production without ID_ENCRYPTION_KEYS and ID_BLIND_INDEX_KEY.")
    from app import crypto_fields
    crypto_fields.init_app(app)
    os.makedirs(app.instance_path, exist_ok=True)

    from app import ids, input_guard
    ids.init_app(app)   # before any route is added
    input_guard.init_app(app)
    from app.extensions import JsonErrorApi, db, migrate
    db.init_app(app)
    from app import transactions
    transactions.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"), render_as_batch=True)
    api = JsonErrorApi(app)
    from app import limits, ops
    ops.init_app(app)
    limits.init_app(app)

    from app.admin.routes import blp as admin_blp
    from app.auth.routes import blp as auth_blp
    from app.auth.wechat_routes import blp as wechat_blp, invite_blp
    from app.codes.pages import bp as scan_pages
    from app.letters.routes import blp as letters_blp
    from app.notifications.routes import blp as inbox_blp
    from app.places.routes import blp as places_blp
    for blueprint in (auth_blp, wechat_blp, invite_blp, places_blp, admin_blp, inbox_blp, letters_blp):
        api.register_blueprint(blueprint)
    app.register_blueprint(scan_pages)
    from app.figures.routes import blp as figures_blp
    from app.open311.keys_routes import blp as open311_keys_blp
    from app.open311.routes import bp as open311_bp
    from app.police.routes import blp as police_blp, cards as cards_blp
    from app.requests.category_routes import blp as categories_blp
    from app.requests.routes import blp as requests_blp
    for blueprint in (requests_blp, categories_blp, cards_blp, police_blp, figures_blp, open311_keys_blp):
        api.register_blueprint(blueprint)
    app.register_blueprint(open311_bp)
    from app.residents.grid_routes import blp as registers_blp
    from app.residents.routes import blp as residents_blp
    for blueprint in (residents_blp, registers_blp):
        api.register_blueprint(blueprint)

    @app.get("/api/docs-static/<path:filename>")
    def docs_static(filename):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)

    from app.cli import register_commands
    register_commands(app)
    return app
