"""Column helpers shared by the tables: times in UTC, digests of stored secrets."""
import hashlib
from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column


def utcnow():
    return datetime.now(timezone.utc)


def created_at_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def secret_digest(secret: str) -> str:
    """SHA-256 of a token, key or code: what is stored, so a database leak yields nothing usable."""
    return hashlib.sha256(secret.encode()).hexdigest()
