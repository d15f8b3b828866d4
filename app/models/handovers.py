"""A contact request a police officer handed over to the grid as a service request for the sender's house."""
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.models.base import created_at_column
from app.web.extensions import Model


class Handover(Model):
    """The link both ways: a contact request is handed over at most once (the unique key holds under a double tap),
    and a service request comes from at most one contact request."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_request_id: Mapped[int] = mapped_column(ForeignKey("contact_request.id"), unique=True)
    service_request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()

    contact_request = relationship("ContactRequest", backref=backref("handover", uselist=False))
    service_request = relationship("ServiceRequest", backref=backref("handover", uselist=False))
    officer = relationship("Staff")
