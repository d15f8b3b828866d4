"""Micro-wish endpoints: post, list, read, the grid head's review, claim, fulfil, confirm, cancel; the public wall;
the community's rules."""
from flask.views import MethodView
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.principal import current_principal, login_required
from app.models import Role, Wish, WishPhoto
from app.points.schemas import LeaderboardQuerySchema
from app.points.services import period_bounds
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.limits import photo_upload_limits, rate_limited
from app.web.pagination import page_of
from app.web.refusals import NotFound
from app.web.transactions import commit_keeping_objects
from app.wishes import lifecycle, photos, services
from app.wishes.figures import community_life
from app.wishes.schemas import (
    ApproveSchema,
    LifeFiguresSchema,
    NoteSchema,
    RejectSchema,
    SettingsSchema,
    WallWishSchema,
    WishCreateSchema,
    WishDetailSchema,
    WishPhotoUploadSchema,
    WishQuerySchema,
    WishSchema,
)

blp = Blueprint("wishes", __name__, url_prefix="/api", description="Micro-wishes (微心愿)")


@blp.route("/wishes")
class Wishes(MethodView):
    @login_required()
    @blp.arguments(WishQuerySchema, location="query")
    @blp.response(200, WishSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """The wishes the caller may see (their household's, their place's, those they claimed), newest first."""
        p = current_principal()
        query = select(Wish).where(lifecycle.wish_scope(p)).options(
            selectinload(Wish.grid), selectinload(Wish.household))
        if "status" in args:
            query = query.where(Wish.status == args["status"])
        if args["claimed"]:
            query = query.where(Wish.claimed_by_staff_id == p.staff.id if p.staff else
                                Wish.claimed_by_wechat_id == p.wechat.id)
        return page_of(query, pagination_parameters, Wish.created_at.desc(), Wish.id.desc())

    @login_required(Role.RESIDENT, *services.POSTERS)
    @rate_limited("RATELIMIT_WISHES")
    @blp.arguments(WishCreateSchema)
    @blp.response(201, WishDetailSchema)
    def post(self, body):
        """Post a wish: a resident for their household; a grid head or unit leader on behalf of someone in their
        place (household_id, beneficiary_name and vulnerability). WeChat checks the text first; a flagged one
        waits for the grid head's review and never reaches the wall."""
        wish = services.post_wish(current_principal(), body)
        commit_keeping_objects()
        return wish


@blp.route("/wishes/<int:wish_id>")
@login_required()
@blp.response(200, WishDetailSchema)
def get_wish(wish_id):
    """One wish with its timeline."""
    return lifecycle.wish_or_404(wish_id, current_principal())


@blp.route("/wishes/<int:wish_id>/approve", methods=["POST"])
@login_required(Role.GRID_HEAD, Role.ADMIN)
@blp.arguments(ApproveSchema)
@blp.response(200, WishDetailSchema)
@blp.alt_response(409, description="Not waiting for review, or the revised text was flagged too")
def approve(body, wish_id):
    """The grid head (or the admin) puts a submitted wish on the wall; a flagged one only with a revised text."""
    wish = lifecycle.wish_or_404(wish_id, current_principal(), lock=True)
    services.approve(wish, current_principal(), body.get("text"))
    db.session.commit()
    return wish


def _step(wish_id: int, action: str, note: str | None = None):
    wish = lifecycle.wish_or_404(wish_id, current_principal(), lock=True)
    lifecycle.perform(wish, action, current_principal(), note)
    db.session.commit()
    return wish


@blp.route("/wishes/<int:wish_id>/reject", methods=["POST"])
@login_required(Role.GRID_HEAD, Role.ADMIN)
@blp.arguments(RejectSchema)
@blp.response(200, WishDetailSchema)
@blp.alt_response(409, description="Not waiting for review")
def reject(body, wish_id):
    """The grid head (or the admin) turns a submitted wish down, with a reason the wisher reads."""
    return _step(wish_id, "reject", body["reason"])


@blp.route("/wishes/<int:wish_id>/cancel", methods=["POST"])
@login_required()
@blp.response(200, WishDetailSchema)
@blp.alt_response(409, description="Claimed already, or over")
def cancel(wish_id):
    """The wisher (the household, or the staff member who posted it) withdraws a wish nobody has claimed."""
    return _step(wish_id, "cancel")


@blp.route("/wishes/<int:wish_id>/claim", methods=["POST"])
@login_required()
@blp.response(200, WishDetailSchema)
@blp.alt_response(409, description="Claimed by someone else a moment ago, or not open to a claim")
def claim(wish_id):
    """Claim an approved wish of one's community, to fulfil within the community's limit (7 days by default);
    the answer carries the grid head's contact, who arranges the visit."""
    wish = lifecycle.wish_or_404(wish_id, current_principal(), claimable=True)
    lifecycle.claim(wish, current_principal())
    db.session.commit()
    return wish


@blp.route("/wishes/<int:wish_id>/fulfil", methods=["POST"])
@login_required()
@blp.arguments(NoteSchema)
@blp.response(200, WishDetailSchema)
@blp.alt_response(409, description="Not claimed")
def fulfil(body, wish_id):
    """The claimer reports the wish fulfilled, with a note; the wisher or the grid head confirms it."""
    return _step(wish_id, "fulfil", body["note"])


@blp.route("/wishes/<int:wish_id>/confirm", methods=["POST"])
@login_required()
@blp.response(200, WishDetailSchema)
@blp.alt_response(409, description="Not fulfilled")
def confirm(wish_id):
    """The wisher or the grid head confirms the fulfilment: the wish closes and the claimer earns the points."""
    return _step(wish_id, "confirm")


@blp.route("/wishes/<int:wish_id>/photos", methods=["POST"])
@login_required()
@photo_upload_limits
@blp.arguments(WishPhotoUploadSchema, location="files")
@blp.response(201, WishDetailSchema)
@blp.alt_response(409, description="Not while the wish is in this state, or it has its photo already")
def add_photo(files, wish_id):
    """Add a photo (JPEG, PNG or WebP, 5 MB): the wisher one, before a claim; the claimer up to three, before
    reporting the wish fulfilled. It is stored upright, at most 750 x 1334 px, without metadata, and WeChat checks
    it first: a flagged one takes the wish back to the grid head's review and is never shown to others."""
    wish = lifecycle.wish_or_404(wish_id, current_principal(), lock=True)
    photos.add_photo(wish, current_principal(), files["photo"])   # commits
    return wish


@blp.route("/wishes/<int:wish_id>/photos/<int:photo_id>")
@login_required()
@blp.response(200, description="The photo", content_type="image/jpeg")
def get_photo(wish_id, photo_id):
    """A photo of a wish the caller may see (those WeChat flagged only to its uploader and the staff of its place)."""
    return photos.photo_answer(lifecycle.wish_or_404(wish_id, current_principal()), photo_id, current_principal())


@blp.route("/communities/<code>/wish-wall/photos/<int:photo_id>")
@blp.doc(security=[])
@rate_limited("RATELIMIT_SCAN")
@blp.response(200, description="The photo", content_type="image/jpeg")
def wall_photo(code, photo_id):
    """The photo of a wish on the community's wall (no sign-in), as the wall lists it."""
    wish = db.session.scalar(services.wall(code).join(Wish.photos).where(WishPhoto.id == photo_id))
    if wish is None:
        raise NotFound(f"Photo {photo_id} not found.")
    return photos.photo_answer(wish, photo_id, None)


@blp.route("/communities/<code>/wish-wall")
@blp.doc(security=[])
@rate_limited("RATELIMIT_SCAN")
@blp.response(200, WallWishSchema(many=True))
@blp.paginate()
def wish_wall(code, pagination_parameters):
    """A community's wish wall (no sign-in): approved wishes with their text, category, grid and a masked name."""
    query = services.wall(code).options(selectinload(Wish.grid), selectinload(Wish.photos),
                                        selectinload(Wish.community))
    return page_of(query, pagination_parameters, Wish.approved_at.desc(), Wish.id.desc())


@blp.route("/community/wish-settings")
class Settings(MethodView):
    @login_required(Role.ADMIN)
    @blp.response(200, SettingsSchema)
    def get(self):
        """The community's cap on a wish's value (yuan) and the days a claim has before it lapses."""
        return lifecycle.settings_of(current_principal().community_id)

    @login_required(Role.ADMIN)
    @blp.arguments(SettingsSchema)
    @blp.response(200, SettingsSchema)
    def put(self, body):
        """Change the cap or the claim limit (from the next claim on)."""
        changed = services.change_settings(current_principal().community_id, body)
        db.session.commit()
        return changed


@blp.route("/figures/community-life")
@login_required(Role.ADMIN)
@blp.arguments(LeaderboardQuerySchema(only=["period"]), location="query")
@blp.response(200, LifeFiguresSchema)
def life_figures(args):
    """The admin's community in a month or a year (all time without one): wishes collected, claimed, fulfilled and
    the median days from posting to fulfilment; points awarded, deducted and redeemed."""
    start, end = period_bounds(args["period"]) if args.get("period") else (None, None)
    return {"period": args.get("period"), **community_life(db.session, current_principal().community_id, start, end)}
