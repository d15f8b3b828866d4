"""QR codes printed on letters and contact cards: random tokens, versioned so a code can be revoked and reprinted;
which kind of code a community prints, and the mini-program codes WeChat drew for them."""
import enum
from datetime import datetime
from typing import cast

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import created_at_column
from app.web.extensions import Model

ONE_TARGET = ("(CASE WHEN household_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN staff_id IS NULL THEN 0 ELSE 1 END) "
              "+ (CASE WHEN activity_id IS NULL THEN 0 ELSE 1 END) = 1")


class QrCode(Model):
    """One printed code: a house's family letter, an officer's contact card or an activity's check-in poster
    (exactly one of the three)."""

    __table_args__ = (
        CheckConstraint(ONE_TARGET, name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    # Reprinting makes version n+1 and revokes version n; a revoked code answers 410.
    version: Mapped[int] = mapped_column(Integer, default=1)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    scans: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created_at_column()

    household = relationship("Household")
    staff = relationship("Staff")
    activity = relationship("Activity")


# The table for Core statements (bulk insert, the scan counter), typed as the Table it is: DeclarativeBase
# declares __table__ as any FromClause.
qr_code_table = cast(Table, QrCode.__table__)


class CodeKind(str, enum.Enum):
    """What letters and cards carry: a link QR (/s/<token>, /c/<token>) any camera reads, which WeChat opens
    in the mini-program once its QR rules are set up; or a mini-program code (wxacode) of the token."""

    LINK = "link"
    WXACODE = "wxacode"


class CommunityCodeKind(Model):
    """A community's choice of code; a community without a row prints link QR codes."""

    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), primary_key=True)
    kind: Mapped[CodeKind] = mapped_column(Enum(CodeKind, native_enum=False, length=16))


class WxaCodeImage(Model):
    """The image WeChat drew for one code version, fetched once (WeChat limits the calls) and kept where every app
    server finds it, with the content type WeChat sent (JPEG in practice) and the version of the mini-program it
    opens; a reprint's new version gets a new one, and so does a code of another version than the one configured
    (a trial version's codes, printed before the release)."""

    qr_code_id: Mapped[int] = mapped_column(ForeignKey("qr_code.id"), primary_key=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    # Codes kept before these were recorded were PNGs of the released version.
    content_type: Mapped[str] = mapped_column(String(40), server_default="image/png")
    env_version: Mapped[str] = mapped_column(String(16), server_default="release")
    created_at: Mapped[datetime] = created_at_column()
