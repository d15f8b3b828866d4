"""A reason asked for (an award or deduction, its reversal, a reveal, a rejection, a transfer) is required and
trimmed everywhere: nothing but spaces is refused naming the field, spaces around it are not kept."""
import pytest
from sqlalchemy import select

from app import create_app
from app.models import AuditEvent, ServiceRequest
from app.requests.categories import category_by_code
from app.requests.lifecycle import file_request
from app.web.extensions import db
from config import TestConfig
from tests import factories as f
from tests.wishes.helpers import post


def award(client, world, reason):
    return client.post("/api/points/entries", headers=f.auth(world.admin_a),
                       json={"resident_id": world.resident1.id, "points": 5, "reason": reason})


def reversal(client, world, reason):
    entry = award(client, world, "协助整治楼道").json["id"]
    return client.post(f"/api/points/entries/{entry}/reverse", headers=f.auth(world.head1), json={"reason": reason})


def member_reveal(client, world, reason):
    return client.post(f"/api/members/{world.resident1.id}/reveal", headers=f.auth(world.head1), json={"reason": reason})


def filed(world) -> ServiceRequest:
    req = file_request(world.house1b, category_by_code(world.a.id, "other"), "楼道堆物", None, None)
    db.session.commit()
    return db.session.get_one(ServiceRequest, req.id)


def caller_reveal(client, world, reason):
    return client.post(f"/api/requests/{filed(world).id}/caller/reveal", headers=f.auth(world.head1),
                       json={"reason": reason})


def transfer(client, world, reason):
    return client.post(f"/api/requests/{filed(world).id}/events", headers=f.auth(world.head1),
                       json={"action": "transfer", "to_staff_id": world.admin_a.id, "note": reason})


def wish_rejection(client, world, reason):
    wish = post(client, world.wechat1)
    return client.post(f"/api/wishes/{wish['id']}/reject", headers=f.auth(world.head1), json={"reason": reason})


ASKED = [(award, "reason"), (reversal, "reason"), (member_reveal, "reason"), (caller_reveal, "reason"),
         (transfer, "note"), (wish_rejection, "reason")]


@pytest.mark.parametrize("ask, field", ASKED, ids=[ask.__name__ for ask, _ in ASKED])
def test_a_blank_reason_is_refused_naming_the_field(client, world, ask, field):
    for blank in ("   ", "\t\n", "\u3000"):   # an ideographic space is what a Chinese keyboard types
        answer = ask(client, world, blank)
        assert answer.status_code == 422 and f"{field}:" in answer.json["message"], (blank, answer.json)


@pytest.mark.parametrize("ask", [award, member_reveal, transfer, wish_rejection])
def test_a_reason_is_kept_without_the_spaces_around_it(client, world, ask):
    answer = ask(client, world, "  核实户籍信息 \n")
    assert answer.status_code in (200, 201), answer.json
    kept = {"award": lambda: answer.json["reason"],
            "member_reveal": lambda: db.session.scalar(select(AuditEvent.reason).where(AuditEvent.action == "reveal")),
            "transfer": lambda: answer.json["note"],
            "wish_rejection": lambda: answer.json["reject_reason"]}[ask.__name__]()
    assert kept == "核实户籍信息"


def test_every_reason_a_body_asks_for_is_the_shared_trimmed_field():
    spec = create_app(TestConfig).test_client().get("/api/openapi.json").json
    schemas = spec["components"]["schemas"]
    asked = [(name, schema["properties"]["reason"]) for name, schema in schemas.items()
             if "reason" in schema.get("properties", {}) and not schema["properties"]["reason"].get("readOnly")
             and "reason" in schema.get("required", [])]
    assert len(asked) >= 4
    for name, reason in asked:
        assert reason["description"].startswith("trimmed;"), name
