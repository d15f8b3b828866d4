"""WeChat sign-in for the mini-program: code → our own token; staff bind by invite; phone and user data."""
from collections.abc import Callable

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort

from app.admin.staff import invite
from app.auth.principal import current_principal, login_required
from app.auth.tokens import issue_token
from app.auth.wechat_login import (
    identity_for,
    redeem_invite,
    role_of,
    session_key_of,
)
from app.auth.wechat_schemas import (
    BindResultSchema,
    InviteCodeSchema,
    InviteSchema,
    PhoneSchema,
    UserDataSchema,
    WeChatCodeSchema,
    WeChatTokenSchema,
)
from app.models import Role
from app.notifications.wechat_gateway import wechat_client, wechat_configured
from app.privacy.masking import mask_phone
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.limits import client_address, rate_limited
from app.web.refusals import Refusal
from app.web.validation import normalize_mobile
from wechat.client import code_to_session, phone_number
from wechat.crypto import check_signature, decrypt_user_data
from wechat.errors import InvalidCode, TamperedData, WeChatError

blp = Blueprint("wechat_auth", __name__, url_prefix="/api/auth/wechat", description="WeChat sign-in")


def login_code_refused() -> Refusal:
    return Refusal("the WeChat code is invalid or already used; call wx.login again.", "code", status=401)


def phone_code_refused() -> Refusal:
    """A getPhoneNumber code is not the sign-in: a 401 would sign a user out who is still signed in."""
    return Refusal("WeChat refused the phone code (unknown, already used, or a user WeChat blocks); ask for a new one "
                   "with the getPhoneNumber button.", "code")


def _call_wechat(call, code: str, refused: Callable[[], Refusal] = login_code_refused):
    """Run a wechat/ call with a code from the mini-program, turning WeChat's failures into clear HTTP answers."""
    if not wechat_configured():
        abort(503, message="WeChat is not configured on this server (WECHAT_APPID, WECHAT_SECRET).")
    try:
        return call(wechat_client(), code)
    except InvalidCode:
        raise refused() from None
    except WeChatError as exc:
        if exc.retryable:
            abort(503, message="WeChat is not answering right now; try again shortly.",
                  headers={"Retry-After": "5"})
        abort(502, message=f"WeChat refused the call (errcode {exc.errcode}).")


@blp.route("", methods=["POST"])
@rate_limited("RATELIMIT_WECHAT_LOGIN", key_func=client_address)
@blp.doc(security=[])
@blp.arguments(WeChatCodeSchema)
@blp.response(200, WeChatTokenSchema)
def wechat_login(body):
    """Sign in with the code from wx.login(); the session key stays on the server."""
    session = _call_wechat(code_to_session, body["code"])
    identity = identity_for(session.openid, session.unionid, session.session_key)
    token, expires = issue_token(wechat_id=identity.id)
    role = role_of(identity)
    db.session.commit()
    return {"token": token, "expires_at": expires, "role": role.value if role else None,
            "registered": role is not None}


@blp.route("/bind", methods=["POST"])
@login_required(allow_unlinked=True)
@blp.arguments(InviteCodeSchema)
@blp.response(200, BindResultSchema)
def bind_staff(body):
    """Staff bind their WeChat to their account with the single-use code their admin gave them."""
    principal = current_principal()
    if principal.wechat is None:
        abort(403, message="Sign in through WeChat first; a password sign-in cannot bind.")
    staff = redeem_invite(principal.wechat, body["invite_code"])
    if staff is None:
        abort(422, message="invite_code: unknown, already used or expired; ask your admin for a new one.")
    db.session.commit()
    return {"role": staff.role.value, "registered": True}


@blp.route("/phone", methods=["POST"])
@login_required(allow_unlinked=True)
@blp.arguments(WeChatCodeSchema)
@blp.response(200, PhoneSchema)
def wechat_phone(body):
    """Record the user's phone from a getPhoneNumber button code (server to server, not decrypted)."""
    identity = current_principal().wechat
    if identity is None:
        abort(403, message="Sign in through WeChat first.")
    raw = _call_wechat(phone_number, body["code"], phone_code_refused)
    try:
        identity.phone = normalize_mobile(raw)
    except ValueError:
        abort(422, message="code: WeChat returned a number that is not a mainland mobile.")
    db.session.commit()
    return {"phone": mask_phone(identity.phone)}


@blp.route("/profile", methods=["POST"])
@login_required(allow_unlinked=True)
@blp.arguments(UserDataSchema)
@blp.response(200, description="The decrypted, verified user profile")
def wechat_profile(body):
    """Check rawData's signature and decrypt encryptedData with the server-held session key."""
    identity = current_principal().wechat
    session_key = session_key_of(identity) if identity is not None else None
    if session_key is None:
        abort(403, message="Sign in through WeChat first.")
    try:
        check_signature(session_key, body["raw_data"], body["signature"])
        data = decrypt_user_data(session_key, body["encrypted_data"], body["iv"],
                                 current_app.config["WECHAT_APPID"])
    except TamperedData:
        abort(401, message="encrypted_data: the signature or encryption does not check out; sign in again.")
    data.pop("watermark", None)
    for key in ("phoneNumber", "purePhoneNumber"):
        if key in data:
            data[key] = mask_phone(data[key])
    return data


invite_blp = Blueprint("staff_invites", __name__, url_prefix="/api/admin", description="Staff WeChat invites")


@invite_blp.route("/staff/<int:staff_id>/invite")
class StaffInvite(MethodView):
    @login_required(Role.ADMIN)
    @invite_blp.response(201, InviteSchema)
    def post(self, staff_id):
        """A single-use code (valid 7 days) the staff member types in the mini-program to bind WeChat."""
        code, expires = invite(current_principal(), staff_id)
        db.session.commit()
        return {"invite_code": code, "expires_at": expires}
