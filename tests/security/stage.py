"""One app and one world shared by many calls, rebuilt only after a call may have changed it.

The world is conftest's two communities, furnished with what every endpoint needs to find: a request per
handler with a photo, pending members (one of them signs in: a registrant), moves waiting for the person's
side, notifications, contact requests, categories, Open311 keys, QR codes.
"""
import hashlib
import io
from datetime import timedelta
from types import SimpleNamespace

from werkzeug.datastructures import FileStorage

from app.activities.services import create as create_activity
from app.auth.principal import Principal
from app.clock import utcnow
from app.codes.services import code_for
from app.console.scan import new_ticket_id, open_ticket
from app.models import PartyMember, PartyOrganisation, Reward, Role, ServiceRequest, StoredValue, Volunteer
from app.models.letters import JobState, LetterJob
from app.models.party import OrganisationKind
from app.notifications.notify import notify
from app.open311.keys import issue_key
from app.points import rewards, services
from app.police.services import send
from app.privacy.audit import record
from app.requests.categories import category_by_code
from app.requests.lifecycle import file_request, perform
from app.requests.photos import add_photos
from app.residents.id_numbers import store_id_number
from app.residents.services import register_members
from app.storage import object_store
from app.web.extensions import db
from app.wishes import lifecycle as wishes
from app.wishes.photos import add_photo as add_wish_photo
from app.wishes.services import post_wish
from qr.tokens import new_token
from tests import factories as f
from tests.console.signing import csrf_of, sign_in
from tests.database import empty_tables
from tests.images import image

PNG = image("PNG")
ADMIN, GRID_HEAD, UNIT_LEADER, JOINT_HEAD, POLICE, RESIDENT, REGISTRANT = (r.value for r in Role)
UNLINKED = "unlinked"   # a WeChat user who signed in but belongs to no household yet
ANONYMOUS = "anonymous"  # no bearer token at all
ROLES = (ADMIN, GRID_HEAD, UNIT_LEADER, JOINT_HEAD, POLICE, RESIDENT, REGISTRANT, UNLINKED)
WECHAT_ROLES = (RESIDENT, REGISTRANT, UNLINKED)
CONSOLE_ROLES = (ADMIN, GRID_HEAD, UNIT_LEADER, JOINT_HEAD, POLICE)   # staff sign in to the console with a password
# Who plays each role (an attribute of the world): the registrant registered in house1, nobody confirmed them.
PLAYERS = {ADMIN: "admin_a", GRID_HEAD: "head1", UNIT_LEADER: "leader", JOINT_HEAD: "joint", POLICE: "police1",
           RESIDENT: "wechat1", REGISTRANT: "wechat_pending1", UNLINKED: "unlinked"}


class Stage:
    """The shared app and world; `dirty` makes the next `ready()` empty the tables and build it again."""

    def __init__(self, app, fake=None):
        self.app, self.fake = app, fake
        self.client = app.test_client()
        self.dirty = True
        self.consoles = {}

    def ready(self) -> "Stage":
        if self.dirty:
            db.session.remove()
            empty_tables(db.engine)
            self.w = furnished_world()
            self.headers = {ANONYMOUS: {}, **{role: f.auth(self.player(role)) for role in ROLES}}
            self.places = places(self.w)
            self.consoles = {}   # their sign-ins went with the tables
            self.dirty = False
        return self

    def player(self, role: str):
        return getattr(self.w, PLAYERS[role])

    def console(self, role: str):
        """A browser signed in to the console as the role's player (ANONYMOUS: signed out), and the CSRF header
        its forms and htmx requests send."""
        if role not in self.consoles:
            client = self.app.test_client()
            headers = sign_in(client, self.player(role)) if role != ANONYMOUS else {"X-CSRFToken": csrf_of(client)}
            self.consoles[role] = (client, headers)
        return self.consoles[role]

    def wechat_of(self, role: str):
        """The role's WeChat identity, None for staff signed in with a password."""
        return self.player(role) if role in WECHAT_ROLES else None


