"""Refuses a request holding text no one types and the database cannot store, or a number no field takes, as bad
input (a 4xx naming the field), never a database or encoding error: a NUL character in its path, query, form or
JSON (PostgreSQL refuses one); a lone UTF-16 surrogate in its JSON ("\\ud800": valid JSON, but no UTF-8 text);
a JSON number beyond 64 bits (no column holds one; an unbounded field would hand it to SQL)."""
import re

from flask import Flask, abort, request

FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")   # JSON's decoder joins a pair of surrogates: these are alone
LARGEST = 2**63 - 1


def _bad_value(value) -> bool:
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    return isinstance(value, int | float) and not isinstance(value, bool) and not -LARGEST <= value <= LARGEST


def _bad_field(value, name=""):
    """The dotted name of the first value (or key) in `value` that no field takes, else None."""
    if _bad_value(value):
        return name or "body"
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        inner = f"{name}.{key}" if name else str(key)
        if _bad_value(key):
            return inner
        found = _bad_field(item, inner)
        if found:
            return found
    return None


def _bad_field_name():
    """The name of the path part, query or form field holding a NUL (werkzeug decodes no surrogate into them), or
    of the JSON member no field takes, else None."""
    # Most requests have no query or no body: their parsers are not even started (half of /healthz's own work).
    environ = request.environ
    flat = [*(request.view_args or {}).items()]
    if environ.get("QUERY_STRING"):
        flat += request.args.items(multi=True)
    has_body_type = bool(environ.get("CONTENT_TYPE"))   # werkzeug reads neither a form nor JSON without one
    if has_body_type and request.mimetype in FORMS:
        request.get_data(cache=True)   # parse the form from a copy: the raw body stays readable (Idempotency-Key)
        flat += request.form.items(multi=True)
    field = next((key for key, value in flat if _UNSTORABLE.search(key) or _UNSTORABLE.search(str(value))), None)
    return field or (_bad_field(request.get_json(silent=True)) if has_body_type and request.is_json else None)


def refuse_unstorable_input() -> None:
    field = _bad_field_name()
    if field:
        field = field.encode("utf-8", "backslashreplace").decode()   # a key may be the surrogate: say it escaped
        # GeoReport answers bad parameters with 400; the rest of the API with 422, as its validation does.
        abort(400 if request.blueprint == "open311" else 422,
              description=f"{field}: text may not hold NUL (\\x00) or a lone surrogate (\\ud800-\\udfff), "
                          f"nor may a number go beyond 64 bits.")


def init_app(app: Flask) -> None:
    app.before_request(refuse_unstorable_input)
