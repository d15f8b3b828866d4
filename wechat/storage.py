"""Token storage for wechatpy backed by the app's own functions (its database), shared by every worker."""
from collections.abc import Callable
from typing import Any

from redis import Redis
from wechatpy.session import SessionStorage
from wechatpy.session.redisstorage import RedisStorage


class CallbackStorage(SessionStorage):
    """A wechatpy storage that reads and writes through plain callables, so wechat/ needs no database code."""

    def __init__(self, get: Callable[[str], Any], set: Callable[[str, Any, int | None], None],
                 delete: Callable[[str], None]) -> None:
        self._get, self._set, self._delete = get, set, delete

    def get(self, key: str, default: Any = None) -> Any:
        value = self._get(key)
        return default if value is None else value

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        self._set(key, value, ttl)

    def delete(self, key: str) -> None:
        self._delete(key)


def redis_storage(redis_client: Redis, prefix: str = "jiashu:wechat") -> RedisStorage:
    return RedisStorage(redis_client, prefix=prefix)
