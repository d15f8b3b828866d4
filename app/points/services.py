"""The append-only points ledger: accounts, rule awards (once per holder and act), manual awards and deductions,
reversals, and leaderboards. Every change posts an entry and moves the balance by it in one transaction."""
from datetime import date, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.auth.access import household_scope
from app.auth.principal import Principal, staff_of
from app.clock import day_start, to_utc, utcnow
from app.models import Household, PointAccount, PointEntry, PointRule, Resident, Role, Staff, WeChatIdentity
from app.privacy.audit import record
from app.privacy.masking import mask_name
from app.web.extensions import db
from app.web.refusals import Conflict, Forbidden, NotFound, Refusal

# (code, name, points): the rules every community starts with; the admin changes the points or retires one.
DEFAULT_RULES = [
    ("wish_fulfilled", "完成微心愿", 10),
    ("activity_checkin", "参加活动签到", 5),
    ("household_registered", "全户登记完成", 5),
]
AWARDS = ("rule", "manual", "reversal")   # what the leaderboards count: spending points is no demerit


def insert_once(model, **values) -> int | None:
    """INSERT a row unless one with the same unique key is there (added by anyone, a moment ago included): its id,
    or None. ON CONFLICT DO NOTHING rather than a savepoint, which pysqlite would commit as a transaction of its
    own when it is the transaction's first statement."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return db.session.scalar(dialect.insert(model).values(**values).on_conflict_do_nothing()
                             .returning(model.id))


def rules(community_id: int) -> list[PointRule]:
    """The community's rules, the defaults first given to a community that has none (once, even in a race)."""
    query = select(PointRule).where(PointRule.community_id == community_id).order_by(PointRule.id)
    if db.session.scalar(query.limit(1)) is None:
        for code, name, points in DEFAULT_RULES:
            insert_once(PointRule, community_id=community_id, code=code, name=name, points=points, active=True)
    return list(db.session.scalars(query))


def _holder_column(holder):
    for model, column in ((Resident, PointAccount.resident_id), (Staff, PointAccount.staff_id),
                          (Household, PointAccount.household_id)):
        if isinstance(holder, model):
            return column
    raise TypeError(f"no points for a {type(holder).__name__}")


def _community_of(holder) -> int:
    return holder.household.community_id if isinstance(holder, Resident) else holder.community_id


def grid_of(account: PointAccount) -> int | None:
    """Where the holder lives now (staff belong to no grid)."""
    if account.household is not None:
        return account.household.grid_id
    return account.resident.household.grid_id if account.resident is not None else None


def account_for(holder) -> PointAccount:
    """The account of a Resident, a Staff member or a Household, opened on first use (once, even in a race)."""
    column = _holder_column(holder)
    query = select(PointAccount).where(column == holder.id)
    found = db.session.scalar(query)
    if found is None:
        insert_once(PointAccount, community_id=_community_of(holder), balance=0, created_at=utcnow(),
                    **{column.key: holder.id})
        found = db.session.scalar(query)
    assert found is not None, "inserted above, or by whoever won the race"
    return found


def post(account: PointAccount, points: int, kind: str, *, source: str | None = None, reason: str | None = None,
         rule: PointRule | None = None, reverses: PointEntry | None = None, actor: Staff | None = None,
         now: datetime | None = None) -> PointEntry | None:
    """Add an entry and move the balance by it, in the caller's transaction.

    A debit is one conditional UPDATE, so the balance never goes below zero whatever runs at once (Conflict if
    it would). An entry whose (account, source) is on the ledger already is not added again: None."""
    if points == 0:
        raise Refusal("a ledger entry moves at least one point.", "points")
    if points < 0 and _move(account, points).rowcount != 1:
        raise Conflict(f"Not enough points: the balance is {account.balance}, {-points} are needed.")
    entry_id = insert_once(
        PointEntry, account_id=account.id, community_id=account.community_id, grid_id=grid_of(account),
        points=points, kind=kind, source=source, reason=reason, rule_id=rule.id if rule else None,
        reverses_id=reverses.id if reverses else None, actor_staff_id=actor.id if actor else None,
        created_at=to_utc(now or utcnow()))
    if entry_id is None:
        if points < 0:   # a debit's source is new each time (a redemption's id): this is another reversal's
            raise Conflict("This changed at the same moment elsewhere; please try again.")
        return None   # this act was awarded already
    if points > 0:
        _move(account, points)
    return db.session.get(PointEntry, entry_id)


