"""Fixtures of the production-setup tests: rate limits switched on, a port nothing listens on."""
import socket

import pytest

from app.limits import limiter


@pytest.fixture
def limits_on(app):
    """Rate limits on for this test's app (the suite runs with them off), every counter at zero."""
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    limiter.reset()
    return app.config


@pytest.fixture
def closed_port():
    """A local TCP port nothing listens on: connecting there is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (--dist loadgroup), the tests that start a private PostgreSQL cluster and load it run
    one after another on one worker, not two clusters at once."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.path.name == "test_postgres_restart.py":
            item.add_marker(pytest.mark.xdist_group("private_postgres"))
