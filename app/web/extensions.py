"""Extensions created once, unbound, and initialised in the app factory (the Api is made per app)."""
from typing import TYPE_CHECKING

from flask_migrate import Migrate
from flask_smorest import Api
from flask_smorest.pagination import PaginationMetadataSchema
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, make_transient_to_detached

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class JsonErrorApi(Api):
    """flask-smorest's Api, with error bodies that always carry a message naming the bad fields."""

    def handle_http_exception(self, error):
        payload, code, headers = super().handle_http_exception(error)
        # The exception's own headers (Allow on a 405, Retry-After on a 429), which flask-smorest's handler drops;
        # not its Content-Type, which is for werkzeug's HTML page.
        headers = {**{key: value for key, value in error.get_headers() if key != "Content-Type"}, **(headers or {})}
        if "message" not in payload:
            errors = payload.get("errors")
            if errors:
                payload["message"] = "Invalid input: " + "; ".join(_describe(errors))
            else:
                payload["message"] = error.description
        return payload, code, headers

    def _register_pagination_header(self):
        # X-Pagination carries JSON; OpenAPI says so with `content` (a bare object `schema` means "k,v,k,v").
        self.spec.components.header("PAGINATION", {
            "description": "Pagination metadata, as JSON",
            "content": {"application/json": {"schema": PaginationMetadataSchema}},
        }, lazy=True)


def _describe(errors, prefix=""):
    """Flatten marshmallow's nested error dict into 'field: message' lines."""
    for key, value in errors.items():
        name = f"{prefix}{key}" if key not in ("json", "query", "form", "files", "headers") else prefix
        if isinstance(value, dict):
            yield from _describe(value, f"{name}." if name else "")
        else:
            messages = value if isinstance(value, list) else [value]
            yield f"{name or 'body'}: {' '.join(str(m) for m in messages)}"


db = SQLAlchemy(model_class=Base)

# The tables' base class. mypy takes no attribute (db.Model) as a base class, so it sees what db.Model is made of:
# Flask-SQLAlchemy's Model mixin (query, table names, binds) over our Base.
if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FlaskModel

    class Model(_FlaskModel, Base):
        __abstract__ = True
else:
    Model = db.Model


def adopt_as_loaded(obj):
    """Put `obj`, every column set from a row just read or written, in the session as if a query had loaded it:
    no statement, and nothing for the unit of work to flush (hot paths read and write through Core)."""
    make_transient_to_detached(obj)
    db.session.add(obj)
    return obj


migrate = Migrate()
csrf = CSRFProtect()
