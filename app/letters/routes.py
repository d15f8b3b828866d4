"""Letters per house and per grid or community, officers' contact cards, the letter template and the kind of
code printed, and what a scanned code is."""
import tempfile
from contextlib import contextmanager

from flask import Response, current_app, send_file
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import select

from app.auth.access import grid_scope
from app.auth.principal import current_principal, current_staff, login_required
from app.codes.services import RevokedCode, UnknownCode, code_for, reprint, resolve
from app.codes.wxacodes import (
    CodesPending,
    NotConfigured,
    stored_code,
)
from app.letters.content import card_for, letter_for, letters_for
from app.letters.schemas import (
    BatchQuerySchema,
    CardQuerySchema,
    CodeSchema,
    LetterQuerySchema,
    ScannedQuerySchema,
    ScannedSchema,
    TemplateSchema,
)
from app.letters.template import letter_text, save_letter_text
from app.models import Community, Grid, Household, Role, Staff
from app.places.routes import household_or_404
from app.police.services import card_facts, officer_on
from app.residents.letter_facts import letter_facts
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.formats import MIMETYPES, answers_in, download
from app.web.limits import rate_limited
from app.web.revalidate import revalidated_api
from qr.card import card_qr_payload, render_card_pdf, render_card_png
from qr.fonts import FontMissing
from qr.letter import render_letter_pdf, render_letter_png, write_letters_pdf
from qr.tokens import ACTIVITY, CARD, LETTER, card_url, code_of_url, scan_url
from wechat.errors import WeChatError

blp = Blueprint("letters", __name__, url_prefix="/api", description="Family letters and contact cards")

PRINTERS = (Role.ADMIN, Role.GRID_HEAD)
FETCHING = ("Mini-program codes are still being fetched from WeChat (those fetched are kept: print again), "
            "or WeChat is unavailable")


@contextmanager
def printing():
    """Answers for a print that cannot be made: no CJK font, or mini-program codes WeChat did not give."""
    try:
        yield
    except (FontMissing, NotConfigured) as exc:
        abort(503, message=str(exc))
    except CodesPending as exc:
        abort(503, message=f"{exc.missing} mini-program codes are still to be fetched from WeChat; those fetched "
                           "are kept: print again to go on.", headers={"Retry-After": "1"})
    except WeChatError as exc:
        abort(503 if exc.retryable else 502, message=f"WeChat did not return a code (errcode {exc.errcode}).")


@blp.route("/households/<int:household_id>/letter")
@login_required()
@blp.arguments(LetterQuerySchema, location="query")
@answers_in(blp, "pdf", "png")
@blp.response(200, description="The family letter as PDF or PNG")
def household_letter(args, household_id, fmt):
    """The family letter of one house (A4 or A5, PDF or PNG)."""
    return letter_file(household_or_404(household_id), fmt, args["size"])


def letter_file(house: Household, fmt: str = "pdf", size: str = "A4") -> Response:
    """A house's letter shown inline, as PDF or PNG."""
    render = render_letter_pdf if fmt == "pdf" else render_letter_png
    with printing():
        data = letter_for(house)
        db.session.commit()  # a first print issues the house's code
        letter = render(data, size)
    return download(letter, fmt, house.code, "inline")


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
        code = reprint(household_or_404(household_id), by=current_principal())
        db.session.commit()
        return _code_body(code, scan_url)


def _code_body(code, url_for_token):
    return {"token": code.token, "url": url_for_token(current_app.config["PUBLIC_BASE_URL"], code.token),
            "version": code.version, "scans": code.scans}


@blp.route("/households/<int:household_id>/wxacode")
@login_required(*PRINTERS)
@blp.response(200, description="A WeChat mini-program code for the house (the image as WeChat drew it: JPEG, or PNG)")
def household_wxacode(household_id):
    """The house's mini-program code (getwxacodeunlimit) with its token as the scene, opening WECHAT_SCAN_PAGE:
    fetched from WeChat once per code version and kept, whichever kind of code the community prints."""
    code = code_for(household_or_404(household_id))
    with printing():
        wxacode = stored_code(code)
    return Response(wxacode.image, mimetype=wxacode.content_type)


def letters_pdf(condition, size: str, stem: str):
    """Stream the letters into a temporary file (pages never all in memory) and send it."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with printing():
        budget = current_app.config["WECHAT_CODES_BUDGET_SECONDS"]
        pages = write_letters_pdf(letters_for(condition, budget), spool, size)
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
@blp.alt_response(503, description=FETCHING)
def grid_letters(args, grid_id, fmt):
    """Every family letter of one grid, one page per house, in house-code order."""
    grid = db.session.scalar(select(Grid).where(Grid.id == grid_id, grid_scope(current_principal())))
    if grid is None:
        abort(404, message=f"Grid {grid_id} not found.")
    return letters_pdf(Household.grid_id == grid.id, args["size"], f"letters-grid-{grid.number}")


@blp.route("/community/letters")
@login_required(Role.ADMIN)
@blp.arguments(BatchQuerySchema, location="query")
@answers_in(blp, "pdf")
@blp.response(200, description="Every letter of the community in one PDF")
@blp.alt_response(503, description=FETCHING)
def community_letters(args, fmt):
    """Every family letter of the admin's community."""
    community_id = current_principal().staff.community_id
    return letters_pdf(Household.community_id == community_id, args["size"], "letters-community")


