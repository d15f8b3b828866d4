"""Posting a wish (a resident for their household, staff on someone's behalf), WeChat's content check of what the
wall will show, the grid head's review, the community's rules, and the public wall."""
from datetime import datetime

from sqlalchemy import select

from app.auth.access import household_scope
from app.auth.principal import Principal, staff_of
from app.clock import to_utc, utcnow
from app.models import Community, Household, Role, WeChatIdentity, Wish, WishSettings
from app.models import WishStatus as S
from app.models.wishes import Vulnerability, WishCategory
from app.notifications.wechat_gateway import wechat_client, wechat_configured
from app.web.extensions import db
from app.web.refusals import Conflict, NotFound, Refusal, Unavailable
from app.wishes.lifecycle import perform, record, settings_of
from wechat.client import msg_sec_check
from wechat.errors import WeChatError

POSTERS = (Role.GRID_HEAD, Role.UNIT_LEADER)


def _openid(p: Principal) -> str | None:
    """The author's WeChat openid for the content check: their sign-in's, or a staff account's bound WeChat."""
    if p.wechat is not None:
        return p.wechat.openid
    return db.session.scalar(select(WeChatIdentity.openid).where(WeChatIdentity.staff_id == staff_of(p).id))


def content_verdict(text: str, p: Principal) -> str | None:
    """WeChat's suggestion for text others will see ("pass", "review", "risky"); None where no check can be made
    (WeChat not configured, or staff without WeChat wrote it: they answer for it). A refusal WeChat gives for the
    author (not a recent user) leaves it to the grid head: "review"."""
    openid = _openid(p)
    if openid is None or not wechat_configured():
        return None
    try:
        return msg_sec_check(wechat_client(), openid, text)
    except WeChatError as exc:
        if exc.retryable:
            raise Unavailable("WeChat's content check is not answering; nothing was saved, try again shortly.") \
                from None
        return "review"


def _check_value(community_id: int, value: int | None) -> None:
    cap = settings_of(community_id).value_cap
    if value is not None and value > cap:
        raise Refusal(f"at most {cap} yuan in this community.", "estimated_value")


def post_wish(p: Principal, data: dict, now: datetime | None = None) -> Wish:
    """A resident's wish for their household, or a grid head's or unit leader's on behalf of someone in a house of
    their place (with the vulnerability tag); the grid head is told. The caller commits."""
    now = to_utc(now or utcnow())
    if p.resident is not None:
        if data.get("household_id") is not None or data.get("vulnerability") is not None:
            raise Refusal("a resident posts for their own household, without a vulnerability tag.", "household_id")
        house, name = p.resident.household, p.resident.name
    else:
        for field in ("household_id", "beneficiary_name", "vulnerability"):
            if data.get(field) is None:
                raise Refusal("required when staff post a wish on someone's behalf.", field)
        house = db.session.scalar(select(Household).where(Household.id == data["household_id"], household_scope(p)))
        if house is None:
            raise NotFound(f"no household {data['household_id']} in your place.", "household_id")
        name = data["beneficiary_name"]
    _check_value(house.community_id, data.get("estimated_value"))
    verdict = content_verdict(data["text"], p)
    wish = Wish(community_id=house.community_id, grid_id=house.grid_id, household=house, beneficiary_name=name,
                vulnerability=Vulnerability(data["vulnerability"]) if data.get("vulnerability") else None,
                text=data["text"], category=WishCategory(data["category"]),
                estimated_value=data.get("estimated_value"), status=S.SUBMITTED, content_check=verdict,
                flagged=verdict not in (None, "pass"), posted_by_wechat=p.wechat if p.staff is None else None,
                posted_by_staff=p.staff, created_at=now, events=[])
    db.session.add(wish)
    db.session.flush()
    record(wish, "submit", p, now, None, "内容未通过微信安全检测，请网格长复核" if wish.flagged else None)
    return wish


def approve(wish: Wish, p: Principal, text: str | None, now: datetime | None = None):
    """The grid head puts the wish on the wall. A text WeChat flagged goes on only revised, and the revision is
    checked again: flagged again, it stays with the grid head."""
    if text is not None:
        verdict = content_verdict(text, p)
        if verdict not in (None, "pass"):
            raise Conflict("WeChat's content check flagged the revised text too; revise it again or reject the wish.")
        wish.text, wish.content_check, wish.flagged = text, verdict, False
    elif wish.flagged:
        raise Refusal("WeChat's content check flagged this text: give a revised text to approve it, or reject it.",
                      "text")
    return perform(wish, "approve", p, now=now)


def change_settings(community_id: int, changes: dict) -> WishSettings:
    current = settings_of(community_id)
    for key, value in changes.items():
        setattr(current, key, value)
    db.session.merge(current)
    return current


def community_of(code: str) -> Community:
    community = db.session.scalar(select(Community).where(Community.code == code.upper()))
    if community is None:
        raise NotFound(f"No community {code}.")
    return community


def wall(community_code: str):
    """The wishes on a community's wall (approved, their text not flagged): text, category, grid and the masked
    name only are shown."""
    return select(Wish).where(Wish.community_id == community_of(community_code).id, Wish.status == S.APPROVED,
                              Wish.flagged.is_(False))
