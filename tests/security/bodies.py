"""Minimal valid bodies for the matrix's calls; those that are functions first put in place what a 2xx needs.

Every body is valid for every caller: the schema is checked before the place, so an invalid one would
answer 422 where the matrix expects 404.
"""
import base64
import hashlib
import io
import json
import os
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from app.auth.principal import Principal
from app.auth.wechat_login import identity_for, new_invite
from app.clock import utcnow
from app.console.routes import SCAN_COOKIE
from app.models import Role, ServiceRequest, SignInTicket, TicketState, Wish
from app.points.services import account_for, post
from app.privacy.audit import SYSTEM
from app.requests.lifecycle import perform
from app.web.extensions import db
from app.wishes.lifecycle import claim
from fakes.wechat_client import encrypt_user_data
from tests import factories as f
from tests.console.signing import csrf_of
from tests.security.stage import (
    ADMIN,
    ANONYMOUS,
    GRID_HEAD,
    JOINT_HEAD,
    PNG,
    POLICE,
    RESIDENT,
    UNIT_LEADER,
    UNLINKED,
    Stage,
)

SHEET = ("网格编号,网格名称,楼栋编号,楼栋名称,门牌号,地址,户主姓名,户主电话\n"
         "1,第1网格,1,1号楼,999,1号楼999室,赵六,13800138999\n").encode()


@dataclass
class Call:
    stage: Stage
    role: str      # a role of stage.ROLES, or "anonymous"
    case: str      # "own", "other", or a public endpoint's own case name
    place: dict    # the placeholders' values for this case


def house_sheet(call):
    return {"data": {"file": (io.BytesIO(SHEET), "houses.csv")}}


def photo(call):
    return {"data": {"photos": (io.BytesIO(PNG), "crack.png")}}


def wish_photo(call):
    return {"data": {"photo": (io.BytesIO(PNG), "gift.png")}}


def staff_login(call):
    w = call.stage.w
    return {"json": {"username": w.head1.username, "password": "password-1" if call.case == "own" else "wrong-one"}}


def wechat_code(call):
    """own: a code the fake WeChat knows; other: one it never issued (401)."""
    if call.case == "own":
        call.stage.fake.register_code("matrix-code", "o-matrix")
        return {"json": {"code": "matrix-code"}}
    return {"json": {"code": "never-issued"}}


def phone_code(call):
    call.stage.fake.register_phone_code("matrix-phone", "13812345678")
    return {"json": {"code": "matrix-phone"}}


def invite(call):
    code, _ = new_invite(call.stage.w.head2, SYSTEM)
    db.session.commit()
    return {"json": {"invite_code": code}}


def user_data(call):
    """Signed, encrypted user data for the caller's WeChat session (staff get a well-formed stranger's)."""
    session_key = base64.b64encode(os.urandom(16)).decode()
    identity = call.stage.wechat_of(call.role)
    if identity is not None:
        identity_for(identity.openid, None, session_key)
        db.session.commit()
    iv, payload = base64.b64encode(os.urandom(16)).decode(), {"nickName": "阿丽"}
    raw = json.dumps(payload, ensure_ascii=False)
    return {"json": {"raw_data": raw, "signature": hashlib.sha1((raw + session_key).encode()).hexdigest(),
                     "encrypted_data": encrypt_user_data(session_key, iv, payload, current_app.config["WECHAT_APPID"]),
                     "iv": iv}}


def registration(call):
    """A resident (or a registrant) adds a child to their own household; an unlinked user registers themselves."""
    member = {"name": "小明", "relationship_to_head": "子", "id_number": f.id_number(77),
              "residence_type": "permanent", "is_self": call.role == UNLINKED}
    return {"json": {"members": [member], "consent_version": current_app.config["PRIVACY_NOTICE_VERSION"]}}


