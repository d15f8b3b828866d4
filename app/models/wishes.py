"""Micro-wishes (微心愿): a household's small wish, its review, claim, fulfilment and timeline; a community's
rules for them."""
import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models.base import created_at_column
from app.web.extensions import Model


def _enum(cls, length=24):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class WishStatus(str, enum.Enum):
    SUBMITTED = "submitted"   # waiting for the grid head (a flagged text waits for their review)
    APPROVED = "approved"     # on the wall, open to a claim
    REJECTED = "rejected"     # final, with a reason
    CLAIMED = "claimed"       # one volunteer or party member is on it, until claim_due_at
    FULFILLED = "fulfilled"   # the claimer says it is done; the wisher or the grid head confirms
    CLOSED = "closed"         # confirmed: final
    CANCELLED = "cancelled"   # withdrawn by the wisher before a claim: final


class WishCategory(str, enum.Enum):
    GOODS = "goods"
    SERVICE = "service"
    COMPANIONSHIP = "companionship"
    OTHER = "other"


class Vulnerability(str, enum.Enum):
    """Why staff posted a wish on someone's behalf: staff-only, never on the wall."""

    ELDERLY_ALONE = "elderly_alone"          # 独居老人
    LEFT_BEHIND_CHILD = "left_behind_child"  # 留守儿童
    LOW_INCOME = "low_income"                # 低收入
    DISABLED = "disabled"                    # 残疾


class Wish(Model):
    __table_args__ = (
        Index("ix_wish_community_status", "community_id", "status"),
        Index("ix_wish_status_claim_due", "status", "claim_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    beneficiary_name: Mapped[str] = mapped_column(String(50))   # shown masked on the wall
    vulnerability: Mapped[Vulnerability | None] = mapped_column(_enum(Vulnerability))
    text: Mapped[str] = mapped_column(String(200))
    category: Mapped[WishCategory] = mapped_column(_enum(WishCategory))
    estimated_value: Mapped[int | None] = mapped_column(Integer)   # yuan
    status: Mapped[WishStatus] = mapped_column(_enum(WishStatus), default=WishStatus.SUBMITTED)
    # WeChat's content check of the text: "pass", "review" or "risky", or None where none was made (no WeChat
    # configured, or staff without WeChat wrote it). Only a text that did not fail goes on the wall.
    content_check: Mapped[str | None] = mapped_column(String(16))
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    posted_by_wechat_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_identity.id"), index=True)
    posted_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reject_reason: Mapped[str | None] = mapped_column(String(200))
    claimed_by_wechat_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_identity.id"), index=True)
    claimed_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claim_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fulfil_note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fulfilled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    community = relationship("Community")
    household = relationship("Household")
    grid = relationship("Grid")
    posted_by_wechat = relationship("WeChatIdentity", foreign_keys=[posted_by_wechat_id])
    posted_by_staff = relationship("Staff", foreign_keys=[posted_by_staff_id])
    claimed_by_wechat = relationship("WeChatIdentity", foreign_keys=[claimed_by_wechat_id])
    claimed_by_staff = relationship("Staff", foreign_keys=[claimed_by_staff_id])
    events: Mapped[list["WishEvent"]] = relationship(back_populates="wish", order_by="WishEvent.id",
                                                     cascade="all, delete-orphan")
    photos: Mapped[list["WishPhoto"]] = relationship(order_by="WishPhoto.id", cascade="all, delete-orphan")


class WishEvent(Model):
    """One step on a wish's timeline: who (in which role) did what, when, with what note."""

    __tablename__ = "wish_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    wish_id: Mapped[int] = mapped_column(ForeignKey("wish.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(16))
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    actor_wechat_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_identity.id"))
    role: Mapped[str | None] = mapped_column(String(16))   # None: the system (a lapsed claim)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

    wish: Mapped[Wish] = relationship(back_populates="events")
    actor_staff = relationship("Staff")


class PhotoKind(str, enum.Enum):
    WISH = "wish"               # the wisher's, shown on the wall once WeChat passed it
    FULFILMENT = "fulfilment"   # the claimer's, for the wisher and the grid head


class WishPhoto(Model):
    """A photo on a wish, re-encoded without its metadata (a phone's GPS position among them) and kept in the
    object store under a random name. `check` is WeChat's media check: "pending" until its verdict arrives,
    "pass", "risky", "review" (no verdict in time, or no check possible), or None where WeChat is not configured;
    only a passed one is shown to others. A claimer's go when their
    claim lapses."""

    __tablename__ = "wish_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    wish_id: Mapped[int] = mapped_column(ForeignKey("wish.id"), index=True)
    kind: Mapped[PhotoKind] = mapped_column(_enum(PhotoKind, 16))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    check: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = created_at_column()
    # WeChat's asynchronous check (app/wishes/media_checks.py): its trace id, and when its verdict is overdue.
    trace_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    check_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # Who added it: one not passed is shown to them and the wish's reviewer only.
    uploaded_by_wechat_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_identity.id"))
    uploaded_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class WishSettings(Model):
    """A community's rules for wishes; a community without a row has the defaults."""

    __tablename__ = "wish_settings"

    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), primary_key=True)
    value_cap: Mapped[int] = mapped_column(Integer)    # yuan: the most a wish may be worth
    claim_days: Mapped[int] = mapped_column(Integer)   # a claim not fulfilled by then lapses
