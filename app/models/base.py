"""Column helpers shared by the tables: times in UTC, digests of stored secrets."""
import hashlib
from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow


def created_at_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


def secret_digest(secret: str) -> str:
    """SHA-256 of a token, key or code: what is stored, so a database leak yields nothing usable."""
    return hashlib.sha256(secret.encode()).hexdigest()
