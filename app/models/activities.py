"""Community activities with a QR code to check in at, and the check-ins."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import created_at_column
from app.web.extensions import Model


class Activity(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True)   # None: the whole community
    title: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    points: Mapped[int] = mapped_column(Integer)
    # Its check-in code is a QrCode (app/codes): a reprint revokes the poster printed before.
    created_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = created_at_column()

    created_by = relationship("Staff")
    community = relationship("Community")
    grid = relationship("Grid")


class CheckIn(Model):
    """One person at one activity: the unique key keeps a second check-in (or two at once) out."""

    __tablename__ = "check_in"
    __table_args__ = (UniqueConstraint("activity_id", "wechat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    wechat_id: Mapped[int] = mapped_column(ForeignKey("wechat_identity.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()

    activity: Mapped[Activity] = relationship()
