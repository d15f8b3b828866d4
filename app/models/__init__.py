"""All tables, imported here so Alembic and the app see one metadata."""
from app.models.activities import Activity, CheckIn  # noqa: F401
from app.models.audit import AuditEvent  # noqa: F401
from app.models.codes import QrCode  # noqa: F401
from app.models.handovers import Handover  # noqa: F401
from app.models.letters import JobState, LetterJob  # noqa: F401
from app.models.notifications import Delivery, Notification  # noqa: F401
from app.models.open311 import Open311Key  # noqa: F401
from app.models.party import ContactHousehold, PartyMember, PartyOrganisation, Volunteer  # noqa: F401
from app.models.people import (  # noqa: F401
    ApiToken,
    Jurisdiction,
    Resident,
    Role,
    Staff,
    StaffInvite,
    WeChatIdentity,
)
from app.models.places import Community, Grid, Household, Unit  # noqa: F401
from app.models.points import PointAccount, PointEntry, PointRule, Redemption, Reward  # noqa: F401
from app.models.police import ContactRequest, ContactStatus  # noqa: F401
from app.models.requests import (  # noqa: F401
    Category,
    Level,
    Mediation,
    RequestEvent,
    RequestPhoto,
    RequestStatus,
    ServiceRequest,
)
from app.models.settings import StoredValue  # noqa: F401
from app.models.sign_in import ConsoleSession, SignInTicket, TicketState  # noqa: F401
from app.models.wishes import Wish, WishEvent, WishPhoto, WishSettings, WishStatus  # noqa: F401
