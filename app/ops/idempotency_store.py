"""Where Idempotency-Key records live: Redis when REDIS_URL is set, else StoredValue rows in the database."""
import random
from datetime import timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.clock import as_utc, utcnow
from app.models import StoredValue

PREFIX = "idem:"

# Both stores offer the same four steps: claim a key if free (SET NX), read it, and replace or delete it only
# while it still holds the value the caller put there, so a request whose claim expired cannot clobber a newer one.

_REPLACE = """if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
return false"""
_DELETE = """if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0"""


class RedisRecords:
    def __init__(self, client):
        self.client = client
        self._replace = client.register_script(_REPLACE)
        self._delete = client.register_script(_DELETE)

    def claim(self, key: str, value: str, seconds: int) -> bool:
        return bool(self.client.set(key, value, nx=True, ex=seconds))

    def get(self, key: str):
        raw = self.client.get(key)
        return raw.decode() if raw is not None else None

    def replace(self, key: str, expected: str, value: str, seconds: int) -> None:
        self._replace(keys=[key], args=[expected, value, seconds])

    def delete(self, key: str, expected: str) -> None:
        self._delete(keys=[key], args=[expected])


class DatabaseRecords:
    """Each step in its own short transaction on its own connection, never in the request's session."""

    def __init__(self, engine):
        self.engine = engine

    def claim(self, key: str, value: str, seconds: int) -> bool:
        now = utcnow()
        try:
            with self.engine.begin() as conn:
                stale = StoredValue.expires_at <= now
                # Now and then sweep every stale record, else only this key's.
                where = StoredValue.key.startswith(PREFIX) if random.random() < 1 / 64 else StoredValue.key == key
                conn.execute(delete(StoredValue).where(where, stale))
                conn.execute(insert(StoredValue).values(key=key, value=value,
                                                        expires_at=now + timedelta(seconds=seconds)))
            return True
        except IntegrityError:
            return False

    def get(self, key: str):
        with self.engine.connect() as conn:
            row = conn.execute(select(StoredValue.value, StoredValue.expires_at)
                               .where(StoredValue.key == key)).first()
        if row is None or as_utc(row.expires_at) <= utcnow():
            return None
        return row.value

    def replace(self, key: str, expected: str, value: str, seconds: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(StoredValue).where(StoredValue.key == key, StoredValue.value == expected)
                         .values(value=value, expires_at=utcnow() + timedelta(seconds=seconds)))

    def delete(self, key: str, expected: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(StoredValue).where(StoredValue.key == key, StoredValue.value == expected))
