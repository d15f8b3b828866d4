"""WeChat sign-in through wechatpy against the loopback fake: tokens, staff binding, phone, user data."""
import base64
import hashlib
import json
import os

import pytest
from sqlalchemy import select

from app.auth.wechat_login import session_key_of
from app.models import WeChatIdentity
from app.web.extensions import db
from fakes.wechat_client import encrypt_user_data
from tests import factories as f


def sign_in(client, fake, code="code-1", openid="o-alice"):
    session_key = fake.register_code(code, openid)
    response = client.post("/api/auth/wechat", json={"code": code})
    return response, session_key


def bearer(response):
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_new_wechat_user_gets_a_token_but_no_role(client, app, fake_wechat):
    response, session_key = sign_in(client, fake_wechat)
    assert response.status_code == 200
    assert response.json["role"] is None and response.json["registered"] is False
    assert session_key not in response.get_data(as_text=True)
    stored = db.session.scalar(select(WeChatIdentity.session_key_sealed))
    assert stored and session_key not in stored           # sealed at rest
    me = client.get("/api/auth/me", headers=bearer(response)).json
    assert me["role"] is None
    # Unregistered users reach nothing that needs a household.
    assert client.get("/api/households", headers=bearer(response)).status_code == 403


def test_signing_in_again_keeps_the_identity_and_its_latest_session_key_and_uses_up_no_id(client, fake_wechat):
    for code in ("c-1", "c-2", "c-3"):
        answer, session_key = sign_in(client, fake_wechat, code=code)
        assert answer.status_code == 200
    alice = db.session.scalar(select(WeChatIdentity).where(WeChatIdentity.openid == "o-alice"))
    assert session_key_of(alice) == session_key and db.session.query(WeChatIdentity).count() == 1
    assert sign_in(client, fake_wechat, code="c-bob", openid="o-bob")[0].status_code == 200
    # Ids are not burnt by the returning sign-ins (a city's daily sign-ins would soon use up the id range).
    assert db.session.scalar(select(WeChatIdentity.id).where(WeChatIdentity.openid == "o-bob")) == alice.id + 1


def test_resident_signs_in_to_own_household(client, world, fake_wechat):
    fake_wechat.register_code("c-res", world.wechat1.openid)
    response = client.post("/api/auth/wechat", json={"code": "c-res"})
    assert response.json["role"] == "resident"
    codes = {h["code"] for h in client.get("/api/households", headers=bearer(response)).json}
    assert codes == {world.house1.code}


def test_used_or_unknown_code_is_401(client, app, fake_wechat):
    sign_in(client, fake_wechat, code="once")
    again = client.post("/api/auth/wechat", json={"code": "once"})
    assert again.status_code == 401 and "wx.login" in again.json["message"]
    assert client.post("/api/auth/wechat", json={"code": "never-issued"}).status_code == 401


