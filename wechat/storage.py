"""Token storage for wechatpy backed by the app's own functions (its database), shared by every worker."""
from wechatpy.session import SessionStorage
from wechatpy.session.redisstorage import RedisStorage


class CallbackStorage(SessionStorage):
    """A wechatpy storage that reads and writes through plain callables, so wechat/ needs no database code."""

    def __init__(self, get, set, delete):
        self._get, self._set, self._delete = get, set, delete

    def get(self, key, default=None):
        value = self._get(key)
        return default if value is None else value

    def set(self, key, value, ttl=None):
        self._set(key, value, ttl)

    def delete(self, key):
        self._delete(key)


def redis_storage(redis_client, prefix="jiashu:wechat"):
    return RedisStorage(redis_client, prefix=prefix)
