"""The staff console's pages: each view reads with the API's scopes, acts through one service call, and answers the
whole page, or only the changed fragment when htmx asks (HX-Request); after a change without htmx, it redirects."""
import base64
import secrets

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields, validate
from sqlalchemy import case, func, select
from werkzeug.exceptions import HTTPException

from app.admin.house_import import exported_sheet, import_houses
from app.admin.house_sheet import example_row, read_sheet, write_sheet
from app.admin.schemas import StaffCreateSchema
from app.admin.staff import create_staff, invite
from app.auth.access import grid_scope
from app.clock import china_today
from app.codes.wxacodes import NotConfigured, drawn_code
from app.console import forms, scan
from app.console.paging import PagedSchema, one_page
from app.console.signin import (
    load_principal,
    session_principal,
    sign_in,
    sign_out,
    signed_in,
    staff_page,
    start_session,
)
from app.console.words import ACTION, CONTACT, MEDIATION, OUTCOME, ROLE, STATUS, local_time, refusal_text
from app.figures.live import open_contact_requests, returning_this_month
from app.figures.report import community_figures, grid_figures, grids_figures
from app.figures.schemas import PeriodSchema
from app.figures.workbook import figures_workbook
from app.letters.routes import card_file, contact_file, letters_pdf
from app.models import (
    Category,
    Community,
    ContactStatus,
    Grid,
    Household,
    RequestStatus,
    Role,
    ServiceRequest,
    Staff,
    TicketState,
)
from app.models.people import STAFF_ROLES
from app.notifications.wechat_gateway import wechat_configured
from app.police.schemas import ContactAnswerSchema
from app.police.services import QUEUE_ORDER, answer, own_contact, queue_of
from app.requests.lifecycle import ADMIN, HANDLER, actor_kinds, perform, transfer_targets
from app.requests.photos import photo_answer
from app.requests.schemas import ActionSchema, MediationSchema
from app.requests.scope import UNFINISHED, is_overdue, overdue, request_or_404, request_scope, visible_requests
from app.residents import grid_reports
from app.residents import services as residents
from app.residents.permissions import check_confirms
from app.residents.routes import member_or_404
from app.residents.schemas import RevealSchema
from app.residents.services import confirm_member, reject_member
from app.web.extensions import db
from app.web.formats import download
from app.web.limits import client_address, rate_limited, staff_login_limits
from app.web.refusals import Refusal
from wechat.errors import WeChatError

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")
root = Blueprint("root", __name__)

HANDLING = (Role.ADMIN, Role.GRID_HEAD, Role.UNIT_LEADER, Role.JOINT_HEAD)
FIGURES = (Role.ADMIN, Role.GRID_HEAD)
# Where each role starts.
HOME = {Role.ADMIN: "console.dashboard", Role.GRID_HEAD: "console.requests", Role.UNIT_LEADER: "console.requests",
        Role.JOINT_HEAD: "console.requests", Role.POLICE: "console.police"}


@root.get("/")
def index():
    return redirect(url_for("console.home"))


bp.before_request(load_principal)


@bp.context_processor
def _words():
    return {"STATUS": STATUS, "ROLE": ROLE, "ACTION": ACTION, "CONTACT": CONTACT, "MEDIATION": MEDIATION,
            "OUTCOME": OUTCOME, "local": local_time, "late": is_overdue, "me": session_principal()}


@bp.after_request
def _page_headers(response: Response) -> Response:
    # Every script and style is the app's own file: nothing inline, nothing from elsewhere.
    response.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    response.headers.setdefault("Cache-Control", "no-store")   # pages with people's data stay off shared caches
    return response


