"""Issue 11, item 2: registering (or correcting) an ID number answers the same whether or not it is registered
already, in another household, grid or community or in this one, so scanning a door tells nobody whether or
where a person is registered. Each case builds the same world twice, one record holding the typed number in
the first and another number in the second, and compares what the registrant gets back and then sees."""
import pytest

from app.residents.id_numbers import store_id_number
from app.web.extensions import db
from tests import factories as f
from tests.database import empty_tables
from tests.residents.helpers import letter_token, newcomer, person, register

TYPED, ANOTHER = 61, 62   # serials of the number the registrant types, and of the holder's when it is not that
IDS, TIMES = {"id", "household_id", "me"}, {"created_at", "confirmed_at"}
PLACES = ["another household", "another grid", "another community", "this household"]


def holders_house(w, place: str, house: str):
    """Where the number is registered already, relative to the house registered at (house1, or house1b when
    claimed): the other house of grid 1, a house of grid 2, of community B, or that house itself."""
    return {"another household": w.house1b if house == "house1" else w.house1, "another grid": w.house2,
            "another community": w.house_b, "this household": getattr(w, house)}[place]


def typed(relationship="表亲", **fields):
    return person("来人", TYPED, relationship, **fields)


def stranger(client, w):
    """A newcomer registers themselves at a house with a head."""
    _, headers = newcomer()
    return register(client, letter_token(w.house1), headers, [typed(is_self=True)]), headers


def claimant(client, w):
    """A newcomer claims a headless house for themselves: confirmed at once."""
    _, headers = newcomer()
    return register(client, letter_token(w.house1b), headers, [typed(is_self=True)], claim_head=True), headers


def claimants_family(client, w):
    _, headers = newcomer()
    return register(client, letter_token(w.house1b), headers, [person("户主", 63, is_self=True), typed("子")],
                    claim_head=True), headers


def registrants_family(client, w):
    """A registrant still waiting for confirmation adds family."""
    _, headers = newcomer()
    assert register(client, letter_token(w.house1), headers, [person("来人父", 63, "侄子", is_self=True)]).status_code == 201
    return register(client, letter_token(w.house1), headers, [typed("子")]), headers


def heads_family(client, w):
    """A confirmed head adds family: confirmed at once."""
    headers = f.auth(w.wechat1)
    return register(client, letter_token(w.house1), headers, [typed("子")]), headers


def heads_correction(client, w):
    """A confirmed head corrects a family member's ID number to the typed one."""
    headers = f.auth(w.wechat1)
    child = register(client, letter_token(w.house1), headers, [person("李小五", 64, "子")]).json["members"][0]
    return client.patch(f"/api/members/{child['id']}", json={"id_number": f.id_number(TYPED)}, headers=headers), headers


KINDS = [stranger, claimant, claimants_family, registrants_family, heads_family, heads_correction]


def normalised(value):
    """The answer with ids and times replaced by placeholders (they differ from world to world)."""
    if isinstance(value, dict):
        return {k: ("<id>" if k in IDS else "<time>" if k in TIMES and v else normalised(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    return value


def world_where(serial: int, place: str, house: str):
    """conftest's world afresh, with a confirmed member holding the ID number of `serial` at `place`."""
    db.session.remove()
    empty_tables(db.engine)
    w = f.two_communities()
    holder, _ = f.resident(holders_house(w, place, house), name="在册者")
    store_id_number(holder, f.id_number(serial))
    db.session.commit()
    return w


def staff_flags(client, w) -> list:
    """What the grid head's pending list says of the typed number's record (absent when there is nothing to do)."""
    listed = client.get(f"/api/grids/{w.grid1.id}/pending", headers=f.auth(w.head1)).json
    return [m["already_registered"] for m in listed if m["id_number"].endswith(f.id_number(TYPED)[-4:])]


def what_each_side_gets(client, kind, place) -> dict:
    """Known or not → (the registrant's answer, then their household and inbox; the grid head's flags)."""
    house = "house1b" if kind in (claimant, claimants_family) else "house1"
    seen = {}
    for known, serial in ((True, TYPED), (False, ANOTHER)):
        w = world_where(serial, place, house)
        response, headers = kind(client, w)
        later = [client.get(path, headers=headers) for path in ("/api/my/household", "/api/inbox")]
        seen[known] = ([(r.status_code, normalised(r.json)) for r in (response, *later)], staff_flags(client, w))
    return seen


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_the_answer_is_the_same_whether_or_not_the_number_is_registered(app, client, kind, place):
    seen = what_each_side_gets(client, kind, place)
    (answer, *later), flags = seen[True]
    assert answer[0] in (200, 201), answer
    assert answer == seen[False][0][0]
    # What they see next is the same too, but where they head the house holding the number: then they see its
    # members (with their masked numbers) anyway, and are asked as its head whether the duplicate replaces one.
    if kind in (stranger, registrants_family) or place != "this household":
        assert later == seen[False][0][1:]
    # Staff, and only staff, see that the number is registered already.
    assert flags == ["here" if place == "this household" else "elsewhere"]
    assert seen[False][1] in ([], [None])
