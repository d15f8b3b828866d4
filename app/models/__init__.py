"""All tables, imported here so Alembic and the app see one metadata."""
from app.models.places import Community, Grid, Unit, Household  # noqa: F401
from app.models.people import (  # noqa: F401
    Role, Staff, Jurisdiction, Resident, WeChatIdentity, ApiToken, StaffInvite,
)
from app.models.audit import AuditEvent  # noqa: F401
from app.models.codes import QrCode  # noqa: F401
from app.models.notifications import Delivery, Notification  # noqa: F401
from app.models.settings import StoredValue  # noqa: F401
from app.models.requests import (  # noqa: F401
    Category, ServiceRequest, RequestEvent, RequestPhoto, Mediation, RequestStatus, Level,
)
from app.models.police import ContactRequest, ContactStatus  # noqa: F401
from app.models.open311 import Open311Key  # noqa: F401
