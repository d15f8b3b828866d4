"""A request's whole life: accepted, noted, transferred, resolved, rated or reopened; every step told."""
from datetime import timedelta

import pytest

from app.models import Role, ServiceRequest
from app.web.extensions import db
from tests import factories as f
from tests.requests.helpers import act, file, notices


def test_whole_lifecycle_notifies_each_step_and_keeps_a_timeline(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    assert act(client, world.head1, rid, "accept").status_code == 201
    assert act(client, world.head1, rid, "note", note="已联系物业").status_code == 201
    other = f.staff(world.a, Role.UNIT_LEADER, name="赵楼长")
    transfer = act(client, world.head1, rid, "transfer", to_staff_id=other.id, note="楼道归楼长管")
    assert transfer.status_code == 201 and transfer.json["handler"]["id"] == other.id
    # The old handler no longer holds it; the new one must accept before resolving.
    assert act(client, world.head1, rid, "resolve", note="x").status_code == 403
    assert act(client, other, rid, "accept").status_code == 201
    assert act(client, other, rid, "resolve", note="灯已换好").status_code == 201
    rated = act(client, world.wechat1, rid, "rate", rating=5, note="很快")
    assert rated.status_code == 201

    body = client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json
    assert body["status"] == "closed" and body["rating"] == 5 and body["rating_comment"] == "很快"
    assert body["resolution_note"] == "灯已换好"
    assert [(e["action"], e["role"], e["from_status"], e["to_status"]) for e in body["events"]] == [
        ("file", "resident", None, "open"),
        ("accept", "grid_head", "open", "accepted"),
        ("note", "grid_head", "accepted", "accepted"),
        ("transfer", "grid_head", "accepted", "open"),
        ("accept", "unit_leader", "open", "accepted"),
        ("resolve", "unit_leader", "accepted", "resolved"),
        ("rate", "resident", "resolved", "closed"),
    ]
    assert body["events"][3]["note"] == "楼道归楼长管" and body["events"][3]["handler"]["id"] == other.id
    assert body["events"][1]["actor"] == "王网格"
    assert notices() == [
        (world.head1, "request_assigned"),
        (world.wechat1, "request_accepted"),
        (world.wechat1, "request_progress"),
        (other, "request_assigned"),
        (world.wechat1, "request_transferred"),
        (world.wechat1, "request_accepted"),
        (world.wechat1, "request_resolved"),
        (other, "request_rated"),
    ]


@pytest.mark.parametrize("steps, who, action, body, state", [
    ([], "head1", "resolve", {"note": "done"}, "open"),
    ([], "head1", "note", {"note": "progress"}, "open"),
    ([], "wechat1", "rate", {"rating": 4}, "open"),
    (["accept"], "head1", "accept", {}, "accepted"),
    (["accept"], "wechat1", "reopen", {}, "accepted"),
    (["accept", "resolve"], "head1", "transfer", {"to_staff_id": "head2", "note": "r"}, "resolved"),
])
def test_illegal_transitions_answer_409_naming_state_and_action(client, world, steps, who, action, body, state):
    rid = file(client, world.wechat1, "safety")["id"]
    for step in steps:
        assert act(client, world.head1, rid, step, note="ok").status_code == 201
    body = {k: getattr(world, v).id if k == "to_staff_id" else v for k, v in body.items()}
    response = act(client, getattr(world, who), rid, action, **body)
    assert response.status_code == 409
    assert f"Cannot {action} a request that is {state}" in response.json["message"]
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.head1)).json["status"] == state


