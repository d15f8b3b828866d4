"""Each request leaves one JSON log line, tied to the client by the request id echoed in X-Request-Id."""
import json
import logging

import pytest

from app.codes.services import code_for
from app.web.extensions import db
from tests import factories as f


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="jiashu.request")
    return lambda: [json.loads(r.getMessage()) for r in caplog.records if r.name == "jiashu.request"]


def test_sane_request_id_is_echoed_and_logged(client, world, lines):
    headers = {**f.auth(world.admin_a), "X-Request-Id": "abc-123_X"}
    response = client.get("/api/auth/me?code=SECRET-CODE", headers=headers)
    assert response.headers["X-Request-Id"] == "abc-123_X"
    [line] = lines()
    assert line["request_id"] == "abc-123_X"
    assert line["method"] == "GET" and line["path"] == "/api/auth/me" and line["status"] == 200
    assert line["role"] == "admin" and isinstance(line["duration_ms"], float)
    assert "SECRET-CODE" not in json.dumps(line)


@pytest.mark.parametrize("supplied", [None, "x" * 65, "bad id", "a/b", ""])
def test_missing_or_odd_request_id_is_replaced(client, app, lines, supplied):
    headers = {"X-Request-Id": supplied} if supplied is not None else {}
    response = client.get("/api/nothing-here", headers=headers)
    generated = response.headers["X-Request-Id"]
    assert generated != supplied and len(generated) == 32 and generated.isalnum()
    assert lines()[0]["request_id"] == generated and lines()[0]["status"] == 404 and lines()[0]["role"] is None


def test_qr_tokens_in_paths_stay_out_of_the_log(client, world, lines, caplog):
    token = code_for(world.house1).token
    db.session.commit()
    client.get(f"/s/{token}")
    assert lines()[0]["path"] == "/s/<token>" and lines()[0]["route"] == "/s/<token>"
    assert token not in caplog.text


def test_probes_are_not_logged_but_get_an_id(client, app, lines):
    assert client.get("/healthz").headers["X-Request-Id"]
    assert lines() == []
