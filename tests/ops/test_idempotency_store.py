"""The two record stores behave alike: claim once, replace or delete only one's own, expire."""
import os
import time
import uuid

import pytest

from app.ops.idempotency_store import PREFIX, DatabaseRecords, RedisRecords
from app.web.extensions import db
from app.web.redis_client import get_redis


@pytest.fixture(params=["database", "redis"] if os.environ.get("REDIS_URL") else ["database"])
def records(request, app):
    return DatabaseRecords(db.engine) if request.param == "database" else RedisRecords(get_redis())


def test_claim_is_once_and_only_the_holder_changes_it(records):
    key = PREFIX + uuid.uuid4().hex
    assert records.claim(key, "mine", 60) and not records.claim(key, "theirs", 60)
    records.replace(key, "theirs", "hijacked", 60)
    records.delete(key, "theirs")
    assert records.get(key) == "mine"
    records.replace(key, "mine", "done", 60)
    assert records.get(key) == "done"
    records.delete(key, "done")
    assert records.get(key) is None and records.claim(key, "next", 60)


def test_an_expired_claim_frees_the_key(records):
    key = PREFIX + uuid.uuid4().hex
    assert records.claim(key, "crashed", 1)
    time.sleep(1.1)
    assert records.get(key) is None
    assert records.claim(key, "retry", 60) and records.get(key) == "retry"