def _file(w, house, wechat, description):
    """A dispute filed by `house` (it goes to the house's joint head, else its grid head), with a photo."""
    filed = file_request(house, category_by_code(house.community_id, "dispute"), description, wechat, None)
    req = db.session.get_one(ServiceRequest, filed.id)
    add_photos(req, [FileStorage(io.BytesIO(PNG), "door.png")])
    return req


def furnished_world() -> SimpleNamespace:
    w = f.two_communities()
    w.unlinked = f.wechat_user()
    w.police_b = f.police(w.b)
    w.resident_b, w.wechat_b = f.resident(w.house_b, is_head=True)
    w.pending1, w.wechat_pending1 = f.resident(w.house1, name="待确认甲", confirmed=False)
    w.pending2, _ = f.resident(w.house2, name="待确认乙", confirmed=False)
    w.pending_b, _ = f.resident(w.house_b, name="待确认丙", confirmed=False)
    w.category_a, w.category_b = category_by_code(w.a.id, "other"), category_by_code(w.b.id, "other")
    w.api_key, w.key_a = issue_key(w.a.id, "12345 热线")
    _, w.key_b = issue_key(w.b.id, "东风热线")
    w.audit_a, w.audit_b = (record(Principal(Role.ADMIN, staff=admin), "export", "house_sheet", community.id)
                            for admin, community in ((w.admin_a, w.a), (w.admin_b, w.b)))
    db.session.flush()
    w.req_joint = _file(w, w.house1, w.wechat1, "楼上漏水")        # held by the joint head
    w.req_head = _file(w, w.house1b, None, "楼道堆物")             # no joint head there: the grid head
    w.req_leader = _file(w, w.house1, w.wechat1, "电动车充电")
    perform(w.req_leader, "transfer", Principal(role=Role.ADMIN, staff=w.admin_a),
            {"to_staff_id": w.leader.id, "note": "请楼栋长协调"})
    w.req2 = _file(w, w.house2, w.wechat2, "噪音扰民")             # grid 2: head2
    w.req_b = _file(w, w.house_b, w.wechat_b, "停车纠纷")          # community B: its admin
    w.contact1 = send(w.police1, w.wechat1, "13800138000", "请民警联系我", False)
    w.contact_all = send(w.police_all, w.wechat2, "13800138001", "请民警联系我", False)
    w.notes = {role: notify(getattr(w, PLAYERS[role]), "matrix", "通知", "内容") for role in ROLES}
    w.note_other = notify(w.head2, "matrix", "通知", "别人的")
    w.house_token, w.card_token = code_for(w.house1).token, code_for(w.police1).token
    # A browser's scan-to-sign-in code; the matrix's browser gets its nonce where it is to be its own.
    w.scan_nonce = "matrix-browser"
    w.scan_ticket = open_ticket(new_ticket_id(), w.scan_nonce, "matrix").id
    # Someone registers pending1 (grid 1) in house2b, and resident2 (grid 2) in house1b: moves for their side.
    w.move1, w.move2 = _claim(w, w.pending1, w.house2b, 51), _claim(w, w.resident2, w.house1b, 52)
    _points(w)
    _party(w)
    _wishes(w)
    _activities(w)
    _letter_jobs(w)
    db.session.commit()
    return w


def _letter_jobs(w):
    """A finished print of each community's letters, its file in the store."""
    for name, community, admin in (("job_a", w.a, w.admin_a), ("job_b", w.b, w.admin_b)):
        job = LetterJob(community_id=community.id, size="A4", requested_by_id=admin.id, state=JobState.DONE,
                        pages=1, total=1, file_key=f"letters-matrix-{community.code}.pdf")
        object_store().put(job.file_key, b"%PDF-1.7\n%%EOF\n", "application/pdf")
        db.session.add(job)
        db.session.flush()
        setattr(w, name, job)


def _party(w):
    """A committee in each community; resident1 (grid 1), resident2 (grid 2) and resident_b party members; the
    staff who play a role volunteers."""
    w.org_a, w.org_b = (PartyOrganisation(community_id=c.id, kind=OrganisationKind.COMMITTEE, name="社区党委")
                        for c in (w.a, w.b))
    db.session.add_all([w.org_a, w.org_b])
    db.session.flush()
    w.pm1, w.pm2, w.pm_b = (PartyMember(community_id=org.community_id, organisation=org, resident=person)
                            for org, person in ((w.org_a, w.resident1), (w.org_a, w.resident2),
                                                (w.org_b, w.resident_b)))
    db.session.add_all([w.pm1, w.pm2, w.pm_b])
    # Every staff player volunteers (resident1 is a party member), and head2: all of them may claim a wish.
    db.session.add_all(Volunteer(community_id=w.a.id, staff_id=staff.id)
                       for staff in (w.admin_a, w.head1, w.head2, w.leader, w.joint, w.police1))
    db.session.flush()


