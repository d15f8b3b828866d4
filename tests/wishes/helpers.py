"""Posting and acting on wishes as the mini-program does."""
import base64
import os

from tests import factories as f


def post(client, who, **body):
    answer = client.post("/api/wishes", headers=f.auth(who), json={"text": "想要一台收音机", "category": "goods", **body})
    assert answer.status_code == 201, answer.json
    return answer.json


def step(client, who, wish_id, action, **body):
    return client.post(f"/api/wishes/{wish_id}/{action}", headers=f.auth(who), json=body)


def volunteers(*people):
    """Record residents (their WeChat identities) and staff as volunteers: those who claim wishes."""
    from app.models import Staff, Volunteer
    from app.web.extensions import db
    for person in people:
        staff = person if isinstance(person, Staff) else None
        db.session.add(Volunteer(community_id=staff.community_id if staff else person.resident.household.community_id,
                                 staff_id=staff.id if staff else None,
                                 resident_id=None if staff else person.resident_id))
    db.session.commit()


def wire_message_push(app, base_url, fake_wechat):
    """Have `fake_wechat` fetch photos from, and push its verdicts to, the app served at `base_url`, as the
    mini-program's message push settings (safe mode) tell WeChat to."""
    token, aes_key = "push-token", base64.b64encode(os.urandom(32)).decode().rstrip("=")
    app.config.update(PUBLIC_BASE_URL=base_url, WECHAT_PUSH_TOKEN=token, WECHAT_PUSH_AES_KEY=aes_key)
    fake_wechat.push_url, fake_wechat.push_token, fake_wechat.push_aes_key = f"{base_url}/wechat/push", token, aes_key
