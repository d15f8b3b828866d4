"""The grid head's registers: coverage, pending confirmations, returning migrants (also as .xlsx)."""
import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditEvent, Notification
from app.web.extensions import db
from tests import factories as f
from tests.residents.helpers import (
    letter_token,
    migrant,
    newcomer,
    person,
    register,
    secrets_of,
)


def test_coverage_counts_households_with_a_confirmed_member(client, world):
    url, head = f"/api/grids/{world.grid1.id}/coverage", f.auth(world.head1)
    before = client.get(url, headers=head).json
    assert (before["households"], before["registered"], before["share"]) == (2, 1, 0.5)
    assert before["units"] == [{"unit_id": world.unit1.id, "number": 1, "name": world.unit1.name,
                                "households": 2, "registered": 1, "share": 0.5}]
    _, headers = newcomer()
    response = register(client, letter_token(world.house1b), headers, [person("赵六", 1, is_self=True)])
    assert client.get(url, headers=head).json["registered"] == 1   # pending does not count yet
    client.post(f"/api/members/{response.json['members'][0]['id']}/confirm", headers=head)
    assert client.get(url, headers=head).json["registered"] == 2


def test_pending_lists_only_the_grids_waiting_registrations(client, world):
    _, one = newcomer()
    _, two = newcomer()
    register(client, letter_token(world.house1), one, [person("赵六", 1, "侄子", is_self=True)])
    register(client, letter_token(world.house2), two, [person("钱七", 2, "侄女", is_self=True)])
    listed = client.get(f"/api/grids/{world.grid1.id}/pending", headers=f.auth(world.head1)).json
    assert [(m["name"], m["household"]["code"], m["status"]) for m in listed] == [
        ("赵六", world.house1.code, "pending")]


def arrivals(client, world):
    _, headers = newcomer()
    people = [migrant("赵六", 1, "河南", "周口市", "2026-09-20", is_self=True),
              migrant("钱七", 2, "河南省", "信阳市", "2026-10-15"),
              migrant("孙九", 3, "四川", "南充市", "2026-11-02"),
              person("周十", 4, "子")]
    assert register(client, letter_token(world.house1b), headers, people, claim_head=True).status_code == 201
    return people


def test_returning_migrants_latest_first_and_filtered(client, world):
    arrivals(client, world)
    url, head = f"/api/grids/{world.grid1.id}/returning", f.auth(world.head1)
    listed = client.get(url, headers=head).json
    assert [(m["name"], m["return_date"], m["from_province"]) for m in listed] == [
        ("孙九", "2026-11-02", "四川省"), ("钱七", "2026-10-15", "河南省"), ("赵六", "2026-09-20", "河南省")]
    assert [m["name"] for m in client.get(f"{url}?province=河南", headers=head).json] == ["钱七", "赵六"]
    window = client.get(f"{url}?since=2026-10-01&until=2026-10-31", headers=head).json
    assert [m["name"] for m in window] == ["钱七"]
    assert client.get(f"{url}?province=Atlantis", headers=head).status_code == 422
    # The grid head heard of the arrivals when they registered.
    notice = db.session.scalar(select(Notification).where(Notification.kind == "returning_migrant"))
    assert notice.recipient_staff_id == world.head1.id and "孙九" in notice.body and "周十" not in notice.body
    assert client.get(url, headers=f.auth(world.head2)).status_code == 404


def test_returning_migrants_as_a_spreadsheet_with_numbers_masked(client, world):
    people = arrivals(client, world)
    response = client.get(f"/api/grids/{world.grid1.id}/returning?format=xlsx", headers=f.auth(world.admin_a))
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("门牌编码", "地址", "姓名") and len(rows) == 4
    cells = " ".join(str(c) for row in rows for c in row)
    assert not [s for s in secrets_of(*people) if s in cells]
    assert people[2]["id_number"][-4:] in rows[1][4] and "*" in rows[1][4]
    assert db.session.scalar(select(AuditEvent.object_type).where(AuditEvent.action == "export")) == "grid_returning"


def test_staff_see_a_households_members_within_their_place(client, world):
    listed = client.get(f"/api/households/{world.house1.id}/members", headers=f.auth(world.leader))
    assert [m["name"] for m in listed.json] == [world.resident1.name]
    assert listed.json[0]["phone"] == "139****5678"
    assert client.get(f"/api/households/{world.house1.id}/members", headers=f.auth(world.wechat1)).status_code == 403


def test_registers_are_for_grid_heads_admins_and_police(client, world):
    url = f"/api/grids/{world.grid1.id}/coverage"
    for reader in (world.head1, world.admin_a, world.police1, world.police_all):
        assert client.get(url, headers=f.auth(reader)).status_code == 200
    assert client.get(url, headers=f.auth(world.leader)).status_code == 403
    assert client.get(url, headers=f.auth(world.wechat1)).status_code == 403