def _move(account: PointAccount, points: int):
    moved = db.session.execute(
        update(PointAccount).where(PointAccount.id == account.id, PointAccount.balance + points >= 0)
        .values(balance=PointAccount.balance + points).execution_options(synchronize_session=False))
    db.session.expire(account, ["balance"])
    return moved


def award_by_rule(holder, code: str, act: str, now: datetime | None = None, *, by: Principal | None = None,
                  points: int | None = None, reason: str | None = None) -> PointEntry | None:
    """The community's points for `code` (or `points`, an activity's own) to `holder` for one act (e.g. "wish:12"),
    at most once; None when the rule is retired, the act is worth nothing or was awarded already. An award that
    someone's step made (`by`: who checked in, who confirmed a wish) is audited, as a manual one is."""
    rule = next((r for r in rules(_community_of(holder)) if r.code == code), None)
    if rule is None or not rule.active:
        return None
    points = rule.points if points is None else points
    if points <= 0:
        return None
    entry = post(account_for(holder), points, "rule", source=act, reason=reason or rule.name, rule=rule, now=now)
    if entry is not None and by is not None:
        record(by, "points_award", "point_entry", entry.id, f"{rule.name} {act}")
    return entry


def holder_in_reach(p: Principal, data: dict):
    """The resident, household or staff member named by resident_id / household_id / staff_id, if `p` may give
    them points: a household (or its member) in the caller's place; a staff member of the admin's community."""
    if data.get("staff_id") is not None:
        staff = db.session.get(Staff, data["staff_id"])
        if staff is None or p.role is not Role.ADMIN or staff.community_id != staff_of(p).community_id:
            raise NotFound(f"no staff member {data['staff_id']} you may give points to.", "staff_id")
        return staff
    if data.get("household_id") is not None:
        house = db.session.scalar(select(Household).where(Household.id == data["household_id"], household_scope(p)))
        if house is None:
            raise NotFound(f"no household {data['household_id']} in your place.", "household_id")
        return house
    member = db.session.scalar(select(Resident).join(Household).where(
        Resident.id == data["resident_id"], Resident.confirmed.is_(True), household_scope(p)))
    if member is None:
        raise NotFound(f"no confirmed resident {data['resident_id']} in your place.", "resident_id")
    return member


def _is_own(p: Principal, holder) -> bool:
    """Whether `holder` is the staff member themselves, or the member record (or its household) of the WeChat user
    bound to their staff account: the same person."""
    if isinstance(holder, Staff):
        return holder.id == p.staff_id
    own = select(WeChatIdentity.resident_id).where(WeChatIdentity.staff_id == p.staff_id)
    member = select(Resident.id).where(Resident.id.in_(own),
                                       Resident.id == holder.id if isinstance(holder, Resident)
                                       else Resident.household_id == holder.id)
    return db.session.scalar(member.limit(1)) is not None


def manual(p: Principal, holder, points: int, reason: str, now: datetime | None = None) -> PointEntry:
    """A staff member's award (points > 0) or deduction (< 0) with a reason, audited; never to themselves."""
    if points > 0 and _is_own(p, holder):
        raise Forbidden("Nobody awards points to themselves or their own household; another member of staff may.")
    entry = post(account_for(holder), points, "manual", reason=reason, actor=p.staff, now=now)
    assert entry is not None, "a manual entry has no source, so it is never a repeat"
    db.session.flush()
    record(p, "points_award" if points > 0 else "points_deduct", "point_entry", entry.id, reason)
    return entry