@blp.route("/community/letter-template")
class LetterTemplate(MethodView):
    @login_required(Role.ADMIN)
    @blp.response(200, TemplateSchema)
    def get(self):
        """The community's letter text and the placeholders it may use."""
        return letter_text(db.session.get(Community, current_principal().staff.community_id))

    @login_required(Role.ADMIN)
    @blp.arguments(TemplateSchema)
    @blp.response(200, TemplateSchema)
    def put(self, body):
        """Replace the letter text; placeholders like {grid_head} are filled per house. With code_kind, choose
        the code printed on letters and cards: `link` (a QR of the /s/ or /c/ link) or `wxacode` (a
        mini-program code from WeChat, which this server must then be able to reach); left as it is when
        omitted."""
        community = db.session.get(Community, current_principal().staff.community_id)
        saved = save_letter_text(community, body["template"], body.get("code_kind"))
        db.session.commit()
        return saved


@blp.route("/scan")
@blp.doc(security=[])
@rate_limited("RATELIMIT_SCAN")
@revalidated_api(blp)
@blp.arguments(ScannedQuerySchema, location="query")
@blp.response(200, ScannedSchema)
@blp.alt_response(404, description="No live code of ours: unknown, or a card of no active officer")
@blp.alt_response(410, description="The letter or card was reprinted; this code is no longer valid")
def scanned(args):
    """What a scanned code is, for the mini-program page a scan opens (WECHAT_SCAN_PAGE).

    A link QR opens the page with the printed link in `q`, URL-encoded once: pass `q` on as it came (or decoded).
    A mini-program code opens it with the code's token in `scene`: pass that on instead. The answer says which
    `kind` of code it is, `letter` (a house's family letter), `card` (a police officer's contact card) or
    `activity` (an activity's check-in poster), its `token` (for POST /api/scan/{token}/members,
    /api/cards/{token}/contact-requests or /api/checkin/{token}), and the same body as GET /api/scan/{token} or
    GET /api/cards/{token} under `letter` or `card`, the activity under `activity`. The scan is counted, as there,
    and answered with an ETag as there: a repeat sending it in If-None-Match gets 304 while nothing shown changed;
    a reprinted poster's code answers 410 like a letter's. A link to another host, or to a path that is none of
    /s/, /c/ and /a/, is refused (422 naming `q`)."""
    if "q" in args:
        try:
            kind, token = code_of_url(args["q"], current_app.config["PUBLIC_BASE_URL"])
        except ValueError as exc:
            abort(422, message=f"q: {exc}.", errors={"query": {"q": [str(exc)]}})
    else:
        token, kind = args["scene"], None
    code = _scanned(lambda: resolve(token))
    kind = kind or (LETTER if code.household_id is not None else ACTIVITY if code.activity_id is not None else CARD)
    if kind == ACTIVITY:
        if code.activity is None:
            abort(404, message="This code is not an activity's.")
        body = code.activity
    elif kind == LETTER:
        if code.household is None:
            abort(404, message="This code is not a family letter.")
        body = letter_facts(code.household)
    else:
        body = card_facts(_scanned(lambda: officer_on(code)))
    db.session.commit()   # the scan count
    return {"kind": kind, "token": token, kind: body}


def _scanned(find):
    """find()'s code or officer; 404 for an unknown code, 410 for a replaced one."""
    try:
        return find()
    except UnknownCode:
        abort(404, message="No letter or card has this code.")
    except RevokedCode:
        abort(410, message="This code was replaced by a reprinted letter, card or poster; please scan the new one.")


def _officer_or_404(staff_id) -> Staff:
    me = current_staff()
    officer = db.session.get(Staff, staff_id)
    if officer is None or not (officer.role is Role.POLICE and (
            officer.id == me.id or (me.role is Role.ADMIN and officer.community_id == me.community_id))):
        abort(404, message=f"Officer {staff_id} not found.")
    return officer


@blp.route("/police/<int:staff_id>/card")
@login_required(Role.POLICE, Role.ADMIN)
@blp.arguments(CardQuerySchema, location="query")
@answers_in(blp, "png", "pdf")
@blp.response(200, description="The contact card as PNG or PDF")
def officer_card(args, staff_id, fmt):
    """An officer's contact card (警民联系卡): their own, or any of the community's for its admin."""
    return card_file(_officer_or_404(staff_id), fmt, args["vcard"])


def card_file(officer: Staff, fmt: str, vcard: bool) -> Response:
    """The officer's card as a PNG or PDF shown inline (its code made on first use, hence the commit); with a
    vCard QR that a phone's camera saves as a contact, if `vcard`."""
    render = render_card_pdf if fmt == "pdf" else render_card_png
    with printing():
        card = card_for(officer, vcard)
        db.session.commit()
        image = render(card, vcard)
    return download(image, fmt, f"card-{officer.id}", "inline")


def contact_file(officer: Staff) -> Response:
    """The officer as a phone contact to save (.vcf): the vCard the card's ?vcard=1 print carries in its QR."""
    card = card_for(officer, vcard=True)
    db.session.commit()   # the card's code, made on first use
    return download(card_qr_payload(card, vcard=True).encode("utf-8"), "vcf", "contact")


@blp.route("/police/<int:staff_id>/card/code", methods=["POST"])
@login_required(Role.POLICE, Role.ADMIN)
@blp.response(201, CodeSchema)
def reprint_card(staff_id):
    """Revoke the officer's card code (old cards answer 410) and issue a new one."""
    code = reprint(_officer_or_404(staff_id), by=current_principal())
    db.session.commit()
    return _code_body(code, card_url)
