"""Service request endpoints: file, list, read, act on the timeline, whom to transfer to, photos, mediation."""
from flask import jsonify
from flask.views import MethodView
from flask_smorest import abort

from app.auth.principal import current_principal, login_required
from app.models import Role
from app.notifications.templates import template_for
from app.requests import lifecycle
from app.requests.categories import category_to_file
from app.requests.lifecycle import (
    RESIDENT_NOTICES,
    attach_photos,
    file_request,
    perform,
)
from app.requests.photos import MAX_PER_REQUEST, photo_answer
from app.requests.routing import household_to_route
from app.requests.schemas import (
    ActionSchema,
    EventSchema,
    FilingSchema,
    MediationSchema,
    PhotoUploadSchema,
    RequestCreateSchema,
    RequestDetailSchema,
    RequestQuerySchema,
    RequestSchema,
    RevealedCallerSchema,
    TransferTargetSchema,
    request_rows,
)
from app.requests.scope import queue, request_or_404
from app.residents.schemas import RevealSchema
from app.storage.photos import MAX_BYTES
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.limits import photo_upload_limits
from app.web.pagination import page_of_rows
from app.web.transactions import commit_keeping_objects

blp = Blueprint("requests", __name__, url_prefix="/api/requests", description="Service requests")


@blp.route("")
class Requests(MethodView):
    @login_required()
    @blp.arguments(RequestQuerySchema, location="query")
    @blp.response(200, RequestSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """The requests the caller may see, newest first."""
        count, page, params = queue(current_principal(), args.get("status"), args.get("grid_id"),
                                    args.get("category"), args["mine"])
        # Dumped from plain rows for speed; the answer is RequestSchema's (as documented), which a test holds.
        return jsonify(request_rows(page_of_rows(count, page, params, pagination_parameters)))

    @login_required(Role.RESIDENT)
    @blp.arguments(RequestCreateSchema)
    @blp.response(201, RequestDetailSchema)
    def post(self, body):
        """File a request for the caller's household; it goes to whoever is responsible for the house."""
        p = current_principal()
        household = household_to_route(p.household_id)
        category = category_to_file(household.community_id, body["category"])
        if category is None:
            abort(422, message=f"category: no category '{body['category']}' in this community.")
        filed = file_request(household, category, body["description"], p.wechat, p)
        commit_keeping_objects()
        return filed


# WeChat's requestSubscribeMessage takes at most this many templates at once.
SUBSCRIBE_AT_ONCE = 3


@blp.route("/filing")
@login_required()
@blp.response(200, FilingSchema)
def filing():
    """What filing takes beside a category and text: the photo limit, and the subscribe-message templates of the
    household's notices about its request (the client asks the person for them at the filing tap)."""
    templates = list(dict.fromkeys(template_for(kind).template_id for kind in RESIDENT_NOTICES))
    return {"photo_limit": MAX_PER_REQUEST, "photo_max_mb": MAX_BYTES // (1024 * 1024),
            "subscribe_templates": templates[:SUBSCRIBE_AT_ONCE]}


@blp.route("/<int:request_id>")
@login_required()
@blp.response(200, RequestDetailSchema)
def get_request(request_id):
    """One request with its timeline, photos and mediation."""
    return request_or_404(request_id)


@blp.route("/<int:request_id>/events", methods=["POST"])
@login_required()
@blp.arguments(ActionSchema)
@blp.response(201, EventSchema)
@blp.alt_response(409, description="The action is not allowed in the request's current state")
def act(body, request_id):
    """Take a step: the handler accepts, transfers, notes progress or resolves; the resident rates or reopens."""
    req = request_or_404(request_id, lock=True)
    event = perform(req, body.pop("action"), current_principal(), body)
    db.session.commit()
    return event


@blp.route("/<int:request_id>/transfer-targets")
@login_required()
@blp.response(200, TransferTargetSchema(many=True))
@blp.alt_response(409, description="The request cannot be transferred in its current state")
def transfer_targets(request_id):
    """Whom the caller may transfer the request to: the community's active staff but police officers and
    the current handler (the transfer's own rule), by role and name."""
    return lifecycle.transfer_targets(request_or_404(request_id), current_principal())


@blp.route("/<int:request_id>/caller/reveal", methods=["POST"])
@login_required()
@blp.arguments(RevealSchema)
@blp.response(200, RevealedCallerSchema)
def reveal_caller(body, request_id):
    """The Open311 caller's whole phone and e-mail, for the handler or the admin to call back; the reason is kept
    in the audit trail. A request filed in the mini-program has no caller (its household filed it): all null."""
    req = lifecycle.reveal_caller(request_or_404(request_id), current_principal(), body["reason"])
    db.session.commit()
    return req


@blp.route("/<int:request_id>/mediation", methods=["PUT"])
@login_required()
@blp.arguments(MediationSchema)
@blp.response(200, MediationSchema)
def mediate(body, request_id):
    """Record a dispute's mediation (people's, judicial, pre-complaint, industry) and its outcome."""
    req = request_or_404(request_id, lock=True)
    perform(req, "mediate", current_principal(), body)
    db.session.commit()
    return req.mediation


@blp.route("/<int:request_id>/photos", methods=["POST"])
@login_required()
@photo_upload_limits
@blp.arguments(PhotoUploadSchema, location="files")
@blp.response(201, RequestDetailSchema)
def upload_photos(files, request_id):
    """Attach JPEG, PNG or WebP photos (5 MB, 16 megapixels each, 6 a request; kept as JPEGs without metadata) while
    the request is open or accepted."""
    req = request_or_404(request_id, lock=True)
    attach_photos(req, current_principal(), files["photos"])   # commits
    return req


@blp.route("/<int:request_id>/photos/<int:photo_id>")
@login_required()
@blp.response(200, description="The photo")
def get_photo(request_id, photo_id):
    """A photo of a request the caller may see."""
    return photo_answer(request_or_404(request_id), photo_id)
