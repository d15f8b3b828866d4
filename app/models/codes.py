"""QR codes printed on letters and contact cards: random tokens, versioned so a code can be revoked and reprinted."""
from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import created_at_column
from app.web.extensions import db


class QrCode(db.Model):
    """One printed code: a house's family letter or an officer's contact card (exactly one of the two)."""

    __table_args__ = (
        CheckConstraint("(household_id IS NULL) <> (staff_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    household_id: Mapped[Optional[int]] = mapped_column(ForeignKey("household.id"), index=True)
    staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"), index=True)
    # Reprinting makes version n+1 and revokes version n; a revoked code answers 410.
    version: Mapped[int] = mapped_column(Integer, default=1)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    scans: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created_at_column()

    household = relationship("Household")
    staff = relationship("Staff")
