"""Refuses a request with a NUL character in its path, query, form or JSON: PostgreSQL cannot store one, and
nobody types one, so it is bad input (a 4xx naming the field), never a database error."""
from flask import Flask, abort, request

NUL = "\x00"
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _field_with_nul(value, name=""):
    """The dotted name of the first string (or key) in `value` holding a NUL, else None."""
    if isinstance(value, str):
        return (name or "body") if NUL in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        inner = f"{name}.{key}" if name else str(key)
        if NUL in str(key):
            return inner
        found = _field_with_nul(item, inner)
        if found:
            return found
    return None


def _nul_field():
    """The name of the path part, query or form field, or JSON member holding a NUL, else None."""
    # Most requests have no query or no body: their parsers are not even started (half of /healthz's own work).
    environ = request.environ
    flat = [*(request.view_args or {}).items()]
    if environ.get("QUERY_STRING"):
        flat += request.args.items(multi=True)
    has_body_type = bool(environ.get("CONTENT_TYPE"))   # werkzeug reads neither a form nor JSON without one
    if has_body_type and request.mimetype in FORMS:
        request.get_data(cache=True)   # parse the form from a copy: the raw body stays readable (Idempotency-Key)
        flat += request.form.items(multi=True)
    field = next((key for key, value in flat if NUL in key or NUL in str(value)), None)
    return field or (_field_with_nul(request.get_json(silent=True)) if has_body_type and request.is_json else None)


def refuse_nul_characters() -> None:
    field = _nul_field()
    if field:
        # GeoReport answers bad parameters with 400; the rest of the API with 422, as its validation does.
        abort(400 if request.blueprint == "open311" else 422,
              description=f"{field}: text may not contain NUL (\\x00) characters.")


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
