"""An officer hands a contact request that is not police work over to the grid: a service request for the sender's
house, routed to its grid head like any other, linked both ways, the sender told."""
import pytest

from app.codes.services import code_for
from app.models import Notification
from app.web.extensions import db
from tests import factories as f
from tests.requests.helpers import notices


@pytest.fixture
def card(world):
    token = code_for(world.police1).token
    db.session.commit()
    return token


def contact(client, who, card, message="家里漏水，物业不管"):
    response = client.post(f"/api/cards/{card}/contact-requests", headers=f.auth(who),
                           json={"message": message, "phone": "13800138000"})
    assert response.status_code == 201, response.json
    return response.json["id"]


def hand_over(client, officer, contact_id, **body):
    return client.post(f"/api/police/contact-requests/{contact_id}/handover", headers=f.auth(officer),
                       json={"category": "safety", **body})


def test_a_handover_files_a_request_for_the_senders_house_routed_to_its_grid_head(client, world, card):
    cid = contact(client, world.wechat1, card)
    db.session.query(Notification).delete()
    db.session.commit()
    answer = hand_over(client, world.police1, cid)
    assert answer.status_code == 201, answer.json
    assert answer.json["status"] == "handled" and answer.json["note"].startswith("已转交网格办理")
    request_id = answer.json["service_request_id"]
    # The request, as the grid head sees it: the sender's house, the grid head holds it, filed by the officer.
    detail = client.get(f"/api/requests/{request_id}", headers=f.auth(world.head1)).json
    assert detail["household"]["id"] == world.house1.id and detail["handler"]["id"] == world.head1.id
    assert detail["source"] == "police" and detail["contact_request_id"] == cid
    assert detail["description"] == "家里漏水，物业不管"
    [filed] = detail["events"]
    assert filed["action"] == "file" and filed["role"] == "police" and f"#{cid}" in filed["note"]
    # The resident follows it as their own request, and hears of both sides.
    mine = client.get(f"/api/requests/{request_id}", headers=f.auth(world.wechat1))
    assert mine.status_code == 200
    sent = client.get("/api/my/contact-requests", headers=f.auth(world.wechat1)).json
    assert sent[0]["service_request_id"] == request_id and sent[0]["status"] == "handled"
    assert notices() == [(world.head1, "request_assigned"), (world.wechat1, "contact_handed_over")]


def test_a_contact_request_is_handed_over_once(client, world, card):
    cid = contact(client, world.wechat1, card)
    assert hand_over(client, world.police1, cid).status_code == 201
    again = hand_over(client, world.police1, cid)
    assert again.status_code == 409 and "already" in again.json["message"]


def test_the_description_and_category_may_be_the_officers(client, world, card):
    cid = contact(client, world.wechat1, card)
    answer = hand_over(client, world.police1, cid, category="repair", description="屋顶漏水，请楼栋长上门查看")
    detail = client.get(f"/api/requests/{answer.json['service_request_id']}", headers=f.auth(world.admin_a)).json
    assert detail["category"]["code"] == "repair" and detail["description"] == "屋顶漏水，请楼栋长上门查看"
    assert detail["handler"]["id"] == world.leader.id   # repairs go to the unit leader first, as any request


@pytest.mark.parametrize("confirmed", [False, None])
def test_no_handover_without_a_confirmed_residents_house(client, world, card, confirmed):
    if confirmed is None:
        sender = f.wechat_user()
    else:
        _, sender = f.resident(world.house1b, name="待确认", confirmed=False)
    db.session.commit()
    cid = contact(client, sender, card)
    refused = hand_over(client, world.police1, cid)
    assert refused.status_code == 422 and refused.json["message"].startswith("contact_request:")
    assert "no confirmed resident" in refused.json["message"]
    assert client.get("/api/requests", headers=f.auth(world.admin_a)).json == []


def test_bad_category_names_the_field_and_another_officers_contact_is_404(client, world, card):
    cid = contact(client, world.wechat1, card)
    unknown = hand_over(client, world.police1, cid, category="nothing")
    assert unknown.status_code == 422 and unknown.json["message"].startswith("category:")
    assert hand_over(client, world.police_all, cid).status_code == 404
    assert hand_over(client, world.police1, cid, description="").status_code == 422


def test_a_handover_stays_within_the_officers_jurisdiction(client, world, card):
    """The officer of grid 1 cannot file a request for a house of grid 2 or of another community; the officer of
    the whole community can for grid 2."""
    _, elsewhere = f.resident(world.house_b, name="外社区居民")
    db.session.commit()
    for sender in (elsewhere, world.wechat2):
        cid = contact(client, sender, card)
        refused = hand_over(client, world.police1, cid)
        assert refused.status_code == 422 and "jurisdiction" in refused.json["message"]
    assert client.get("/api/requests", headers=f.auth(world.admin_a)).json == []
    assert client.get("/api/requests", headers=f.auth(world.admin_b)).json == []
    whole = code_for(world.police_all).token
    db.session.commit()
    assert hand_over(client, world.police_all, contact(client, world.wechat2, whole)).status_code == 201
