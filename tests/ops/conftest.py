"""Fixtures of the production-setup tests: rate limits switched on, a port nothing listens on, a private
PostgreSQL."""
import os
import socket

import pytest

from app.web.limits import limiter, start_limiter
from tests.ops.throwaway_postgres import Cluster, bin_dir


@pytest.fixture
def limits_on(app):
    """Rate limits on for this test's app (the suite runs with them off), every counter at zero."""
    app.config["RATELIMIT_ENABLED"] = True
    start_limiter(app)   # as the app factory does, with the hooks as they run in production
    limiter.reset()
    return app.config


@pytest.fixture
def closed_port():
    """A local TCP port nothing listens on: connecting there is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def cluster():
    if os.environ.get("DATABASE_URL"):
        pytest.skip("runs in the run without DATABASE_URL: it brings its own cluster, this run would repeat it")
    bindir = bin_dir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin to run a private cluster")
    cluster = Cluster(bindir)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (--dist loadgroup), the tests that start a private PostgreSQL cluster (and app servers
    behind a balancer) run one after another on one worker, not two clusters at once."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.path.name in ("test_postgres_restart.py", "test_app_servers.py"):
            item.add_marker(pytest.mark.xdist_group("private_postgres"))
