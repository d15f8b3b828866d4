"""The app's Redis connection, when REDIS_URL is configured."""
import redis
from flask import current_app


def get_redis():
    """A shared client for REDIS_URL, or None on the embedded default."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    extensions = current_app.extensions
    if "jiashu.redis" not in extensions:
        extensions["jiashu.redis"] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return extensions["jiashu.redis"]
