"""People and identities: staff accounts with roles, residents, WeChat identities, API tokens."""
import enum
from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.models.base import created_at_column
from app.web.extensions import Model


class Role(str, enum.Enum):
    ADMIN = "admin"            # community admin (社区管理员)
    GRID_HEAD = "grid_head"    # 网格长
    UNIT_LEADER = "unit_leader"  # 楼栋长 / 单元长
    JOINT_HEAD = "joint_head"  # 十联户长
    POLICE = "police"          # 社区民警
    RESIDENT = "resident"      # a confirmed household member signed in through WeChat
    REGISTRANT = "registrant"  # a WeChat user whose own registration nobody has confirmed yet


# Roles of a WeChat user by their own member record; every other role is a staff account's.
MEMBER_ROLES = (Role.RESIDENT, Role.REGISTRANT)
STAFF_ROLES = [r for r in Role if r not in MEMBER_ROLES]


class Staff(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(50))      # police rank or post
    station: Mapped[str | None] = mapped_column(String(100))   # police station
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()

    community = relationship("Community")
    jurisdictions: Mapped[list["Jurisdiction"]] = relationship(
        back_populates="officer", cascade="all, delete-orphan"
    )

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        if not self.password_hash:  # an account without a password matches none
            return False
        return check_password_hash(self.password_hash, password)


class Jurisdiction(Model):
    """A police officer's area: one grid, or (grid_id NULL) a whole community."""

    __table_args__ = (UniqueConstraint("staff_id", "community_id", "grid_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True)

    officer: Mapped[Staff] = relationship(back_populates="jurisdictions")


class ResidenceType(str, enum.Enum):
    PERMANENT = "permanent"                  # 常住
    TENANT = "tenant"                        # 租户
    RETURNING_MIGRANT = "returning_migrant"  # 返乡人员
    TEMPORARY = "temporary"                  # 暂住


class Resident(Model):
    """A household member, registered by scanning the door QR code."""

    # The same ID number may be registered twice, even in one household: a registration must answer the same
    # whether or not the number is known (no oracle), so a duplicate is kept as a move for the other side to
    # approve (move_from_id) rather than refused.
    __table_args__ = (
        # At most one confirmed head per household, even when two people claim it at once.
        Index("uq_resident_one_head", "household_id", unique=True,
              sqlite_where=text("is_head AND confirmed"), postgresql_where=text("is_head AND confirmed")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    relationship_to_head: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20))
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()
    # The ID number never lies here in plain text: AES-GCM "<key id>:<base64>", an HMAC for look-ups,
    # and the masked form for lists (app/privacy/sealed_fields.py).
    id_number_cipher: Mapped[str | None] = mapped_column(String(100))
    id_number_index: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(18))
    residence_type: Mapped[ResidenceType | None] = mapped_column(
        Enum(ResidenceType, native_enum=False, length=20))
    from_province: Mapped[str | None] = mapped_column(String(20))   # returning migrants only
    from_city: Mapped[str | None] = mapped_column(String(30))
    return_date: Mapped[date | None] = mapped_column(Date, index=True)
    stay_days: Mapped[int | None] = mapped_column(Integer)
    # Who typed this record in (their own member record); NULL once that record is gone.
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="SET NULL"))
    # A move: the person's earlier record (same ID number, or the registrant's own record elsewhere), which
    # this one replaces once both sides agree; the destination by confirming this record, the source (the
    # person, their household head or their grid head) by `move_consent`. NULL once moved or never a move.
    # Indexed: a grid head's moves out (GET /api/moves, the console) start from the earlier records of their grid.
    move_from_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="SET NULL"), index=True)
    # The household the person comes from (kept after the move). A plain id, not a foreign key, since a second
    # key to household would make Household.members ambiguous.
    move_from_household_id: Mapped[int | None] = mapped_column(Integer)
    move_consent: Mapped[str | None] = mapped_column(String(16))   # "person", "household_head", "grid_head"
    move_consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    consent_version: Mapped[str | None] = mapped_column(String(20))  # the privacy notice accepted
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    household = relationship("Household", back_populates="members")
    move_from = relationship("Resident", remote_side=[id], foreign_keys=[move_from_id])


# The table for Core statements (narrow reads and writes of hot paths), typed as the Table it is.
resident_table = cast(Table, Resident.__table__)


class WeChatIdentity(Model):
    """A WeChat user (openid), optionally linked to a staff account or to the member they are."""

    __tablename__ = "wechat_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    unionid: Mapped[str | None] = mapped_column(String(64))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), unique=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)
    # WeChat's session key for decrypting this user's data, sealed like ID numbers; never sent to a client.
    session_key_sealed: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = created_at_column()

    staff = relationship("Staff")
    resident = relationship("Resident")


wechat_identity_table = cast(Table, WeChatIdentity.__table__)


class StaffInvite(Model):
    """A single-use code an admin gives a staff member to bind their WeChat to their account."""

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()

    staff = relationship("Staff")


class ApiToken(Model):
    """A bearer token; only its SHA-256 is stored, so a database leak yields no usable token."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    wechat_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_identity.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()

    staff = relationship("Staff")
    wechat = relationship("WeChatIdentity")


# The table for Core statements (a sign-in inserts its token through it).
api_token_table = cast(Table, ApiToken.__table__)
