"""Small builders for test data: a community, a grid, a household, staff and residents with tokens."""
import itertools

from sqlalchemy import inspect

from app.auth.tokens import issue_token
from app.models import (
    Community,
    Grid,
    Household,
    Jurisdiction,
    Resident,
    Role,
    Staff,
    Unit,
    WeChatIdentity,
)
from app.models.places import house_code
from app.web.extensions import db

_seq = itertools.count(1)


def community(code="SQ", name="胜泉社区"):
    c = Community(code=code, name=name)
    db.session.add(c)
    db.session.flush()
    return c


def grid(comm, number=1, head=None):
    g = Grid(community=comm, number=number, name=f"第{number}网格", head=head)
    db.session.add(g)
    db.session.flush()
    return g


def unit(g, number=1, leader=None):
    u = Unit(grid=g, number=number, name=f"{number}号楼", leader=leader)
    db.session.add(u)
    db.session.flush()
    return u


def household(u, door="101", joint_head=None, head_phone="13800138000"):
    g = u.grid
    h = Household(community=g.community, grid=g, unit=u, door=door,
                  code=house_code(g.community.code, g.number, u.number, door),
                  address=f"{u.name}{door}室", head_name="张三", head_phone=head_phone,
                  joint_head=joint_head)
    db.session.add(h)
    db.session.flush()
    return h


def more_households(u, count: int) -> list[Household]:
    """`count` more households in unit `u`, doors 201, 202 …: a community bigger than the two-house units of
    two_communities, where a test needs one (a print of several chunks)."""
    return [household(u, door=str(201 + n)) for n in range(count)]


def staff(comm, role: Role, password="password-1", **fields):
    n = next(_seq)
    s = Staff(community=comm, username=f"{role.value}{n}", role=role, name=fields.pop("name", f"员工{n}"),
              phone=fields.pop("phone", f"1370000{n:04d}"), **fields)
    s.set_password(password, method="pbkdf2:sha256:1000")
    db.session.add(s)
    db.session.flush()
    return s


def police(comm, grids=()):
    officer = staff(comm, Role.POLICE, title="社区民警", station="胜泉派出所")
    for place in grids or [None]:
        db.session.add(Jurisdiction(officer=officer, community_id=comm.id,
                                    grid_id=place.id if place else None))
    db.session.flush()
    return officer


def resident(h, name="李四", confirmed=True, is_head=False, openid=None):
    r = Resident(household=h, name=name, confirmed=confirmed, is_head=is_head, phone="13912345678")
    db.session.add(r)
    identity = WeChatIdentity(openid=openid or f"openid-{next(_seq)}", resident=r)
    db.session.add(identity)
    db.session.flush()
    return r, identity


def auth(person) -> dict:
    """Authorization headers for a Staff or a WeChatIdentity."""
    kind = "staff" if isinstance(person, Staff) else "wechat"
    # Its id from its identity key: after a request that failed, the test's objects are detached and expired.
    token, _ = issue_token(**{f"{kind}_id": inspect(person).identity[0]})
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def wechat_user(openid=None) -> WeChatIdentity:
    """A WeChat user who has signed in but is nobody's household member yet."""
    identity = WeChatIdentity(openid=openid or f"openid-{next(_seq)}")
    db.session.add(identity)
    db.session.flush()
    return identity


def id_number(serial: int, born: str = "19850312", region: str = "370102") -> str:
    """A well-formed ID number for a made-up person: weights 2^(17-i) mod 11, as GB 11643 defines them."""
    body = f"{region}{born}{serial % 1000:03d}"
    total = sum(int(digit) * (2 ** (17 - i) % 11) for i, digit in enumerate(body))
    return body + "10X98765432"[total % 11]


def two_communities():
    """Communities A and B; A has two grids, each with its head, a unit and two households; the caller commits.

    A: grid 1 (head1; unit 1 led by `leader`; house1 with joint head `joint` and resident1/wechat1 as its
    head, house1b) and grid 2 (head2; unit 1; house2 with resident2/wechat2, house2b); admin_a; police1 for
    grid 1 and police_all for the whole community. B: admin_b, grid_b with house_b."""
    from types import SimpleNamespace

    a, b = community("SQ", "胜泉社区"), community("DF", "东风社区")
    w = SimpleNamespace(a=a, b=b)
    w.head1, w.head2 = staff(a, Role.GRID_HEAD, name="王网格"), staff(a, Role.GRID_HEAD)
    w.grid1, w.grid2 = grid(a, 1, head=w.head1), grid(a, 2, head=w.head2)
    w.leader = staff(a, Role.UNIT_LEADER)
    w.joint = staff(a, Role.JOINT_HEAD)
    w.unit1, w.unit2 = unit(w.grid1, 1, leader=w.leader), unit(w.grid2, 1)
    w.house1 = household(w.unit1, "101", joint_head=w.joint)
    w.house1b = household(w.unit1, "102")
    w.house2 = household(w.unit2, "101")
    w.house2b = household(w.unit2, "102")
    w.admin_a, w.admin_b = staff(a, Role.ADMIN), staff(b, Role.ADMIN)
    w.police1 = police(a, [w.grid1])
    w.police_all = police(a)
    w.grid_b = grid(b, 1)
    w.house_b = household(unit(w.grid_b, 1), "101")
    w.resident1, w.wechat1 = resident(w.house1, is_head=True)
    w.resident2, w.wechat2 = resident(w.house2, is_head=True)
    return w