@bp.errorhandler(HTTPException)
def _refused(error: HTTPException):
    """A refusal, a 404 or a bad CSRF token as the person sees it: in the page for htmx, else a page of its own."""
    data = getattr(error, "data", None) or {}
    at_fault = next(iter(next(iter((data.get("errors") or {}).values()), {})), None)
    message = refusal_text(error.code or 500, data.get("message") or error.description or "", data.get("zh"), at_fault)
    if isinstance(error, CSRFError):
        message = "页面已过期或来源不明，请刷新页面后重试。"
    headers = dict(data.get("headers") or {})   # a refusal's own (Retry-After on a 429)
    if request.headers.get("HX-Request"):
        headers.update({"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
        return render_template("console/_refusal.html", message=message, status=error.code), error.code, headers
    return render_template("console/refused.html", message=message, status=error.code), error.code, headers


def _done(fragment: str, back: str, **context):
    """After a change: the fragment for htmx, else back to the page (post/redirect/get)."""
    db.session.commit()
    if request.headers.get("HX-Request"):
        return render_template(fragment, **context)
    return redirect(back, code=303)


# Signing in and out


@bp.get("/")
@staff_page()
def home():
    return redirect(url_for(HOME[signed_in().role]))


def _next_page() -> str | None:
    """Where the sign-in goes next: a console page only (never another site)."""
    target = request.values.get("next") or ""
    return target if target.startswith("/console/") and "//" not in target and "\\" not in target else None


def data_url(image: bytes, content_type: str = "image/png") -> str:
    """A picture made for this answer only, in the page itself (the pages' policy admits data: images)."""
    return f"data:{content_type};base64," + base64.b64encode(image).decode()


def _login_page(status: int = 200, **context):
    """The sign-in page: the password form, and the scan-to-sign-in code where WeChat is configured."""
    return render_template("console/login.html", next=_next_page(), scan="loading" if wechat_configured() else None,
                           **context), status


@bp.get("/login")
def login():
    return _login_page()


@bp.post("/login")
@staff_login_limits
def login_form():
    staff = sign_in(request.form.get("username", "")[:64], request.form.get("password", ""))
    if staff is None:   # 401 counts against the username's limit (staff_login_limits)
        return _login_page(401, error="用户名或密码错误。", username=request.form.get("username", ""))
    db.session.commit()
    return redirect(_next_page() or url_for(HOME[staff.role]), code=303)


# Scanning a code in the mini-program (app/console/scan.py): the sign-in page asks for a code on loading (and on
# 点击刷新), then looks every two seconds whether a phone has confirmed it.
SCAN_COOKIE = "scan"


def _scan_panel(state: str, status: int = 200, **context):
    return render_template("console/_scan.html", scan=state, next=_next_page(), **context), status


@bp.post("/login/scan")
@rate_limited("RATELIMIT_SCAN_SIGN_IN", key_func=client_address)
def scan_start():
    ticket_id, nonce = scan.new_ticket_id(), secrets.token_urlsafe(32)
    try:
        wxacode = drawn_code(ticket_id, current_app.config["WECHAT_CONSOLE_LOGIN_PAGE"])
    except (NotConfigured, WeChatError):
        return _scan_panel("unavailable", 503)
    scan.open_ticket(ticket_id, nonce, request.user_agent.string)
    db.session.commit()
    response = make_response(_scan_panel(TicketState.PENDING.value, ticket=ticket_id,
                                         image=data_url(wxacode.image, wxacode.content_type)))
    # The browser's proof that the ticket is its own; not in the session, which a password sign-in meanwhile rewrites.
    response.set_cookie(SCAN_COOKIE, nonce, max_age=scan.TICKET_SECONDS, path=url_for("console.scan_start"),
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Strict")
    return response


@bp.get("/login/scan/<ticket>")
def scan_state(ticket):
    """204 while the code waits; once a phone confirmed it, this browser signs in (htmx follows HX-Redirect);
    else the panel saying the code is over, to refresh it. Another browser's ticket is none of this one's: 404."""
    row = scan.browser_ticket(ticket, request.cookies.get(SCAN_COOKIE))
    if row is None:
        return _scan_panel("lost", 404)
    state = scan.state_of(row)
    if state == TicketState.PENDING.value:
        return "", 204
    staff = scan.consume(row) if state == TicketState.CONFIRMED.value else None
    if staff is None:
        return _scan_panel(scan.EXPIRED if state == TicketState.CONFIRMED.value else state)
    start_session(staff)
    db.session.commit()
    target = _next_page() or url_for(HOME[staff.role])
    response = make_response("", 200, {"HX-Redirect": target}) if request.headers.get("HX-Request") \
        else redirect(target, code=303)
    response.delete_cookie(SCAN_COOKIE, path=url_for("console.scan_start"))
    return response


@bp.post("/logout")
def logout():
    sign_out()
    db.session.commit()
    flash("您已退出登录。")
    return redirect(url_for("console.login"), code=303)


# Service requests


class QueueSchema(PagedSchema):
    status = fields.String(load_default="unfinished", validate=validate.OneOf(
        ["unfinished", "all", *(s.value for s in RequestStatus)]))
    category = fields.String(validate=validate.Length(max=32))
    grid = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    overdue = fields.Boolean(load_default=False)
    mine = fields.Boolean(load_default=False)


# Unfinished ones first, the nearest deadline first (what to do next is at the top); then the latest filed.
_UNFINISHED_FIRST = case((ServiceRequest.status.in_(UNFINISHED), 0), else_=1)
QUEUE_ORDER_BY = (_UNFINISHED_FIRST, case((ServiceRequest.status.in_(UNFINISHED), ServiceRequest.due_at)),
                  ServiceRequest.filed_at.desc(), ServiceRequest.id.desc())


@bp.get("/requests")
@staff_page(*HANDLING)
def requests():
    p = signed_in()
    args = forms.read(QueueSchema(), request.args)
    status = args["status"]
    query = visible_requests(p, RequestStatus(status) if status not in ("unfinished", "all") else None,
                             args.get("grid"), args.get("category"), args["mine"], args["overdue"])
    if status == "unfinished":
        query = query.where(ServiceRequest.status.in_(UNFINISHED))
    rows, more = one_page(query.order_by(*QUEUE_ORDER_BY), args["page"])
    categories = db.session.execute(select(Category.code, Category.name).where(
        Category.community_id == p.staff.community_id).order_by(Category.id)).all()
    return render_template("console/requests.html", rows=rows, more=more, args=args,
                           categories=categories, grids=_own_grids())


def _detail(request_id: int) -> dict:
    """A request the caller may see, with whom they may transfer it to (none when they may not)."""
    req = request_or_404(request_id)
    p = signed_in()
    steering = bool(actor_kinds(req, p) & {HANDLER, ADMIN})   # who transfers, and records a mediation
    mine = p.staff is not None and req.handler_id == p.staff.id
    return {"req": req, "mine": mine, "mediates": steering and req.category.is_dispute,
            "targets": transfer_targets(req, p) if steering and req.status in UNFINISHED else []}


@bp.get("/requests/<int:request_id>")
@staff_page(*HANDLING)
def request_detail(request_id):
    return render_template("console/request.html", **_detail(request_id))


@bp.get("/requests/<int:request_id>/photos/<int:photo_id>")
@staff_page(*HANDLING)
def photo(request_id, photo_id):
    return photo_answer(request_or_404(request_id), photo_id)


@bp.post("/requests/<int:request_id>/events")
@staff_page(*HANDLING)
def act(request_id):
    """Accept, note, transfer or resolve, as POST /api/requests/<id>/events does (the same schema and service)."""
    body = forms.read(ActionSchema())
    return _step(request_id, body.pop("action"), body)


@bp.post("/requests/<int:request_id>/mediation")
@staff_page(*HANDLING)
def mediate(request_id):
    """A dispute's mediation, as PUT /api/requests/<id>/mediation records it."""
    return _step(request_id, "mediate", forms.read(MediationSchema()))


def _step(request_id: int, action: str, body: dict):
    """Take the step; answer the request's panel (htmx) or page, or the queue once the request left one's sight."""
    perform(request_or_404(request_id, lock=True), action, signed_in(), body)
    db.session.commit()
    if not db.session.scalar(select(ServiceRequest.id).where(ServiceRequest.id == request_id,
                                                             request_scope(signed_in()))):
        # Transferred out of the caller's sight: back to the queue, which no longer lists it.
        flash(f"诉求 #{request_id} 已{ACTION[action]}。")
        if request.headers.get("HX-Request"):
            return "", 200, {"HX-Redirect": url_for("console.requests")}
        return redirect(url_for("console.requests"), code=303)
    if request.headers.get("HX-Request"):
        return render_template("console/_request_panel.html", **_detail(request_id))
    return redirect(url_for("console.request_detail", request_id=request_id), code=303)


# Figures


def _overdue_count(p) -> int:
    return db.session.execute(select(func.count(ServiceRequest.id)).where(request_scope(p), overdue())).scalar_one()


def _figures(p, start=None, end=None) -> dict:
    """The admin's community, or the caller's own grids added up, with each grid's figures."""
    if p.role is Role.ADMIN:
        return community_figures(p.staff.community_id, start, end)
    return grids_figures(_own_grids(), start, end)


@bp.get("/dashboard")
@staff_page(*FIGURES)
def dashboard():
    p = signed_in()
    period = forms.read(PeriodSchema(), request.args)
    figures = _figures(p, period.get("start"), period.get("end"))
    disputes = db.session.scalars(select(Category.code).where(
        Category.community_id == p.staff.community_id, Category.is_dispute)).all()
    return render_template("console/dashboard.html", f=figures, overdue=_overdue_count(p), period=request.args,
                           dispute_category=disputes[0] if len(disputes) == 1 else None,
                           returning=returning_this_month(p), contacts=open_contact_requests(p.staff.community_id))


@bp.get("/figures.xlsx")
@staff_page(Role.ADMIN)
def community_workbook():
    p, period = signed_in(), forms.read(PeriodSchema(), request.args)
    figures = community_figures(p.staff.community_id, period.get("start"), period.get("end"))
    return download(figures_workbook(figures), "xlsx", "figures")


@bp.get("/grids/<int:grid_id>/figures.xlsx")
@staff_page(*FIGURES)
def grid_workbook(grid_id):
    period = forms.read(PeriodSchema(), request.args)
    grid = _own_grid_or_404(grid_id)
    figures = grid_figures(grid, period.get("start"), period.get("end"))
    return download(figures_workbook(figures), "xlsx", f"figures-grid-{grid.number}")


@bp.get("/screen")
@staff_page(Role.ADMIN)
def screen():
    return render_template("console/screen.html", refresh_seconds=current_app.config["CONSOLE_SCREEN_SECONDS"],
                           figures=screen_numbers(signed_in()))


@bp.get("/screen/figures")
@staff_page(Role.ADMIN)
def screen_figures():
    """The big screen's numbers, fetched every CONSOLE_SCREEN_SECONDS: counts and rates only, no names."""
    return screen_numbers(signed_in())


def screen_numbers(p) -> dict:
    """What /api/figures/community says (all time, and filed today), the overdue count, returning migrants this
    month and open contact requests."""
    today = china_today()
    figures, filed_today = _figures(p), _figures(p, today, today)
    return {"community": figures["community"]["name"], "today": filed_today["requests"],
            "requests": figures["requests"], "open": figures["by_status"]["open"],
            "accepted": figures["by_status"]["accepted"], "overdue": _overdue_count(p),
            "on_time_rate": figures["on_time_rate"], "disputes": figures["disputes"],
            "coverage": figures["registration"]["coverage"], "returning": returning_this_month(p),
            "contacts": open_contact_requests(p.staff.community_id),
            "grids": [{"name": g["name"], "coverage": g["registration"]["coverage"], "requests": g["requests"],
                       "open": g["by_status"]["open"] + g["by_status"]["accepted"]} for g in figures["grids"]]}


# Registrations


@bp.get("/registrations")
@staff_page(Role.GRID_HEAD, Role.ADMIN)
def registrations():
    """Each grid's coverage and pending registrations; the grid head confirms them and answers moves out of their
    grids (the admin sees the community's, as the API lets them, and decides none)."""
    heads = signed_in().role is Role.GRID_HEAD
    grids = _own_grids()
    coverage, pending = grid_reports.coverage_of(grids), grid_reports.pending_of(grids)
    return render_template("console/registrations.html", decides=heads, moves=moves_out() if heads else [], grids=[
        {"grid": grid, "coverage": coverage[grid.id], "pending": pending[grid.id]} for grid in grids])


@bp.post("/members/<int:member_id>/<any(confirm, reject):decision>")
@staff_page(Role.GRID_HEAD)
def decide_member(member_id, decision):
    """The grid head confirms or turns down a registration, as POST /api/members/<id>/confirm or /reject."""
    member = member_or_404(member_id)
    check_confirms(signed_in(), member)
    shown = {"name": member.name, "household": member.household.code, "decision": decision}
    (confirm_member if decision == "confirm" else reject_member)(member)
    return _done("console/_decided.html", url_for("console.registrations"), **shown)


@bp.post("/members/<int:member_id>/reveal")
@staff_page(Role.GRID_HEAD)
def reveal_member(member_id):
    """A member's whole ID number and phone, with a reason kept in the audit trail, as POST /api/members/<id>/reveal."""
    shown = residents.reveal_member(member_or_404(member_id), signed_in(), forms.read(RevealSchema())["reason"])
    db.session.commit()
    fragment = request.headers.get("HX-Request")
    return render_template("console/_revealed.html" if fragment else "console/revealed.html", m=shown)


# The police officer's contact requests


class ContactFilterSchema(Schema):
    status = fields.String(load_default="open", validate=validate.OneOf(
        ["open", "all"] + [s.value for s in ContactStatus]))


@bp.get("/police")
@staff_page(Role.POLICE)
def police():
    status = forms.read(ContactFilterSchema(), request.args)["status"]
    rows = db.session.scalars(queue_of(signed_in().staff, status).order_by(*QUEUE_ORDER).limit(100)).all()
    return render_template("console/police.html", rows=rows, status=status)


@bp.get("/card.<any(png, pdf):fmt>")
@staff_page(Role.POLICE)
def card(fmt):
    """The officer's own contact card; ?vcard=1 with a QR that saves them as a phone contact."""
    return card_file(signed_in().staff, fmt, request.args.get("vcard") == "1")


@bp.get("/card.vcf")
@staff_page(Role.POLICE)
def card_contact():
    """The officer's own vCard, to send to a resident or save."""
    return contact_file(signed_in().staff)


@bp.post("/contacts/<int:contact_id>")
@staff_page(Role.POLICE)
def mark_contact(contact_id):
    """Contacted or handled, with a note, as PATCH /api/police/contact-requests/<id> does."""
    body = forms.read(ContactAnswerSchema())
    row = answer(own_contact(signed_in().staff, contact_id), ContactStatus(body["status"]), body.get("note"))
    return _done("console/_contact.html", url_for("console.police"), c=row)


# The admin's houses and letters


@bp.get("/houses")
@staff_page(Role.ADMIN)
def houses():
    return render_template("console/houses.html", grids=_own_grids())


@bp.post("/houses")
@staff_page(Role.ADMIN)
def import_sheet():
    """Preview (the default) or apply a house sheet, as POST /api/admin/houses/import does: every row error is
    listed and nothing is written while there is one."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Refusal("请选择 .xlsx 或 .csv 文件。", "file")
    apply = request.form.get("apply") == "1"
    rows = read_sheet(upload.filename, upload.read())
    result = import_houses(db.session.get(Community, signed_in().staff.community_id), rows, dry_run=not apply)
    status = 422 if result.errors else 200
    if apply and not result.errors:
        db.session.commit()
    template = "console/_import_result.html" if request.headers.get("HX-Request") else "console/houses.html"
    return render_template(template, result=result, applied=apply and not result.errors, grids=_own_grids()), status


@bp.get("/houses.xlsx")
@staff_page(Role.ADMIN)
def export_houses():
    data = exported_sheet(signed_in(), "xlsx")
    db.session.commit()
    return download(data, "xlsx", "houses")


@bp.get("/houses-template.xlsx")
@staff_page(Role.ADMIN)
def house_template():
    community = db.session.get(Community, signed_in().staff.community_id)
    return download(write_sheet([example_row(community.name)], "xlsx"), "xlsx", "houses-template")


@bp.get("/letters.pdf")
@staff_page(Role.ADMIN)
def community_letters():
    """Every family letter of the community in one PDF, as GET /api/community/letters prints it."""
    return letters_pdf(Household.community_id == signed_in().staff.community_id, "A4", "letters-community")


@bp.get("/grids/<int:grid_id>/letters.pdf")
@staff_page(*FIGURES)
def grid_letters(grid_id):
    grid = _own_grid_or_404(grid_id)
    return letters_pdf(Household.grid_id == grid.id, "A4", f"letters-grid-{grid.number}")


def _own_grid_or_404(grid_id: int) -> Grid:
    return db.first_or_404(select(Grid).where(Grid.id == grid_id, grid_scope(signed_in())),
                           description=f"Grid {grid_id} not found.")


def _own_grids() -> list[Grid]:
    return list(db.session.scalars(select(Grid).where(grid_scope(signed_in())).order_by(Grid.number)))


# The admin's staff accounts


@bp.get("/staff")
@staff_page(Role.ADMIN)
def staff():
    return _staff_page()


def _staff_page(**shown):
    accounts = db.session.scalars(select(Staff).where(Staff.community_id == signed_in().staff.community_id)
                                  .order_by(Staff.role, Staff.id)).all()
    return render_template("console/staff.html", accounts=accounts, grids=_own_grids(), roles=STAFF_ROLES, **shown)


@bp.post("/staff")
@staff_page(Role.ADMIN)
def create_account():
    """A new account, as POST /api/admin/staff makes it; a grid head or an officer may be given one grid."""
    values = request.form.to_dict()
    grid = values.pop("grid", "").strip()
    data = forms.read(StaffCreateSchema(), {**values, **({"grid_ids": [grid]} if grid else {})})
    made = create_staff(signed_in().staff.community_id, data, current_app.config["PASSWORD_HASH_METHOD"])
    db.session.commit()
    flash(f"已创建账号 {made.username}（{ROLE[made.role.value]}）。")
    return redirect(url_for("console.staff"), code=303)


@bp.post("/staff/<int:staff_id>/invite")
@staff_page(Role.ADMIN)
def invite_staff(staff_id):
    """A WeChat bind code for the staff member, as POST /api/admin/staff/<id>/invite gives it."""
    code, expires = invite(signed_in(), staff_id)
    db.session.commit()
    if request.headers.get("HX-Request"):
        return render_template("console/_invite.html", code=code, expires=expires)
    return _staff_page(invited=staff_id, code=code, expires=expires)


# Pages kept in modules of their own, their views on this blueprint.
from app.console import admin_pages, letters_pages  # noqa: E402,F401
from app.console.registrations_pages import moves_out  # noqa: E402
