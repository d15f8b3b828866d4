"""People's data kept safe: no plaintext ID number stored, masks in every answer, reveals and exports audited."""
import pytest
from sqlalchemy import JSON, LargeBinary, String, inspect, select, table
from sqlalchemy.sql import column
from sqlalchemy.types import NullType

from app.models import AuditEvent
from app.privacy.masking import mask_id_number
from app.web.extensions import db
from tests import factories as f
from tests.residents.helpers import (
    assert_masked,
    letter_token,
    migrant,
    newcomer,
    person,
    register,
)

TEXT_TYPES = (String, LargeBinary, JSON, NullType)


def stored_values():
    """Every value of every text, blob or JSON column of every table, as the database holds it."""
    inspector = inspect(db.engine)
    with db.engine.connect() as conn:
        for name in inspector.get_table_names():
            columns = [c["name"] for c in inspector.get_columns(name) if isinstance(c["type"], TEXT_TYPES)]
            if columns:
                for row in conn.execute(select(*map(column, columns)).select_from(table(name))):
                    yield from ((name, value) for value in row if value is not None)


def contains(value, needle: str) -> bool:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return needle.encode() in bytes(value)
    return needle in str(value)


@pytest.fixture
def registered(client, world):
    """Two households registered through the API, a move pending, one member revealed and one exported."""
    zhao, qian, sun = person("赵六", 1, is_self=True), person("钱七", 11, id_number="11010519491231002x"), \
        migrant("孙九", 23, "河南", is_self=True)
    zhao_user, zhao_headers = newcomer()
    response = register(client, letter_token(world.house1b), zhao_headers, [zhao, qian], claim_head=True)
    assert response.status_code == 201
    _, sun_headers = newcomer()
    assert register(client, letter_token(world.house2b), sun_headers, [sun, dict(qian, relationship_to_head="表亲")],
                    claim_head=True).status_code == 201
    member_id = response.json["members"][1]["id"]
    assert client.post(f"/api/members/{member_id}/reveal", json={"reason": "民警核查"},
                       headers=f.auth(world.police1)).status_code == 200
    assert client.get("/api/my/household/export", headers=zhao_headers).status_code == 200
    return [zhao, qian, sun]


def test_no_table_holds_a_plaintext_id_number(registered, app):
    numbers = {e["id_number"].upper() for e in registered}
    needles = numbers | {n.lower() for n in numbers} | {n[:17] for n in numbers}
    values = list(stored_values())
    # The scan does read the members' rows: it finds their masked numbers.
    assert any(contains(value, mask_id_number(registered[0]["id_number"])) for _, value in values)
    found = [(t, needle) for t, value in values for needle in needles if contains(value, needle)]
    assert found == []


def test_reveal_needs_a_reason_and_leaves_an_audit_event(client, world, registered):
    member_id = client.get(f"/api/households/{world.house1b.id}/members", headers=f.auth(world.head1)).json[1]["id"]
    url = f"/api/members/{member_id}/reveal"
    assert client.post(url, json={}, headers=f.auth(world.head1)).status_code == 422
    short = client.post(url, json={"reason": "  ab  "}, headers=f.auth(world.head1))
    assert short.status_code == 422 and "reason" in short.json["message"]
    before = db.session.scalar(select(db.func.count(AuditEvent.id)))
    response = client.post(url, json={"reason": "办理居住证需核对"}, headers=f.auth(world.head1))
    assert response.json == {"id": member_id, "name": "钱七", "id_number": "11010519491231002X",
                             "phone": registered[1]["phone"]}
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert db.session.scalar(select(db.func.count(AuditEvent.id))) == before + 1
    assert (event.actor_staff_id, event.role, event.action, event.object_type, event.object_id, event.reason) == (
        world.head1.id, "grid_head", "reveal", "resident", str(member_id), "办理居住证需核对")
    assert event.at is not None
    assert client.post(url, json={"reason": "我想看看"}, headers=f.auth(world.wechat1)).status_code == 403


def test_every_answer_masks_ids_and_phones(client, world):
    zhao, qian = person("赵六", 1, is_self=True), migrant("钱七", 2, "四川", relationship_to_head="配偶")
    late = person("孙九", 3, "母亲", is_self=True)
    _, headers = newcomer()
    _, late_headers = newcomer()
    token = letter_token(world.house1b)
    answers = [register(client, token, headers, [zhao, qian], claim_head=True),
               register(client, token, late_headers, [late])]
    late_id = answers[-1].json["members"][0]["id"]
    head = f.auth(world.head1)
    answers += [
        client.get("/api/my/household", headers=headers),
        client.get("/api/my/household", headers=late_headers),
        client.get(f"/api/grids/{world.grid1.id}/pending", headers=head),
        client.get(f"/api/grids/{world.grid1.id}/returning", headers=head),
        client.get(f"/api/households/{world.house1b.id}/members", headers=f.auth(world.police1)),
        client.patch(f"/api/members/{late_id}", json={"name": "孙九妹"}, headers=late_headers),
        client.post(f"/api/members/{late_id}/confirm", headers=headers),
        client.get(f"/api/scan/{token}"),
    ]
    assert [a.status_code for a in answers] == [201, 201] + [200] * 8
    for answer in answers:
        assert_masked(answer, zhao, qian, late)
    assert "138****0002" in answers[2].get_data(as_text=True)


def test_export_unmasks_only_the_callers_own_record_and_is_audited(client, world):
    zhao, qian = person("赵六", 1, is_self=True), person("钱七", 2)
    identity, headers = newcomer()
    register(client, letter_token(world.house1b), headers, [zhao, qian], claim_head=True)
    response = client.get("/api/my/household/export", headers=headers)
    members = {m["name"]: m for m in response.json["members"]}
    assert members["赵六"]["id_number"] == zhao["id_number"] and members["赵六"]["phone"] == zhao["phone"]
    assert members["钱七"]["id_number"] != qian["id_number"]
    assert_masked(response, qian)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert (event.actor_wechat_id, event.object_type, event.object_id) == (identity.id, "household",
                                                                           str(world.house1b.id))


def test_a_resident_removes_a_member_of_their_own_household_only(client, world):
    _, headers = newcomer()
    response = register(client, letter_token(world.house1b), headers, [person("赵六", 1, is_self=True),
                                                                        person("钱七", 2)], claim_head=True)
    qian_id = response.json["members"][1]["id"]
    assert client.delete(f"/api/members/{world.resident1.id}", headers=headers).status_code == 404
    assert client.delete(f"/api/members/{qian_id}", headers=headers).status_code == 204
    assert [m["name"] for m in client.get("/api/my/household", headers=headers).json["members"]] == ["赵六"]
