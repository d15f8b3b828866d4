"""Contact requests a resident sends to a community police officer from the officer's card."""
import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.web.extensions import Model


class ContactStatus(str, enum.Enum):
    PENDING = "pending"       # in the officer's queue
    CONTACTED = "contacted"   # the officer has called back; still open
    HANDLED = "handled"       # done


class ContactRequest(Model):
    __tablename__ = "contact_request"
    __table_args__ = (
        # The officer's queue: open requests, urgent first, oldest first.
        Index("ix_contact_request_queue", "officer_id", "status", "urgent", "created_at"),
        # The rate limits count a user's and a phone's recent requests.
        Index("ix_contact_request_wechat_created", "wechat_id", "created_at"),
        Index("ix_contact_request_phone_created", "phone", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    wechat_id: Mapped[int] = mapped_column(ForeignKey("wechat_identity.id"))
    phone: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(String(300))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ContactStatus] = mapped_column(
        Enum(ContactStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=ContactStatus.PENDING)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    contacted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    officer = relationship("Staff")
    wechat = relationship("WeChatIdentity")