def _activities(w):
    """An activity under way in grid 1 (its head's), grid 2 and community B."""
    def activity(staff, grid):
        now = utcnow()
        return create_activity(Principal(staff.role, staff=staff), {
            "title": "社区义诊", "place": "社区广场", "starts_at": now - timedelta(hours=1),
            "ends_at": now + timedelta(days=1), "grid_id": grid.id if grid else None})

    w.activity1, w.activity2, w.activity_b = activity(w.head1, w.grid1), activity(w.head2, w.grid2), \
        activity(w.admin_b, None)


def _wishes(w):
    """Wishes waiting for review in grid 1 and grid 2, one approved in grid 2 (to claim), one fulfilled in each
    grid (to confirm; claimed by nobody who plays a role), one in community B."""
    def wish(wechat, text):
        return post_wish(Principal(Role.RESIDENT, wechat=wechat), {"text": text, "category": "goods"})

    def moved(wish_, *steps):
        # A photo first (the wisher's, before a claim): those of approved wishes (WeChat passed them) are on the wall.
        added = add_wish_photo(wish_, Principal(Role.RESIDENT, wechat=wish_.posted_by_wechat),
                               FileStorage(io.BytesIO(PNG), "p.png"))
        added.check = "pass"   # WeChat's pushed verdict (tests/wishes/test_media_checks.py takes it through the push)
        for action, who in steps:
            if action == "claim":
                wishes.claim(wish_, who)
            else:
                wishes.perform(wish_, action, who, "已完成")
        return wish_

    db.session.commit()   # WeChat's content check stores its access token through another connection (SQLite: one writer)
    head1, head2 = (Principal(Role.GRID_HEAD, staff=head) for head in (w.head1, w.head2))
    resident2, admin_b = Principal(Role.RESIDENT, wechat=w.wechat2), Principal(Role.ADMIN, staff=w.admin_b)
    admin_a = Principal(Role.ADMIN, staff=w.admin_a)
    w.wish1, w.wish2 = wish(w.wechat1, "想要一台收音机"), wish(w.wechat2, "想要一副老花镜")
    w.open_wish = moved(wish(w.wechat2, "想要一本字典"), ("approve", head2))
    w.done1 = moved(wish(w.wechat1, "想要一把雨伞"), ("approve", head1), ("claim", resident2), ("fulfil", resident2))
    # head2 claims it, so the admin approves it: whoever approved a wish does not claim it.
    w.done2 = moved(wish(w.wechat2, "想要一个台灯"), ("approve", admin_a), ("claim", head2), ("fulfil", head2))
    w.wish_b = moved(wish(w.wechat_b, "想要一双棉鞋"), ("approve", admin_b))


def _points(w):
    """Rules, a reward, a manual award and a redemption per place: grid 1, grid 2, community B."""
    [w.rule_a, *_], [w.rule_b, *_] = services.rules(w.a.id), services.rules(w.b.id)
    w.reward_a, w.reward_b = (Reward(community_id=c.id, name="大米", cost=5, stock=10, active=True) for c in (w.a, w.b))
    db.session.add_all([w.reward_a, w.reward_b])
    db.session.flush()
    for name, person, reward in (("1", w.resident1, w.reward_a), ("2", w.resident2, w.reward_a),
                                 ("_b", w.resident_b, w.reward_b)):
        account = services.account_for(person)
        services.post(account, 10, "manual", reason="入户走访")   # the redemption leaves the award reversible
        setattr(w, f"entry{name}", services.post(account, 20, "manual", reason="志愿服务", actor=None))
        setattr(w, f"redemption{name}", rewards.redeem(reward.id, account))


