"""Answers a phone or a caching proxy may keep a short while and then revalidate: the scans, the most frequent request.

A 200 gets an ETag (a hash of its body, so anything that changes what is shown changes it: a reprint, another grid
head or officer, the page's own template) and `Cache-Control: public, max-age=SCAN_MAX_AGE_SECONDS,
must-revalidate`; a request whose If-None-Match holds that ETag gets 304 with no body. Public: such an answer holds
only what is printed on a door or a card, the same for every caller, signed in or not (no Vary: Authorization)."""
from collections.abc import Callable
from copy import deepcopy
from functools import wraps

from flask import current_app, make_response, request


def revalidated(view: Callable) -> Callable:
    """Decorate a GET view (below flask-smorest's `route`, above its `response`) answering the same to everyone."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        if response.status_code != 200:
            return response
        response.add_etag()
        # The header as one string: three cache_control attributes each parsed and wrote it again.
        response.headers["Cache-Control"] = \
            f"public, max-age={current_app.config['SCAN_MAX_AGE_SECONDS']}, must-revalidate"
        return response.make_conditional(request)
    return wrapper


HEADERS = {"ETag": {"description": "the answer's version", "schema": {"type": "string"}},
           "Cache-Control": {"description": "public, max-age=<seconds>, must-revalidate",
                             "schema": {"type": "string"}}}


IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                 "description": "the ETag of a copy kept: 304 if it is still current"}


def revalidated_api(blp) -> Callable:
    """`revalidated` for a flask-smorest view, with the If-None-Match it takes and its 304 in the OpenAPI spec."""
    # The 200 carries the same headers (a "200" entry here would replace flask-smorest's own).
    doc = blp.doc(responses={"304": {"description": "Not modified: the copy with this ETag is current (no body)",
                                     "headers": HEADERS}})

    def decorate(view: Callable) -> Callable:
        documented = doc(revalidated(view))
        # Beside the view's own query parameters: a "parameters" list in blp.doc would replace them in the spec.
        apidoc = deepcopy(getattr(documented, "_apidoc", {}))
        arguments = apidoc.setdefault("arguments", {})
        arguments["parameters"] = [*arguments.get("parameters", []), IF_NONE_MATCH]
        documented._apidoc = apidoc   # flask-smorest reads it off the view
        return documented
    return decorate
