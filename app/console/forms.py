"""A page's form or query string read with the API's own schema, so that the console takes exactly what the API
takes; what it refuses is a Refusal naming the field, shown in the page."""
from flask import request
from marshmallow import Schema, ValidationError

from app.web.refusals import Refusal


def read(schema: Schema, source=None) -> dict:
    """`source` (the posted form unless given) loaded by `schema`: empty fields count as absent, the CSRF token
    is not the schema's."""
    given = request.form if source is None else source
    values = {key: value for key, value in given.items()
              if (not isinstance(value, str) or value.strip()) and key != "csrf_token"}
    try:
        return schema.load(values)
    except ValidationError as error:
        field, messages = next(iter(_flat(error.messages)))
        raise Refusal(" ".join(messages), field) from None


def _flat(messages, prefix=""):
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flat(value, f"{name}.")
        else:
            yield name, [str(m) for m in (value if isinstance(value, list) else [value])]