def _claim(w, person, house, serial):
    """A newcomer registers `person` (given an ID number) in `house`: a move waiting for the person's side."""
    store_id_number(person, f.id_number(serial))
    entry = {"name": person.name, "id_number": f.id_number(serial), "relationship_to_head": "本人",
             "residence_type": "permanent", "is_self": True}
    [claim] = register_members(house.id, f.wechat_user(), [entry], claim_head=False, consent_version="v",
                               notice_version="v")
    return claim


def places(w) -> dict:
    """Per role, (own, other): the objects of the caller's own place and of another, by URL placeholder."""
    unknown = new_token()   # well-formed, never issued
    own = dict(household=w.house1.id, grid=w.grid1.id, member=w.resident1.id, pending=w.pending1.id,
               staff=w.head1.id, officer=w.police1.id, category=w.category_a.id, key=w.key_a.id,
               audit=w.audit_a.id, contact=w.contact1.id, request=w.req_joint.id, house_token=w.house_token, card_token=w.card_token,
               api_key=w.api_key, house_code=w.house1.code, jurisdiction=w.a.code, service="dispute", move=w.move1.id,
               rule=w.rule_a.id, reward=w.reward_a.id, entry=w.entry1.id, redemption=w.redemption1.id,
               wish=w.wish1.id, open_wish=w.open_wish.id, done_wish=w.done1.id, activity=w.activity1.id,
               activity_token=code_for(w.activity1).token, party_member=w.pm1.id, wish_photo=w.done1.photos[0].id,
               wall_photo=w.open_wish.photos[0].id, scan_ticket=w.scan_ticket, letter_job=w.job_a.id)
    other = dict(household=w.house2.id, grid=w.grid2.id, member=w.resident2.id, pending=w.pending2.id,
                 staff=w.admin_b.id, officer=w.police_all.id, category=w.category_b.id, key=w.key_b.id,
                 audit=w.audit_b.id, contact=w.contact_all.id, request=w.req2.id, house_token=unknown, card_token=unknown,
                 api_key=w.api_key, house_code=w.house_b.code, jurisdiction="XX", service="nothing",
                 move=w.move2.id, rule=w.rule_b.id, reward=w.reward_b.id, entry=w.entry2.id, redemption=w.redemption2.id,
                 wish=w.wish2.id, open_wish=w.wish_b.id, done_wish=w.done2.id, activity=w.activity2.id,
                 activity_token=code_for(w.activity_b).token, party_member=w.pm2.id, wish_photo=w.done2.photos[0].id,
                 wall_photo=w.wish_b.photos[0].id, scan_ticket=new_ticket_id(), letter_job=w.job_b.id)
    table = {role: (dict(own, notification=w.notes[role].id), dict(other, notification=w.note_other.id))
             for role in ROLES}
    # An admin's whole community is its place: "another" is community B's.
    table[ADMIN][1].update(household=w.house_b.id, grid=w.grid_b.id, member=w.resident_b.id,
                           pending=w.pending_b.id, officer=w.police_b.id, request=w.req_b.id, entry=w.entry_b.id,
                           redemption=w.redemption_b.id, wish=w.wish_b.id, done_wish=w.wish_b.id,
                           activity=w.activity_b.id, party_member=w.pm_b.id, wish_photo=w.wish_b.photos[0].id)
    table[GRID_HEAD][0].update(request=w.req_head.id)
    table[UNIT_LEADER][0].update(request=w.req_leader.id)
    table[REGISTRANT][0].update(member=w.pending1.id)   # their own registration
    # A stranger calling a public endpoint: "another" object is another community's, like an admin's.
    table[ANONYMOUS] = tuple(dict(place) for place in table[ADMIN])
    for own_place, other_place in table.values():
        for place in (own_place, other_place):
            place["photo"] = _photo_of(place["request"])
    return table


def _photo_of(request_id: int) -> int:
    return db.session.get(ServiceRequest, request_id).photos[0].id


def saved_data() -> str:
    """A digest of every committed row of every table: the same before and after a call that changed nothing.
    Caches (WeChat's access token, kept in the database when there is no Redis) are not saved data."""
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table is StoredValue.__table__:
                continue
            for row in conn.execute(table.select().order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