def step(call):
    """The step each role may take on its own request: the handler accepts, the admin transfers, the
    household rates (after its handler resolved it)."""
    if call.role == ADMIN:
        return {"json": {"action": "transfer", "to_staff_id": call.stage.w.head2.id, "note": "转第二网格"}}
    if call.role != RESIDENT:
        return {"json": {"action": "accept"}}
    if call.case == "own":
        req = db.session.get(ServiceRequest, call.place["request"])
        handler = Principal(role=req.handler.role, staff=req.handler)
        perform(req, "accept", handler, {})
        perform(req, "resolve", handler, {"note": "已修好"})
        db.session.commit()
    return {"json": {"action": "rate", "rating": 5}}


def console_step(call):
    """The API's step as the console's form posts it (the household does not use the console)."""
    return {"data": step(call)["json"]}


def console_login(call):
    """own: the grid head's password; other: a wrong one (401). With the sign-in form's CSRF token."""
    return {"data": {**staff_login(call)["json"], "csrf_token": csrf_of(call.stage.client)}}


def console_form(call):
    """An empty form with its CSRF token, from a browser that is not signed in."""
    return {"data": {"csrf_token": csrf_of(call.stage.client)}}


def scan_browser(call):
    """own: the browser that asked for the world's scan-to-sign-in code (its nonce cookie), the code pending
    again (a rebuilt world's may have run out meanwhile); other: an unknown code."""
    w = call.stage.w
    if call.case == "own":
        call.stage.client.set_cookie(SCAN_COOKIE, w.scan_nonce, path="/console/login/scan")
        db.session.execute(update(SignInTicket).where(SignInTicket.id == w.scan_ticket).values(
            state=TicketState.PENDING, expires_at=utcnow() + timedelta(minutes=2)))
        db.session.commit()
    return {}


def open311_request(call):
    return {"data": {"api_key": call.place["api_key"], "service_code": "dispute",
                     "address_id": call.place["house_code"], "description": "楼道堆物"}}


def redeem(call):
    """Points enough for the reward, on the caller's own account (a WeChat user's member record, or the staff's)."""
    player = call.stage.player(call.role) if call.role != ANONYMOUS else None
    holder = getattr(player, "resident", player)
    if holder is not None:
        post(account_for(holder), 50, "manual", reason="matrix")
        db.session.commit()
    return {"json": {}}


def manual_entry(call):
    return {"json": {"resident_id": call.stage.w.resident1.id, "points": 5, "reason": "协助整治楼道"}}


def wish(call):
    """A resident's wish for their household; a grid head's or unit leader's for house1 (in both their places)."""
    body = {"text": "想要一台收音机", "category": "goods"}
    if call.role in (GRID_HEAD, UNIT_LEADER):
        body.update(household_id=call.stage.w.house1.id, beneficiary_name="赵奶奶", vulnerability="elderly_alone")
    return {"json": body}


def fulfil(call):
    """The caller claims the approved wish first (where they may), then reports it fulfilled."""
    if call.case == "own" and call.role in (ADMIN, GRID_HEAD, UNIT_LEADER, JOINT_HEAD, POLICE, RESIDENT):
        player = call.stage.player(call.role)
        p = Principal(Role(call.role), staff=player) if call.role != RESIDENT else \
            Principal(Role.RESIDENT, wechat=player)
        claim(db.session.get(Wish, call.place["open_wish"]), p)
        db.session.commit()
    return {"json": {"note": "已送到"}}


def activity(call):
    """An activity today; a grid head's in their own grid."""
    now = utcnow()
    body = {"title": "社区义诊", "place": "社区广场", "starts_at": now.isoformat(),
            "ends_at": (now + timedelta(hours=2)).isoformat()}
    if call.role == GRID_HEAD:
        body["grid_id"] = call.stage.w.grid1.id
    return {"json": body}


def party_member(call):
    return {"json": {"organisation_id": call.stage.w.org_a.id, "staff_id": call.stage.w.leader.id}}


def contact_households(call):
    return {"json": {"household_ids": [call.stage.w.house1.id]}}


def volunteer(call):
    return {"json": {"resident_id": call.stage.w.resident1.id, "skills": "水电维修"}}