def test_wechat_down_is_503_with_retry_after(client, app, fake_wechat):
    fake_wechat.register_code("c", "o-x")
    fake_wechat.fail("jscode2session", status=502)
    response = client.post("/api/auth/wechat", json={"code": "c"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    fake_wechat.fail("jscode2session", delay=2)
    assert client.post("/api/auth/wechat", json={"code": "c"}).status_code == 503


def test_not_configured_is_503(client, app):
    response = client.post("/api/auth/wechat", json={"code": "c"})
    assert response.status_code == 503 and "WECHAT_APPID" in response.json["message"]


def test_staff_binds_wechat_with_single_use_invite(client, world, fake_wechat):
    invite = client.post(f"/api/admin/staff/{world.head1.id}/invite", headers=f.auth(world.admin_a))
    assert invite.status_code == 201
    code = invite.json["invite_code"]
    response, _ = sign_in(client, fake_wechat, code="c-head", openid="o-head")
    bound = client.post("/api/auth/wechat/bind", headers=bearer(response), json={"invite_code": code.lower()})
    assert bound.status_code == 200 and bound.json["role"] == "grid_head"
    # The same WeChat token now carries the grid head's place.
    codes = {h["code"] for h in client.get("/api/households", headers=bearer(response)).json}
    assert codes == {world.house1.code, world.house1b.code}
    # Next sign-in is a grid head straight away; the invite cannot be used twice.
    again, _ = sign_in(client, fake_wechat, code="c-head-2", openid="o-head")
    assert again.json["role"] == "grid_head"
    other, _ = sign_in(client, fake_wechat, code="c-other", openid="o-other")
    reuse = client.post("/api/auth/wechat/bind", headers=bearer(other), json={"invite_code": code})
    assert reuse.status_code == 422 and "invite_code" in reuse.json["message"]


def test_admin_cannot_invite_staff_of_another_community(client, world):
    response = client.post(f"/api/admin/staff/{world.admin_b.id}/invite", headers=f.auth(world.admin_a))
    assert response.status_code == 404
    assert client.post(f"/api/admin/staff/{world.head1.id}/invite",
                       headers=f.auth(world.head2)).status_code == 403


def test_phone_number_code_flow(client, app, fake_wechat):
    response, _ = sign_in(client, fake_wechat)
    fake_wechat.register_phone_code("p-1", "13812345678")
    phone = client.post("/api/auth/wechat/phone", headers=bearer(response), json={"code": "p-1"})
    assert phone.status_code == 200 and phone.json["phone"] == "138****5678"
    assert db.session.scalar(select(WeChatIdentity.phone)) == "13812345678"


@pytest.mark.parametrize("errcode", [None, 40226])   # an unknown or used code (40029), a user WeChat blocks
def test_a_refused_phone_code_is_422_naming_the_code_and_keeps_the_sign_in(client, app, fake_wechat, errcode):
    """It was 401 "call wx.login again": the mini-program took that as signed out, and the user was still signed in."""
    response, _ = sign_in(client, fake_wechat)
    if errcode:
        fake_wechat.register_phone_code("p-1", "13812345678")
        fake_wechat.fail("phone", errcode=errcode)
    refused = client.post("/api/auth/wechat/phone", headers=bearer(response), json={"code": "p-1"})
    assert refused.status_code == 422 and refused.json["errors"]["json"]["code"]
    assert refused.json["message"].startswith("code: ") and "getPhoneNumber" in refused.json["message"]
    assert client.get("/api/auth/me", headers=bearer(response)).status_code == 200
    assert db.session.scalar(select(WeChatIdentity.phone)) is None


def _user_data(session_key, appid, payload):
    iv = base64.b64encode(os.urandom(16)).decode()
    raw = json.dumps(payload, ensure_ascii=False)
    return {"raw_data": raw, "signature": hashlib.sha1((raw + session_key).encode()).hexdigest(),
            "encrypted_data": encrypt_user_data(session_key, iv, payload, appid), "iv": iv}


def test_user_data_verified_and_decrypted_and_tampering_refused(client, app, fake_wechat):
    response, session_key = sign_in(client, fake_wechat)
    body = _user_data(session_key, fake_wechat.appid, {"nickName": "阿丽", "city": "济南"})
    ok = client.post("/api/auth/wechat/profile", headers=bearer(response), json=body)
    assert ok.status_code == 200 and ok.json["nickName"] == "阿丽"
    bad_signature = dict(body, raw_data=body["raw_data"].replace("阿丽", "阿强"))
    assert client.post("/api/auth/wechat/profile", headers=bearer(response), json=bad_signature).status_code == 401
    other_app = _user_data(session_key, "wx-someone-else", {"nickName": "x"})
    refused = client.post("/api/auth/wechat/profile", headers=bearer(response), json=other_app)
    assert refused.status_code == 401 and "encrypted_data" in refused.json["message"]
    flipped = bytearray(base64.b64decode(body["encrypted_data"]))
    flipped[-1] ^= 1
    tampered = dict(body, encrypted_data=base64.b64encode(bytes(flipped)).decode())
    assert client.post("/api/auth/wechat/profile", headers=bearer(response), json=tampered).status_code == 401


def test_two_first_sign_ins_at_once_make_one_identity(client, app, fake_wechat, database_url):
    """A double tap: the other sign-in creates the identity just before this one's insert."""
    from sqlalchemy import create_engine, event, insert
    from sqlalchemy.pool import NullPool

    other, raced = create_engine(database_url, poolclass=NullPool), []

    def the_other_sign_in_wins(_):
        if not raced:   # the sign-in's first statement: its upsert
            raced.append(True)
            with other.begin() as conn:
                conn.execute(insert(WeChatIdentity).values(openid="o-double", created_at=db.func.now()))

    event.listen(db.session, "do_orm_execute", the_other_sign_in_wins)
    try:
        response, _ = sign_in(client, fake_wechat, code="c-double", openid="o-double")
    finally:
        event.remove(db.session, "do_orm_execute", the_other_sign_in_wins)
    assert raced and response.status_code == 200 and response.json["token"]
    assert db.session.scalars(select(WeChatIdentity.openid).where(WeChatIdentity.openid == "o-double")).all() \
        == ["o-double"]
    other.dispose()
