"""A neighbour dispute records how it was mediated and how that ended."""
import pytest

from tests import factories as f
from tests.requests.helpers import file, notices


def mediate(client, who, rid, **body):
    return client.put(f"/api/requests/{rid}/mediation", headers=f.auth(who), json=body)


def test_dispute_records_mediation_and_its_outcome(client, world):
    rid = file(client, world.wechat1, "dispute", "楼上噪音")["id"]
    started = mediate(client, world.joint, rid, kind="peoples", mediator="调解员老刘")
    assert started.status_code == 200 and started.json["outcome"] is None
    ended = mediate(client, world.admin_a, rid, kind="judicial", outcome="resolved", note="双方签署协议")
    assert ended.status_code == 200
    body = client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json
    assert body["mediation"] == {"kind": "judicial", "outcome": "resolved", "mediator": None,
                                 "note": "双方签署协议"}
    assert [e["action"] for e in body["events"]] == ["file", "mediate", "mediate"]
    assert notices()[-1] == (world.wechat1, "request_mediation")


def test_only_disputes_have_mediation(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    response = mediate(client, world.head1, rid, kind="peoples")
    assert response.status_code == 409 and "安全隐患" in response.json["message"]


def test_residents_and_bystanders_cannot_record_it(client, world):
    rid = file(client, world.wechat1, "dispute")["id"]
    assert mediate(client, world.wechat1, rid, kind="peoples").status_code == 403
    # The grid head sees the request but the joint-household head holds it.
    assert mediate(client, world.head1, rid, kind="peoples").status_code == 403


@pytest.mark.parametrize("body, field", [
    ({"kind": "arbitration"}, "kind"),
    ({"outcome": "resolved"}, "kind"),
    ({"kind": "industry", "outcome": "maybe"}, "outcome"),
])
def test_bad_mediation_names_the_field(client, world, body, field):
    rid = file(client, world.wechat1, "dispute")["id"]
    response = mediate(client, world.joint, rid, **body)
    assert response.status_code == 422 and field in response.json["message"]
