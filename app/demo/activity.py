"""Demo activity: households registered by their heads and a month of service requests, so that
coverage, queues and figures have something to show."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.auth.principal import Principal
from app.clock import to_utc, utcnow
from app.models import Household, Role, ServiceRequest, WeChatIdentity
from app.models.requests import MediationKind, MediationOutcome
from app.requests.categories import DEFAULTS, category_by_code
from app.requests.escalation import UNRESOLVED, escalate_one
from app.requests.lifecycle import file_request, perform
from app.residents.services import register_members
from app.web.extensions import db
from app.web.validation import id_check_character

REGISTERED_PER_TEN = 7          # seven households in ten have registered


def demo_id_number(serial: int) -> str:
    body = f"370102{1950 + serial % 50}{serial % 12 + 1:02d}{serial % 28 + 1:02d}{serial % 1000:03d}"
    return body + id_check_character(body)


def _register(house: Household, serial: int, version: str) -> WeChatIdentity:
    wechat = WeChatIdentity(openid=f"demo-{house.code}")
    db.session.add(wechat)
    db.session.flush()
    entries: list[dict] = [{"name": house.head_name, "relationship_to_head": "本人", "phone": house.head_phone,
                "id_number": demo_id_number(serial), "residence_type": "permanent", "is_self": True}]
    if serial % 5 == 0:  # a child home for the Spring Festival
        assert house.head_name, "the demo houses are made with their head's name"
        entries.append({"name": house.head_name[0] + "小明", "relationship_to_head": "子女", "phone": None,
                        "id_number": demo_id_number(serial + 500_000), "residence_type": "returning_migrant",
                        "is_self": False, "from_province": "广东省", "from_city": "深圳市",
                        "return_date": (utcnow() - timedelta(days=serial % 20)).date(), "stay_days": 20})
    register_members(house.id, wechat, entries, claim_head=True, consent_version=version, notice_version=version)
    return wechat


def _request_story(house, wechat, serial, now):
    """File a request some days ago and take it as far as its serial says: open, accepted, resolved, rated.

    Every step lies in the past, each after the one before, and the handler resolves within the category's
    deadline (a later resolution would have been escalated first)."""
    category = category_by_code(house.community_id, DEFAULTS[serial % len(DEFAULTS)][0])
    story = serial // 6         # requests come from every sixth house
    stage = story % 4           # spread them over the stages
    deadline = timedelta(hours=category.deadline_hours)
    accepted = timedelta(hours=1 + serial % 3)
    resolved = accepted + (deadline - accepted) * (1 + serial % 4) / 5
    rated = resolved + timedelta(hours=1 + serial % 47)
    last_step = (timedelta(0), accepted, resolved, rated)[stage]
    # Finished stories spread over the month; unfinished ones are recent, a few past their deadline.
    since = timedelta(days=story * 7 % 30, hours=story % 7) if stage >= 2 else deadline * (story // 4 % 8) / 6
    filed = now - last_step - since
    resident = Principal(role=Role.RESIDENT, wechat=wechat)
    description = "楼道灯不亮，晚上出行不便" if category.code == "repair" else "请社区帮助协调处理"
    req = db.session.get_one(ServiceRequest, file_request(house, category, description, wechat, resident,
                                                          now=filed).id)
    if stage == 0 or req.handler is None:
        return
    handler = Principal(role=req.handler.role, staff=req.handler)
    perform(req, "accept", handler, {}, now=filed + accepted)
    if stage == 1:
        return
    if category.code == "dispute":
        perform(req, "mediate", handler, {"kind": MediationKind.PEOPLES, "outcome": MediationOutcome.RESOLVED},
                now=filed + (accepted + resolved) / 2)
    perform(req, "resolve", handler, {"note": "已处理完毕"}, now=filed + resolved)
    if stage == 3:
        perform(req, "rate", resident, {"rating": 4 + serial % 2}, now=filed + rated)


def seed_activity(community_id: int) -> None:
    """Register heads of most demo households and file requests from some of them; the caller commits."""
    version = current_app.config["PRIVACY_NOTICE_VERSION"]
    houses = db.session.scalars(select(Household).where(Household.community_id == community_id)
                                .order_by(Household.id)).all()
    now = utcnow()
    for serial, house in enumerate(houses, start=1):
        if serial % 10 >= REGISTERED_PER_TEN:
            continue
        wechat = _register(house, serial, version)
        if serial % 6 == 0:
            _request_story(house, wechat, serial, now)


def escalate_as_they_fell_due(community_id: int) -> None:
    """Escalate the demo's overdue requests at the moments `flask escalate` would have, as if it had run all
    month: an unresolved request past its deadline has climbed, each step on its timeline at its time. Commits."""
    now = utcnow()
    oldest_overdue = (
        select(ServiceRequest.id, ServiceRequest.escalation_level, ServiceRequest.escalate_at)
        .where(ServiceRequest.community_id == community_id, ServiceRequest.status.in_(UNRESOLVED),
               ServiceRequest.escalate_at <= now)
        .order_by(ServiceRequest.escalate_at, ServiceRequest.id).limit(1))
    while (row := db.session.execute(oldest_overdue).first()) is not None:
        escalate_one(row.id, row.escalation_level, to_utc(row.escalate_at))
