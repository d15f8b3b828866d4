"""The household sees its grid head's phone in full, as printed on its door's letter; other phones stay masked."""
from app.privacy.masking import mask_phone
from tests import factories as f
from tests.requests.helpers import act, file


def test_a_grid_heads_phone_in_full_to_the_household_masked_to_staff(client, world):
    filed = file(client, world.wechat1, "safety")
    assert filed["handler"]["phone"] == world.head1.phone
    rid = filed["id"]
    mine = client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json
    assert mine["handler"]["phone"] == mine["events"][0]["handler"]["phone"] == world.head1.phone
    listed = client.get("/api/requests", headers=f.auth(world.wechat1)).json
    assert listed[0]["handler"]["phone"] == world.head1.phone
    staff_view = client.get(f"/api/requests/{rid}", headers=f.auth(world.admin_a)).json
    assert staff_view["handler"]["phone"] == mask_phone(world.head1.phone)


def test_a_unit_leaders_phone_stays_masked_to_the_household(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    act(client, world.head1, rid, "transfer", to_staff_id=world.leader.id, note="楼道归楼长管")
    mine = client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json
    assert mine["handler"]["phone"] == mask_phone(world.leader.phone)
    # The timeline keeps who held each step, each phone by the same rule.
    assert [e["handler"]["phone"] for e in mine["events"]] == [world.head1.phone, mask_phone(world.leader.phone)]