def entry_in_reach(p: Principal, entry_id: int) -> PointEntry:
    """An entry of an account in the caller's place (the admin: the community's; a grid head: their grids')."""
    entry = db.session.get(PointEntry, entry_id)
    if entry is None or entry.community_id != staff_of(p).community_id:
        raise NotFound(f"Point entry {entry_id} not found.")
    if p.role is not Role.ADMIN:
        account = entry.account
        house_id = account.household_id or (account.resident.household_id if account.resident else None)
        if house_id is None or db.session.scalar(select(Household.id).where(
                Household.id == house_id, household_scope(p))) is None:
            raise NotFound(f"Point entry {entry_id} not found.")
    return entry


def reverse(p: Principal, entry: PointEntry, reason: str, now: datetime | None = None) -> PointEntry:
    """Undo an award or deduction with a new entry of the opposite sign (the original stays), audited; once."""
    if entry.kind not in ("rule", "manual"):
        raise Conflict(f"A {entry.kind} entry is not reversed; only awards and deductions are.")
    if db.session.scalar(select(PointEntry.id).where(PointEntry.reverses_id == entry.id)) is not None:
        raise Conflict("This entry was reversed already.")
    # The unique reverses_id keeps a second reversal out even when two are made at once.
    reversal = post(entry.account, -entry.points, "reversal", reason=reason, reverses=entry, actor=p.staff, now=now)
    if reversal is None:
        raise Conflict("This entry was reversed a moment ago.")
    record(p, "points_reverse", "point_entry", entry.id, reason)
    return reversal


def own_accounts(p: Principal) -> list[PointAccount]:
    """The caller's own account (a resident's or a staff member's) and, for a resident, their household's."""
    if p.staff is not None:
        return [account_for(p.staff)]
    if p.resident is None:
        raise Forbidden("Only a confirmed resident or a staff member has points.")
    return [account_for(p.resident), account_for(p.resident.household)]


def holder_name(account: PointAccount) -> str:
    """Masked: the leaderboard is read by the whole community."""
    if account.household is not None:
        return f"{mask_name(account.household.head_name or '住户')}家"
    return mask_name((account.resident or account.staff).name)


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """A month ("2026-12") or a year ("2026") in China time, as [start, end) in UTC."""
    year, _, month = period.partition("-")
    start = date(int(year), int(month or 1), 1)
    end = date(start.year + 1, 1, 1) if not month or start.month == 12 else date(start.year, start.month + 1, 1)
    return day_start(start), day_start(end)


def leaderboard(community_id: int, period: str, grid_id: int | None = None, limit: int = 50) -> list[dict]:
    """Accounts by points awarded in the period (reversals count against them; spending does not), most first.
    The account of a member whose record was removed is held by nobody and left out: the board is of the
    community's people and households as they are."""
    start, end = period_bounds(period)
    total = func.sum(PointEntry.points).label("points")
    held = or_(PointAccount.resident_id.is_not(None), PointAccount.staff_id.is_not(None),
               PointAccount.household_id.is_not(None))
    query = (select(PointEntry.account_id, total).join(PointAccount, PointAccount.id == PointEntry.account_id)
             .where(PointEntry.community_id == community_id, PointEntry.kind.in_(AWARDS),
                    PointEntry.created_at >= start, PointEntry.created_at < end, held)
             .group_by(PointEntry.account_id).having(total > 0)
             .order_by(total.desc(), PointEntry.account_id).limit(limit))
    if grid_id is not None:
        query = query.where(PointEntry.grid_id == grid_id)
    rows = db.session.execute(query).all()
    accounts = {a.id: a for a in db.session.scalars(select(PointAccount).where(
        PointAccount.id.in_([row.account_id for row in rows])))}
    return [{"rank": rank, "name": holder_name(accounts[row.account_id]),
             "kind": "household" if accounts[row.account_id].household_id else "person", "points": row.points}
            for rank, row in enumerate(rows, 1)]
