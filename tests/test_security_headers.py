"""Every answer carries X-Content-Type-Options: nosniff and a Referrer-Policy: each route of the URL map (API,
console pages, scan pages, the wall, Open311, static files, probes), each with the methods it takes, unknown
paths, wrong methods, and a view that fails with a 500."""
import re

from app import create_app
from app.web.security_headers import HEADERS
from config import TestConfig

_PLACEHOLDER = re.compile(r"<(?:([^:<>]+):)?([^<>]+)>")
_SAMPLE = {"int": "1", "path": "app.css", "string": "SQ"}


def url_of(rule) -> str:
    """The rule's path with a sample value for each placeholder (an id 1, a community code, a file name)."""
    return _PLACEHOLDER.sub(lambda m: _SAMPLE.get(m.group(1) or "string", "x"), rule.rule)


def calls():
    for rule in create_app(TestConfig).url_map.iter_rules():
        yield from ((method, url_of(rule)) for method in sorted(rule.methods))
    yield from (("GET", "/no/such/page"), ("DELETE", "/healthz"))   # an unknown path, a wrong method


def test_every_answer_carries_the_headers(client):
    """One test over every route (a test each would build the app 500 times)."""
    lacking = []
    for method, url in calls():
        answer = client.open(url, method=method)
        if {name: answer.headers.get(name) for name in HEADERS} != HEADERS:
            lacking.append(f"{method} {url} ({answer.status_code})")
    assert not lacking


def test_a_server_error_carries_them_too(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False   # answer the 500 as production does, not raise it into the test

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    answer = app.test_client().get("/boom")
    assert answer.status_code == 500
    assert {name: answer.headers.get(name) for name in HEADERS} == HEADERS
