"""Every registration endpoint answers 404 for a member, household or grid outside the caller's place."""
import pytest

from tests import factories as f
from tests.residents.helpers import letter_token, newcomer, person, register

MEMBER_CALLS = [("patch", "/api/members/{id}", {"name": "改名"}), ("delete", "/api/members/{id}", None),
                ("post", "/api/members/{id}/confirm", None), ("post", "/api/members/{id}/reject", None),
                ("post", "/api/members/{id}/reveal", {"reason": "越权查看"})]
GRID_CALLS = ["/api/grids/{id}/coverage", "/api/grids/{id}/pending", "/api/grids/{id}/returning",
              "/api/grids/{id}/returning?format=xlsx"]


@pytest.fixture
def pending_in_grid2(client, world):
    """A pending registration in house2 (grid 2), and the identity that made it."""
    identity, headers = newcomer()
    response = register(client, letter_token(world.house2), headers, [person("钱七", 2, "侄女", is_self=True)])
    return response.json["members"][0]["id"]


def call(client, method, url, body, headers):
    return getattr(client, method)(url, json=body, headers=headers) if body else \
        getattr(client, method)(url, headers=headers)


# What each staff role may do to a member at all; anything else is refused by role (403) wherever the member is.
STAFF_ACTIONS = {"head1": {"confirm", "reject", "reveal"}, "police1": {"reveal"}, "admin_b": {"reveal"}}


@pytest.mark.parametrize("method, url, body", MEMBER_CALLS)
@pytest.mark.parametrize("caller", sorted(STAFF_ACTIONS))
def test_staff_outside_the_members_place_get_404(client, world, pending_in_grid2, method, url, body, caller):
    response = call(client, method, url.format(id=pending_in_grid2), body, f.auth(getattr(world, caller)))
    if url.split("/")[-1] in STAFF_ACTIONS[caller]:
        assert response.status_code == 404, response.json
    else:
        assert response.status_code == 403 and "may not do this" in response.json["message"]


@pytest.mark.parametrize("method, url, body", MEMBER_CALLS[:4])
def test_residents_of_another_household_get_404(client, world, pending_in_grid2, method, url, body):
    for outsider in (world.wechat1, f.resident(world.house2b, name="邻居")[1]):
        response = call(client, method, url.format(id=pending_in_grid2), body, f.auth(outsider))
        assert response.status_code == 404, (url, response.json)


@pytest.mark.parametrize("method, url, body", MEMBER_CALLS[:4])
def test_a_pending_registrant_cannot_reach_the_households_other_members(client, world, method, url, body):
    _, headers = newcomer()
    register(client, letter_token(world.house1), headers, [person("赵六", 1, "侄子", is_self=True)])
    response = call(client, method, url.format(id=world.resident1.id), body, headers)
    # Their own registration they may correct or withdraw (404: not theirs); confirming is no registrant's.
    assert response.status_code == (403 if url.endswith(("confirm", "reject")) else 404)


@pytest.mark.parametrize("url", GRID_CALLS)
def test_grids_outside_the_callers_place_are_404(client, world, url):
    for caller, grid in ((world.head1, world.grid2), (world.police1, world.grid2), (world.admin_b, world.grid1)):
        assert client.get(url.format(id=grid.id), headers=f.auth(caller)).status_code == 404


def test_household_members_outside_the_callers_place_are_404(client, world):
    for caller, house in ((world.head1, world.house2), (world.leader, world.house2), (world.joint, world.house1b),
                          (world.police1, world.house2), (world.admin_b, world.house1)):
        assert client.get(f"/api/households/{house.id}/members", headers=f.auth(caller)).status_code == 404


def test_other_grid_heads_cannot_confirm_and_the_member_stays_pending(client, world, pending_in_grid2):
    assert client.post(f"/api/members/{pending_in_grid2}/confirm", headers=f.auth(world.head1)).status_code == 404
    listed = client.get(f"/api/grids/{world.grid2.id}/pending", headers=f.auth(world.head2)).json
    assert [m["status"] for m in listed] == ["pending"]
