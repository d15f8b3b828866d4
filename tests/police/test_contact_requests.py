"""A resident scans an officer's card and asks to be contacted; the officer works a queue on the phone."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.codes.services import code_for, reprint
from app.models import ContactRequest, Notification, WeChatIdentity
from app.web.extensions import db
from tests import factories as f
from tests.concurrency import at_once
from tests.requests.helpers import notices


@pytest.fixture
def card(world):
    token = code_for(world.police1).token
    db.session.commit()
    return token


def stranger(openid="openid-stranger"):
    """A WeChat user who has not registered in any household."""
    identity = WeChatIdentity(openid=openid)
    db.session.add(identity)
    db.session.commit()
    return identity


def send(client, who, token, **body):
    return client.post(f"/api/cards/{token}/contact-requests", headers=f.auth(who),
                       json={"message": "家门口有可疑人员", **body})


def test_card_shows_the_officer_without_sign_in(client, world, card):
    body = client.get(f"/api/cards/{card}").json
    assert body == {"name": world.police1.name, "title": "社区民警", "station": "胜泉派出所",
                    "phone": world.police1.phone, "jurisdictions": ["胜泉社区第1网格"]}
    whole = code_for(world.police_all).token
    db.session.commit()
    assert client.get(f"/api/cards/{whole}").json["jurisdictions"] == ["胜泉社区"]


def test_unknown_revoked_and_non_police_cards(client, world, card):
    assert client.get("/api/cards/" + "A" * 22).status_code == 404
    house = code_for(world.house1).token
    head = code_for(world.head1).token
    reprint(world.police1)
    db.session.commit()
    assert client.get(f"/api/cards/{card}").status_code == 410
    assert send(client, world.wechat1, card).status_code == 410
    assert client.get(f"/api/cards/{house}").status_code == 404
    assert client.get(f"/api/cards/{head}").status_code == 404
    assert send(client, world.wechat1, house).status_code == 404


def test_registered_or_not_a_wechat_user_can_ask_and_the_officer_is_told(client, world, card):
    mine = send(client, world.wechat1, card)
    assert mine.status_code == 201 and mine.json["phone"] == "13912345678"   # the resident's own
    assert mine.json["resident_name"] == "李四" and mine.json["household_code"] == world.house1.code
    theirs = send(client, stranger(), card, phone="+86 138-0013-8000", urgency="urgent")
    assert theirs.status_code == 201 and theirs.json["phone"] == "13800138000"
    assert theirs.json["resident_name"] is None
    assert notices() == [(world.police1, "contact_request"), (world.police1, "contact_request")]


@pytest.mark.parametrize("body, field", [
    ({"message": ""}, "message"),
    ({"message": "x" * 301}, "message"),
    ({"urgency": "panic"}, "urgency"),
    ({"phone": "12345"}, "phone"),
])
def test_bad_contact_requests_name_the_field(client, world, card, body, field):
    response = send(client, world.wechat1, card, **body)
    assert response.status_code == 422 and field in response.json["message"]


def test_unregistered_user_must_give_a_phone(client, world, card):
    response = send(client, stranger(), card)
    assert response.status_code == 422 and response.json["message"].startswith("phone:")


def test_staff_signed_in_by_password_cannot_send(client, world, card):
    assert send(client, world.head1, card).status_code == 403


def test_queue_is_the_officers_own_urgent_first_then_oldest(client, world, card):
    other = code_for(world.police_all).token
    db.session.commit()
    users = [stranger(f"openid-{i}") for i in range(4)]
    first = send(client, users[0], card, phone="13800000001").json["id"]
    second = send(client, users[1], card, phone="13800000002").json["id"]
    urgent = send(client, users[2], card, phone="13800000003", urgency="urgent").json["id"]
    send(client, users[3], other, phone="13800000004")
    queue = client.get("/api/police/contact-requests", headers=f.auth(world.police1))
    assert [c["id"] for c in queue.json] == [urgent, first, second]
    assert queue.json[0]["urgency"] == "urgent"
    page = client.get("/api/police/contact-requests?page=2&page_size=2", headers=f.auth(world.police1))
    assert [c["id"] for c in page.json] == [second] and '"total": 3' in page.headers["X-Pagination"]
    assert client.get("/api/police/contact-requests", headers=f.auth(world.head1)).status_code == 403


def test_officer_marks_contacted_then_handled_and_the_resident_hears(client, world, card):
    cid = send(client, world.wechat1, card).json["id"]
    headers = f.auth(world.police1)
    contacted = client.patch(f"/api/police/contact-requests/{cid}", headers=headers,
                             json={"status": "contacted", "note": "已电话联系"})
    assert contacted.status_code == 200 and contacted.json["contacted_at"]
    handled = client.patch(f"/api/police/contact-requests/{cid}", headers=headers,
                           json={"status": "handled", "note": "已上门查看"})
    assert handled.json["status"] == "handled" and handled.json["note"] == "已上门查看"
    assert notices()[1:] == [(world.wechat1, "contact_contacted"), (world.wechat1, "contact_handled")]
    again = client.patch(f"/api/police/contact-requests/{cid}", headers=headers, json={"status": "contacted"})
    assert again.status_code == 409 and "handled" in again.json["message"]
    assert client.get("/api/police/contact-requests", headers=headers).json == []
    done = client.get("/api/police/contact-requests?status=handled", headers=headers).json
    assert [c["id"] for c in done] == [cid]


def test_another_officers_request_is_404(client, world, card):
    cid = send(client, world.wechat1, card).json["id"]
    response = client.patch(f"/api/police/contact-requests/{cid}", headers=f.auth(world.police_all),
                            json={"status": "handled"})
    assert response.status_code == 404


def test_bad_answer_names_the_field(client, world, card):
    cid = send(client, world.wechat1, card).json["id"]
    response = client.patch(f"/api/police/contact-requests/{cid}", headers=f.auth(world.police1),
                            json={"status": "pending"})
    assert response.status_code == 422 and "status: Must be one of: contacted, handled." in response.json["message"]


def test_three_an_hour_per_wechat_user(client, world, card):
    for _ in range(3):
        assert send(client, world.wechat1, card).status_code == 201
    refused = send(client, world.wechat1, card)
    assert refused.status_code == 429 and "wechat_id" in refused.json["message"]
    assert 3500 < int(refused.headers["Retry-After"]) <= 3601
    # An hour later the oldest has aged out of the window.
    for row in db.session.query(ContactRequest):
        row.created_at = row.created_at - timedelta(minutes=61)
    db.session.commit()
    assert send(client, world.wechat1, card).status_code == 201


def test_five_a_day_per_phone_across_users(client, world, card):
    for i in range(5):
        assert send(client, stranger(f"openid-{i}"), card, phone="13700000000").status_code == 201
    refused = send(client, stranger("openid-6"), card, phone="137-0000-0000")
    assert refused.status_code == 429 and "phone" in refused.json["message"]
    assert 86000 < int(refused.headers["Retry-After"]) <= 86401
    assert db.session.query(ContactRequest).count() == 5


def test_a_sender_lists_their_own_requests_with_the_officer_and_answer(client, world, card):
    mine = send(client, world.wechat1, card, urgency="urgent").json["id"]
    send(client, world.wechat2, card)                                   # a neighbour's: never in the list
    client.patch(f"/api/police/contact-requests/{mine}", headers=f.auth(world.police1),
                 json={"status": "contacted", "note": "已电话联系"})
    listed = client.get("/api/my/contact-requests", headers=f.auth(world.wechat1))
    assert listed.status_code == 200 and [c["id"] for c in listed.json] == [mine]
    row = listed.json[0]
    assert (row["status"], row["urgency"], row["note"]) == ("contacted", "urgent", "已电话联系")
    assert row["officer"] == {"name": world.police1.name, "title": "社区民警", "station": "胜泉派出所",
                              "phone": world.police1.phone}
    assert row["phone"] == "139****5678" and row["created_at"] and row["contacted_at"] and not row["handled_at"]


def test_an_unregistered_sender_lists_theirs_newest_first(client, world, card):
    user = stranger()
    first = send(client, user, card, phone="13800000001").json["id"]
    second = send(client, user, card, phone="13800000001").json["id"]
    listed = client.get("/api/my/contact-requests", headers=f.auth(user)).json
    assert [c["id"] for c in listed] == [second, first]
    assert client.get("/api/my/contact-requests", headers=f.auth(world.wechat2)).json == []
    assert client.get("/api/my/contact-requests", headers=f.auth(world.police1)).status_code == 403


def test_sends_at_once_keep_to_three_an_hour(app, client, world, card):
    """The limit holds when the requests arrive together, on SQLite as on PostgreSQL."""
    headers = f.auth(world.wechat1)
    codes = at_once(app, [lambda c: c.post(f"/api/cards/{card}/contact-requests", headers=headers,
                                           json={"message": "家门口有可疑人员"})] * 8)
    assert sorted(codes) == [201] * 3 + [429] * 5
    assert db.session.query(ContactRequest).count() == 3


def test_the_officers_notice_opens_their_queue_in_the_staff_pages_and_the_senders_their_list(client, world, card):
    """The pages the notices open are the mini-program's own (miniprogram/src/pages.json)."""
    sent = send(client, world.wechat1, card).json
    client.patch(f"/api/police/contact-requests/{sent['id']}", headers=f.auth(world.police1),
                 json={"status": "contacted", "note": "已电话联系"})
    pages = db.session.scalars(select(Notification.page).order_by(Notification.id)).all()
    assert pages == ["pages-staff/contacts/index", "pages/police/mine"]
