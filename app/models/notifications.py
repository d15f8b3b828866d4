"""The notification outbox: written in the same transaction as the change, delivered later by the worker."""
import enum
from datetime import datetime
from typing import cast

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models.base import created_at_column
from app.web.extensions import Model


class Delivery(str, enum.Enum):
    PENDING = "pending"        # waiting for the worker (maybe after a back-off)
    SENDING = "sending"        # claimed by a worker until next_attempt_at; reclaimable after
    SENT = "sent"              # WeChat accepted it
    INBOX_ONLY = "inbox_only"  # final: no WeChat subscription or openid; the in-app inbox carries it
    FAILED = "failed"          # final: gave up after the last attempt


class Notification(Model):
    __table_args__ = (Index("ix_notification_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    recipient_wechat_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_identity.id"), index=True)
    # What happened, in words the inbox shows, plus the subscribe-message fields.
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    page: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[Delivery] = mapped_column(Enum(Delivery, native_enum=False, length=16),
                                            default=Delivery.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()

    recipient_staff = relationship("Staff")
    recipient_wechat = relationship("WeChatIdentity")


# The table for Core statements (narrow reads and writes of hot paths), typed as the Table it is.
notification_table = cast(Table, Notification.__table__)
