"""Counts shown beside the figures on the console and the big screen: returning migrants who arrived this month,
and contact requests waiting for the community's police officers."""
from sqlalchemy import func, select

from app.auth.access import household_scope
from app.auth.principal import Principal
from app.clock import china_today
from app.models import ContactRequest, ContactStatus, Household, Resident, Staff
from app.models.people import ResidenceType
from app.web.extensions import db


def returning_this_month(p: Principal) -> int:
    """Confirmed returning migrants in `p`'s place whose return date falls in this month (China time)."""
    today = china_today()
    return db.session.execute(
        select(func.count(Resident.id)).join(Household, Resident.household_id == Household.id).where(
            household_scope(p), Resident.confirmed, Resident.residence_type == ResidenceType.RETURNING_MIGRANT,
            Resident.return_date >= today.replace(day=1), Resident.return_date <= today)).scalar_one()


def open_contact_requests(community_id: int) -> int:
    """Contact requests to the community's officers not handled yet (pending or contacted)."""
    return db.session.execute(
        select(func.count(ContactRequest.id)).join(Staff, Staff.id == ContactRequest.officer_id).where(
            Staff.community_id == community_id,
            ContactRequest.status.in_([ContactStatus.PENDING, ContactStatus.CONTACTED]))).scalar_one()
