"""The micro-wish state machine (as data), who takes each step, and every step on the wish's timeline."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import false, or_, select, update

from app.auth.access import household_scope
from app.auth.principal import Principal, wechat_of
from app.clock import to_utc, utcnow
from app.models import Household, PartyMember, Role, Staff, Volunteer, Wish, WishEvent, WishSettings
from app.models import WishStatus as S
from app.models.wishes import PhotoKind
from app.notifications.notify import notify
from app.points.services import award_by_rule
from app.residents.announcements import household_voice
from app.storage.photos import discard
from app.web.extensions import db
from app.web.refusals import Conflict, Forbidden, NotFound

WISHER, REVIEWER, CLAIMER, VOLUNTEER, SYSTEM = "wisher", "reviewer", "claimer", "volunteer", "system"
DEFAULT_VALUE_CAP, DEFAULT_CLAIM_DAYS = 200, 7
ON_THE_WALL_ONCE = (S.APPROVED, S.CLAIMED, S.FULFILLED, S.CLOSED)


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: S
    actors: tuple
    # Who hears of it: (recipient, notification kind, title); recipient is WISHER, REVIEWER or CLAIMER.
    notices: tuple = ()


TRANSITIONS = {
    "submit": Transition(frozenset({None}), S.SUBMITTED, (WISHER,),
                         ((REVIEWER, "wish_submitted", "新的微心愿待审核"),)),
    "approve": Transition(frozenset({S.SUBMITTED}), S.APPROVED, (REVIEWER,),
                          ((WISHER, "wish_approved", "您的微心愿已通过审核"),)),
    "reject": Transition(frozenset({S.SUBMITTED}), S.REJECTED, (REVIEWER,),
                         ((WISHER, "wish_rejected", "您的微心愿未通过审核"),)),
    "cancel": Transition(frozenset({S.SUBMITTED, S.APPROVED}), S.CANCELLED, (WISHER,),
                         ((REVIEWER, "wish_cancelled", "微心愿已撤回"),)),
    "claim": Transition(frozenset({S.APPROVED}), S.CLAIMED, (VOLUNTEER,),
                        ((WISHER, "wish_claimed", "您的微心愿已被认领"),
                         (REVIEWER, "wish_claimed", "微心愿已被认领，请安排上门"))),
    "fulfil": Transition(frozenset({S.CLAIMED}), S.FULFILLED, (CLAIMER,),
                         ((WISHER, "wish_fulfilled", "您的微心愿已完成，请确认"),
                          (REVIEWER, "wish_fulfilled", "认领人报告微心愿已完成"))),
    "confirm": Transition(frozenset({S.FULFILLED}), S.CLOSED, (WISHER, REVIEWER),
                          ((CLAIMER, "wish_confirmed", "您认领的微心愿已确认完成"),)),
    "lapse": Transition(frozenset({S.CLAIMED}), S.APPROVED, (SYSTEM,),
                        ((CLAIMER, "wish_lapsed", "认领已超时，心愿已重新开放"),
                         (REVIEWER, "wish_lapsed", "微心愿认领超时"))),
}
# Events that are no step of their own, with who hears of them.
EVENTS = {
    "photo_flagged": ((REVIEWER, "wish_photo_flagged", "微心愿图片未通过微信安全检测，请复核"),),
    "photo_unchecked": ((REVIEWER, "wish_photo_unchecked", "微心愿图片未获微信检测结果，请复核"),),
}


def settings_of(community_id: int) -> WishSettings:
    """The community's rules for wishes, the defaults where it has none (not stored until the admin changes them)."""
    found = db.session.get(WishSettings, community_id)
    return found or WishSettings(community_id=community_id, value_cap=DEFAULT_VALUE_CAP,
                                 claim_days=DEFAULT_CLAIM_DAYS)


def _reviews(wish: Wish, p: Principal) -> bool:
    """The wish's grid head, or the community's admin (who stands in where a grid has no head)."""
    if p.staff is None:
        return False
    if p.role is Role.GRID_HEAD:
        return wish.grid.head_id == p.staff.id
    return p.role is Role.ADMIN and p.staff.community_id == wish.community_id


def _is_wisher(wish: Wish, p: Principal) -> bool:
    if p.resident is not None:
        return p.resident.household_id == wish.household_id
    return p.staff is not None and p.staff.id == wish.posted_by_staff_id


def _is_claimer(wish: Wish, p: Principal) -> bool:
    if p.staff is not None:
        return wish.claimed_by_staff_id == p.staff.id
    return p.wechat is not None and wish.claimed_by_wechat_id == p.wechat.id


