"""Where the access token (and what else the app keeps beside it) is stored and who may fetch it: wechatpy's
get/set/delete, plus a lease (set-if-absent with an expiry, released only by its holder) so that one server at a time
fetches a token. In Redis across servers, in the app's database through callables, or in one process's memory."""
import threading
import time
from collections.abc import Callable
from typing import Any

from redis import Redis
from wechatpy.session import SessionStorage
from wechatpy.session.redisstorage import RedisStorage


class TokenStorage(SessionStorage):
    """A wechatpy storage that can also hand out leases."""

    def acquire(self, key: str, owner: str, seconds: float) -> bool:
        """Take the lease `key` for `owner` for `seconds`, unless someone else holds it."""
        raise NotImplementedError

    def release(self, key: str, owner: str) -> None:
        """Give the lease back, if `owner` still holds it (it may have expired and passed on)."""
        raise NotImplementedError


class LocalStorage(TokenStorage):
    """One process's memory, for a client of its own (tests, tools); unlike wechatpy's MemoryStorage it honours
    expiries, so a token is fetched again before WeChat lets it expire."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, tuple[Any, float]] = {}

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            value, expires = self._values.get(key, (None, 0.0))
        return value if value is not None and expires > time.monotonic() else default

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        with self._lock:
            self._values[key] = (value, time.monotonic() + ttl if ttl else float("inf"))

    def delete(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)

    def acquire(self, key: str, owner: str, seconds: float) -> bool:
        with self._lock:
            value, expires = self._values.get(key, (None, 0.0))
            if value is not None and expires > time.monotonic():
                return False
            self._values[key] = (owner, time.monotonic() + seconds)
            return True

    def release(self, key: str, owner: str) -> None:
        with self._lock:
            if self._values.get(key, (None, 0.0))[0] == owner:
                del self._values[key]


_RELEASE = """if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0"""


class RedisTokenStorage(RedisStorage, TokenStorage):
    """wechatpy's Redis storage; a lease is a key set with NX and an expiry."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        super().__init__(redis, prefix)
        self._release = redis.register_script(_RELEASE)

    def acquire(self, key: str, owner: str, seconds: float) -> bool:
        return bool(self.redis.set(self.key_name(key), owner, nx=True, px=max(1, int(seconds * 1000))))

    def release(self, key: str, owner: str) -> None:
        self._release(keys=[self.key_name(key)], args=[owner])


class CallbackStorage(TokenStorage):
    """A storage that reads and writes through plain callables, so wechat/ needs no database code. `add` stores a
    value only where the key holds none (or an expired one) and says whether it did; `discard` deletes a key only
    while it holds the given value."""

    def __init__(self, get: Callable[[str], Any], set: Callable[[str, Any, int | None], None],
                 delete: Callable[[str], None], add: Callable[[str, str, float], bool],
                 discard: Callable[[str, str], None]) -> None:
        self._get, self._set, self._delete, self._add, self._discard = get, set, delete, add, discard

    def get(self, key: str, default: Any = None) -> Any:
        value = self._get(key)
        return default if value is None else value

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        self._set(key, value, ttl)

    def delete(self, key: str) -> None:
        self._delete(key)

    def acquire(self, key: str, owner: str, seconds: float) -> bool:
        return self._add(key, owner, seconds)

    def release(self, key: str, owner: str) -> None:
        self._discard(key, owner)


def redis_storage(redis_client: Redis, prefix: str = "jiashu:wechat") -> RedisTokenStorage:
    return RedisTokenStorage(redis_client, prefix=prefix)
