"""Whom a handler may transfer a request to: exactly the staff the transfer itself accepts."""
from app.models import Role, ServiceRequest
from app.privacy.masking import mask_phone
from app.web.extensions import db
from tests import factories as f
from tests.requests.helpers import act, file


def targets(client, who, rid):
    return client.get(f"/api/requests/{rid}/transfer-targets", headers=f.auth(who))


def test_the_list_is_exactly_whom_the_transfer_accepts(client, world):
    retired = f.staff(world.a, Role.UNIT_LEADER, name="退休楼长", active=False)
    db.session.commit()
    rid = file(client, world.wechat1, "safety")["id"]        # held by grid 1's head
    listed = targets(client, world.head1, rid)
    assert listed.status_code == 200
    assert {s["id"] for s in listed.json} == {world.head2.id, world.leader.id, world.joint.id, world.admin_a.id}
    # Each staff member of either community: the transfer succeeds exactly for those listed.
    everyone = [world.head1, world.head2, world.leader, world.joint, world.admin_a, world.police1,
                world.police_all, retired, world.admin_b]
    for person in everyone:
        trial = file(client, world.wechat1, "safety")["id"]
        moved = act(client, world.head1, trial, "transfer", to_staff_id=person.id, note="转办").status_code
        assert (moved == 201) == (person.id in {s["id"] for s in listed.json}), person.name


def test_names_roles_and_masked_phones_admin_first(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    listed = targets(client, world.admin_a, rid).json
    assert [s["role"] for s in listed] == ["admin", "grid_head", "joint_head", "unit_leader"]
    head2 = next(s for s in listed if s["id"] == world.head2.id)
    assert head2["name"] == world.head2.name and head2["phone"] == mask_phone(world.head2.phone)


def test_a_request_held_by_nobody_may_go_to_anyone_but_police(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    db.session.get(ServiceRequest, rid).handler = None
    db.session.commit()
    listed = {s["id"] for s in targets(client, world.admin_a, rid).json}
    assert listed == {world.head1.id, world.head2.id, world.leader.id, world.joint.id, world.admin_a.id}


def test_only_who_may_transfer_now_gets_the_list(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    assert targets(client, world.wechat1, rid).status_code == 403      # the household sees it, may not transfer
    assert targets(client, world.joint, rid).status_code == 404        # not theirs to see
    assert targets(client, world.head2, rid).status_code == 404        # another grid's request
    assert targets(client, world.admin_b, rid).status_code == 404      # another community's
    act(client, world.head1, rid, "accept")
    act(client, world.head1, rid, "resolve", note="灯已换好")
    resolved = targets(client, world.head1, rid)
    assert resolved.status_code == 409 and "resolved" in resolved.json["message"]
