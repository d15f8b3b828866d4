"""Party organisation (community committee → grid branch → unit group), party members with their contact
households, and volunteers: people (a confirmed resident or a staff member) recorded by staff."""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import created_at_column
from app.web.extensions import Model

_ONE_PERSON = ("(CASE WHEN resident_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN staff_id IS NULL THEN 0 ELSE 1 END) "
               "= 1")


class OrganisationKind(str, enum.Enum):
    COMMITTEE = "committee"   # 社区党委: the community's
    BRANCH = "branch"         # 网格党支部: a grid's
    GROUP = "group"           # 楼栋党小组: a unit's


class PartyOrganisation(Model):
    __tablename__ = "party_organisation"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        Enum(OrganisationKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    name: Mapped[str] = mapped_column(String(100))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"))   # a branch's grid
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))   # a group's unit
    created_at: Mapped[datetime] = created_at_column()


class PartyMember(Model):
    __tablename__ = "party_member"
    __table_args__ = (CheckConstraint(_ONE_PERSON, name="one_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("party_organisation.id"), index=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), unique=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), unique=True)
    # The membership ended (moved away, transferred out): kept on record, no longer claims wishes or looks after
    # households.
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()

    organisation: Mapped[PartyOrganisation] = relationship()
    resident = relationship("Resident")
    staff = relationship("Staff")


class ContactHousehold(Model):
    """A household a party member looks after (党员联系户): at most one member per household."""

    __tablename__ = "contact_household"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), unique=True)

    household = relationship("Household")


class Volunteer(Model):
    __table_args__ = (CheckConstraint(_ONE_PERSON, name="one_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), unique=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), unique=True)
    skills: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_at_column()

    resident = relationship("Resident")
    staff = relationship("Staff")
