"""Issue 11, item 1: a pending registrant (anyone who scanned a door and registered, confirmed by nobody yet) sees
and does nothing of the house but their own registration; tests/security/ checks every route for them."""
from app.codes.services import code_for
from app.models import WeChatIdentity
from app.web.extensions import db
from tests import factories as f
from tests.residents.helpers import letter_token, newcomer, person, register


def test_a_registrant_keeps_to_their_own_registration(client, world, fake_wechat):
    identity, headers = newcomer()
    token = letter_token(world.house1)
    me = register(client, token, headers, [person("陌生人", 1, "表亲", is_self=True)]).json["members"][0]
    assert client.get("/api/auth/me", headers=headers).json == {
        "role": "registrant", "name": "陌生人", "community_id": world.a.id, "community_code": "SQ", "staff_id": None,
        "household_id": world.house1.id}
    fake_wechat.register_code("code-1", identity.openid)
    login = client.post("/api/auth/wechat", json={"code": "code-1"}).json
    assert (login["role"], login["registered"]) == ("registrant", True)

    # Their registration, and whom they registered: see, add, correct.
    child = register(client, token, headers, [person("陌生孩", 2, "子")]).json["members"][0]
    assert child["status"] == "pending"
    mine = client.get("/api/my/household", headers=headers).json
    assert (mine["me"], sorted(m["name"] for m in mine["members"])) == (me["id"], ["陌生人", "陌生孩"])
    assert client.patch(f"/api/members/{child['id']}", json={"name": "陌生娃"}, headers=headers).status_code == 200
    # Their inbox, and a police officer's card, as anyone scanning may.
    assert client.get("/api/inbox", headers=headers).status_code == 200
    card = code_for(world.police1).token
    db.session.commit()
    contact = client.post(f"/api/cards/{card}/contact-requests", headers=headers,
                          json={"message": "请民警联系我", "phone": "13800138000"})
    assert contact.status_code == 201

    # Nothing of the house: its members, its export, its data, its requests (tests/requests), moves not theirs.
    refused = [client.get("/api/my/household/export", headers=headers),
               client.get(f"/api/households/{world.house1.id}", headers=headers),
               client.get(f"/api/households/{world.house1.id}/letter", headers=headers),
               client.get("/api/categories", headers=headers),
               client.post(f"/api/members/{child['id']}/confirm", headers=headers)]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert "waiting for the household head or the grid head" in refused[0].json["message"]
    assert client.patch(f"/api/members/{world.resident1.id}", json={"name": "x"}, headers=headers).status_code == 404

    # Withdrawing their own registration leaves them a WeChat user who registered nobody.
    assert client.delete(f"/api/members/{me['id']}", headers=headers).status_code == 204
    assert db.session.get(WeChatIdentity, identity.id).resident_id is None
    assert client.get("/api/auth/me", headers=headers).json["role"] is None


def test_confirmed_they_become_a_resident(client, world):
    _, headers = newcomer()
    me = register(client, letter_token(world.house1), headers, [person("新成员", 1, "女", is_self=True)]).json
    confirmed = client.post(f"/api/members/{me['members'][0]['id']}/confirm", headers=f.auth(world.wechat1))
    assert confirmed.status_code == 200
    assert client.get("/api/auth/me", headers=headers).json["role"] == "resident"
    names = {m["name"] for m in client.get("/api/my/household", headers=headers).json["members"]}
    assert names == {"新成员", world.resident1.name}
    assert client.get("/api/my/household/export", headers=headers).status_code == 200
