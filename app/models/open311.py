"""API keys that let a community's partner systems use its Open311 GeoReport endpoint."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import created_at_column
from app.web.extensions import Model


class Open311Key(Model):
    """Only the key's SHA-256 is stored; the key itself is shown once, when the admin creates it."""

    __tablename__ = "open311_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    # The key's last characters, to tell keys apart in a list (None for keys made before it was kept).
    hint: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    community = relationship("Community")