def test_closed_request_can_be_neither_rated_again_nor_reopened(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    act(client, world.head1, rid, "accept")
    act(client, world.head1, rid, "resolve", note="好了")
    assert act(client, world.wechat1, rid, "rate", rating=3).status_code == 201
    for action, body in (("rate", {"rating": 5}), ("reopen", {})):
        response = act(client, world.wechat1, rid, action, **body)
        assert response.status_code == 409 and "closed" in response.json["message"]


def test_only_the_handler_acts_and_only_the_household_rates(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    refused = act(client, world.wechat1, rid, "accept")
    assert refused.status_code == 403 and "handler" in refused.json["message"]
    # The admin sees the request and may reassign it, but accepting is the handler's.
    assert act(client, world.admin_a, rid, "accept").status_code == 403
    assert act(client, world.admin_a, rid, "transfer", to_staff_id=world.head2.id, note="调整").status_code == 201
    act(client, world.head2, rid, "accept")
    act(client, world.head2, rid, "resolve", note="ok")
    assert act(client, world.head2, rid, "rate", rating=5).status_code == 403


def test_reopen_within_seven_days_goes_back_to_the_handler(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    act(client, world.head1, rid, "accept")
    act(client, world.head1, rid, "resolve", note="好了")
    reopened = act(client, world.wechat1, rid, "reopen", note="灯又坏了")
    assert reopened.status_code == 201 and reopened.json["to_status"] == "open"
    body = client.get(f"/api/requests/{rid}", headers=f.auth(world.head1)).json
    assert body["status"] == "open" and body["resolved_at"] is None and body["handler"]["id"] == world.head1.id
    assert notices()[-1] == (world.head1, "request_reopened")


def test_rating_or_reopening_after_seven_days_is_refused(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    act(client, world.head1, rid, "accept")
    act(client, world.head1, rid, "resolve", note="好了")
    req = db.session.get(ServiceRequest, rid)
    req.resolved_at = req.resolved_at - timedelta(days=8)
    db.session.commit()
    for action, body in (("rate", {"rating": 2}), ("reopen", {})):
        response = act(client, world.wechat1, rid, action, **body)
        assert response.status_code == 409 and "7 days" in response.json["message"]


@pytest.mark.parametrize("target, message", [
    ("admin_b", "no active staff member"),
    ("police1", "police officers do not handle"),
    ("head1", "current handler already"),
])
def test_transfer_target_must_be_another_handler_of_the_community(client, world, target, message):
    rid = file(client, world.wechat1, "safety")["id"]
    response = act(client, world.head1, rid, "transfer", to_staff_id=getattr(world, target).id, note="r")
    assert response.status_code == 422
    assert response.json["message"].startswith("to_staff_id:") and message in response.json["message"]


@pytest.mark.parametrize("body, field", [
    ({"category": "safety", "description": "x" * 1001}, "description"),
    ({"category": "safety", "description": ""}, "description"),
    ({"category": "safety"}, "description"),
    ({"category": "parking", "description": "车位"}, "category"),
    ({"category": "safety", "description": "x", "household_id": 9}, "household_id"),
])
def test_bad_request_bodies_name_the_field(client, world, body, field):
    response = client.post("/api/requests", headers=f.auth(world.wechat1), json=body)
    assert response.status_code == 422
    assert field in response.json["message"]


@pytest.mark.parametrize("body, field", [
    ({"action": "resolve"}, "note"),
    ({"action": "transfer", "note": "r"}, "to_staff_id"),
    ({"action": "rate"}, "rating"),
    ({"action": "rate", "rating": 6}, "rating"),
    ({"action": "escalate"}, "action"),
    ({"action": "note", "note": "x" * 1001}, "note"),
])
def test_bad_actions_name_the_field(client, world, body, field):
    rid = file(client, world.wechat1, "safety")["id"]
    response = client.post(f"/api/requests/{rid}/events", headers=f.auth(world.head1), json=body)
    assert response.status_code == 422
    assert response.json["message"].startswith("Invalid input") and field in response.json["message"]


def test_a_member_removed_from_the_household_hears_no_more_of_its_request(client, world):
    """As a wish's: the filer while they are a member of the household, then the household's head."""
    from app.models import Notification
    member, their_wechat = f.resident(world.house1, name="李小")
    db.session.commit()
    rid = file(client, their_wechat, "safety")["id"]
    assert client.delete(f"/api/members/{member.id}", headers=f.auth(world.wechat1)).status_code == 204
    db.session.query(Notification).delete()
    db.session.commit()
    act(client, world.head1, rid, "accept")
    act(client, world.head1, rid, "note", note="明早九点上门，请留人开门")
    assert notices() == [(world.wechat1, "request_accepted"), (world.wechat1, "request_progress")]
