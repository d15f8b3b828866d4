"""Party and volunteer endpoints: organisations, members and their contact households, coverage, volunteers."""
from flask.views import MethodView
from sqlalchemy import select

from app.auth.principal import current_principal, login_required
from app.models import Household, PartyMember, PartyOrganisation, Role, Volunteer, Wish
from app.models.wishes import WishStatus
from app.party import services
from app.party.schemas import (
    ContactHouseSchema,
    HouseholdIdsSchema,
    LookedAfterSchema,
    OrganisationSchema,
    PartyMemberChangeSchema,
    PartyMemberCreateSchema,
    PartyMemberSchema,
    VolunteerCreateSchema,
    VolunteerSchema,
)
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.pagination import page_of

blp = Blueprint("party", __name__, url_prefix="/api", description="Party members and volunteers")
KEEPERS = (Role.ADMIN, Role.GRID_HEAD)
OVER = (WishStatus.CLOSED, WishStatus.CANCELLED, WishStatus.REJECTED)


@blp.route("/party/organisations")
class Organisations(MethodView):
    @login_required(*KEEPERS)
    @blp.response(200, OrganisationSchema(many=True))
    def get(self):
        """The community's party organisation: its committee, grid branches and unit groups."""
        return db.session.scalars(select(PartyOrganisation).where(
            PartyOrganisation.community_id == current_principal().community_id).order_by(PartyOrganisation.id)).all()

    @login_required(Role.ADMIN)
    @blp.arguments(OrganisationSchema)
    @blp.response(201, OrganisationSchema)
    def post(self, body):
        """Add the committee, a grid's branch or a unit's group."""
        organisation = services.create_organisation(current_principal().community_id, body)
        db.session.commit()
        return organisation


@blp.route("/party/members")
class Members(MethodView):
    @login_required(*KEEPERS)
    @blp.response(200, PartyMemberSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Party members the caller keeps: the admin's community's; a grid head's, those living in their grids."""
        query = select(PartyMember).where(services.people_scope(current_principal(), PartyMember))
        return page_of(query, pagination_parameters, PartyMember.id)

    @login_required(Role.ADMIN)
    @blp.arguments(PartyMemberCreateSchema)
    @blp.response(201, PartyMemberSchema)
    def post(self, body):
        """Record a confirmed resident or a staff member as a party member of an organisation."""
        member = services.record_member(current_principal(), body)
        db.session.commit()
        return member


@blp.route("/party/members/<int:member_id>", methods=["PATCH"])
@login_required(*KEEPERS)
@blp.arguments(PartyMemberChangeSchema)
@blp.response(200, PartyMemberSchema)
def change_member(body, member_id):
    """Change a member the caller keeps: their organisation (a grid head: one of their grids'), whether they are
    a volunteer too, the end of their membership (it releases their contact households). Audited."""
    p = current_principal()
    member = services.change_member(p, services.member_or_404(p, member_id), body)
    db.session.commit()
    return member


@blp.route("/party/members/<int:member_id>/households", methods=["PUT"])
@login_required(*KEEPERS)
@blp.arguments(HouseholdIdsSchema)
@blp.response(200, ContactHouseSchema(many=True))
@blp.alt_response(409, description="A household has another contact party member")
def assign(body, member_id):
    """The member's contact households in the caller's place (a few; one member a household)."""
    p = current_principal()
    houses = services.assign_households(p, services.member_or_404(p, member_id), body["household_ids"])
    db.session.commit()
    return houses


@blp.route("/party/coverage")
@login_required(*KEEPERS)
@blp.response(200, ContactHouseSchema(many=True))
@blp.paginate()
def coverage(pagination_parameters):
    """Households in the caller's place that no party member looks after yet."""
    return page_of(services.uncovered(current_principal()), pagination_parameters, Household.code)


@blp.route("/my/contact-households")
@login_required()
@blp.response(200, LookedAfterSchema(many=True))
def my_contact_households():
    """The households the caller looks after as a party member, with their contacts (masked) and open wishes."""
    houses = services.my_contact_households(current_principal())
    wishes = db.session.scalars(select(Wish).where(Wish.household_id.in_([h.id for h in houses]),
                                                   Wish.status.not_in(OVER)).order_by(Wish.id)).all()
    for house in houses:
        house.open_wishes = [w for w in wishes if w.household_id == house.id]
    return houses


@blp.route("/volunteers")
class Volunteers(MethodView):
    @login_required(*KEEPERS)
    @blp.response(200, VolunteerSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Volunteers the caller keeps: the admin's community's; a grid head's, those living in their grids."""
        query = select(Volunteer).where(services.people_scope(current_principal(), Volunteer))
        return page_of(query, pagination_parameters, Volunteer.id)

    @login_required(*KEEPERS)
    @blp.arguments(VolunteerCreateSchema)
    @blp.response(201, VolunteerSchema)
    def post(self, body):
        """Record a confirmed resident of the caller's place (or, the admin, a staff member) as a volunteer."""
        volunteer = services.record_volunteer(current_principal(), body)
        db.session.commit()
        return volunteer
