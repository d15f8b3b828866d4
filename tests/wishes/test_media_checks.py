"""WeChat's asynchronous media check of wish photos (mediaCheckAsync v2) through the fake WeChat: it fetches the
photo at a short-lived signed URL and pushes its verdict, signed and encrypted, to the message push URL; a photo
stays hidden until then, and one with no verdict in 30 minutes goes back to the grid head."""
import base64
import json
import os
import time
from datetime import timedelta

from wechatpy.crypto import WeChatCrypto

from app.clock import utcnow
from app.models import WishPhoto
from app.web.extensions import db
from app.wishes.media_checks import sweep_unchecked
from tests import factories as f
from tests.requests.helpers import notices
from tests.wishes.helpers import post, step
from tests.wishes.test_photos import RED, photo, seen, upload, wall


def pending_wish(client, world, fake_wechat, colour=(30, 60, 200)):
    """An approved wish whose wisher just added a photo WeChat has not judged yet."""
    wish = post(client, world.wechat1)
    step(client, world.head1, wish["id"], "approve")
    [mine] = upload(client, world.wechat1, wish["id"], photo(colour)).json["photos"]
    assert mine["check"] == "pending"
    return wish, mine


def test_a_photo_is_hidden_until_wechats_pushed_verdict_passes_it(app, client, world, fake_wechat, verdicts):
    spouse = f.resident(world.house1, "王芳")[1]
    wish, mine = pending_wish(client, world, fake_wechat)
    [(trace_id, openid, url)] = fake_wechat.media_checks
    assert openid == world.wechat1.openid and url.startswith(app.config["PUBLIC_BASE_URL"] + "/wechat/media/")
    assert wall(client)[0]["photo"] is None and seen(client, spouse, wish["id"]) == []
    assert seen(client, world.head1, wish["id"]) == [mine]   # the reviewer sees it meanwhile
    assert verdicts() == [(trace_id, "pass", 200)]
    assert wall(client)[0]["photo"] == f"/api/communities/SQ/wish-wall/photos/{mine['id']}"
    assert seen(client, spouse, wish["id"])[0]["check"] == "pass"
    assert client.get(url.removeprefix(app.config["PUBLIC_BASE_URL"])).status_code == 404   # judged: no more fetching
    assert db.session.get(WishPhoto, mine["id"]).check_due_at is None


def test_the_media_url_is_signed_and_short_lived(app, client, world, fake_wechat, verdicts, monkeypatch):
    pending_wish(client, world, fake_wechat)
    [(_, _, url)] = fake_wechat.media_checks
    path = url.removeprefix(app.config["PUBLIC_BASE_URL"])
    fetched = client.get(path)
    assert fetched.status_code == 200 and fetched.mimetype == "image/jpeg"
    assert client.get(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")).status_code == 404   # forged
    later = time.time() + 31 * 60
    monkeypatch.setattr(time, "time", lambda: later)   # itsdangerous reads the clock with time.time
    assert client.get(path).status_code == 404


def test_a_forged_push_is_refused_and_changes_nothing(app, client, world, fake_wechat, verdicts):
    fake_wechat.flag_image(RED)
    wish, mine = pending_wish(client, world, fake_wechat, RED)
    [(trace_id, openid, _)] = fake_wechat.media_checks
    # Encrypted with another key and signed with another token, or signed right over a tampered body.
    other_key = base64.b64encode(os.urandom(32)).decode().rstrip("=")
    message = json.dumps({"Event": "wxa_media_check", "trace_id": trace_id, "result": {"suggest": "pass"}})
    forged = WeChatCrypto("not-our-token", other_key, app.config["WECHAT_APPID"])
    envelope = forged.encrypt_message(message, "nonce1", "1700000000")
    encrypted = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    signature = envelope.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    for query, body in (
            (f"timestamp=1700000000&nonce=nonce1&msg_signature={signature}", {"Encrypt": encrypted}),
            ("timestamp=1700000000&nonce=nonce1&msg_signature=" + "0" * 40, {"Encrypt": encrypted}),
            ("timestamp=1700000000&nonce=nonce1", {"Encrypt": "bm90IGVuY3J5cHRlZA=="}),
            ("", "not json")):
        answer = client.post(f"/wechat/push?{query}", data=json.dumps(body), content_type="application/json")
        assert answer.status_code == 403, (query, answer.json)
    assert client.get("/wechat/push?signature=0&timestamp=1&nonce=2&echostr=hi").status_code == 403
    assert db.session.get(WishPhoto, mine["id"]).check == "pending"
    assert verdicts() == [(trace_id, "risky", 200)]
    assert db.session.get(WishPhoto, mine["id"]).check == "risky"


def test_the_push_url_check_answers_the_echostr(app, client, verdicts):
    from fakes.wechat_server import _signed
    token = app.config["WECHAT_PUSH_TOKEN"]
    answer = client.get(f"/wechat/push?signature={_signed(token, '1700000000', 'n1')}&timestamp=1700000000"
                        "&nonce=n1&echostr=abc123")
    assert answer.status_code == 200 and answer.data == b"abc123"


def test_a_verdict_for_an_unknown_trace_is_ignored(client, world, fake_wechat, verdicts):
    wish, mine = pending_wish(client, world, fake_wechat)
    assert fake_wechat.push_media_verdict("0000-unknown-trace", world.wechat1.openid, "risky") == 200
    db.session.rollback()
    assert db.session.get(WishPhoto, mine["id"]).check == "pending"
    assert client.get(f"/api/wishes/{wish['id']}", headers=f.auth(world.head1)).json["status"] == "approved"
    [(trace_id, suggest, status)] = verdicts()
    assert (suggest, status) == ("pass", 200)
    # The same verdict pushed again (WeChat retries a push it got no answer to) changes nothing.
    assert fake_wechat.push_media_verdict(trace_id, world.wechat1.openid, "risky") == 200
    db.session.rollback()
    assert db.session.get(WishPhoto, mine["id"]).check == "pass"


def test_a_photo_without_a_verdict_in_30_minutes_goes_back_to_the_grid_head(client, world, fake_wechat, verdicts,
                                                                           runner):
    wish, mine = pending_wish(client, world, fake_wechat)
    [(trace_id, openid, _)] = fake_wechat.media_checks
    head1 = world.head1.id
    assert sweep_unchecked(utcnow() + timedelta(minutes=29)) == 0
    result = runner.invoke(args=["escalate"])   # the command the deployment runs every minute
    assert "sent 0 photo(s)" in result.output
    assert sweep_unchecked(utcnow() + timedelta(minutes=31)) == 1
    assert db.session.get(WishPhoto, mine["id"]).check == "review"
    after = client.get(f"/api/wishes/{wish['id']}", headers=f.auth(world.head1)).json
    assert after["status"] == "submitted" and after["events"][-1]["action"] == "photo_unchecked"
    head, kind = notices()[-1]
    assert (head.id, kind) == (head1, "wish_photo_unchecked")
    assert wall(client) == []
    # WeChat can no longer fetch it, and a verdict arriving after all is ignored: the grid head has it now.
    assert verdicts() == [(trace_id, None, None)]
    assert fake_wechat.push_media_verdict(trace_id, openid, "pass") == 200
    db.session.rollback()
    assert db.session.get(WishPhoto, mine["id"]).check == "review"
    assert sweep_unchecked(utcnow() + timedelta(hours=1)) == 0