def actor_kinds(wish: Wish, p: Principal | None) -> set:
    if p is None:
        return {SYSTEM}
    kinds = {kind for kind, test in ((WISHER, _is_wisher), (REVIEWER, _reviews), (CLAIMER, _is_claimer))
             if test(wish, p)}
    if p.community_id == wish.community_id and WISHER not in kinds and serves(p):
        kinds.add(VOLUNTEER)   # a volunteer or party member of the community, but not of the wisher's household
    return kinds


def serves(p: Principal) -> bool:
    """Whether the caller is recorded as a volunteer or a party member whose membership goes on (who claim
    wishes)."""
    if p.staff is not None:
        person = {"staff_id": p.staff.id}
    elif p.resident is not None:
        person = {"resident_id": p.resident.id}
    else:
        return False
    return (db.session.scalar(select(Volunteer.id).filter_by(**person)) is not None
            or db.session.scalar(select(PartyMember.id).filter_by(**person).where(PartyMember.ended_on.is_(None)))
            is not None)


def check(wish: Wish, action: str, p: Principal | None) -> Transition:
    t = TRANSITIONS[action]
    if not actor_kinds(wish, p) & set(t.actors):
        who = " or ".join("a volunteer or party member of the community" if a == VOLUNTEER else f"the wish's {a}"
                          for a in t.actors)
        raise Forbidden(f"Only {who} may {action} it.")
    if wish.status not in t.sources:
        allowed = " or ".join(sorted(s.value for s in t.sources))
        raise Conflict(f"Cannot {action} a wish that is {wish.status.value}; only one that is {allowed}.")
    return t


def _recipients(wish: Wish, who: str) -> list:
    """Who holds the role now: the household's voice for a resident's wish, the staff member who posted one on
    someone's behalf; the claimer; the grid's head, or the community's admins where the grid has no active head
    (they review its wishes then)."""
    if who == WISHER:
        return [wish.posted_by_staff] if wish.posted_by_staff else household_voice(wish.household_id,
                                                                                    wish.posted_by_wechat)
    if who == CLAIMER:
        claimer = wish.claimed_by_wechat or wish.claimed_by_staff
        return [claimer] if claimer is not None else []
    head = wish.grid.head
    if head is not None and head.active:
        return [head]
    return list(db.session.scalars(select(Staff).where(Staff.community_id == wish.community_id,
                                                       Staff.role == Role.ADMIN, Staff.active.is_(True))
                                   .order_by(Staff.id)))


def record(wish: Wish, action: str, p: Principal | None, now: datetime, before: S | None, note: str | None = None,
           claimer=None) -> WishEvent:
    """Add the timeline event and queue its notifications (to `claimer` where the wish no longer names one)."""
    event = WishEvent(wish=wish, at=now, action=action, note=note, from_status=before.value if before else None,
                      to_status=wish.status.value, actor_staff_id=p.staff.id if p and p.staff else None,
                      actor_wechat_id=p.wechat.id if p and p.wechat and not p.staff else None,
                      role=p.role.value if p and p.role else None)
    db.session.add(event)
    db.session.flush()
    for who, kind, title in TRANSITIONS[action].notices if action in TRANSITIONS else EVENTS[action]:
        for recipient in [claimer] if who == CLAIMER and claimer is not None else _recipients(wish, who):
            notify(recipient, kind, title, f"{note or wish.text}"[:200], {"wish_id": wish.id,
                                                                          "status": wish.status.value},
                   page=f"pages/wishes/detail?id={wish.id}")
    return event


def perform(wish: Wish, action: str, p: Principal, note: str | None = None, now: datetime | None = None) -> WishEvent:
    """Take a step that needs no more than the wish's row lock (approve, reject, cancel, fulfil, confirm)."""
    now = to_utc(now or utcnow())
    check(wish, action, p)
    if action == "confirm":
        if CLAIMER in actor_kinds(wish, p):
            raise Forbidden("Whoever claimed a wish does not confirm it: the wisher or the grid head does.")
        _check_photos_reviewed(wish, p)
    before = wish.status
    wish.status = TRANSITIONS[action].target
    if action == "approve":
        wish.approved_at = now
    elif action == "reject":
        wish.reject_reason = note
    elif action == "fulfil":
        wish.fulfilled_at, wish.fulfil_note = now, note
    elif action == "confirm":
        wish.closed_at = now
        holder = wish.claimed_by_staff or (wish.claimed_by_wechat.resident if wish.claimed_by_wechat else None)
        if holder is not None:
            award_by_rule(holder, "wish_fulfilled", f"wish:{wish.id}", now, by=p)
    return record(wish, action, p, now, before, note)


def _check_photos_reviewed(wish: Wish, p: Principal) -> None:
    """A fulfilment photo WeChat flagged is the grid head's to review: only they confirm such a wish."""
    if any(photo.kind is PhotoKind.FULFILMENT and photo.check not in (None, "pass") for photo in wish.photos) \
            and REVIEWER not in actor_kinds(wish, p):
        raise Conflict("A fulfilment photo has not passed WeChat's media check (flagged, or its verdict not in "
                       "yet): the grid head reviews it and confirms.")


