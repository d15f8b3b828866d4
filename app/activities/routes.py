"""Activity endpoints: list and create, the poster's code (PNG) and its reprint, checking in by the scanned token."""
from flask import Response, current_app
from flask.views import MethodView
from sqlalchemy import func, select

from app.activities import services
from app.activities.schemas import ActivityCodeSchema, ActivityCreateSchema, ActivitySchema, CheckInSchema
from app.auth.principal import current_principal, login_required
from app.codes.services import code_for
from app.letters.routes import printing
from app.models import Activity, CheckIn, Role
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.formats import answers_in, download
from app.web.pagination import page_of
from app.web.refusals import Forbidden
from qr.matrix import qr_png
from qr.poster import PosterData, render_poster_pdf, render_poster_png
from qr.tokens import activity_url

blp = Blueprint("activities", __name__, url_prefix="/api", description="Activities and QR check-in")
ORGANISERS = (Role.ADMIN, Role.GRID_HEAD)


def _with_counts(activities):
    counts = dict(db.session.execute(select(CheckIn.activity_id, func.count(CheckIn.id)).where(
        CheckIn.activity_id.in_([a.id for a in activities])).group_by(CheckIn.activity_id)).all())
    for activity in activities:
        activity.check_in_count = counts.get(activity.id, 0)
    return activities


@blp.route("/activities")
class Activities(MethodView):
    @login_required()
    @blp.response(200, ActivitySchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """The community's activities (a grid head: their grids' and the community-wide), latest first."""
        query = select(Activity).where(services.activity_scope(current_principal()))
        return _with_counts(page_of(query, pagination_parameters, Activity.starts_at.desc(), Activity.id.desc()))

    @login_required(*ORGANISERS)
    @blp.arguments(ActivityCreateSchema)
    @blp.response(201, ActivitySchema)
    def post(self, body):
        """Create an activity (time, place, points) with its check-in code."""
        activity = services.create(current_principal(), body)
        db.session.commit()
        return _with_counts([activity])[0]


@blp.route("/activities/<int:activity_id>/code")
class ActivityCode(MethodView):
    @login_required(*ORGANISERS)
    @blp.response(200, description="The check-in QR code as a PNG, to print on the poster",
                  content_type="image/png")
    def get(self, activity_id):
        """The poster's QR code (PNG) of the activity's check-in link."""
        code = code_for(services.activity_or_404(activity_id, current_principal()))
        db.session.commit()   # an activity made before codes were kept apart gets its first one
        return Response(qr_png(activity_url(current_app.config["PUBLIC_BASE_URL"], code.token)),
                        mimetype="image/png")

    @login_required(*ORGANISERS)
    @blp.response(200, ActivityCodeSchema)
    def post(self, activity_id):
        """Reprint: a new token, so the code printed before checks nobody in any more (its link answers 410)."""
        code = services.reissue(services.activity_or_404(activity_id, current_principal()), current_principal())
        db.session.commit()
        return {"token": code.token, "url": activity_url(current_app.config["PUBLIC_BASE_URL"], code.token)}


@blp.route("/activities/<int:activity_id>/poster")
@login_required(*ORGANISERS)
@answers_in(blp, "pdf", "png")
@blp.response(200, description="The A4 poster to print and put up where the activity takes place")
@blp.alt_response(503, description="No Chinese font on the server")
def poster(activity_id, fmt):
    """The activity's poster, A4 as PDF (the default) or PNG: its title, time, place, points and the check-in code
    in large print."""
    activity = services.activity_or_404(activity_id, current_principal())
    code = code_for(activity)
    db.session.commit()
    render = render_poster_pdf if fmt == "pdf" else render_poster_png
    with printing():
        made = render(PosterData(community=activity.community.name, title=activity.title, when=services.when(activity),
                                 place=activity.place, points=activity.points,
                                 qr_url=activity_url(current_app.config["PUBLIC_BASE_URL"], code.token)))
    return download(made, fmt, f"activity-{activity.id}", "inline")


@blp.route("/checkin/<token>", methods=["POST"])
@login_required()
@blp.response(201, CheckInSchema)
@blp.alt_response(409, description="Checked in already, or outside the activity's time")
def check_in(token):
    """Check in at an activity by its scanned code, from WeChat: once per person, between its start and end; the
    activity's points go to the person."""
    p = current_principal()
    if p.wechat is None:
        raise Forbidden("Check in from WeChat, by scanning the activity's code.")
    row = services.check_in(token, p)
    db.session.commit()
    return row
