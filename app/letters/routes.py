"""Letters per house and per grid or community, officers' contact cards, and the letter template."""
import tempfile

from flask import Response, current_app, send_file
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from app.auth.access import grid_scope
from app.auth.principal import current_principal, login_required
from app.codes.service import code_for, reprint
from app.letters.content import card_for, letter_for, letters_for
from app.letters.schemas import (
    BatchQuerySchema,
    CardQuerySchema,
    CodeSchema,
    LetterQuerySchema,
    TemplateSchema,
)
from app.models import Community, Grid, Household, Role, Staff
from app.notifications.wechat_gateway import wechat_client, wechat_configured
from app.places.routes import household_or_404
from app.web.extensions import db
from app.web.formats import MIMETYPES, answers_in, download
from qr.card import render_card_pdf, render_card_png
from qr.fonts import FontMissing
from qr.letter import render_letter_pdf, render_letter_png, write_letters_pdf
from qr.template import (
    DEFAULT_LETTER_TEMPLATE,
    PLACEHOLDERS,
    TemplateError,
    check_template,
)
from qr.tokens import card_url, scan_url
from wechat.client import wxa_code
from wechat.errors import WeChatError

blp = Blueprint("letters", __name__, url_prefix="/api", description="Family letters and contact cards")

PRINTERS = (Role.ADMIN, Role.GRID_HEAD)


def _render(render, *args):
    try:
        return render(*args)
    except FontMissing as exc:
        abort(503, message=str(exc))


@blp.route("/households/<int:household_id>/letter")
@login_required()
@blp.arguments(LetterQuerySchema, location="query")
@answers_in(blp, "pdf", "png")
@blp.response(200, description="The family letter as PDF or PNG")
def household_letter(args, household_id, fmt):
    """The family letter of one house (A4 or A5, PDF or PNG)."""
    house = household_or_404(household_id)
    data = letter_for(house)
    db.session.commit()  # a first print issues the house's code
    render = render_letter_pdf if fmt == "pdf" else render_letter_png
    return download(_render(render, data, args["size"]), fmt, house.code, "inline")


@blp.route("/households/<int:household_id>/code")
class HouseCode(MethodView):
    @login_required(*PRINTERS)
    @blp.response(200, CodeSchema)
    def get(self, household_id):
        """The house's live QR code: token, URL, version and scans so far."""
        code = code_for(household_or_404(household_id))
        db.session.commit()
        return _code_body(code, scan_url)

    @login_required(*PRINTERS)
    @blp.response(201, CodeSchema)
    def post(self, household_id):
        """Reprint: revoke the house's code (it answers 410 from now on) and issue the next version."""
        code = reprint(household_or_404(household_id))
        db.session.commit()
        return _code_body(code, scan_url)


def _code_body(code, url_for_token):
    return {"token": code.token, "url": url_for_token(current_app.config["PUBLIC_BASE_URL"], code.token),
            "version": code.version, "scans": code.scans}


@blp.route("/households/<int:household_id>/wxacode")
@login_required(*PRINTERS)
@blp.response(200, description="A WeChat mini-program code (PNG) for the house")
def household_wxacode(household_id):
    """The house's mini-program code from WeChat (getwxacodeunlimit), with its token as the scene."""
    code = code_for(household_or_404(household_id))
    db.session.commit()
    if not wechat_configured():
        abort(503, message="WeChat is not configured on this server (WECHAT_APPID, WECHAT_SECRET).")
    try:
        image = wxa_code(wechat_client(), code.token, page="pages/scan/index")
    except WeChatError as exc:
        abort(503 if exc.retryable else 502, message=f"WeChat did not return a code (errcode {exc.errcode}).")
    return Response(image, mimetype="image/png")


def _batch(condition, size: str, stem: str):
    """Stream the letters into a temporary file (pages never all in memory) and send it."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    pages = _render(write_letters_pdf, letters_for(condition), spool, size)
    if pages == 0:
        abort(404, message="No houses to print.")
    spool.seek(0)
    return send_file(spool, mimetype=MIMETYPES["pdf"], download_name=f"{stem}.pdf")


# A batch is one PDF; naming the format anyway is allowed, and any other is refused like everywhere else.
@blp.route("/grids/<int:grid_id>/letters")
@login_required(*PRINTERS)
@blp.arguments(BatchQuerySchema, location="query")
@answers_in(blp, "pdf")
@blp.response(200, description="Every letter of the grid in one PDF")
def grid_letters(args, grid_id, fmt):
    """Every family letter of one grid, one page per house, in house-code order."""
    grid = db.session.scalar(select(Grid).where(Grid.id == grid_id, grid_scope(current_principal())))
    if grid is None:
        abort(404, message=f"Grid {grid_id} not found.")
    return _batch(Household.grid_id == grid.id, args["size"], f"letters-grid-{grid.number}")


@blp.route("/community/letters")
@login_required(Role.ADMIN)
@blp.arguments(BatchQuerySchema, location="query")
@answers_in(blp, "pdf")
@blp.response(200, description="Every letter of the community in one PDF")
def community_letters(args, fmt):
    """Every family letter of the admin's community."""
    community_id = current_principal().staff.community_id
    return _batch(Household.community_id == community_id, args["size"], "letters-community")


@blp.route("/community/letter-template")
class LetterTemplate(MethodView):
    @login_required(Role.ADMIN)
    @blp.response(200, TemplateSchema)
    def get(self):
        """The community's letter text and the placeholders it may use."""
        community = db.session.get(Community, current_principal().staff.community_id)
        return _template_body(community)

    @login_required(Role.ADMIN)
    @blp.arguments(TemplateSchema)
    @blp.response(200, TemplateSchema)
    def put(self, body):
        """Replace the letter text; placeholders like {grid_head} are filled per house."""
        try:
            check_template(body["template"])
        except TemplateError as exc:
            abort(422, message=f"template: {exc}", errors={"json": {"template": [str(exc)]}})
        community = db.session.get(Community, current_principal().staff.community_id)
        community.letter_template = body["template"]
        db.session.commit()
        return _template_body(community)


def _template_body(community):
    return {"template": community.letter_template or DEFAULT_LETTER_TEMPLATE,
            "placeholders": list(PLACEHOLDERS), "is_default": community.letter_template is None}


def _officer_or_404(staff_id) -> Staff:
    p = current_principal()
    officer = db.session.get(Staff, staff_id)
    mine = officer is not None and officer.role is Role.POLICE and (
        officer.id == p.staff.id or (p.role is Role.ADMIN and officer.community_id == p.staff.community_id))
    if not mine:
        abort(404, message=f"Officer {staff_id} not found.")
    return officer


@blp.route("/police/<int:staff_id>/card")
@login_required(Role.POLICE, Role.ADMIN)
@blp.arguments(CardQuerySchema, location="query")
@answers_in(blp, "png", "pdf")
@blp.response(200, description="The contact card as PNG or PDF")
def officer_card(args, staff_id, fmt):
    """An officer's contact card (警民联系卡): their own, or any of the community's for its admin."""
    card = card_for(_officer_or_404(staff_id))
    db.session.commit()
    render = render_card_pdf if fmt == "pdf" else render_card_png
    return download(_render(render, card, args["vcard"]), fmt, f"card-{staff_id}", "inline")


@blp.route("/police/<int:staff_id>/card/code", methods=["POST"])
@login_required(Role.POLICE, Role.ADMIN)
@blp.response(201, CodeSchema)
def reprint_card(staff_id):
    """Revoke the officer's card code (old cards answer 410) and issue a new one."""
    code = reprint(_officer_or_404(staff_id))
    db.session.commit()
    return _code_body(code, card_url)
