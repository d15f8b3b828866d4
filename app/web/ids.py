"""Ids in URLs, queries and bodies stay within the database's integer range, so a larger one never reaches SQL."""
from flask import Flask
from marshmallow import validate
from werkzeug.routing import IntegerConverter

# Primary keys are PostgreSQL `integer` columns; SQLite's are wider, but no row there has a larger id either.
MAX_ID = 2**31 - 1


def id_range(**kwargs) -> validate.Range:
    """The validator of an id field: 1 to MAX_ID."""
    return validate.Range(min=1, max=MAX_ID, **kwargs)


class IdConverter(IntegerConverter):
    """<int:...> in a route: a larger number than any id matches no route, so it answers 404 like any unknown id
    (and the OpenAPI spec documents the bound)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Install the converter; call it before any blueprint adds its routes."""
    app.url_map.converters["int"] = IdConverter
