"""Demo community life: the party organisation, members with contact households and volunteers; wishes grid
heads collected from vulnerable neighbours (some claimed, fulfilled and confirmed by volunteers and party
members), rewards and a few redemptions, activities with check-ins, a manual award or two."""
from datetime import timedelta

from sqlalchemy import select

from app.activities.services import check_in
from app.activities.services import create as create_activity
from app.auth.principal import Principal
from app.clock import utcnow
from app.codes.services import code_for
from app.models import (
    ContactHousehold,
    Grid,
    Household,
    PartyMember,
    PartyOrganisation,
    Resident,
    Reward,
    Role,
    Volunteer,
    WeChatIdentity,
)
from app.models.party import OrganisationKind
from app.points import services as ledger
from app.points.rewards import redeem
from app.web.extensions import db
from app.wishes import lifecycle
from app.wishes.services import post_wish

# (text, category, value, vulnerability): what grid heads collected, as the county's towns do.
WISHES = [
    ("想要一台收音机，每天听听新闻", "goods", 80, "elderly_alone"),
    ("希望有人周末辅导数学作业", "service", None, "left_behind_child"),
    ("想有人陪我去医院复查", "companionship", None, "elderly_alone"),
    ("冬天需要一床厚棉被", "goods", 150, "low_income"),
    ("家里的轮椅坏了，希望帮忙修一修", "service", 60, "disabled"),
]
REWARDS = [("大米 5kg", 30, 20), ("食用油 5L", 50, 10), ("洗衣液", 20, 30)]


def _residents(community_id: int) -> list[WeChatIdentity]:
    """The demo's registered heads, as WeChat users (the volunteers who claim wishes and check in)."""
    return list(db.session.scalars(select(WeChatIdentity).join(Resident, WeChatIdentity.resident_id == Resident.id)
                                   .join(Household).where(Household.community_id == community_id,
                                                          Resident.confirmed.is_(True))
                                   .order_by(WeChatIdentity.id)))


def _resident(p: Principal) -> Resident:
    assert p.resident is not None, "the demo's people are registered heads"
    return p.resident


def _organise(community_id: int, grids, people: list[Principal]) -> list[Principal]:
    """The party committee and a branch per grid, a party member per grid looking after four households, and
    volunteers: every seventh registered head. Returns those who claim wishes."""
    committee = PartyOrganisation(community_id=community_id, kind=OrganisationKind.COMMITTEE, name="胜泉社区党委")
    db.session.add(committee)
    members = []
    for n, grid in enumerate(grids):
        branch = PartyOrganisation(community_id=community_id, kind=OrganisationKind.BRANCH,
                                   name=f"第{grid.number}网格党支部", grid_id=grid.id)
        person = people[n * 11 + 5]
        member = PartyMember(community_id=community_id, organisation=branch, resident=person.resident)
        db.session.add_all([branch, member])
        db.session.flush()
        houses = db.session.scalars(select(Household.id).where(Household.grid_id == grid.id)
                                    .order_by(Household.id).offset(10).limit(4)).all()
        db.session.add_all(ContactHousehold(party_member_id=member.id, household_id=h) for h in houses)
        members.append(person)
    volunteers = [person for person in people[::7] if person not in members]
    db.session.add_all(Volunteer(community_id=community_id, resident=person.resident, skills="上门帮扶")
                       for person in volunteers)
    db.session.flush()
    return members + volunteers


def seed_community_life(community_id: int) -> None:
    """The caller commits."""
    now = utcnow()
    people = _residents(community_id)
    as_person = [Principal(Role.RESIDENT, wechat=wechat) for wechat in people]
    grids = db.session.scalars(select(Grid).where(Grid.community_id == community_id).order_by(Grid.number)).all()
    organiser = Principal(Role.GRID_HEAD, staff=grids[0].head)
    helpers = _organise(community_id, grids, as_person)
    volunteer = 0
    for g, grid in enumerate(grids):
        head = Principal(Role.GRID_HEAD, staff=grid.head)
        houses = db.session.scalars(select(Household).where(Household.grid_id == grid.id)
                                    .order_by(Household.id).limit(3)).all()
        for w, house in enumerate(houses):
            text, category, value, tag = WISHES[(g + w) % len(WISHES)]
            posted = now - timedelta(days=20 - g - w * 3)
            wish = post_wish(head, {"household_id": house.id, "beneficiary_name": house.head_name, "text": text,
                                    "category": category, "estimated_value": value, "vulnerability": tag}, posted)
            if w == 2 and g % 2:
                continue   # waiting for the grid head's review
            lifecycle.perform(wish, "approve", head, now=posted + timedelta(hours=5))
            if w == 1:
                continue   # on the wall
            volunteer += 1
            claimer = helpers[volunteer % len(helpers)]
            if _resident(claimer).household_id == house.id:   # not one's own household's wish
                claimer = helpers[(volunteer + 1) % len(helpers)]
            lifecycle.claim(wish, claimer, posted + timedelta(days=1))
            if g % 3 == 2:
                continue   # claimed, under way
            lifecycle.perform(wish, "fulfil", claimer, "已上门送达，老人很高兴", posted + timedelta(days=2 + g % 3))
            lifecycle.perform(wish, "confirm", head, now=posted + timedelta(days=3 + g % 3))
    rewards = [Reward(community_id=community_id, name=name, cost=cost, stock=stock, active=True)
               for name, cost, stock in REWARDS]
    db.session.add_all(rewards)
    db.session.flush()
    for days_ago, title in ((10, "社区环境整治志愿活动"), (3, "重阳节敬老联欢")):
        start = now - timedelta(days=days_ago)
        activity = create_activity(organiser, {
            "title": title, "place": "胜泉社区广场", "starts_at": start, "ends_at": start + timedelta(hours=3),
            "grid_id": grids[0].id, "points": 10})
        for person in as_person[days_ago::9][:20]:
            check_in(code_for(activity).token, person, start + timedelta(minutes=30))
    upcoming = now + timedelta(days=5)
    create_activity(organiser, {
        "title": "防诈骗知识讲座", "place": "社区活动室", "starts_at": upcoming,
        "ends_at": upcoming + timedelta(hours=2), "grid_id": grids[0].id})
    for person in as_person[3::9][:6]:
        ledger.manual(organiser, _resident(person), 25, "协助疫苗接种登记")
    for person in as_person[3::9][:4]:
        redeem(rewards[0].id, ledger.account_for(_resident(person)))
