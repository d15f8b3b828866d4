"""The append-only audit trail of access to people's data."""
from datetime import datetime
from typing import cast

from sqlalchemy import DateTime, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.web.extensions import Model


class AuditEvent(Model):
    # The admin's audit log: a community's entries, newest first, all of them or one action's.
    __table_args__ = (Index("ix_audit_event_community_at", "community_id", "at"),
                      Index("ix_audit_event_community_action_at", "community_id", "action", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whose data it was (the actor's community, or the registered house's); None: an operator's command.
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    actor_wechat_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_identity.id"))
    role: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(500))


# The table for Core statements (narrow reads and writes of hot paths), typed as the Table it is.
audit_event_table = cast(Table, AuditEvent.__table__)
