"""Points: accounts (a person or a household), the append-only ledger, the community's rules, rewards and
their redemptions."""
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import created_at_column
from app.web.extensions import Model

# A person (their member record, or a staff account) or a household: exactly one of them holds an account.
_ONE_HOLDER = ("(CASE WHEN resident_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN staff_id IS NULL THEN 0 ELSE 1 END)"
               " + (CASE WHEN household_id IS NULL THEN 0 ELSE 1 END) <= 1")   # none: a removed resident's


class PointAccount(Model):
    """Whose points. The balance is the sum of the account's entries, kept beside them so that a debit is one
    conditional UPDATE (never below zero, however many debits run at once)."""

    __tablename__ = "point_account"
    __table_args__ = (CheckConstraint(_ONE_HOLDER, name="one_holder"),
                      CheckConstraint("balance >= 0", name="never_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    # A resident removed from their household leaves the account and its entries behind, held by nobody.
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="SET NULL"), unique=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), unique=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), unique=True)
    balance: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created_at_column()

    resident = relationship("Resident")
    staff = relationship("Staff")
    household = relationship("Household")


class PointRule(Model):
    """Points a community gives for an act (a fulfilled wish, an activity check-in, a fully registered house)."""

    __tablename__ = "point_rule"
    __table_args__ = (UniqueConstraint("community_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(50))
    points: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PointEntry(Model):
    """One line of the ledger, never changed: a correction is a reversing entry (reverses_id) with a reason.

    (account, source) is unique: a rule's award for one act (source "wish:12") is added at most once,
    whoever tries at the same moment; manual entries have no source."""

    __tablename__ = "point_entry"
    __table_args__ = (UniqueConstraint("account_id", "source"),
                      Index("ix_point_entry_community_created", "community_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("point_account.id"), index=True)
    # The holder's place when the entry was made, for the leaderboards (a staff member's grid is None).
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)   # signed: awards are positive, deductions and spending negative
    kind: Mapped[str] = mapped_column(String(16))  # "rule", "manual", "reversal", "redemption"
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("point_rule.id"))
    source: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(200))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("point_entry.id"), unique=True)
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = created_at_column()

    account: Mapped[PointAccount] = relationship()
    rule = relationship("PointRule")
    reverses = relationship("PointEntry", remote_side=[id])
    actor = relationship("Staff")


class Reward(Model):
    """A community's reward, bought with points while in stock; stock never below zero."""

    __table_args__ = (CheckConstraint("stock >= 0", name="stock_never_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(String(200))
    cost: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()


class Redemption(Model):
    """A reward bought with an account's points (its ledger entry has source "redemption:<id>"), waiting to be
    handed over by staff."""

    id: Mapped[int] = mapped_column(primary_key=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("reward.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("point_account.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True)
    cost: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = created_at_column()
    handed_over_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handed_over_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    reward: Mapped[Reward] = relationship()
    account: Mapped[PointAccount] = relationship()
    handed_over_by = relationship("Staff")
