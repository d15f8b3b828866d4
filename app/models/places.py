"""The community hierarchy: community → grid → unit → household (a coded house)."""
from datetime import datetime
from typing import TYPE_CHECKING, Optional, cast

from sqlalchemy import ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import created_at_column
from app.web.extensions import Model

if TYPE_CHECKING:  # people.py refers back to places; SQLAlchemy resolves the names by string at runtime
    from app.models.people import Resident, Staff


class Community(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # Short upper-case code that prefixes every house code of the community, e.g. "SQ".
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # The admin's family-letter text; None means the default template.
    letter_template: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()

    grids: Mapped[list["Grid"]] = relationship(back_populates="community", order_by="Grid.number")


class Grid(Model):
    __table_args__ = (UniqueConstraint("community_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    # The one grid head responsible for the grid (网格长).
    head_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)

    community: Mapped[Community] = relationship(back_populates="grids")
    head: Mapped[Optional["Staff"]] = relationship(foreign_keys=[head_id])
    units: Mapped[list["Unit"]] = relationship(back_populates="grid", order_by="Unit.number")


# The table for Core statements (narrow reads and writes of hot paths), typed as the Table it is.
grid_table = cast(Table, Grid.__table__)


class Unit(Model):
    __table_args__ = (UniqueConstraint("grid_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)

    grid: Mapped[Grid] = relationship(back_populates="units")
    leader: Mapped[Optional["Staff"]] = relationship(foreign_keys=[leader_id])


class Household(Model):
    """A coded house with its family letter; its members are Residents."""

    __table_args__ = (UniqueConstraint("unit_id", "door"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # community_id and grid_id repeat the unit's place so that scope filters need no joins.
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    door: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    address: Mapped[str] = mapped_column(String(200))
    head_name: Mapped[str | None] = mapped_column(String(50))
    head_phone: Mapped[str | None] = mapped_column(String(20))
    # The 十联户 head who looks after this and about ten neighbouring households.
    joint_head_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()

    community: Mapped[Community] = relationship()
    grid: Mapped[Grid] = relationship()
    unit: Mapped[Unit] = relationship()
    joint_head: Mapped[Optional["Staff"]] = relationship(foreign_keys=[joint_head_id])
    members: Mapped[list["Resident"]] = relationship(
        back_populates="household", order_by="Resident.id"
    )


household_table = cast(Table, Household.__table__)


def house_code(community_code: str, grid_number: int, unit_number: int, door: str) -> str:
    """Human-readable, system-unique code printed on the letter, e.g. SQ-01-03-402."""
    return f"{community_code}-{grid_number:02d}-{unit_number:02d}-{door}"
