"""Service requests: categories per community, the request with its timeline, photos and mediation."""
import enum
from datetime import datetime
from typing import Optional, cast

from sqlalchemy import (
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models.base import created_at_column
from app.web.extensions import Model


def _enum(cls):
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class RequestStatus(str, enum.Enum):
    OPEN = "open"            # filed (or transferred, reopened): waiting for the handler to accept
    ACCEPTED = "accepted"    # the handler is on it
    RESOLVED = "resolved"    # the handler says it is done; the resident may rate or reopen
    CLOSED = "closed"        # rated by the resident: final


class Level(enum.IntEnum):
    """Escalation levels: who holds a request, in the order an overdue request climbs."""
    FIRST_RESPONDER = 0      # joint-household head or unit leader, when the category says so
    GRID_HEAD = 1
    ADMIN = 2


class Category(Model):
    """A kind of request in one community, with its deadline and optional first responder (data, not code)."""

    __table_args__ = (UniqueConstraint("community_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(String(200))
    deadline_hours: Mapped[int] = mapped_column(Integer)
    # "joint_head" or "unit_leader": who answers first when the house has one; None: the grid head.
    first_responder: Mapped[str | None] = mapped_column(String(16))
    # Requests in a dispute category carry a mediation record and count in the dispute figures.
    is_dispute: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()


class ServiceRequest(Model):
    __tablename__ = "service_request"
    __table_args__ = (
        Index("ix_service_request_community_filed", "community_id", "filed_at"),
        # A grid's requests by filing time, carrying what the figures read, so that they come from the index
        # alone (an index-only scan: no visit to the table's rows, which lie scattered in filing order).
        Index("ix_service_request_grid_figures", "grid_id", "filed_at", postgresql_include=[
            "id", "status", "category_id", "accepted_at", "resolved_at", "due_at", "rating"]),
        Index("ix_service_request_household_filed", "household_id", "filed_at"),
        Index("ix_service_request_handler_status", "handler_id", "status"),
        # The grid head's queue of unfinished requests (status=open / accepted), about 1 % of all of them.
        Index("ix_service_request_grid_unfinished", "grid_id", "filed_at",
              postgresql_where=text("status IN ('open', 'accepted')"),
              sqlite_where=text("status IN ('open', 'accepted')")),
        Index("ix_service_request_escalate", "status", "escalate_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # community_id and grid_id repeat the house's place so that scopes and figures need no joins.
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="wechat")   # "wechat" or "open311"
    filed_by_wechat_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_identity.id"), index=True)
    # Who called about an Open311 request (a WeChat request's caller is its household): shown to staff masked,
    # whole only to the handler or the admin who asks with a reason; never in a notification or a GeoReport answer.
    caller_first_name: Mapped[str | None] = mapped_column(String(50))
    caller_last_name: Mapped[str | None] = mapped_column(String(50))
    caller_phone: Mapped[str | None] = mapped_column(String(20))
    caller_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus), default=RequestStatus.OPEN)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    escalation_level: Mapped[int] = mapped_column(SmallInteger)
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The promise to the resident (figures' on-time rate) ...
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # ... and when the current holder's time runs out; None once nobody is left above them.
    escalate_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rating_comment: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship()
    household = relationship("Household")
    grid = relationship("Grid")
    community = relationship("Community")
    handler = relationship("Staff")
    filed_by = relationship("WeChatIdentity")
    events: Mapped[list["RequestEvent"]] = relationship(
        back_populates="request", order_by="RequestEvent.id", cascade="all, delete-orphan")
    photos: Mapped[list["RequestPhoto"]] = relationship(order_by="RequestPhoto.id", cascade="all, delete-orphan")
    mediation: Mapped[Optional["Mediation"]] = relationship(back_populates="request", cascade="all, delete-orphan")


class RequestEvent(Model):
    """One step on a request's timeline: who (and in which role) did what, when, with what note."""

    __tablename__ = "request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(16))
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    actor_wechat_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_identity.id"))
    role: Mapped[str | None] = mapped_column(String(16))   # None: the system (escalation, Open311)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))   # the holder afterwards
    note: Mapped[str | None] = mapped_column(Text)

    request: Mapped[ServiceRequest] = relationship(back_populates="events")
    actor_staff = relationship("Staff", foreign_keys=[actor_staff_id])
    handler = relationship("Staff", foreign_keys=[handler_id])


# The tables for Core statements (filing writes through them), typed as the Tables they are.
service_request_table = cast(Table, ServiceRequest.__table__)
request_event_table = cast(Table, RequestEvent.__table__)


class RequestPhoto(Model):
    __tablename__ = "request_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), index=True)
    # A random file name under UPLOAD_DIR; never the uploader's name.
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = created_at_column()


class MediationKind(str, enum.Enum):
    PEOPLES = "peoples"              # 人民调解
    JUDICIAL = "judicial"            # 司法调解
    PRE_COMPLAINT = "pre_complaint"  # 诉前调解
    INDUSTRY = "industry"            # 行业调解


class MediationOutcome(str, enum.Enum):
    RESOLVED = "resolved"
    NOT_RESOLVED = "not_resolved"
    REFERRED = "referred"


class Mediation(Model):
    """How a neighbour dispute was mediated and how it ended (outcome None while under way).

    Who recorded it, and when, is on the request's timeline ("mediate" events)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), unique=True)
    kind: Mapped[MediationKind] = mapped_column(_enum(MediationKind))
    outcome: Mapped[MediationOutcome | None] = mapped_column(_enum(MediationOutcome))
    mediator: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(String(1000))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    request: Mapped[ServiceRequest] = relationship(back_populates="mediation")
