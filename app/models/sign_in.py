"""The console's sign-ins (app/console/signin.py), and the one-time tickets of its scan-to-sign-in
(app/console/scan.py): a browser shows one as a mini-program code, a staff member's bound WeChat confirms it,
and that browser signs in."""
import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import created_at_column
from app.web.extensions import Model


class ConsoleSession(Model):
    """A browser signed in to the console. Its cookie holds a random secret of its own, only whose digest is
    stored: no bearer token, so nothing /api accepts. The server keeps when it last served the browser a page,
    so the idle limit ends the sign-in here, whether or not the browser comes back."""

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = created_at_column()

    staff = relationship("Staff")


class TicketState(str, enum.Enum):
    PENDING = "pending"        # shown on the screen, waiting for a phone
    CONFIRMED = "confirmed"    # a staff member said yes on their phone; the browser signs in at its next look
    CANCELLED = "cancelled"    # the staff member said no
    CONSUMED = "consumed"      # the browser signed in with it


class SignInTicket(Model):
    """The code's scene is the id (random, public: anyone near the screen can read it); the browser that asked
    holds a nonce in its own cookie, and only its digest is stored here."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    browser_digest: Mapped[str] = mapped_column(String(64))
    browser: Mapped[str] = mapped_column(String(60))   # "Chrome · Windows": what the phone shows
    state: Mapped[TicketState] = mapped_column(Enum(TicketState, native_enum=False, length=16))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    wechat_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_identity.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = created_at_column()

    staff = relationship("Staff")
    wechat = relationship("WeChatIdentity")
