"""The app's WeChat client, configured from settings, its access token shared through Redis or the database."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from app.clock import as_utc, utcnow
from app.models import StoredValue
from app.web.extensions import db
from app.web.redis_client import get_redis
from wechat.client import make_client
from wechat.storage import CallbackStorage, redis_storage


def wechat_configured() -> bool:
    return bool(current_app.config["WECHAT_APPID"] and current_app.config["WECHAT_SECRET"])


def wechat_client():
    """One client per app; every worker shares the same access token through the storage."""
    extensions = current_app.extensions
    if "jiashu.wechat" not in extensions:
        config = current_app.config
        redis_conn = get_redis()
        storage = redis_storage(redis_conn) if redis_conn is not None else _database_storage()
        extensions["jiashu.wechat"] = make_client(
            config["WECHAT_APPID"], config["WECHAT_SECRET"], base_url=config["WECHAT_API_BASE"],
            storage=storage, timeout=config["WECHAT_TIMEOUT"])
    return extensions["jiashu.wechat"]


def _database_storage():
    # Its own connection, so storing a token never commits (or rolls back) the caller's session.
    engine = db.engine

    def get(key):
        with engine.connect() as conn:
            row = conn.execute(select(StoredValue.value, StoredValue.expires_at)
                               .where(StoredValue.key == key)).first()
        if row is None:
            return None
        if row.expires_at is not None and as_utc(row.expires_at) <= utcnow():
            return None
        return row.value

    def set_(key, value, ttl):
        now = utcnow()
        expires = now + timedelta(seconds=ttl) if ttl else None
        try:
            with engine.begin() as conn:
                # This key's old value, and every value gone stale (scan pages' links kept 29 days would pile
                # up: Redis expires them itself). Values are stored seldom, so the sweep costs little.
                conn.execute(delete(StoredValue).where(or_(StoredValue.key == key, StoredValue.expires_at <= now)))
                conn.execute(StoredValue.__table__.insert().values(key=key, value=value, expires_at=expires))
        except IntegrityError:
            pass  # another worker stored a fresh token at the same moment; theirs serves us too

    def remove(key):
        with engine.begin() as conn:
            conn.execute(delete(StoredValue).where(StoredValue.key == key))

    def add(key, value, seconds):
        now = utcnow()
        try:
            with engine.begin() as conn:
                conn.execute(delete(StoredValue).where(StoredValue.key == key, StoredValue.expires_at <= now))
                conn.execute(StoredValue.__table__.insert().values(
                    key=key, value=value, expires_at=now + timedelta(seconds=seconds)))
        except IntegrityError:
            return False   # held, by another server
        return True

    def discard(key, value):
        with engine.begin() as conn:
            conn.execute(delete(StoredValue).where(StoredValue.key == key, StoredValue.value == value))

    return CallbackStorage(get, set_, remove, add, discard)
