"""WeChat's wx.request sends no PATCH (its methods: GET, POST, PUT, DELETE, HEAD, OPTIONS, TRACE, CONNECT): the
mini-program sends POST with `X-HTTP-Method-Override: PATCH`, which the API takes as the PATCH it stands for."""
from tests.residents.helpers import letter_token, newcomer, person, register

OVERRIDE = {"X-HTTP-Method-Override": "PATCH"}


def _registered(client, world):
    _, headers = newcomer()
    answer = register(client, letter_token(world.house1b), headers, [person("赵六", 1, is_self=True)],
                      claim_head=True)
    return answer.json["members"][0]["id"], headers


def test_a_post_marked_patch_edits_as_a_patch_does(client, world):
    member_id, headers = _registered(client, world)
    edited = client.post(f"/api/members/{member_id}", json={"name": "赵六六"}, headers={**headers, **OVERRIDE})
    assert edited.status_code == 200 and edited.json["name"] == "赵六六"
    assert client.get("/api/my/household", headers=headers).json["members"][0]["name"] == "赵六六"


def test_the_override_stands_for_patch_under_the_api_only(client, world):
    member_id, headers = _registered(client, world)
    deleting = client.post(f"/api/members/{member_id}", headers={**headers, "X-HTTP-Method-Override": "DELETE"})
    assert deleting.status_code == 405   # DELETE is WeChat's own: no override stands for it
    assert client.get("/api/my/household", headers=headers).json["members"]
    assert client.get("/m/", headers=OVERRIDE).status_code in (200, 404)   # a GET stays a GET