def claim(wish: Wish, p: Principal, now: datetime | None = None) -> WishEvent:
    """Claim an approved wish: one conditional UPDATE, so of two claims at once exactly one wins (409 the other)."""
    now = to_utc(now or utcnow())
    check(wish, "claim", p)
    if p.staff is not None and db.session.scalar(select(WishEvent.id).where(
            WishEvent.wish_id == wish.id, WishEvent.action == "approve", WishEvent.actor_staff_id == p.staff.id)
            ) is not None:
        raise Forbidden("Whoever approved a wish does not claim it: nobody earns from what they approved.")
    due = now + timedelta(days=settings_of(wish.community_id).claim_days)
    claimer = {"claimed_by_staff_id": p.staff.id} if p.staff else {"claimed_by_wechat_id": wechat_of(p).id}
    won = db.session.execute(
        update(Wish).where(Wish.id == wish.id, Wish.status == S.APPROVED)
        .values(status=S.CLAIMED, claimed_at=now, claim_due_at=due, **claimer)
        .execution_options(synchronize_session=False))
    if won.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
        raise Conflict("Someone claimed this wish a moment ago.")
    db.session.refresh(wish)
    return record(wish, "claim", p, now, S.APPROVED)


def lapse_overdue(now: datetime | None = None, limit: int = 500) -> int:
    """Claims not fulfilled by their due time go back to approved, each exactly once however many runners race:
    the UPDATE is conditional on the claim that was read. Commits each; returns how many this runner lapsed."""
    now = to_utc(now or utcnow())
    overdue = db.session.execute(select(Wish.id, Wish.claimed_at).where(
        Wish.status == S.CLAIMED, Wish.claim_due_at <= now).order_by(Wish.claim_due_at).limit(limit)).all()
    lapsed = 0
    for wish_id, claimed_at in overdue:
        wish = db.session.get_one(Wish, wish_id)
        claimer = wish.claimed_by_wechat or wish.claimed_by_staff
        won = db.session.execute(
            update(Wish).where(Wish.id == wish_id, Wish.status == S.CLAIMED, Wish.claimed_at == claimed_at)
            .values(status=S.APPROVED, claimed_at=None, claim_due_at=None, claimed_by_staff_id=None,
                    claimed_by_wechat_id=None).execution_options(synchronize_session=False))
        if won.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
            db.session.rollback()
            continue
        db.session.refresh(wish)
        record(wish, "lapse", None, now, S.CLAIMED, note="认领超过期限未完成，心愿重新开放认领", claimer=claimer)
        gone = _drop_claim_photos(wish)
        db.session.commit()
        discard(gone)
        lapsed += 1
    return lapsed


def _drop_claim_photos(wish: Wish) -> list[str]:
    """A claim's photos leave with it: the next claimer neither sees them nor is counted against them, and a
    flagged one no longer keeps the wisher from confirming. Returns their objects' names, to delete after the
    commit."""
    gone = [photo for photo in wish.photos if photo.kind is PhotoKind.FULFILMENT]
    for photo in gone:
        wish.photos.remove(photo)
    return [photo.stored_name for photo in gone]


def wish_scope(p: Principal):
    """Condition on Wish: a household's own wishes (its residents; staff whose place holds it), those one claimed
    and, for staff, those they posted."""
    if p.resident is not None:
        return or_(Wish.household_id == p.resident.household_id, Wish.claimed_by_wechat_id == wechat_of(p).id)
    if p.staff is None:
        return false()
    return or_(Wish.household_id.in_(select(Household.id).where(household_scope(p))),
               Wish.claimed_by_staff_id == p.staff.id, Wish.posted_by_staff_id == p.staff.id)


def knows_household(wish: Wish, p: Principal) -> bool:
    """Whether the caller may see the household behind the wish (its address, the person's whole name); a claimer
    learns the grid head's contact instead, who arranges the visit."""
    if p.resident is not None:
        return p.resident.household_id == wish.household_id
    return p.staff is not None and db.session.scalar(select(Household.id).where(
        Household.id == wish.household_id, household_scope(p))) is not None


def wish_or_404(wish_id: int, p: Principal, lock: bool = False, claimable: bool = False) -> Wish:
    """A wish the caller may see (row-locked when `lock`); with `claimable`, also any wish of their community that
    has been on the wall (one claimed a moment ago answers 409, not 404)."""
    seen = wish_scope(p)
    if claimable:
        seen = or_(seen, Wish.status.in_(ON_THE_WALL_ONCE) & (Wish.community_id == p.community_id))
    query = select(Wish).where(Wish.id == wish_id, seen)
    found = db.session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(f"Wish {wish_id} not found.")
    return found
